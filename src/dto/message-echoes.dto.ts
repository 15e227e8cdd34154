import { Type } from 'class-transformer';
import { IsArray, ValidateNested } from 'class-validator';
import type { MessageEchoesValue } from '../types/index.js';
import { MessageEchoDto } from './shared/message-echo.dto.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';

/** `value` of the `message_echoes` field (thin evidence: assumed to match `smb_message_echoes`). */
export class MessageEchoesDto extends MessagingValueDto implements MessageEchoesValue {
  [key: string]: unknown;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MessageEchoDto)
  message_echoes!: MessageEchoDto[];
}
