import { IsString } from 'class-validator';
import type { AccountAlertsValue, WabaAlertInfo } from '../types/index.js';
import { ValidateNestedObject } from './shared/validators.js';

/** Details of an account alert. */
export class AlertInfoDto implements WabaAlertInfo {
  @IsString()
  alert_severity!: string;

  @IsString()
  alert_status!: string;

  @IsString()
  alert_type!: string;

  @IsString()
  alert_description!: string;
}

/** `value` of the `account_alerts` field. */
export class AccountAlertsDto implements AccountAlertsValue {
  @IsString()
  entity_type!: string;

  @IsString()
  entity_id!: string;

  @ValidateNestedObject(() => AlertInfoDto)
  alert_info!: AlertInfoDto;
}
