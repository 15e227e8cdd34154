import type {
  StandbyValue,
  WabaInboundMessage,
  WabaMessageStatus,
  WabaStandbyContent,
} from '../types/index.js';
import { ContactDto } from './shared/contact.dto.js';
import { InboundMessageDto } from './shared/inbound-message.dto.js';
import { MessageEchoDto } from './shared/message-echo.dto.js';
import { MessageStatusDto } from './shared/message-status.dto.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import { OptionalNestedArray, ValidateNestedObject } from './shared/validators.js';

/** The arrays nested under `value.standby` (may be empty). */
export class StandbyContentDto implements WabaStandbyContent {
  [key: string]: unknown;

  @OptionalNestedArray(() => InboundMessageDto)
  messages?: WabaInboundMessage[];

  @OptionalNestedArray(() => MessageStatusDto)
  statuses?: WabaMessageStatus[];

  @OptionalNestedArray(() => MessageEchoDto)
  message_echoes?: MessageEchoDto[];

  @OptionalNestedArray(() => ContactDto)
  contacts?: ContactDto[];
}

/** `value` of the `standby` field (another sender is the active handler). */
export class StandbyDto extends MessagingValueDto implements StandbyValue {
  @ValidateNestedObject(() => StandbyContentDto)
  standby!: StandbyContentDto;
}
