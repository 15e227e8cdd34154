import { IsString } from 'class-validator';
import type { PartnerSolutionsValue } from '../types/index.js';

/** `value` of the `partner_solutions` field (Multi-Partner Solution changes). */
export class PartnerSolutionsDto implements PartnerSolutionsValue {
  @IsString()
  event!: string;

  @IsString()
  solution_id!: string;

  @IsString()
  solution_status!: string;
}
