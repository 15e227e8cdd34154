import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, ValidateNested } from 'class-validator';
import type { MessageTemplateComponentsUpdateValue, WabaTemplateButton } from '../types/index.js';
import { TemplateRefDto } from './shared/template-ref.dto.js';

/** A button of an updated template. */
export class TemplateButtonDto implements WabaTemplateButton {
  @IsString()
  message_template_button_type!: string;

  @IsString()
  message_template_button_text!: string;

  @IsOptional()
  @IsString()
  message_template_button_url?: string;

  @IsOptional()
  @IsString()
  message_template_button_phone_number?: string;
}

/** `value` of the `message_template_components_update` field. */
export class MessageTemplateComponentsUpdateDto
  extends TemplateRefDto
  implements MessageTemplateComponentsUpdateValue
{
  @IsString()
  message_template_element!: string;

  @IsOptional()
  @IsString()
  message_template_title?: string;

  @IsOptional()
  @IsString()
  message_template_footer?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TemplateButtonDto)
  message_template_buttons?: TemplateButtonDto[];
}
