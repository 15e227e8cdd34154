import { describe, expect, it } from 'vitest';
import { parseGraphApiUsage, parseRetryAfter } from '../../src/subscriptions/graph-usage.parser.js';

describe('X-Business-Use-Case-Usage and X-App-Usage parsing', () => {
  it('reads every business object key and every array item, minutes to milliseconds', () => {
    const usage = parseGraphApiUsage({
      'x-business-use-case-usage': JSON.stringify({
        '102290129340398': [
          {
            type: 'whatsapp_business_management',
            call_count: 96,
            total_cputime: 10,
            total_time: 12,
            estimated_time_to_regain_access: 0,
          },
          { type: 'whatsapp', call_count: 100, estimated_time_to_regain_access: 3 },
        ],
        '55501': [
          { type: 'ads_management', call_count: 1, ads_api_access_tier: 'standard_access' },
        ],
      }),
    });
    expect(usage).toEqual({
      businessUseCase: [
        {
          businessObjectId: '55501',
          type: 'ads_management',
          callCount: 1,
          adsApiAccessTier: 'standard_access',
        },
        {
          businessObjectId: '102290129340398',
          type: 'whatsapp_business_management',
          callCount: 96,
          totalCpuTime: 10,
          totalTime: 12,
          estimatedTimeToRegainAccessMinutes: 0,
        },
        {
          businessObjectId: '102290129340398',
          type: 'whatsapp',
          callCount: 100,
          estimatedTimeToRegainAccessMinutes: 3,
        },
      ],
      regainAccessInMs: 180_000,
    });
  });

  it('accepts any header-name case, numeric strings and a lone object instead of an array', () => {
    expect(
      parseGraphApiUsage({
        'X-Business-Use-Case-Usage': '{"1":{"type":"whatsapp","call_count":"7"}}',
        'X-App-Usage': '{"call_count":5,"total_cputime":1,"total_time":2}',
      }),
    ).toEqual({
      businessUseCase: [{ businessObjectId: '1', type: 'whatsapp', callCount: 7 }],
      app: { callCount: 5, totalCpuTime: 1, totalTime: 2 },
      regainAccessInMs: 0,
    });
  });

  it('ignores absent and malformed headers', () => {
    expect(parseGraphApiUsage({})).toBeUndefined();
    expect(parseGraphApiUsage({ 'x-business-use-case-usage': 'not json' })).toBeUndefined();
    expect(parseGraphApiUsage({ 'x-business-use-case-usage': '[1,2]' })).toBeUndefined();
    expect(parseGraphApiUsage({ 'x-business-use-case-usage': '{"1":[null,3]}' })).toEqual({
      businessUseCase: [],
      regainAccessInMs: 0,
    });
  });

  it('parses Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
