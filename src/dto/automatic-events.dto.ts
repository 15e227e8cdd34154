import { IsInt, IsOptional, IsString } from 'class-validator';
import type {
  AutomaticEventsValue,
  WabaAutomaticEvent,
  WabaAutomaticEventCustomData,
} from '../types/index.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import {
  IsStringOrNumber,
  OptionalNestedObject,
  ValidateNestedArray,
} from './shared/validators.js';

/** Purchase details of an automatic `Purchase` event. */
export class AutomaticEventCustomDataDto implements WabaAutomaticEventCustomData {
  @IsString()
  currency!: string;

  @IsStringOrNumber()
  value!: number | string;
}

/** A lead or purchase detected in a Click-to-WhatsApp chat. */
export class AutomaticEventDto implements WabaAutomaticEvent {
  @IsString()
  id!: string;

  @IsString()
  event_name!: string;

  @IsInt()
  timestamp!: number;

  @IsOptional()
  @IsString()
  ctwa_clid?: string;

  @OptionalNestedObject(() => AutomaticEventCustomDataDto)
  custom_data?: AutomaticEventCustomDataDto;
}

/** `value` of the `automatic_events` field (Click-to-WhatsApp lead/purchase events). */
export class AutomaticEventsDto extends MessagingValueDto implements AutomaticEventsValue {
  @ValidateNestedArray(() => AutomaticEventDto)
  automatic_events!: AutomaticEventDto[];
}
