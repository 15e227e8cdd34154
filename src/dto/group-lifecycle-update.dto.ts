import type { GroupLifecycleUpdateValue } from '../types/index.js';
import { GroupsValueDto } from './shared/group-event.dto.js';

/** `value` of the `group_lifecycle_update` field. */
export class GroupLifecycleUpdateDto extends GroupsValueDto implements GroupLifecycleUpdateValue {}
