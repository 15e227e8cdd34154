import { IsOptional, IsString } from 'class-validator';
import type { WabaEchoMediaPayload, WabaMessageEcho } from '../../types/index.js';
import { EditPayloadDto, RevokePayloadDto, TextPayloadDto } from './message-payloads.dto.js';
import { IsStringOrInt, OptionalNestedObject } from './validators.js';

/** A media payload of an echoed message. */
export class EchoMediaPayloadDto implements WabaEchoMediaPayload {
  @IsOptional()
  @IsString()
  id?: string;

  @IsOptional()
  @IsString()
  mime_type?: string;

  @IsOptional()
  @IsString()
  sha256?: string;

  @IsOptional()
  @IsString()
  caption?: string;

  @IsOptional()
  @IsString()
  filename?: string;

  @IsOptional()
  @IsString()
  url?: string;
}

/** A message the business sent from another client (`message_echoes[]`). */
export class MessageEchoDto implements WabaMessageEcho {
  [key: string]: unknown;

  @IsString()
  from!: string;

  @IsOptional()
  @IsString()
  to?: string;

  @IsOptional()
  @IsString()
  to_user_id?: string;

  @IsString()
  id!: string;

  @IsStringOrInt()
  timestamp!: string | number;

  @IsString()
  type!: string;

  @OptionalNestedObject(() => TextPayloadDto)
  text?: TextPayloadDto;

  @OptionalNestedObject(() => EchoMediaPayloadDto)
  image?: EchoMediaPayloadDto;

  @OptionalNestedObject(() => EchoMediaPayloadDto)
  video?: EchoMediaPayloadDto;

  @OptionalNestedObject(() => EchoMediaPayloadDto)
  audio?: EchoMediaPayloadDto;

  @OptionalNestedObject(() => EchoMediaPayloadDto)
  document?: EchoMediaPayloadDto;

  @OptionalNestedObject(() => EchoMediaPayloadDto)
  sticker?: EchoMediaPayloadDto;

  @OptionalNestedObject(() => EditPayloadDto)
  edit?: EditPayloadDto;

  @OptionalNestedObject(() => RevokePayloadDto)
  revoke?: RevokePayloadDto;
}
