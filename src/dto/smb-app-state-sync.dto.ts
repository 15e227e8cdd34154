import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import type {
  SmbAppStateSyncValue,
  WabaStateSyncContact,
  WabaStateSyncItem,
  WabaStateSyncMetadata,
} from '../types/index.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import { IsStringOrInt } from './shared/validators.js';

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

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StateSyncContactDto)
  contact?: StateSyncContactDto;

  @IsString()
  action!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => StateSyncMetadataDto)
  metadata!: StateSyncMetadataDto;
}

/** `value` of the `smb_app_state_sync` field (coexistence contact book sync). */
export class SmbAppStateSyncDto extends MessagingValueDto implements SmbAppStateSyncValue {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StateSyncItemDto)
  state_sync!: StateSyncItemDto[];
}
