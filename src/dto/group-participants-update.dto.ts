import type { GroupParticipantsUpdateValue } from '../types/index.js';
import { GroupsValueDto } from './shared/group-event.dto.js';

/** `value` of the `group_participants_update` field. */
export class GroupParticipantsUpdateDto
  extends GroupsValueDto
  implements GroupParticipantsUpdateValue {}
