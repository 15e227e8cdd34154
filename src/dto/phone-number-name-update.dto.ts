import { IsOptional, IsString } from 'class-validator';
import type { PhoneNumberNameUpdateValue } from '../types/index.js';

/** `value` of the `phone_number_name_update` field. */
export class PhoneNumberNameUpdateDto implements PhoneNumberNameUpdateValue {
  @IsString()
  display_phone_number!: string;

  @IsString()
  decision!: string;

  @IsString()
  requested_verified_name!: string;

  // `null` when accepted; IsOptional lets null through.
  @IsOptional()
  @IsString()
  rejection_reason!: string | null;
}
