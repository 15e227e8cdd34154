import type { GroupSettingsUpdateValue } from '../types/index.js';
import { GroupsValueDto } from './shared/group-event.dto.js';

/** `value` of the `group_settings_update` field. */
export class GroupSettingsUpdateDto extends GroupsValueDto implements GroupSettingsUpdateValue {}
