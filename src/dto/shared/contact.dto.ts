import { IsOptional, IsString } from 'class-validator';
import type { WabaContact, WabaContactProfile } from '../../types/index.js';
import { OptionalNestedObject } from './validators.js';

/** `profile` of a contact. */
export class ContactProfileDto implements WabaContactProfile {
  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  username?: string;
}

/** A WhatsApp user in `value.contacts[]`. */
export class ContactDto implements WabaContact {
  @OptionalNestedObject(() => ContactProfileDto)
  profile?: ContactProfileDto;

  @IsOptional()
  @IsString()
  wa_id?: string;

  @IsOptional()
  @IsString()
  user_id?: string;

  @IsOptional()
  @IsString()
  parent_user_id?: string;

  @IsOptional()
  @IsString()
  identity_key_hash?: string;
}
