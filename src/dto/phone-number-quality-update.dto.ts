import { IsOptional, IsString } from 'class-validator';
import type { PhoneNumberQualityUpdateValue } from '../types/index.js';

/** `value` of the `phone_number_quality_update` field. */
export class PhoneNumberQualityUpdateDto implements PhoneNumberQualityUpdateValue {
  @IsString()
  display_phone_number!: string;

  @IsString()
  event!: string;

  @IsOptional()
  @IsString()
  old_limit?: string;

  @IsOptional()
  @IsString()
  current_limit?: string;

  @IsOptional()
  @IsString()
  max_daily_conversations_per_business?: string;
}
