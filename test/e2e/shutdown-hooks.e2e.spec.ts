import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHUTDOWN_HOOKS_CHECK_DELAY_MS } from '../../src/delivery/shutdown-hooks.check.js';
import { postWebhook, textMessageWebhook } from '../../src/testing/index.js';
import { type Running, startReceiver, stopReceiver } from '../fixtures/receiver-process.js';

/** A library application with a 1.5 s listener; it imports the built package (dist/). */
const APP = resolve('test/fixtures/shutdown-app.mjs');
const SECRET = 'shutdown-secret';
const UPDATES = 5;

type Line = Record<string, unknown>;
type Hooks = 'before-listen' | 'after-listen' | 'off';

const started: Running[] = [];
afterAll(async () => {
  await Promise.all(started.map((r) => stopReceiver(r, 'SIGKILL')));
});

async function startApp(hooks: Hooks): Promise<{ app: Running; origin: string }> {
  const app = startReceiver(
    { SHUTDOWN_HOOKS: hooks, APP_SECRET: SECRET, NODE_ENV: 'production' },
    undefined,
    APP,
  );
  started.push(app);
  const { port } = await app.waitForLine((l) => typeof l['port'] === 'number');
  return { app, origin: `http://127.0.0.1:${String(port)}` };
}

/**
 * Posts signed updates at once; as soon as every response is in and every acknowledged update's
 * listener has started (it runs after the 200, so a signal sent on the 200 alone could beat it),
 * sends SIGTERM and waits for the process to end (`close`: its output has been read to the end).
 */
async function postThenSigterm(app: Running, origin: string) {
  const bodies = Array.from({ length: UPDATES }, (_, i) => `update ${i}`);
  const responses = await Promise.all(
    bodies.map((body) => postWebhook(origin, textMessageWebhook(body), { appSecret: SECRET })),
  );
  await Promise.all(
    bodies
      .filter((_, i) => responses[i]!.status === 200)
      .map((body) => app.waitForLine((l) => l['started'] === body, 10_000)),
  );
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    app.child.once('close', (code, signal) => done({ code, signal })),
  );
  const signalledAt = Date.now();
  app.child.kill('SIGTERM');
  const exit = await closed;
  const values = (key: string) =>
    app.lines.filter((l) => key in l).map((l) => ({ body: l[key], at: l['at'] as number }));
  return {
    statuses: responses.map((r) => r.status),
    acknowledged: bodies.filter((_, i) => responses[i]!.status === 200),
    signalledAt,
    exit,
    started: values('started'),
    completed: values('completed'),
    shutdown: app.lines.find((l) => 'shutdown' in l),
  };
}

const isWarning = (l: Line) => JSON.stringify(l).includes('Shutdown hooks are off');

describe.concurrent(
  'SIGTERM in a library application (forRoot defaults: acknowledge before listeners)',
  {
    timeout: 60_000,
  },
  () => {
    it.each([
      {
        bootstrap: "enableShutdownHooks() before listen() (the README's)",
        hooks: 'before-listen' as const,
        // Nest re-raises the signal once the application is closed.
        exit: { code: null, signal: 'SIGTERM' },
      },
      {
        bootstrap: 'enableShutdownHooks([], { useProcessExit: true }) after listen()',
        hooks: 'after-listen' as const,
        exit: { code: 0, signal: null },
      },
    ])(
      '$bootstrap: every acknowledged update reaches its listener before the process exits; no warning',
      async ({ hooks, exit }) => {
        const { app, origin } = await startApp(hooks);
        // The warning is an absence to prove: let the check look (no event marks it) before the signal.
        await new Promise((r) => setTimeout(r, SHUTDOWN_HOOKS_CHECK_DELAY_MS + 500));
        const run = await postThenSigterm(app, origin);

        expect(run.statuses).toEqual(Array(UPDATES).fill(200));
        expect(run.completed.map((c) => c.body).sort()).toEqual([...run.acknowledged].sort());
        // The listeners were still running when SIGTERM was sent, and shutdown waited for them.
        for (const { at } of run.completed) expect(at).toBeGreaterThanOrEqual(run.signalledAt);
        expect(run.shutdown).toBeDefined();
        expect(run.shutdown!['at']).toBeGreaterThanOrEqual(
          Math.max(...run.completed.map((c) => c.at)),
        );
        expect(run.exit).toEqual(exit);
        expect(app.lines.filter(isWarning)).toEqual([]);
      },
    );

    it('without shutdown hooks: warns once at bootstrap, and SIGTERM kills the listeners of acknowledged updates', async () => {
      const { app, origin } = await startApp('off');
      const warning = await app.waitForLine(isWarning, SHUTDOWN_HOOKS_CHECK_DELAY_MS + 10_000);
      expect(warning).toMatchObject({ level: 'warn', context: 'WhatsAppWebhooks' });
      expect(JSON.stringify(warning)).toContain('app.enableShutdownHooks()');

      const run = await postThenSigterm(app, origin);
      expect(run.statuses).toEqual(Array(UPDATES).fill(200));
      expect(run.started.map((s) => s.body).sort()).toEqual([...run.acknowledged].sort());
      // What the warning is about: Meta has its 200s, the listeners never finished.
      expect(run.completed).toEqual([]);
      expect(run.shutdown).toBeUndefined();
      expect(run.exit).toEqual({ code: null, signal: 'SIGTERM' });
      expect(app.lines.filter(isWarning)).toHaveLength(1);
    });
  },
);
