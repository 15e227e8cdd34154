import { IsString } from 'class-validator';
import type { MessageTemplateQualityUpdateValue } from '../types/index.js';
import { TemplateRefDto } from './shared/template-ref.dto.js';

/** `value` of the `message_template_quality_update` field. */
export class MessageTemplateQualityUpdateDto
  extends TemplateRefDto
  implements MessageTemplateQualityUpdateValue
{
  @IsString()
  previous_quality_score!: string;

  @IsString()
  new_quality_score!: string;
}
