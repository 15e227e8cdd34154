import type { SmbMessageEchoesValue } from '../types/index.js';
import { MessageEchoDto } from './shared/message-echo.dto.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import { ValidateNestedArray } from './shared/validators.js';

/** `value` of the `smb_message_echoes` field (coexistence: messages sent from the Business app). */
export class SmbMessageEchoesDto extends MessagingValueDto implements SmbMessageEchoesValue {
  @ValidateNestedArray(() => MessageEchoDto)
  message_echoes!: MessageEchoDto[];
}
