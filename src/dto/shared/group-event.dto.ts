import { IsBoolean, IsOptional, IsString } from 'class-validator';
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
import {
  IsStringOrInt,
  OptionalNestedArray,
  OptionalNestedObject,
  ValidateNestedArray,
} from './validators.js';

/** Error of a failed group operation; `code` may arrive as an integer or a string. */
export class GroupErrorDto implements WabaGroupError {
  @IsStringOrInt()
  code!: number | string;

  @IsString()
  title!: string;

  @IsOptional()
  @IsString()
  message?: string;

  @OptionalNestedObject(() => ErrorDataDto)
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

  @ValidateNestedArray(() => GroupErrorDto)
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

  @OptionalNestedArray(() => GroupErrorDto)
  errors?: GroupErrorDto[];
}

/** Outcome of a group subject or description change. */
export class GroupTextUpdateDto implements WabaGroupTextUpdate {
  @IsOptional()
  @IsString()
  text?: string;

  @IsBoolean()
  update_successful!: boolean;

  @OptionalNestedArray(() => GroupErrorDto)
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

  @OptionalNestedArray(() => GroupErrorDto)
  errors?: GroupErrorDto[];

  @OptionalNestedArray(() => GroupParticipantDto)
  added_participants?: GroupParticipantDto[];

  @OptionalNestedArray(() => GroupParticipantDto)
  removed_participants?: GroupParticipantDto[];

  @OptionalNestedArray(() => GroupFailedParticipantDto)
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

  @OptionalNestedObject(() => GroupProfilePictureUpdateDto)
  profile_picture?: GroupProfilePictureUpdateDto;

  @OptionalNestedObject(() => GroupTextUpdateDto)
  group_subject?: GroupTextUpdateDto;

  @OptionalNestedObject(() => GroupTextUpdateDto)
  group_description?: GroupTextUpdateDto;
}

/** `value` shape shared by the four group fields. */
export class GroupsValueDto extends MessagingValueDto implements WabaGroupsValue {
  @ValidateNestedArray(() => GroupEventDto)
  groups!: GroupEventDto[];
}
