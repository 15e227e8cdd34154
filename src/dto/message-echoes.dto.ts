import type { MessageEchoesValue } from '../types/index.js';
import { MessageEchoDto } from './shared/message-echo.dto.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import { ValidateNestedArray } from './shared/validators.js';

/** `value` of the `message_echoes` field (thin evidence: assumed to match `smb_message_echoes`). */
export class MessageEchoesDto extends MessagingValueDto implements MessageEchoesValue {
  [key: string]: unknown;

  @ValidateNestedArray(() => MessageEchoDto)
  message_echoes!: MessageEchoDto[];
}
