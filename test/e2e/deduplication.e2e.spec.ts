import { Injectable } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDedupStore, OnWaba, type WabaDedupStore } from '../../src/index.js';
import {
  batchWebhooks,
  fieldWebhook,
  inboundMessage,
  messageStatus,
  messagesWebhook,
  serializeLikeMeta,
  templateStatusWebhook,
} from '../../src/testing/index.js';
import { createTestApp, type TestApp, VARIANTS, postSigned } from '../fixtures/test-app.js';

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

@Injectable()
class FailsOnce {
  calls = 0;
  @OnWaba('security')
  onSecurity(): void {
    this.calls++;
    if (this.calls === 1) throw new Error('transient');
  }
}

describe.each(VARIANTS)('deduplication (%s)', (variant) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  const send = async (payload: unknown, expected = 200) => {
    const res = await postSigned(t.app, payload);
    expect(res.status).toBe(expected);
  };

  it('delivers the same signed payload posted 3 times once per item', async () => {
    t = await createTestApp({ variant });
    const body = serializeLikeMeta(
      batchWebhooks(
        messagesWebhook({
          messages: [inboundMessage('text'), inboundMessage('image')],
          statuses: [messageStatus('read')],
        }),
        templateStatusWebhook(),
      ),
    );
    for (let i = 0; i < 3; i++) await send(body);
    await settle(60);
    expect(t.recorder.of('message')).toHaveLength(2);
    expect(t.recorder.of('status')).toHaveLength(1);
    expect(t.recorder.of('change').map((c) => c.field)).toEqual([
      'messages',
      'message_template_status_update',
    ]);
  });

  it('still deduplicates a redelivery re-batched differently (same wamids, new envelope)', async () => {
    t = await createTestApp({ variant });
    const m1 = inboundMessage('text');
    const m2 = inboundMessage('text');
    const m3 = inboundMessage('text');
    const delivered = messageStatus('delivered');
    await send(messagesWebhook({ messages: [m1, m2], statuses: [delivered] }));
    await settle();
    // Meta's retry: m2 and the status again, now beside a new message, in a batch of two entries.
    await send(
      batchWebhooks(
        messagesWebhook({ messages: [m3, m2] }),
        messagesWebhook({ statuses: [delivered] }),
      ),
    );
    await settle(60);
    expect(t.recorder.of('message').map((m) => m.message.id)).toEqual([m1.id, m2.id, m3.id]);
    expect(t.recorder.of('status')).toHaveLength(1);
    const changes = t.recorder.of('change');
    expect(changes).toHaveLength(2);
    // The second change reaches change listeners narrowed to what is new.
    expect((changes[1]!.value as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual(
      [m3.id],
    );
  });

  it('delivers a state that comes back (APPROVED → PAUSED → APPROVED, each with its entry.time) every time', async () => {
    t = await createTestApp({ variant });
    const approved = templateStatusWebhook({ event: 'APPROVED' }, { time: 1_764_460_800 });
    const paused = templateStatusWebhook({ event: 'PAUSED' }, { time: 1_764_471_600 });
    const approvedAgain = templateStatusWebhook({ event: 'APPROVED' }, { time: 1_764_482_400 });
    for (const payload of [approved, paused, approvedAgain]) await send(payload);
    await settle(60);
    expect(
      t.recorder.of('change').map((c) => [(c.value as { event: string }).event, c.time]),
    ).toEqual([
      ['APPROVED', 1_764_460_800],
      ['PAUSED', 1_764_471_600],
      ['APPROVED', 1_764_482_400],
    ]);
  });

  it('drops the exact redelivery of a management change and the same entry re-batched', async () => {
    t = await createTestApp({ variant });
    const approved = templateStatusWebhook({ event: 'APPROVED' }, { time: 1_764_460_800 });
    const bytes = serializeLikeMeta(approved);
    await send(bytes);
    await send(bytes);
    // Meta's retry batched with a new update: the same entry (same time and value) is known.
    const quality = fieldWebhook('phone_number_quality_update', undefined, { time: 1_764_460_900 });
    await send(batchWebhooks(quality, approved));
    await settle(60);
    expect(t.recorder.of('change').map((c) => c.field)).toEqual([
      'message_template_status_update',
      'phone_number_quality_update',
    ]);
  });

  it("lets Meta's redelivery through after a 500 in 'after-listeners' mode", async () => {
    t = await createTestApp({
      variant,
      providers: [FailsOnce],
      options: { acknowledge: 'after-listeners' },
    });
    const security = serializeLikeMeta(fieldWebhook('security'));
    await send(security, 500);
    await send(security, 200);
    await send(security, 200);
    expect(t.app.get(FailsOnce).calls).toBe(2);
  });

  it('delivers duplicates when deduplication is off', async () => {
    t = await createTestApp({ variant, options: { deduplication: false } });
    const body = serializeLikeMeta(messagesWebhook({ messages: [inboundMessage('text')] }));
    await send(body);
    await send(body);
    await settle(60);
    expect(t.recorder.of('message')).toHaveLength(2);
  });

  it('uses a custom key function and a custom store', async () => {
    const seen: string[] = [];
    const memory = new MemoryDedupStore(10);
    const store: WabaDedupStore = {
      claim: (keys, ttl) => (seen.push(...keys), memory.claim(keys, ttl)),
      isClaimed: (keys) => memory.isClaimed(keys),
      release: (keys) => memory.release(keys),
    };
    t = await createTestApp({
      variant,
      options: {
        deduplication: {
          store,
          key: ({ kind, item }) => `${kind}:${(item as { from?: string })?.from ?? 'x'}`,
        },
      },
    });
    // Two different messages from the same sender share the custom key: the second is dropped.
    await send(messagesWebhook({ messages: [inboundMessage('text', { from: '111' })] }));
    await send(messagesWebhook({ messages: [inboundMessage('text', { from: '111' })] }));
    await settle(60);
    expect(t.recorder.of('message')).toHaveLength(1);
    expect(seen).toEqual(['message:111', 'message:111']);
  });

  it('forgets keys after their TTL', async () => {
    t = await createTestApp({ variant, options: { deduplication: { ttlMs: 50 } } });
    const body = serializeLikeMeta(messagesWebhook({ messages: [inboundMessage('text')] }));
    await send(body);
    await send(body);
    await settle(80);
    await send(body);
    await settle(40);
    expect(t.recorder.of('message')).toHaveLength(2);
  });
});

describe('MemoryDedupStore', () => {
  it('stays within its bound under 1,000,000 distinct keys', () => {
    const store = new MemoryDedupStore(100_000);
    let firstTimes = 0;
    let maxSize = 0;
    for (let i = 0; i < 1_000_000; i += 1000) {
      const keys = Array.from({ length: 1000 }, (_, j) => `messages:message:wamid.${i + j}`);
      firstTimes += store.claim(keys, 7 * 24 * 3600 * 1000).filter(Boolean).length;
      maxSize = Math.max(maxSize, store.size);
    }
    expect(firstTimes).toBe(1_000_000);
    expect(maxSize).toBe(100_000);
    // The newest keys are still remembered; the oldest were evicted.
    expect(store.isClaimed(['messages:message:wamid.999999', 'messages:message:wamid.0'])).toEqual([
      true,
      false,
    ]);
  });

  it('claims atomically within one call and reports duplicates', () => {
    const store = new MemoryDedupStore(10);
    expect(store.claim(['a', 'b', 'a'], 1000)).toEqual([true, true, false]);
    expect(store.claim(['b', 'c'], 1000)).toEqual([false, true]);
    store.release(['b']);
    expect(store.claim(['b'], 1000)).toEqual([true]);
  });
});
