import { IsBoolean, IsOptional, IsString } from 'class-validator';
import type {
  WabaConversation,
  WabaConversationOrigin,
  WabaMessageStatus,
  WabaPricing,
} from '../../types/index.js';
import { ErrorDto } from './error.dto.js';
import { OptionalNestedArray, OptionalNestedObject, ValidateNestedObject } from './validators.js';

/** Origin of a conversation. */
export class ConversationOriginDto implements WabaConversationOrigin {
  @IsString()
  type!: string;
}

/** `status.conversation`. */
export class ConversationDto implements WabaConversation {
  @IsString()
  id!: string;

  @IsOptional()
  @IsString()
  expiration_timestamp?: string;

  @ValidateNestedObject(() => ConversationOriginDto)
  origin!: ConversationOriginDto;
}

/** `status.pricing`. */
export class PricingDto implements WabaPricing {
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @IsString()
  pricing_model!: string;

  @IsOptional()
  @IsString()
  type?: string;

  @IsString()
  category!: string;
}

/** A status update of a message the business sent (`value.statuses[]`). */
export class MessageStatusDto implements WabaMessageStatus {
  @IsString()
  id!: string;

  @IsString()
  status!: string;

  @IsString()
  timestamp!: string;

  @IsOptional()
  @IsString()
  recipient_id?: string;

  @IsOptional()
  @IsString()
  recipient_type?: string;

  @IsOptional()
  @IsString()
  recipient_participant_id?: string;

  @IsOptional()
  @IsString()
  recipient_user_id?: string;

  @IsOptional()
  @IsString()
  parent_recipient_user_id?: string;

  @IsOptional()
  @IsString()
  recipient_participant_user_id?: string;

  @IsOptional()
  @IsString()
  recipient_identity_key_hash?: string;

  @IsOptional()
  @IsString()
  biz_opaque_callback_data?: string;

  @OptionalNestedObject(() => ConversationDto)
  conversation?: ConversationDto;

  @OptionalNestedObject(() => PricingDto)
  pricing?: PricingDto;

  @OptionalNestedArray(() => ErrorDto)
  errors?: ErrorDto[];
}
