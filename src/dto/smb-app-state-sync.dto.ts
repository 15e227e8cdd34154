import { IsOptional, IsString } from 'class-validator';
import type {
  SmbAppStateSyncValue,
  WabaStateSyncContact,
  WabaStateSyncItem,
  WabaStateSyncMetadata,
} from '../types/index.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import {
  IsStringOrInt,
  OptionalNestedObject,
  ValidateNestedArray,
  ValidateNestedObject,
} from './shared/validators.js';

/** A WhatsApp Business app contact. */
export class StateSyncContactDto implements WabaStateSyncContact {
  @IsOptional()
  @IsString()
  full_name?: string;

  @IsOptional()
  @IsString()
  first_name?: string;

  @IsString()
  phone_number!: string;
}

/** Metadata of a state-sync item. */
export class StateSyncMetadataDto implements WabaStateSyncMetadata {
  @IsStringOrInt()
  timestamp!: string | number;
}

/** One item of `value.state_sync[]`. */
export class StateSyncItemDto implements WabaStateSyncItem {
  @IsString()
  type!: string;

  @OptionalNestedObject(() => StateSyncContactDto)
  contact?: StateSyncContactDto;

  @IsString()
  action!: string;

  @ValidateNestedObject(() => StateSyncMetadataDto)
  metadata!: StateSyncMetadataDto;
}

/** `value` of the `smb_app_state_sync` field (coexistence contact book sync). */
export class SmbAppStateSyncDto extends MessagingValueDto implements SmbAppStateSyncValue {
  @ValidateNestedArray(() => StateSyncItemDto)
  state_sync!: StateSyncItemDto[];
}
