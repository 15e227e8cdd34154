import { Type } from 'class-transformer';
import { IsArray, IsOptional, ValidateNested } from 'class-validator';
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

/** `value` of the `messages` field: inbound messages, statuses, errors, user actions. */
export class MessagesDto extends MessagingValueDto implements WabaMessagesValue {
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts?: ContactDto[];

  // Typed as the public union: each item is an InboundMessageDto validated for its `type`.
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => InboundMessageDto)
  messages?: WabaInboundMessage[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MessageStatusDto)
  statuses?: WabaMessageStatus[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ErrorDto)
  errors?: ErrorDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => UserActionDto)
  user_actions?: WabaUserAction[];
}
