import { IsString } from 'class-validator';
import type { WabaMetadata } from '../../types/index.js';

/** `value.metadata` of messaging-type fields: the business phone number. */
export class MetadataDto implements WabaMetadata {
  @IsString()
  display_phone_number!: string;

  @IsString()
  phone_number_id!: string;
}
