import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import type {
  WabaButtonReply,
  WabaCallPermissionReply,
  WabaInteractivePayload,
  WabaListReply,
  WabaNfmReply,
} from '../../types/index.js';

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

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ButtonReplyDto)
  button_reply?: ButtonReplyDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ListReplyDto)
  list_reply?: ListReplyDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NfmReplyDto)
  nfm_reply?: NfmReplyDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CallPermissionReplyDto)
  call_permission_reply?: CallPermissionReplyDto;
}
