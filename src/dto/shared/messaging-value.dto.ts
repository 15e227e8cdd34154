import { IsString } from 'class-validator';
import type { WabaMessagingValueBase } from '../../types/index.js';
import { MetadataDto } from './metadata.dto.js';
import { ValidateNestedObject } from './validators.js';

/** The `messaging_product` + `metadata` pair every messaging-type field value starts with. */
export class MessagingValueDto implements WabaMessagingValueBase {
  @IsString()
  messaging_product!: 'whatsapp';

  @ValidateNestedObject(() => MetadataDto)
  metadata!: MetadataDto;
}
