import { IsBoolean, IsOptional, IsString, ValidateIf } from 'class-validator';
import type {
  WabaInboundMessageBase,
  WabaMessageContext,
  WabaMessageIdentity,
  WabaReferral,
  WabaReferralWelcomeMessage,
  WabaReferredProduct,
} from '../../types/index.js';
import { ContactCardDto } from './contact-card.dto.js';
import { ErrorDto } from './error.dto.js';
import { InteractivePayloadDto } from './interactive-payload.dto.js';
import {
  ButtonPayloadDto,
  EditPayloadDto,
  LocationPayloadDto,
  MediaPayloadDto,
  OrderPayloadDto,
  ReactionPayloadDto,
  RevokePayloadDto,
  SystemPayloadDto,
  TextPayloadDto,
  UnsupportedPayloadDto,
} from './message-payloads.dto.js';
import {
  IsStringOrInt,
  OptionalNestedArray,
  OptionalNestedObject,
  ValidateNestedArray,
  ValidateNestedObject,
} from './validators.js';

/** A product referenced by a product enquiry. */
export class ReferredProductDto implements WabaReferredProduct {
  @IsString()
  catalog_id!: string;

  @IsString()
  product_retailer_id!: string;
}

/** `message.context`: reply, forward or product enquiry. */
export class MessageContextDto implements WabaMessageContext {
  @IsOptional()
  @IsString()
  from?: string;

  @IsOptional()
  @IsString()
  id?: string;

  @IsOptional()
  @IsBoolean()
  forwarded?: boolean;

  @IsOptional()
  @IsBoolean()
  frequently_forwarded?: boolean;

  @OptionalNestedObject(() => ReferredProductDto)
  referred_product?: ReferredProductDto;
}

/** Welcome message of a Click-to-WhatsApp referral. */
export class ReferralWelcomeMessageDto implements WabaReferralWelcomeMessage {
  @IsString()
  text!: string;
}

/** `message.referral`: Click-to-WhatsApp ad or post. */
export class ReferralDto implements WabaReferral {
  @IsString()
  source_url!: string;

  @IsString()
  source_id!: string;

  @IsString()
  source_type!: string;

  @IsOptional()
  @IsString()
  body?: string;

  @IsOptional()
  @IsString()
  headline?: string;

  @IsOptional()
  @IsString()
  media_type?: string;

  @IsOptional()
  @IsString()
  image_url?: string;

  @IsOptional()
  @IsString()
  video_url?: string;

  @IsOptional()
  @IsString()
  thumbnail_url?: string;

  @IsOptional()
  @IsString()
  ctwa_clid?: string;

  @OptionalNestedObject(() => ReferralWelcomeMessageDto)
  welcome_message?: ReferralWelcomeMessageDto;
}

/** `message.identity` (identity-change check). */
export class MessageIdentityDto implements WabaMessageIdentity {
  @IsBoolean()
  acknowledged!: boolean;

  @IsStringOrInt()
  created_timestamp!: number | string;

  @IsString()
  hash!: string;
}

/**
 * Validate the payload under `key` when the message `type` names it (then it is required) or
 * when it is present anyway.
 */
function ValidatePayloadOf(key: string): PropertyDecorator {
  // class-validator passes the property's value (`message[key]`, as the decorator sits on
  // property `key`): no keyed read of a payload key the message lacks.
  return ValidateIf(
    (message: Record<string, unknown>, value: unknown) => message.type === key || value != null,
  );
}

/**
 * An inbound message (`value.messages[]`). Validates the common keys and the payload of every
 * known type; an unknown `type` with its own payload key passes untouched.
 */
export class InboundMessageDto implements WabaInboundMessageBase {
  @IsOptional()
  @IsString()
  from?: string;

  @IsOptional()
  @IsString()
  from_user_id?: string;

  @IsOptional()
  @IsString()
  from_parent_user_id?: string;

  @IsString()
  id!: string;

  @IsString()
  timestamp!: string;

  @IsString()
  type!: string;

  @IsOptional()
  @IsString()
  group_id?: string;

  @OptionalNestedObject(() => MessageContextDto)
  context?: MessageContextDto;

  @OptionalNestedObject(() => ReferralDto)
  referral?: ReferralDto;

  @OptionalNestedObject(() => MessageIdentityDto)
  identity?: MessageIdentityDto;

  @OptionalNestedArray(() => ErrorDto)
  errors?: ErrorDto[];

  @ValidatePayloadOf('text')
  @ValidateNestedObject(() => TextPayloadDto)
  text?: TextPayloadDto;

  @ValidatePayloadOf('image')
  @ValidateNestedObject(() => MediaPayloadDto)
  image?: MediaPayloadDto;

  @ValidatePayloadOf('video')
  @ValidateNestedObject(() => MediaPayloadDto)
  video?: MediaPayloadDto;

  @ValidatePayloadOf('audio')
  @ValidateNestedObject(() => MediaPayloadDto)
  audio?: MediaPayloadDto;

  @ValidatePayloadOf('document')
  @ValidateNestedObject(() => MediaPayloadDto)
  document?: MediaPayloadDto;

  @ValidatePayloadOf('sticker')
  @ValidateNestedObject(() => MediaPayloadDto)
  sticker?: MediaPayloadDto;

  @ValidatePayloadOf('location')
  @ValidateNestedObject(() => LocationPayloadDto)
  location?: LocationPayloadDto;

  @ValidatePayloadOf('contacts')
  @ValidateNestedArray(() => ContactCardDto)
  contacts?: ContactCardDto[];

  /** Undocumented shape (contact-request replies); kept as received. */
  origin?: unknown;

  // Optional even for `type: 'interactive'`: Meta sends it without the object, with errors[].
  @OptionalNestedObject(() => InteractivePayloadDto)
  interactive?: InteractivePayloadDto;

  @ValidatePayloadOf('button')
  @ValidateNestedObject(() => ButtonPayloadDto)
  button?: ButtonPayloadDto;

  @ValidatePayloadOf('reaction')
  @ValidateNestedObject(() => ReactionPayloadDto)
  reaction?: ReactionPayloadDto;

  @ValidatePayloadOf('order')
  @ValidateNestedObject(() => OrderPayloadDto)
  order?: OrderPayloadDto;

  @ValidatePayloadOf('system')
  @ValidateNestedObject(() => SystemPayloadDto)
  system?: SystemPayloadDto;

  @OptionalNestedObject(() => UnsupportedPayloadDto)
  unsupported?: UnsupportedPayloadDto;

  @ValidatePayloadOf('edit')
  @ValidateNestedObject(() => EditPayloadDto)
  edit?: EditPayloadDto;

  @ValidatePayloadOf('revoke')
  @ValidateNestedObject(() => RevokePayloadDto)
  revoke?: RevokePayloadDto;
}
