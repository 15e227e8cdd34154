import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  SHUTDOWN_HOOKS_CHECK_DELAY_MS,
  ShutdownHooksCheck,
} from '../../src/delivery/shutdown-hooks.check.js';
import type { ResolvedDeliveryOptions } from '../../src/delivery/delivery.options.js';

const direct = (acknowledge: 'before-listeners' | 'after-listeners') =>
  ({ acknowledge }) as ResolvedDeliveryOptions;
const queue = (processors: boolean) =>
  ({
    acknowledge: 'before-listeners',
    queue: { processors },
  }) as unknown as ResolvedDeliveryOptions;
const noop = () => undefined;

describe('ShutdownHooksCheck', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  const nodeEnv = process.env['NODE_ENV'];

  beforeEach(() => {
    vi.useFakeTimers();
    warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(noop);
    process.env['NODE_ENV'] = 'production';
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    process.env['NODE_ENV'] = nodeEnv;
    process.removeListener('SIGTERM', noop);
  });

  /** Bootstraps a check, runs `meanwhile` before it looks, then lets it look. */
  const check = (options: ResolvedDeliveryOptions, meanwhile: () => unknown = noop) => {
    const instance = new ShutdownHooksCheck(options);
    instance.onApplicationBootstrap();
    meanwhile();
    vi.advanceTimersByTime(SHUTDOWN_HOOKS_CHECK_DELAY_MS);
    return instance;
  };

  it.each([
    [
      "direct mode, acknowledge 'before-listeners'",
      direct('before-listeners'),
      /listeners of updates already acknowledged/,
    ],
    ['queue mode with processors (a worker)', queue(true), /abandons the jobs in progress/],
  ])('%s, nothing listening to SIGTERM: warns once, naming the fix', (_, options, risk) => {
    check(options);
    vi.advanceTimersByTime(10 * SHUTDOWN_HOOKS_CHECK_DELAY_MS);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/call app\.enableShutdownHooks\(\)/);
    expect(warn.mock.calls[0]![0]).toMatch(risk);
  });

  it.each([
    [
      "direct mode, acknowledge 'after-listeners' (Meta redelivers what was cut short)",
      direct('after-listeners'),
    ],
    ['queue mode, processors: false (answered once queued)', queue(false)],
  ])('%s: nothing can be lost, no warning', (_, options) => {
    check(options);
    expect(warn).not.toHaveBeenCalled();
  });

  it('no warning when enableShutdownHooks() was called before bootstrap', () => {
    process.on('SIGTERM', noop);
    check(direct('before-listeners'));
    expect(warn).not.toHaveBeenCalled();
  });

  it('no warning when enableShutdownHooks() comes after bootstrap (after `await app.listen()`)', () => {
    check(direct('before-listeners'), () => process.on('SIGTERM', noop));
    expect(warn).not.toHaveBeenCalled();
  });

  it('does not look with NODE_ENV=test', () => {
    process.env['NODE_ENV'] = 'test';
    check(direct('before-listeners'));
    expect(warn).not.toHaveBeenCalled();
  });

  it('does not look once the application is closed', () => {
    const instance = new ShutdownHooksCheck(direct('before-listeners'));
    instance.onApplicationBootstrap();
    instance.onApplicationShutdown();
    vi.advanceTimersByTime(SHUTDOWN_HOOKS_CHECK_DELAY_MS);
    expect(warn).not.toHaveBeenCalled();
  });
});
