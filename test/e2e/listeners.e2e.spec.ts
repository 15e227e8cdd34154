import { Injectable } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { afterEach, describe, expect, it } from 'vitest';
import { OnWaba, OnWabaMessage, type WabaChangeEvent } from '../../src/index.js';
import { fieldWebhook, textMessageWebhook } from '../../src/testing/index.js';
import type { ReceivedWebhook } from '../../src/events/waba-dispatch.types.js';
import { WabaEventDispatcher } from '../../src/events/waba-event.dispatcher.js';
import {
  CapturingLogger,
  createTestApp,
  type TestApp,
  VARIANTS,
  postSigned,
} from '../fixtures/test-app.js';

/** Listeners on `security`: one throws, one rejects, one succeeds. */
@Injectable()
class FlakyListeners {
  readonly calls: string[] = [];

  @OnWaba('security')
  throwsSync(): void {
    this.calls.push('throwsSync');
    throw new Error('boom (sync)');
  }

  @OnWaba('security')
  async rejects(): Promise<void> {
    this.calls.push('rejects');
    await Promise.resolve();
    throw new Error('boom (async)');
  }

  @OnWaba('security')
  succeeds(e: WabaChangeEvent<'security'>): void {
    this.calls.push(`succeeds:${e.value.event}`);
  }
}

/** A listener that finishes only when the test lets it. */
@Injectable()
class GatedListener {
  started = false;
  finished = false;
  release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  @OnWaba('account_review_update')
  async onReview(): Promise<void> {
    this.started = true;
    await this.gate;
    this.finished = true;
  }
}

@Injectable()
class CountingListener {
  count = 0;
  @OnWabaMessage('text')
  onText(): void {
    this.count++;
  }
}

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(VARIANTS)('listeners (%s)', (variant) => {
  let t: TestApp;
  afterEach(() => t?.app.close());

  const send = (payload: unknown) => postSigned(t.app, payload);

  it('answers 200 although listeners fail; each failure is isolated and logged with field and listener name', async () => {
    const logger = new CapturingLogger();
    t = await createTestApp({ variant, providers: [FlakyListeners], logger });
    const res = await send(fieldWebhook('security', { event: 'PIN_CHANGED' }));
    expect(res.status).toBe(200);
    await t.recorder.waitFor(1);
    await settle();
    expect([...t.app.get(FlakyListeners).calls].sort()).toEqual([
      'rejects',
      'succeeds:PIN_CHANGED',
      'throwsSync',
    ]);
    const errors = logger.lines.filter((l) => l.level === 'error').map((l) => l.message);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /FlakyListeners\.throwsSync failed on a "security" event: boom \(sync\)/,
        ),
        expect.stringMatching(
          /FlakyListeners\.rejects failed on a "security" event: boom \(async\)/,
        ),
      ]),
    );
  });

  it('acknowledges before listeners run by default', async () => {
    t = await createTestApp({ variant, providers: [GatedListener] });
    const gated = t.app.get(GatedListener);
    const res = await send(fieldWebhook('account_review_update'));
    expect(res.status).toBe(200);
    expect(gated.finished).toBe(false);
    gated.release();
    await t.recorder.waitFor(1);
    await settle();
    expect(gated.finished).toBe(true);
  });

  it("with acknowledge: 'after-listeners', answers only once listeners finished, and 500 when one failed", async () => {
    t = await createTestApp({
      variant,
      providers: [GatedListener, FlakyListeners],
      options: { acknowledge: 'after-listeners' },
    });
    const gated = t.app.get(GatedListener);
    const pending = send(fieldWebhook('account_review_update')).then((r) => r);
    let answered = false;
    void pending.then(() => (answered = true));
    await settle(50);
    expect(gated.started).toBe(true);
    expect(answered).toBe(false);
    gated.release();
    expect((await pending).status).toBe(200);
    expect(gated.finished).toBe(true);

    const failed = await send(fieldWebhook('security'));
    expect(failed.status).toBe(500);
    expect(failed.body.message).toMatch(/2 of 4 listener call\(s\) failed/);
    expect(t.app.get(FlakyListeners).calls).toHaveLength(3);
  });

  it('fires each listener exactly once when the application also imports EventEmitterModule.forRoot()', async () => {
    t = await createTestApp({
      variant,
      providers: [CountingListener],
      imports: [EventEmitterModule.forRoot()],
    });
    await send(textMessageWebhook('once'));
    await t.recorder.waitFor(2);
    await settle();
    expect(t.app.get(CountingListener).count).toBe(1);
    expect(t.recorder.events).toHaveLength(2);
  });

  it('fires each listener exactly once without EventEmitterModule', async () => {
    t = await createTestApp({ variant, providers: [CountingListener] });
    await send(textMessageWebhook('once'));
    await t.recorder.waitFor(2);
    await settle();
    expect(t.app.get(CountingListener).count).toBe(1);
  });

  // The webhooks acknowledged in one turn are dispatched on the next: shutdown and idle() must
  // wait for that batch even before it has started (no promise exists for it until they ask).
  const received = (payload: {
    entry: { id: string; changes: { field: string; value: unknown }[] }[];
  }): ReceivedWebhook => ({
    changes: payload.entry.flatMap((entry) =>
      entry.changes.map(({ field, value }) => ({
        field,
        entryId: entry.id,
        time: undefined,
        value,
      })),
    ),
  });

  it('dispatches a batch acknowledged but not started yet before shutdown completes', async () => {
    t = await createTestApp({ variant, providers: [CountingListener] });
    const dispatcher = t.app.get(WabaEventDispatcher);
    const counting = t.app.get(CountingListener);
    dispatcher.dispatchLater(received(textMessageWebhook('one')));
    dispatcher.dispatchLater(received(textMessageWebhook('two')));
    expect(counting.count).toBe(0); // deferred to the next turn
    await dispatcher.beforeApplicationShutdown();
    expect(counting.count).toBe(2);
    // A later turn gets its own batch, and idle() waits for it the same way.
    dispatcher.dispatchLater(received(textMessageWebhook('three')));
    expect(counting.count).toBe(2);
    await dispatcher.idle();
    expect(counting.count).toBe(3);
  });

  it('idle() waits for the deferred batch and then for its asynchronous listeners', async () => {
    t = await createTestApp({ variant, providers: [GatedListener] });
    const dispatcher = t.app.get(WabaEventDispatcher);
    const gated = t.app.get(GatedListener);
    dispatcher.dispatchLater(received(fieldWebhook('account_review_update')));
    let idle = false;
    const waiting = dispatcher.idle().then(() => (idle = true));
    await settle();
    expect(gated.started).toBe(true);
    expect(idle).toBe(false);
    gated.release();
    await waiting;
    expect(gated.finished).toBe(true);
  });

  it('lets application shutdown wait for listeners still running', async () => {
    t = await createTestApp({ variant, providers: [GatedListener] });
    const gated = t.app.get(GatedListener);
    expect((await send(fieldWebhook('account_review_update'))).status).toBe(200);
    await settle();
    expect(gated.started).toBe(true);
    const closing = t.app.close();
    await settle();
    expect(gated.finished).toBe(false);
    gated.release();
    await closing;
    expect(gated.finished).toBe(true);
  });
});
