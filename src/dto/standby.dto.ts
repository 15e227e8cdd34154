import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, ValidateNested } from 'class-validator';
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

/** The arrays nested under `value.standby` (may be empty). */
export class StandbyContentDto implements WabaStandbyContent {
  [key: string]: unknown;

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
  @Type(() => MessageEchoDto)
  message_echoes?: MessageEchoDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts?: ContactDto[];
}

/** `value` of the `standby` field (another sender is the active handler). */
export class StandbyDto extends MessagingValueDto implements StandbyValue {
  @IsObject()
  @ValidateNested()
  @Type(() => StandbyContentDto)
  standby!: StandbyContentDto;
}
