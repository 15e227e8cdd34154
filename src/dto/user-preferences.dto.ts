import { IsInt, IsOptional, IsString } from 'class-validator';
import type { UserPreferencesValue, WabaUserPreference } from '../types/index.js';
import { ContactDto } from './shared/contact.dto.js';
import { MessagingValueDto } from './shared/messaging-value.dto.js';
import { ValidateNestedArray } from './shared/validators.js';

/** A user's marketing-message preference change. */
export class UserPreferenceDto implements WabaUserPreference {
  @IsOptional()
  @IsString()
  wa_id?: string;

  @IsOptional()
  @IsString()
  user_id?: string;

  @IsOptional()
  @IsString()
  parent_user_id?: string;

  @IsString()
  detail!: string;

  @IsString()
  category!: string;

  @IsString()
  value!: string;

  @IsInt()
  timestamp!: number;
}

/** `value` of the `user_preferences` field (marketing stop/resume). */
export class UserPreferencesDto extends MessagingValueDto implements UserPreferencesValue {
  @ValidateNestedArray(() => ContactDto)
  contacts!: ContactDto[];

  @ValidateNestedArray(() => UserPreferenceDto)
  user_preferences!: UserPreferenceDto[];
}
