import { IsArray, IsInt, IsOptional, IsString } from 'class-validator';
import type {
  AccountUpdateValue,
  WabaAccountUpdateWabaInfo,
  WabaAuthExceptionCountry,
  WabaAuthInternationalRateEligibility,
  WabaBanInfo,
  WabaDisconnectionInfo,
  WabaLockInfo,
  WabaPartnerClientCertificationInfo,
  WabaRestrictionInfo,
  WabaViolationInfo,
  WabaVolumeTierInfo,
} from '../types/index.js';
import {
  IsStringOrInt,
  IsStringOrStringArray,
  OptionalNestedArray,
  OptionalNestedObject,
  ValidateNestedArray,
} from './shared/validators.js';

/** `ACCOUNT_VIOLATION` details. */
export class ViolationInfoDto implements WabaViolationInfo {
  @IsString()
  violation_type!: string;
}

/** One restriction of an `ACCOUNT_RESTRICTION` event. */
export class RestrictionInfoDto implements WabaRestrictionInfo {
  @IsString()
  restriction_type!: string;

  @IsOptional()
  @IsStringOrInt()
  expiration?: number | string;
}

/** The (customer) WABA an `account_update` is about. */
export class AccountUpdateWabaInfoDto implements WabaAccountUpdateWabaInfo {
  @IsString()
  waba_id!: string;

  @IsString()
  owner_business_id!: string;

  @IsOptional()
  @IsString()
  ad_account_linked?: string;

  @IsOptional()
  @IsString()
  partner_app_id?: string;

  @IsOptional()
  @IsString()
  solution_id?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  solution_partner_business_ids?: string[];
}

/** A country exempted from the international authentication rate. */
export class AuthExceptionCountryDto implements WabaAuthExceptionCountry {
  @IsString()
  country_code!: string;

  @IsInt()
  start_time!: number;
}

/** `AUTH_INTL_PRICE_ELIGIBILITY_UPDATE` details. */
export class AuthInternationalRateEligibilityDto implements WabaAuthInternationalRateEligibility {
  @IsInt()
  start_time!: number;

  @ValidateNestedArray(() => AuthExceptionCountryDto)
  exception_countries!: AuthExceptionCountryDto[];
}

/** `DISABLED_UPDATE` details; `waba_ban_state` is a string or (older) an array. */
export class BanInfoDto implements WabaBanInfo {
  @IsStringOrStringArray()
  waba_ban_state!: string | string[];

  @IsString()
  waba_ban_date!: string;
}

/** `PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE` details. */
export class PartnerClientCertificationInfoDto implements WabaPartnerClientCertificationInfo {
  @IsString()
  client_business_id!: string;

  @IsString()
  status!: string;

  @IsArray()
  @IsString({ each: true })
  rejection_reasons!: string[];
}

/** `VOLUME_BASED_PRICING_TIER_UPDATE` details. */
export class VolumeTierInfoDto implements WabaVolumeTierInfo {
  @IsInt()
  tier_update_time!: number;

  @IsString()
  pricing_category!: string;

  @IsString()
  tier!: string;

  @IsString()
  effective_month!: string;

  @IsString()
  region!: string;
}

/** Why a coexistence business was disconnected. */
export class DisconnectionInfoDto implements WabaDisconnectionInfo {
  @IsOptional()
  @IsString()
  reason?: string;

  @IsOptional()
  @IsString()
  initiated_by?: string;
}

/** Lock details of older `account_update` events. */
export class LockInfoDto implements WabaLockInfo {
  @IsOptional()
  @IsStringOrInt()
  expiration?: number | string;
}

/** `value` of the `account_update` field: `event` plus that event's objects. */
export class AccountUpdateDto implements AccountUpdateValue {
  @IsString()
  event!: string;

  @OptionalNestedObject(() => ViolationInfoDto)
  violation_info?: ViolationInfoDto;

  @OptionalNestedArray(() => RestrictionInfoDto)
  restriction_info?: RestrictionInfoDto[];

  @OptionalNestedObject(() => AccountUpdateWabaInfoDto)
  waba_info?: AccountUpdateWabaInfoDto;

  @OptionalNestedObject(() => AuthInternationalRateEligibilityDto)
  auth_international_rate_eligibility?: AuthInternationalRateEligibilityDto;

  @IsOptional()
  @IsString()
  country?: string;

  @OptionalNestedObject(() => BanInfoDto)
  ban_info?: BanInfoDto;

  @OptionalNestedObject(() => PartnerClientCertificationInfoDto)
  partner_client_certification_info?: PartnerClientCertificationInfoDto;

  @OptionalNestedObject(() => VolumeTierInfoDto)
  volume_tier_info?: VolumeTierInfoDto;

  @OptionalNestedObject(() => DisconnectionInfoDto)
  disconnection_info?: DisconnectionInfoDto;

  @IsOptional()
  @IsString()
  phone_number?: string;

  @OptionalNestedObject(() => LockInfoDto)
  lock_info?: LockInfoDto;
}
