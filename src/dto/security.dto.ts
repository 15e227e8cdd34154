import { IsOptional, IsString } from 'class-validator';
import type { SecurityValue } from '../types/index.js';

/** `value` of the `security` field (two-step verification PIN changes). */
export class SecurityDto implements SecurityValue {
  @IsString()
  display_phone_number!: string;

  @IsString()
  event!: string;

  @IsOptional()
  @IsString()
  requester?: string;
}
