import type { WabaUpdate } from '../events/waba-dispatch.types.js';

/**
 * The data of a queue job that holds several updates (`delivery.maxUpdatesPerJob` above 1):
 * the updates, and the indexes of those already delivered (or found to be duplicates) by an
 * earlier attempt, so that a retry runs only the rest.
 */
export interface WabaUpdateGroup {
  readonly updates: readonly WabaUpdate[];
  readonly settled?: readonly number[];
}

/** What a queue job holds: one update (the default, and every job before grouping) or a group. */
export type WabaJobData = WabaUpdate | WabaUpdateGroup;

/** The BullMQ job name of a group (a one-update job is named after its field). */
export const UPDATE_GROUP_JOB_NAME = 'waba-updates';

export function isUpdateGroup(data: WabaJobData): data is WabaUpdateGroup {
  return Array.isArray((data as Partial<WabaUpdateGroup>).updates);
}

/**
 * Splits the updates accepted in one event-loop turn into jobs: runs of at most `max` updates,
 * in arrival order, each key once (two redeliveries of one update in the same turn make one).
 * Onboarding tasks stay one-update jobs: they are retried on their own, without listeners.
 */
export function groupUpdates(
  updates: readonly WabaUpdate[],
  max: number,
): (WabaUpdate | WabaUpdate[])[] {
  const seen = new Set<string>();
  const jobs: (WabaUpdate | WabaUpdate[])[] = [];
  let group: WabaUpdate[] = [];
  const close = () => {
    const [only] = group;
    if (group.length === 1 && only) jobs.push(only);
    else if (group.length > 1) jobs.push(group);
    group = [];
  };
  for (const update of updates) {
    if (seen.has(update.key)) continue;
    seen.add(update.key);
    if (update.task === 'onboarding') {
      jobs.push(update);
      continue;
    }
    group.push(update);
    if (group.length === max) close();
  }
  close();
  return jobs;
}

/**
 * Which job an update of a group belongs to, while it is in flight: `<prefix>:<queueName>:
 * waba-own:<dedup key>` holds the id of the job that took it. Two groups can hold the same
 * update (a redelivery queued while the first was waiting); one-update jobs cannot (their id is
 * derived from the key), so only groups need this.
 */
export function ownerPrefix(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}:waba-own:`;
}

/**
 * KEYS: owner keys; ARGV: job id, ttl in ms. Takes every key no other job holds, and tells for
 * each whether this job holds it now (1) or another does (0). A retry of the same job finds its
 * own id and keeps the update.
 */
export const TAKE_UPDATES_SCRIPT = `
local held = {}
for i, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if not owner then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    held[i] = 1
  elseif owner == ARGV[1] then
    held[i] = 1
  else
    held[i] = 0
  end
end
return held
`;

/** KEYS: owner keys; ARGV: job id. Lets go of the keys this job holds (after its last attempt). */
export const RELEASE_UPDATES_SCRIPT = `
local released = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('DEL', key)
    released = released + 1
  end
end
return released
`;
