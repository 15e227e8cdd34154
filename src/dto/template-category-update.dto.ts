import { IsInt, IsOptional, IsString } from 'class-validator';
import type { TemplateCategoryUpdateValue } from '../types/index.js';
import { TemplateRefDto } from './shared/template-ref.dto.js';

/** `value` of the `template_category_update` field (impending or completed recategorisation). */
export class TemplateCategoryUpdateDto
  extends TemplateRefDto
  implements TemplateCategoryUpdateValue
{
  @IsString()
  new_category!: string;

  @IsOptional()
  @IsString()
  correct_category?: string;

  @IsOptional()
  @IsInt()
  category_update_timestamp?: number;

  @IsOptional()
  @IsString()
  previous_category?: string;
}
