import { Type } from 'class-transformer';
import { IsObject, IsString, ValidateNested } from 'class-validator';
import type { WabaMessagingValueBase } from '../../types/index.js';
import { MetadataDto } from './metadata.dto.js';

/** The `messaging_product` + `metadata` pair every messaging-type field value starts with. */
export class MessagingValueDto implements WabaMessagingValueBase {
  @IsString()
  messaging_product!: 'whatsapp';

  @IsObject()
  @ValidateNested()
  @Type(() => MetadataDto)
  metadata!: MetadataDto;
}
