import type { OpenString } from './open-string.js';
import type { WabaError, WabaMessagingValueBase } from './common.types.js';

/**
 * The `groups[].type` values known so far. Lifecycle and participant names are documented; the
 * settings and status names come from partner documentation.
 */
export type WabaKnownGroupEventType =
  | 'group_create'
  | 'group_delete'
  | 'group_participants_add'
  | 'group_participants_remove'
  | 'group_join_request_created'
  | 'group_join_request_revoked'
  | 'group_settings_update'
  | 'group_suspend'
  | 'group_suspend_cleared';

/** Error of a failed group operation: like {@link WabaError} but `code` may be a string. */
export interface WabaGroupError extends Omit<WabaError, 'code'> {
  code: number | string;
}

/** A participant added to or removed from a group. */
export interface WabaGroupParticipant {
  wa_id?: string;
  /** The phone number or ID the request named. */
  input?: string;
}

/** A participant the operation could not add or remove. */
export interface WabaGroupFailedParticipant {
  input: string;
  errors: WabaGroupError[];
}

/** Outcome of a group profile-picture change. */
export interface WabaGroupProfilePictureUpdate {
  mime_type?: string;
  sha256?: string;
  update_successful: boolean;
  errors?: WabaGroupError[];
}

/** Outcome of a group subject or description change. */
export interface WabaGroupTextUpdate {
  text?: string;
  update_successful: boolean;
  errors?: WabaGroupError[];
}

/**
 * One item of `value.groups[]`, shared by the four group fields; which keys appear depends on
 * `type`. Success and failure share the same `type`; failure adds `errors`.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/groups
 */
export interface WabaGroupEvent {
  /** Unix seconds as a string. */
  timestamp: string;
  group_id: string;
  type: OpenString<WabaKnownGroupEventType>;
  /** Correlates with the API request that caused the event. */
  request_id?: string;
  subject?: string;
  description?: string;
  invite_link?: string;
  join_approval_mode?: string;
  errors?: WabaGroupError[];
  added_participants?: WabaGroupParticipant[];
  removed_participants?: WabaGroupParticipant[];
  failed_participants?: WabaGroupFailedParticipant[];
  join_request_id?: string;
  wa_id?: string;
  reason?: string;
  initiated_by?: string;
  profile_picture?: WabaGroupProfilePictureUpdate;
  group_subject?: WabaGroupTextUpdate;
  group_description?: WabaGroupTextUpdate;
}

/** `value` shape shared by the four group fields. */
export interface WabaGroupsValue extends WabaMessagingValueBase {
  groups: WabaGroupEvent[];
}

/**
 * `value` of `group_lifecycle_update`: group created or deleted.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/groups
 */
export type GroupLifecycleUpdateValue = WabaGroupsValue;

/**
 * `value` of `group_participants_update`: participants added or removed, join requests.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/groups
 */
export type GroupParticipantsUpdateValue = WabaGroupsValue;

/**
 * `value` of `group_settings_update`: subject, description or picture changed.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/groups
 */
export type GroupSettingsUpdateValue = WabaGroupsValue;

/**
 * `value` of `group_status_update`: group suspended or suspension cleared.
 *
 * @see https://developers.facebook.com/documentation/business-messaging/whatsapp/groups
 */
export type GroupStatusUpdateValue = WabaGroupsValue;
