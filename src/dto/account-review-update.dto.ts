import { IsString } from 'class-validator';
import type { AccountReviewUpdateValue } from '../types/index.js';

/** `value` of the `account_review_update` field. */
export class AccountReviewUpdateDto implements AccountReviewUpdateValue {
  @IsString()
  decision!: string;
}
