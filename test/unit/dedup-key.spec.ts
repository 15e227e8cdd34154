import { describe, expect, it } from 'vitest';
import { defaultDedupKey } from '../../src/index.js';

describe('defaultDedupKey', () => {
  const change = {
    kind: 'change' as const,
    field: 'message_template_status_update',
    entryId: '102290129340398',
    value: { event: 'APPROVED', message_template_id: 123, reason: 'NONE' },
  };

  it('keys a whole change on field, entry id, entry.time and value', () => {
    const at = (time: number) => defaultDedupKey({ ...change, time });
    expect(at(1_764_460_800)).toBe(at(1_764_460_800));
    expect(at(1_764_460_800)).not.toBe(at(1_764_482_400));
    expect(at(1_764_460_800)).not.toBe(
      defaultDedupKey({ ...change, entryId: '1', time: 1_764_460_800 }),
    );
    expect(at(1_764_460_800)).not.toBe(
      defaultDedupKey({
        ...change,
        time: 1_764_460_800,
        value: { ...change.value, event: 'PAUSED' },
      }),
    );
    expect(at(1_764_460_800)).toMatch(/^message_template_status_update:change:[\w-]{43}$/);
  });

  it('ignores key order inside the value, and keys an entry without time on the rest', () => {
    const reordered = { reason: 'NONE', message_template_id: 123, event: 'APPROVED' };
    expect(defaultDedupKey({ ...change, time: 5, value: reordered })).toBe(
      defaultDedupKey({ ...change, time: 5 }),
    );
    expect(defaultDedupKey(change)).not.toBe(defaultDedupKey({ ...change, time: 5 }));
    expect(defaultDedupKey(change)).toBe(defaultDedupKey({ ...change }));
  });

  it('leaves entry.time out of item keys: an item re-batched into another entry is the same item', () => {
    const message = {
      kind: 'message' as const,
      field: 'messages',
      entryId: 'w',
      item: { id: 'wamid.A' },
    };
    expect(defaultDedupKey({ ...message, time: 1 })).toBe('messages:message:wamid.A');
    expect(defaultDedupKey(message)).toBe('messages:message:wamid.A');
    const status = {
      kind: 'status' as const,
      field: 'messages',
      entryId: 'w',
      item: { id: 'wamid.A', status: 'read' },
    };
    expect(defaultDedupKey({ ...status, time: 2 })).toBe(defaultDedupKey(status));
  });
});
