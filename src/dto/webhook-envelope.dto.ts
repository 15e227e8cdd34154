import { Equals, IsDefined, IsInt, IsOptional, IsString } from 'class-validator';
import { WABA_OBJECT } from '../whatsapp-webhooks.constants.js';
import { ValidateNestedArray } from './shared/validators.js';

/**
 * One `entry[].changes[]` item. `value` is checked later, against the DTO of its `field`;
 * here it only has to be present.
 */
export class WebhookChangeDto {
  /** The subscribed field, e.g. `messages`; unknown fields are accepted. */
  @IsString()
  field!: string;

  /** The change itself, whose shape depends on `field`. */
  @IsDefined()
  value!: unknown;
}

/** One `entry[]` item: the changes of one WABA (or business portfolio, for partner events). */
export class WebhookEntryDto {
  /** WABA ID for most fields; a business portfolio ID for `partner_solutions` and some `account_update` events. */
  @IsString()
  id!: string;

  /** Unix seconds; present on management fields only. */
  @IsOptional()
  @IsInt()
  time?: number;

  @ValidateNestedArray(() => WebhookChangeDto)
  changes!: WebhookChangeDto[];
}

/**
 * The envelope of every WhatsApp Business Account webhook notification.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 */
export class WebhookEnvelopeDto {
  @Equals(WABA_OBJECT)
  object!: typeof WABA_OBJECT;

  @ValidateNestedArray(() => WebhookEntryDto)
  entry!: WebhookEntryDto[];
}
