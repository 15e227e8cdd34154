import type { GroupStatusUpdateValue } from '../types/index.js';
import { GroupsValueDto } from './shared/group-event.dto.js';

/** `value` of the `group_status_update` field. */
export class GroupStatusUpdateDto extends GroupsValueDto implements GroupStatusUpdateValue {}
