import { IsBoolean, IsInt, IsOptional, IsString } from 'class-validator';
import type {
  WabaButtonReply,
  WabaCallPermissionReply,
  WabaInteractivePayload,
  WabaListReply,
  WabaNfmReply,
} from '../../types/index.js';
import { OptionalNestedObject } from './validators.js';

/** A tap on a reply button. */
export class ButtonReplyDto implements WabaButtonReply {
  @IsString()
  id!: string;

  @IsString()
  title!: string;
}

/** A row picked from a list. */
export class ListReplyDto implements WabaListReply {
  @IsString()
  id!: string;

  @IsString()
  title!: string;

  @IsOptional()
  @IsString()
  description?: string;
}

/** A native-flow reply (Flows, address message, …); `response_json` stays JSON text. */
export class NfmReplyDto implements WabaNfmReply {
  @IsString()
  name!: string;

  @IsOptional()
  @IsString()
  body?: string;

  @IsString()
  response_json!: string;
}

/** The user's answer to a call-permission request. */
export class CallPermissionReplyDto implements WabaCallPermissionReply {
  @IsString()
  response!: string;

  @IsOptional()
  @IsBoolean()
  is_permanent?: boolean;

  @IsOptional()
  @IsInt()
  expiration_timestamp?: number;

  @IsOptional()
  @IsString()
  response_source?: string;
}

/** Payload of an `interactive` message. */
export class InteractivePayloadDto implements WabaInteractivePayload {
  @IsString()
  type!: string;

  @OptionalNestedObject(() => ButtonReplyDto)
  button_reply?: ButtonReplyDto;

  @OptionalNestedObject(() => ListReplyDto)
  list_reply?: ListReplyDto;

  @OptionalNestedObject(() => NfmReplyDto)
  nfm_reply?: NfmReplyDto;

  @OptionalNestedObject(() => CallPermissionReplyDto)
  call_permission_reply?: CallPermissionReplyDto;
}
