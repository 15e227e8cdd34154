import { Transform } from 'class-transformer';
import { IsString } from 'class-validator';
import type { WabaTemplateRef } from '../../types/index.js';

/** A numeric ID as Meta sends it (JSON number) normalised to a string; anything else is kept. */
export const toIdString = ({ value }: { value: unknown }): unknown =>
  typeof value === 'number' ? String(value) : value;

/** The template keys of every template field; `message_template_id` arrives as a JSON number. */
export class TemplateRefDto implements WabaTemplateRef {
  @Transform(toIdString)
  @IsString()
  message_template_id!: string;

  @IsString()
  message_template_name!: string;

  @IsString()
  message_template_language!: string;
}
