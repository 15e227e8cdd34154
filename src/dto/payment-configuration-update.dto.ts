import { IsInt, IsString } from 'class-validator';
import type { PaymentConfigurationUpdateValue } from '../types/index.js';

/** `value` of the `payment_configuration_update` field (Payments API India / Brazil). */
export class PaymentConfigurationUpdateDto implements PaymentConfigurationUpdateValue {
  @IsString()
  configuration_name!: string;

  @IsString()
  provider_name!: string;

  @IsString()
  provider_mid!: string;

  @IsString()
  status!: string;

  @IsInt()
  created_timestamp!: number;

  @IsInt()
  updated_timestamp!: number;
}
