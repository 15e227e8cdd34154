import { IsInt, IsOptional, IsString } from 'class-validator';
import type {
  MessageTemplateStatusUpdateValue,
  WabaTemplateDisableInfo,
  WabaTemplateOtherInfo,
  WabaTemplateRejectionInfo,
} from '../types/index.js';
import { TemplateRefDto } from './shared/template-ref.dto.js';
import { OptionalNestedObject } from './shared/validators.js';

/** When a template was disabled. */
export class TemplateDisableInfoDto implements WabaTemplateDisableInfo {
  @IsInt()
  disable_date!: number;
}

/** Pause or lock details of a template status change. */
export class TemplateOtherInfoDto implements WabaTemplateOtherInfo {
  @IsString()
  title!: string;

  @IsString()
  description!: string;
}

/** Why an `INVALID_FORMAT` rejection happened. */
export class TemplateRejectionInfoDto implements WabaTemplateRejectionInfo {
  @IsString()
  reason!: string;

  @IsString()
  recommendation!: string;
}

/** `value` of the `message_template_status_update` field. */
export class MessageTemplateStatusUpdateDto
  extends TemplateRefDto
  implements MessageTemplateStatusUpdateValue
{
  @IsString()
  event!: string;

  // `null` when the template is scheduled for deletion; IsOptional lets null through.
  @IsOptional()
  @IsString()
  reason!: string | null;

  @IsOptional()
  @IsString()
  message_template_category?: string;

  @OptionalNestedObject(() => TemplateDisableInfoDto)
  disable_info?: TemplateDisableInfoDto;

  @OptionalNestedObject(() => TemplateOtherInfoDto)
  other_info?: TemplateOtherInfoDto;

  @OptionalNestedObject(() => TemplateRejectionInfoDto)
  rejection_info?: TemplateRejectionInfoDto;
}
