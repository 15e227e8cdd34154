import { IsOptional, IsString } from 'class-validator';
import type { MessageTemplateComponentsUpdateValue, WabaTemplateButton } from '../types/index.js';
import { TemplateRefDto } from './shared/template-ref.dto.js';
import { OptionalNestedArray } from './shared/validators.js';

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

  @OptionalNestedArray(() => TemplateButtonDto)
  message_template_buttons?: TemplateButtonDto[];
}
