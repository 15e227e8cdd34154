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
 * What {@link TAKE_UPDATES_SCRIPT} tells of each update: another job holds it (this one skips
 * it), this job holds it now (or already did, on a retry: it delivers it), or its done-marker is
 * set (it was delivered already, and nothing was taken).
 */
export const TAKE_VERDICT = { heldElsewhere: 0, held: 1, delivered: 2 } as const;

/**
 * KEYS: n owner keys, then (optionally) the n done-markers of the same updates, in the same
 * order; ARGV: job id, ttl in ms, n. For each update ({@link TAKE_VERDICT}): delivered when its
 * done-marker is set; otherwise takes it unless another job holds it, and tells whether this job
 * holds it now or another does. A retry of the same job finds its own
 * id and keeps the update. Checking the done-markers here saves the worker a round trip per job
 * when they live on the same Redis (the module's own store); without them it only takes.
 */
export const TAKE_UPDATES_SCRIPT = `
local n = tonumber(ARGV[3])
local checkDone = #KEYS > n
local verdicts = {}
for i = 1, n do
  local key = KEYS[i]
  if checkDone and redis.call('EXISTS', KEYS[n + i]) == 1 then
    verdicts[i] = 2
  else
    local owner = redis.call('GET', key)
    if not owner then
      redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
      verdicts[i] = 1
    elseif owner == ARGV[1] then
      verdicts[i] = 1
    else
      verdicts[i] = 0
    end
  end
end
return verdicts
`;

/**
 * KEYS: done-markers; ARGV: ttl in ms. Sets each done-marker not set yet (`SET NX PX`), in one
 * command on the connection that took the updates (a pipeline there would copy BullMQ's scripts).
 */
export const MARK_DELIVERED_SCRIPT = `
for _, key in ipairs(KEYS) do
  redis.call('SET', key, '1', 'PX', ARGV[1], 'NX')
end
return #KEYS
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
