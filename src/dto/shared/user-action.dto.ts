import { IsOptional, IsString } from 'class-validator';
import type { WabaMarketingMessagesLinkClickData, WabaUserAction } from '../../types/index.js';
import { IsStringOrInt, OptionalNestedObject } from './validators.js';

/** Details of a marketing-message link click. */
export class MarketingMessagesLinkClickDataDto implements WabaMarketingMessagesLinkClickData {
  @IsString()
  click_component!: string;

  @IsOptional()
  @IsString()
  product_id?: string;

  @IsString()
  click_id!: string;

  @IsString()
  tracking_token!: string;
}

/** A marketing-message click (`value.user_actions[]`). */
export class UserActionDto implements WabaUserAction {
  @IsString()
  action_type!: string;

  @IsStringOrInt()
  timestamp!: string | number;

  @OptionalNestedObject(() => MarketingMessagesLinkClickDataDto)
  marketing_messages_link_click_data?: MarketingMessagesLinkClickDataDto;
}
