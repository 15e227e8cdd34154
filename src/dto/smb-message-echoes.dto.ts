import { Type } from 'class-transformer';
import { IsArray, ValidateNested } from 'class-validator';
import type { SmbMessageEchoesValue } from '../types/index.js';
import { MessageEchoDto } from './shared/message-echo.dto.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';

/** `value` of the `smb_message_echoes` field (coexistence: messages sent from the Business app). */
export class SmbMessageEchoesDto extends MessagingValueDto implements SmbMessageEchoesValue {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MessageEchoDto)
  message_echoes!: MessageEchoDto[];
}
