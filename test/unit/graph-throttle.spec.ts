import { describe, expect, it } from 'vitest';
import { GraphThrottle } from '../../src/subscriptions/graph-throttle.js';
import type { GraphApiUsage } from '../../src/subscriptions/subscription.types.js';

const WABA = '102290129340398';
const BUSINESS = '987654321';

function usage(entries: [id: string, minutes: number, calls?: number][]): GraphApiUsage {
  return {
    businessUseCase: entries.map(([businessObjectId, minutes, callCount = 1]) => ({
      businessObjectId,
      type: 'whatsapp_business_management',
      callCount,
      estimatedTimeToRegainAccessMinutes: minutes,
    })),
    app: { callCount: 3 },
    regainAccessInMs: Math.max(...entries.map(([, minutes]) => minutes)) * 60_000,
  };
}

describe('GraphThrottle', () => {
  function throttle() {
    const clock = { now: 1_000_000 };
    return { clock, throttle: new GraphThrottle(() => clock.now) };
  }

  it('keeps the usage of every business object of a header apart, each with its own regainAccessInMs', () => {
    const { throttle: t } = throttle();
    t.record(
      usage([
        [WABA, 2, 100],
        [BUSINESS, 0, 7],
      ]),
    );
    expect(t.usageOf(WABA)).toEqual({
      businessUseCase: [
        {
          businessObjectId: WABA,
          type: 'whatsapp_business_management',
          callCount: 100,
          estimatedTimeToRegainAccessMinutes: 2,
        },
      ],
      app: { callCount: 3 },
      regainAccessInMs: 120_000,
    });
    expect(t.usageOf(BUSINESS)).toMatchObject({ regainAccessInMs: 0 });
    expect(t.lastUsage()?.businessUseCase).toHaveLength(2);
    expect(t.remainingMs(WABA)).toBe(120_000);
    expect(t.remainingMs(BUSINESS)).toBe(0);
  });

  it('counts a window down with the clock and forgets it once over', () => {
    const { clock, throttle: t } = throttle();
    t.hold(WABA, 5_000);
    clock.now += 2_000;
    expect(t.remainingMs(WABA)).toBe(3_000);
    clock.now += 3_000;
    expect(t.remainingMs(WABA)).toBe(0);
  });

  it('never shortens an open window with a shorter hold; a header with 0 minutes closes it', () => {
    const { throttle: t } = throttle();
    t.hold(WABA, 60_000);
    t.hold(WABA, 1_000);
    t.hold(WABA, 0);
    expect(t.remainingMs(WABA)).toBe(60_000);
    t.record(usage([[WABA, 0]]));
    expect(t.remainingMs(WABA)).toBe(0);
  });

  it('takes the longest time when one object has several use cases', () => {
    const { throttle: t } = throttle();
    t.record(
      usage([
        [WABA, 1],
        [WABA, 4],
      ]),
    );
    expect(t.remainingMs(WABA)).toBe(240_000);
    expect(t.usageOf(WABA)?.businessUseCase).toHaveLength(2);
  });
});
