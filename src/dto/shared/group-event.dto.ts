import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import type {
  WabaGroupError,
  WabaGroupEvent,
  WabaGroupFailedParticipant,
  WabaGroupParticipant,
  WabaGroupProfilePictureUpdate,
  WabaGroupTextUpdate,
  WabaGroupsValue,
} from '../../types/index.js';
import { ErrorDataDto } from './error.dto.js';
import { MessagingValueDto } from './messaging-value.dto.js';
import { IsStringOrInt } from './validators.js';

/** Error of a failed group operation; `code` may arrive as an integer or a string. */
export class GroupErrorDto implements WabaGroupError {
  @IsStringOrInt()
  code!: number | string;

  @IsString()
  title!: string;

  @IsOptional()
  @IsString()
  message?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ErrorDataDto)
  error_data?: ErrorDataDto;

  @IsOptional()
  @IsString()
  href?: string;
}

/** A participant added to or removed from a group. */
export class GroupParticipantDto implements WabaGroupParticipant {
  @IsOptional()
  @IsString()
  wa_id?: string;

  @IsOptional()
  @IsString()
  input?: string;
}

/** A participant the operation could not add or remove. */
export class GroupFailedParticipantDto implements WabaGroupFailedParticipant {
  @IsString()
  input!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GroupErrorDto)
  errors!: GroupErrorDto[];
}

/** Outcome of a group profile-picture change. */
export class GroupProfilePictureUpdateDto implements WabaGroupProfilePictureUpdate {
  @IsOptional()
  @IsString()
  mime_type?: string;

  @IsOptional()
  @IsString()
  sha256?: string;

  @IsBoolean()
  update_successful!: boolean;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GroupErrorDto)
  errors?: GroupErrorDto[];
}

/** Outcome of a group subject or description change. */
export class GroupTextUpdateDto implements WabaGroupTextUpdate {
  @IsOptional()
  @IsString()
  text?: string;

  @IsBoolean()
  update_successful!: boolean;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GroupErrorDto)
  errors?: GroupErrorDto[];
}

/** One item of `value.groups[]`. */
export class GroupEventDto implements WabaGroupEvent {
  @IsString()
  timestamp!: string;

  @IsString()
  group_id!: string;

  @IsString()
  type!: string;

  @IsOptional()
  @IsString()
  request_id?: string;

  @IsOptional()
  @IsString()
  subject?: string;

  @IsOptional()
  @IsString()
  description?: string;

  @IsOptional()
  @IsString()
  invite_link?: string;

  @IsOptional()
  @IsString()
  join_approval_mode?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GroupErrorDto)
  errors?: GroupErrorDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GroupParticipantDto)
  added_participants?: GroupParticipantDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GroupParticipantDto)
  removed_participants?: GroupParticipantDto[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GroupFailedParticipantDto)
  failed_participants?: GroupFailedParticipantDto[];

  @IsOptional()
  @IsString()
  join_request_id?: string;

  @IsOptional()
  @IsString()
  wa_id?: string;

  @IsOptional()
  @IsString()
  reason?: string;

  @IsOptional()
  @IsString()
  initiated_by?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GroupProfilePictureUpdateDto)
  profile_picture?: GroupProfilePictureUpdateDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GroupTextUpdateDto)
  group_subject?: GroupTextUpdateDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GroupTextUpdateDto)
  group_description?: GroupTextUpdateDto;
}

/** `value` shape shared by the four group fields. */
export class GroupsValueDto extends MessagingValueDto implements WabaGroupsValue {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GroupEventDto)
  groups!: GroupEventDto[];
}
