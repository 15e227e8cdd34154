import { describe, expect, it } from 'vitest';
import { groupUpdates, isUpdateGroup } from '../../src/delivery/update-group.js';
import type { WabaUpdate } from '../../src/events/waba-dispatch.types.js';

const update = (key: string, task?: 'onboarding'): WabaUpdate => ({
  key,
  change: { field: task ? 'account_update' : 'messages', entryId: '102290129340398', value: {} },
  ...(task ? { task } : {}),
});
const keys = (jobs: ReturnType<typeof groupUpdates>) =>
  jobs.map((job) => (Array.isArray(job) ? job.map((u) => u.key) : job.key));

describe('groupUpdates', () => {
  it('cuts the updates into runs of at most max, in arrival order', () => {
    const updates = ['a', 'b', 'c', 'd', 'e'].map((k) => update(k));
    expect(keys(groupUpdates(updates, 2))).toEqual([['a', 'b'], ['c', 'd'], 'e']);
    expect(keys(groupUpdates(updates, 10))).toEqual([['a', 'b', 'c', 'd', 'e']]);
  });

  it('leaves a run of one a one-update job, and max 1 one job per update', () => {
    expect(keys(groupUpdates([update('a')], 10))).toEqual(['a']);
    expect(keys(groupUpdates([update('a'), update('b')], 1))).toEqual(['a', 'b']);
  });

  it('keeps each key once: two redeliveries of one update in the same enqueue make one', () => {
    const updates = [update('a'), update('b'), update('a'), update('c')];
    expect(keys(groupUpdates(updates, 10))).toEqual([['a', 'b', 'c']]);
  });

  it('keeps onboarding tasks as one-update jobs of their own', () => {
    const updates = [update('a'), update('p:onboarding', 'onboarding'), update('b')];
    expect(keys(groupUpdates(updates, 10))).toEqual(['p:onboarding', ['a', 'b']]);
  });
});

describe('isUpdateGroup', () => {
  it('tells a group from a one-update job', () => {
    expect(isUpdateGroup({ updates: [update('a')] })).toBe(true);
    expect(isUpdateGroup(update('a'))).toBe(false);
  });
});
