import { IsInt, IsOptional, IsString } from 'class-validator';
import type { CallsValue, WabaCall, WabaCallSession, WabaCallStatus } from '../types/index.js';
import { ContactDto } from './shared/contact.dto.js';
import { ErrorDto } from './shared/error.dto.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import { IsStringOrInt, OptionalNestedArray, OptionalNestedObject } from './shared/validators.js';

/** SDP offer or answer of a `connect` call event. */
export class CallSessionDto implements WabaCallSession {
  @IsString()
  sdp_type!: string;

  @IsString()
  sdp!: string;
}

/** A call event in `value.calls[]`. */
export class CallDto implements WabaCall {
  @IsString()
  id!: string;

  @IsOptional()
  @IsString()
  from?: string;

  @IsOptional()
  @IsString()
  to?: string;

  @IsOptional()
  @IsString()
  from_user_id?: string;

  @IsOptional()
  @IsString()
  to_user_id?: string;

  @IsString()
  event!: string;

  @IsString()
  timestamp!: string;

  @IsOptional()
  @IsString()
  direction?: string;

  @OptionalNestedObject(() => CallSessionDto)
  session?: CallSessionDto;

  @IsOptional()
  @IsString()
  status?: string;

  @IsOptional()
  @IsStringOrInt()
  start_time?: string | number;

  @IsOptional()
  @IsStringOrInt()
  end_time?: string | number;

  @IsOptional()
  @IsInt()
  duration?: number;

  @IsOptional()
  @IsString()
  biz_opaque_callback_data?: string;

  @OptionalNestedArray(() => ErrorDto)
  errors?: ErrorDto[];

  @IsOptional()
  @IsString()
  deeplink_payload?: string;

  @IsOptional()
  @IsString()
  cta_payload?: string;
}

/** Status of a business-initiated call (`value.statuses[]` of `calls`). */
export class CallStatusDto implements WabaCallStatus {
  @IsString()
  id!: string;

  @IsString()
  type!: string;

  @IsString()
  status!: string;

  @IsString()
  timestamp!: string;

  @IsOptional()
  @IsString()
  recipient_id?: string;

  @IsOptional()
  @IsString()
  recipient_user_id?: string;

  @IsOptional()
  @IsString()
  biz_opaque_callback_data?: string;
}

/** `value` of the `calls` field. */
export class CallsDto extends MessagingValueDto implements CallsValue {
  @OptionalNestedArray(() => ContactDto)
  contacts?: ContactDto[];

  @OptionalNestedArray(() => CallDto)
  calls?: CallDto[];

  @OptionalNestedArray(() => CallStatusDto)
  statuses?: CallStatusDto[];

  @OptionalNestedArray(() => ErrorDto)
  errors?: ErrorDto[];
}
