import { IsObject, IsOptional, IsString } from 'class-validator';
import type {
  AccountSettingsUpdateValue,
  WabaCallingSettings,
  WabaPhoneNumberSettings,
} from '../types/index.js';
import { OptionalNestedObject } from './shared/validators.js';

/** The phone-number settings that changed; only the outer keys are checked (thin evidence). */
export class PhoneNumberSettingsDto implements WabaPhoneNumberSettings {
  [key: string]: unknown;

  @IsOptional()
  @IsString()
  phone_number_id?: string;

  @IsOptional()
  @IsObject()
  calling?: WabaCallingSettings;
}

/** `value` of the `account_settings_update` field (thin evidence: partial typing, raw kept). */
export class AccountSettingsUpdateDto implements AccountSettingsUpdateValue {
  [key: string]: unknown;

  @OptionalNestedObject(() => PhoneNumberSettingsDto)
  phone_number_settings?: PhoneNumberSettingsDto;
}
