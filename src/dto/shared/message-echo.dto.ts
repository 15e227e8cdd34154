import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import type { WabaEchoMediaPayload, WabaMessageEcho } from '../../types/index.js';
import { EditPayloadDto, RevokePayloadDto, TextPayloadDto } from './message-payloads.dto.js';
import { IsStringOrInt } from './validators.js';

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

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TextPayloadDto)
  text?: TextPayloadDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EchoMediaPayloadDto)
  image?: EchoMediaPayloadDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EchoMediaPayloadDto)
  video?: EchoMediaPayloadDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EchoMediaPayloadDto)
  audio?: EchoMediaPayloadDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EchoMediaPayloadDto)
  document?: EchoMediaPayloadDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EchoMediaPayloadDto)
  sticker?: EchoMediaPayloadDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EditPayloadDto)
  edit?: EditPayloadDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RevokePayloadDto)
  revoke?: RevokePayloadDto;
}
