import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitedLog } from '../../src/webhook/rejection-log.js';

describe('RateLimitedLog', () => {
  let lines: string[];
  let log: RateLimitedLog;

  beforeEach(() => {
    vi.useFakeTimers();
    lines = [];
    log = new RateLimitedLog(
      (line) => lines.push(line),
      (key, suppressed, windowMs) => `${key}: ${suppressed} more suppressed in ${windowMs} ms`,
      3,
      1000,
    );
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes `limit` lines per key and window, then one summary when the window ends', () => {
    for (let i = 0; i < 1000; i++) log.log('a', () => `a ${i}`);
    expect(lines).toEqual(['a 0', 'a 1', 'a 2']);
    vi.advanceTimersByTime(999);
    expect(lines).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(lines).toEqual(['a 0', 'a 1', 'a 2', 'a: 997 more suppressed in 1000 ms']);
    // A new window.
    log.log('a', () => 'a again');
    expect(lines.at(-1)).toBe('a again');
    vi.advanceTimersByTime(5000);
    expect(lines).toHaveLength(5);
  });

  it('does not build the lines it leaves out', () => {
    const build = vi.fn(() => 'line');
    for (let i = 0; i < 50; i++) log.log('a', build);
    expect(build).toHaveBeenCalledTimes(3);
  });

  it('counts each key on its own', () => {
    for (let i = 0; i < 5; i++) {
      log.log('a', () => `a ${i}`);
      log.log('b', () => `b ${i}`);
    }
    expect(lines).toEqual(['a 0', 'b 0', 'a 1', 'b 1', 'a 2', 'b 2']);
    vi.advanceTimersByTime(1000);
    expect(lines.slice(6).sort()).toEqual([
      'a: 2 more suppressed in 1000 ms',
      'b: 2 more suppressed in 1000 ms',
    ]);
  });

  it('writes no summary when nothing was left out', () => {
    log.log('a', () => 'once');
    vi.advanceTimersByTime(10_000);
    log.flush();
    expect(lines).toEqual(['once']);
  });

  it('writes the summary due before a line of the next window, even if its timer is late', () => {
    for (let i = 0; i < 4; i++) log.log('a', () => `a ${i}`);
    vi.setSystemTime(Date.now() + 1500); // the clock moves on, the timer has not run yet
    log.log('a', () => 'next window');
    expect(lines).toEqual(['a 0', 'a 1', 'a 2', 'a: 1 more suppressed in 1000 ms', 'next window']);
    vi.runAllTimers();
    expect(lines).toHaveLength(5);
  });

  it('flushes the summaries still due (at shutdown), once', () => {
    for (let i = 0; i < 5; i++) log.log('a', () => `a ${i}`);
    log.flush();
    expect(lines.at(-1)).toBe('a: 2 more suppressed in 1000 ms');
    vi.runAllTimers();
    log.flush();
    expect(lines).toHaveLength(4);
  });
});
