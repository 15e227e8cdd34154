import type {
  WabaInboundMessage,
  WabaMessageStatus,
  WabaMessagesValue,
  WabaUserAction,
} from '../types/index.js';
import { ContactDto } from './shared/contact.dto.js';
import { ErrorDto } from './shared/error.dto.js';
import { InboundMessageDto } from './shared/inbound-message.dto.js';
import { MessageStatusDto } from './shared/message-status.dto.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import { UserActionDto } from './shared/user-action.dto.js';
import { OptionalNestedArray } from './shared/validators.js';

/** `value` of the `messages` field: inbound messages, statuses, errors, user actions. */
export class MessagesDto extends MessagingValueDto implements WabaMessagesValue {
  @OptionalNestedArray(() => ContactDto)
  contacts?: ContactDto[];

  // Typed as the public union: each item is an InboundMessageDto validated for its `type`.
  @OptionalNestedArray(() => InboundMessageDto)
  messages?: WabaInboundMessage[];

  @OptionalNestedArray(() => MessageStatusDto)
  statuses?: WabaMessageStatus[];

  @OptionalNestedArray(() => ErrorDto)
  errors?: ErrorDto[];

  @OptionalNestedArray(() => UserActionDto)
  user_actions?: WabaUserAction[];
}
