import { IsInt, IsOptional, IsString } from 'class-validator';
import type {
  HistoryValue,
  WabaHistoryChunk,
  WabaHistoryContext,
  WabaHistoryMessage,
  WabaHistoryMetadata,
  WabaHistoryThread,
} from '../types/index.js';
import { ErrorDto } from './shared/error.dto.js';
import { InboundMessageDto } from './shared/inbound-message.dto.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import {
  OptionalNestedArray,
  ValidateNestedArray,
  ValidateNestedObject,
} from './shared/validators.js';

/** Progress of a history sync. */
export class HistoryMetadataDto implements WabaHistoryMetadata {
  @IsInt()
  phase!: number;

  @IsInt()
  chunk_order!: number;

  @IsInt()
  progress!: number;
}

/** Delivery state of a synced message. */
export class HistoryContextDto implements WabaHistoryContext {
  @IsString()
  status!: string;
}

/** A synced message: an inbound message plus `to` and `history_context`. */
export class HistoryMessageDto extends InboundMessageDto {
  @IsOptional()
  @IsString()
  to?: string;

  @ValidateNestedObject(() => HistoryContextDto)
  history_context!: HistoryContextDto;
}

/** One chat of a history chunk. */
export class HistoryThreadDto implements WabaHistoryThread {
  @IsString()
  id!: string;

  // Typed as the public union: each item is a HistoryMessageDto validated for its `type`.
  @ValidateNestedArray(() => HistoryMessageDto)
  messages!: WabaHistoryMessage[];
}

/** One chunk of `value.history[]`. */
export class HistoryChunkDto implements WabaHistoryChunk {
  @ValidateNestedObject(() => HistoryMetadataDto)
  metadata!: HistoryMetadataDto;

  @OptionalNestedArray(() => HistoryThreadDto)
  threads?: HistoryThreadDto[];

  @OptionalNestedArray(() => ErrorDto)
  errors?: ErrorDto[];
}

/** `value` of the `history` field (coexistence chat-history sync). */
export class HistoryDto extends MessagingValueDto implements HistoryValue {
  @ValidateNestedArray(() => HistoryChunkDto)
  history!: HistoryChunkDto[];
}
