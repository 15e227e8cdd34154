import { IsInt, IsOptional } from 'class-validator';
import type { BusinessCapabilityUpdateValue } from '../types/index.js';
import { IsStringOrInt } from './shared/validators.js';

/** `value` of the `business_capability_update` field. */
export class BusinessCapabilityUpdateDto implements BusinessCapabilityUpdateValue {
  @IsOptional()
  @IsInt()
  max_daily_conversation_per_phone?: number;

  // A number in Meta's example, a TIER_* string in its table.
  @IsOptional()
  @IsStringOrInt()
  max_daily_conversations_per_business?: number | string;

  @IsOptional()
  @IsInt()
  max_phone_numbers_per_business?: number;

  @IsOptional()
  @IsInt()
  max_phone_numbers_per_waba?: number;
}
