import { IsBoolean, IsNumber, IsOptional, IsString } from 'class-validator';
import type {
  WabaAudioPayload,
  WabaButtonPayload,
  WabaDocumentPayload,
  WabaEditPayload,
  WabaEditedMessageContent,
  WabaImagePayload,
  WabaLocationPayload,
  WabaOrderPayload,
  WabaOrderProductItem,
  WabaReactionPayload,
  WabaRevokePayload,
  WabaStickerPayload,
  WabaSystemPayload,
  WabaTextPayload,
  WabaUnsupportedPayload,
  WabaVideoPayload,
} from '../../types/index.js';
import { OptionalNestedObject, ValidateNestedArray, ValidateNestedObject } from './validators.js';

/** Payload of a `text` message. */
export class TextPayloadDto implements WabaTextPayload {
  @IsString()
  body!: string;
}

/** Payload of an `image`, `video`, `audio`, `document` or `sticker` message. */
export class MediaPayloadDto
  implements
    WabaImagePayload,
    WabaVideoPayload,
    WabaAudioPayload,
    WabaDocumentPayload,
    WabaStickerPayload
{
  @IsString()
  id!: string;

  @IsString()
  mime_type!: string;

  @IsString()
  sha256!: string;

  @IsOptional()
  @IsString()
  url?: string;

  @IsOptional()
  @IsString()
  caption?: string;

  @IsOptional()
  @IsString()
  filename?: string;

  @IsOptional()
  @IsBoolean()
  voice?: boolean;

  @IsOptional()
  @IsBoolean()
  animated?: boolean;
}

/** Payload of a `location` message. */
export class LocationPayloadDto implements WabaLocationPayload {
  @IsNumber()
  latitude!: number;

  @IsNumber()
  longitude!: number;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  address?: string;

  @IsOptional()
  @IsString()
  url?: string;
}

/** Payload of a `button` message (quick-reply tap on a template). */
export class ButtonPayloadDto implements WabaButtonPayload {
  @IsString()
  text!: string;

  @IsString()
  payload!: string;
}

/** Payload of a `reaction` message. */
export class ReactionPayloadDto implements WabaReactionPayload {
  @IsString()
  message_id!: string;

  @IsOptional()
  @IsString()
  emoji?: string;
}

/** One line of an `order` message. */
export class OrderProductItemDto implements WabaOrderProductItem {
  @IsString()
  product_retailer_id!: string;

  @IsNumber()
  quantity!: number;

  @IsNumber()
  item_price!: number;

  @IsString()
  currency!: string;
}

/** Payload of an `order` message. */
export class OrderPayloadDto implements WabaOrderPayload {
  @IsString()
  catalog_id!: string;

  @IsOptional()
  @IsString()
  text?: string;

  @ValidateNestedArray(() => OrderProductItemDto)
  product_items!: OrderProductItemDto[];
}

/** Payload of a `system` message. */
export class SystemPayloadDto implements WabaSystemPayload {
  @IsString()
  body!: string;

  @IsString()
  type!: string;

  @IsOptional()
  @IsString()
  wa_id?: string;

  @IsOptional()
  @IsString()
  new_wa_id?: string;

  @IsOptional()
  @IsString()
  customer?: string;

  @IsOptional()
  @IsString()
  identity?: string;

  @IsOptional()
  @IsString()
  user_id?: string;

  @IsOptional()
  @IsString()
  parent_user_id?: string;

  @IsOptional()
  @IsString()
  previous_user_id?: string;

  @IsOptional()
  @IsString()
  previous_parent_user_id?: string;
}

/** Payload of an `unsupported` message. */
export class UnsupportedPayloadDto implements WabaUnsupportedPayload {
  @IsOptional()
  @IsString()
  type?: string;
}

/** New content of an edited message: `type` plus the payload keyed by it. */
export class EditedMessageContentDto implements WabaEditedMessageContent {
  [key: string]: unknown;

  @IsString()
  type!: string;

  @OptionalNestedObject(() => TextPayloadDto)
  text?: TextPayloadDto;
}

/** Payload of an `edit` message. */
export class EditPayloadDto implements WabaEditPayload {
  @IsString()
  original_message_id!: string;

  @ValidateNestedObject(() => EditedMessageContentDto)
  message!: EditedMessageContentDto;
}

/** Payload of a `revoke` message. */
export class RevokePayloadDto implements WabaRevokePayload {
  @IsString()
  original_message_id!: string;
}
