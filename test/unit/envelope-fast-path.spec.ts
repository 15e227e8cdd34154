import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookEnvelopeDto } from '../../src/dto/webhook-envelope.dto.js';
import { fieldWebhook } from '../../src/testing/index.js';
import { WABA_FIELDS } from '../../src/types/waba-field.js';
import { createDtoFastPath } from '../../src/validation/dto-fast-path.js';
import { CompiledPayloadValidator } from '../../src/validation/compiled.payload-validator.js';
import type { ReceivedWebhook } from '../../src/events/waba-dispatch.types.js';
import { isSafeShape, readEnvelope } from '../../src/webhook/envelope-fast-path.js';
import { recordSignatureVerdict } from '../../src/webhook/signature-verdict.decorator.js';
import { parseSignatureHeader } from '../../src/webhook/signature.js';
import { WabaPayloadPipe } from '../../src/webhook/waba-payload.pipe.js';
import { readSeedFixture, SEED_WEBHOOK_EXAMPLES } from '../fixtures/seeds/index.js';

/**
 * The pipe's one-pass reading of an envelope may only ever accept what the full checks (the
 * unsafe-shape walk and WebhookEnvelopeDto) accept, with the same changes; everything else must
 * reach the full checks, so that the answer (changes or the 400's message) is the same.
 */
const validator = new CompiledPayloadValidator(
  createDtoFastPath({ cls: WebhookEnvelopeDto, property: 'entry' }),
);
const options = { onInvalidValue: 'emit' } as const;

/** The pipe through the full checks only. */
class CheckedOnlyPipe extends WabaPayloadPipe {
  protected override readChanges(body: unknown) {
    return this.checkedChanges(body);
  }
}

const pipe = new WabaPayloadPipe(options, validator);
const checked = new CheckedOnlyPipe(options, validator);

type Outcome = { webhook: ReceivedWebhook } | { error: unknown };
function outcome(p: WabaPayloadPipe, body: unknown): Outcome {
  try {
    return { webhook: p.transform(structuredClone(body)) };
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    return { error: error.getResponse() };
  }
}

function expectSameOutcome(body: unknown): void {
  expect(outcome(pipe, body)).toStrictEqual(outcome(checked, body));
}

const envelopes = WABA_FIELDS.map((field) => JSON.parse(JSON.stringify(fieldWebhook(field))));

describe('the envelope fast path', () => {
  it.each(WABA_FIELDS.map((field, i) => [field, envelopes[i]]))(
    'reads a "%s" envelope in one pass, as the full checks do',
    (_field, envelope) => {
      expect(isSafeShape(envelope, 1, 128)).toBe(true);
      expect(readEnvelope(envelope, 'whatsapp_business_account')).toBeDefined();
      expectSameOutcome(envelope);
    },
  );

  it('gives the same answer for every seed example', () => {
    for (const { file } of SEED_WEBHOOK_EXAMPLES) {
      const body: unknown = JSON.parse(readSeedFixture(file).toString('utf8'));
      expect(outcome(pipe, body), file).toHaveProperty('webhook');
      expectSameOutcome(body);
    }
  });

  it('leaves own "__proto__" and "constructor" keys and deep nesting to the full walk', () => {
    const proto = JSON.parse('{"object":"whatsapp_business_account","entry":[{"__proto__":{}}]}');
    const ctor = JSON.parse('{"object":"whatsapp_business_account","constructor":1,"entry":[]}');
    let deep: unknown = {};
    for (let i = 0; i < 200; i++) deep = { a: deep };
    for (const body of [proto, ctor, { object: 'whatsapp_business_account', entry: [deep] }]) {
      expect(isSafeShape(body, 1, 128)).toBe(false);
      expect(outcome(pipe, body)).toHaveProperty('error');
      expectSameOutcome(body);
    }
  });

  it('refuses what the envelope DTO refuses: null value accepted, time must be an integer', () => {
    const base = { object: 'whatsapp_business_account' };
    const change = { field: 'messages', value: null };
    expect(readEnvelope({ ...base, entry: [{ id: '1', changes: [change] }] }, base.object)).toEqual(
      [{ field: 'messages', entryId: '1', time: undefined, value: null }],
    );
    for (const entry of [
      [{ id: 1, changes: [] }],
      [{ id: '1', time: 1.5, changes: [] }],
      [{ id: '1', time: '1', changes: [] }],
      [{ id: '1', changes: [{ field: 'x' }] }],
      [{ id: '1', changes: [{ field: 1, value: {} }] }],
      [{ id: '1', changes: [{ value: {} }] }],
      [{ id: '1', changes: {} }],
      [{ changes: [] }],
      [{ id: '1', changes: [[change]] }],
      [[{ id: '1', changes: [] }]],
      [null],
    ]) {
      expect(readEnvelope({ ...base, entry }, base.object)).toBeUndefined();
      expectSameOutcome({ ...base, entry });
    }
    for (const body of [{ object: 'page', entry: [] }, { ...base, entry: {} }, { ...base }]) {
      expect(readEnvelope(body, base.object)).toBeUndefined();
      expectSameOutcome(body);
    }
  });

  it('agrees with the full checks on mutated envelopes (property-based)', () => {
    const value = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.constantFrom('whatsapp_business_account', 'messages', '__proto__', 'constructor'),
      fc.array(fc.jsonValue(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue(), { maxKeys: 2 }),
    );
    const path = fc.array(
      fc.oneof(
        fc.constantFrom('object', 'entry', 'id', 'time', 'changes', 'field', 'value'),
        fc.nat(2),
      ),
      { minLength: 1, maxLength: 5 },
    );
    fc.assert(
      fc.property(fc.nat(envelopes.length - 1), path, value, (index, keys, replacement) => {
        const body = structuredClone(envelopes[index]);
        let node = body as Record<string | number, unknown>;
        for (const key of keys.slice(0, -1)) {
          const next = node[key];
          if (typeof next !== 'object' || next === null) break;
          node = next as Record<string | number, unknown>;
        }
        node[keys.at(-1)!] = replacement;
        // Through JSON, as the body parser hands it over ("__proto__" becomes an own key).
        const text = JSON.stringify(body);
        if (text === undefined) return;
        expectSameOutcome(JSON.parse(text));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });
});

describe('parseSignatureHeader', () => {
  it('accepts exactly `sha256=` and 64 hex digits, as the former pattern did', () => {
    const pattern = /^sha256=[0-9a-fA-F]{64}$/;
    const hex = 'ab'.repeat(32);
    const samples = [`sha256=${hex}`, `sha256=${hex.toUpperCase()}`, `sha256=${hex}0`, hex];
    for (let i = 0; i < 64; i++) {
      for (const c of ['g', 'G', ' ', 'x', ':', '/', '@', '`', 'é', '0']) {
        samples.push(`sha256=${hex.slice(0, i)}${c}${hex.slice(i + 1)}`);
      }
    }
    samples.push(`SHA256=${hex}`, `sha256:${hex}`, `sha256=${hex.slice(2)}`, `sha256=${hex}, x`);
    for (const header of samples) {
      const parsed = parseSignatureHeader(header);
      expect(parsed !== undefined, header).toBe(pattern.test(header));
      if (parsed) expect(parsed.toString('hex')).toBe(header.slice(7).toLowerCase());
    }
    expect(parseSignatureHeader([`sha256=${hex}`])).toBeUndefined();
    expect(parseSignatureHeader(undefined)).toBeUndefined();
  });

  it('decodes into the buffer it is given, one request after another', () => {
    const into = Buffer.alloc(32);
    const first = parseSignatureHeader(`sha256=${'0f'.repeat(32)}`, into);
    expect(first).toBe(into);
    expect(into.toString('hex')).toBe('0f'.repeat(32));
    expect(parseSignatureHeader(`sha256=${'A1'.repeat(32)}`, into)?.toString('hex')).toBe(
      'a1'.repeat(32),
    );
    expect(parseSignatureHeader(`sha256=${'a1'.repeat(31)}zz`, into)).toBeUndefined();
    expect(parseSignatureHeader(`sha256=${'a1'.repeat(32)}`)).not.toBe(into);
  });
});

describe('recordSignatureVerdict', () => {
  it('holds the verdict on the request where no key listing, copy or serialisation sees it', () => {
    const request = { method: 'POST', headers: { 'content-type': 'application/json' } };
    const before = { keys: Object.keys(request), json: JSON.stringify(request) };
    recordSignatureVerdict(request, { secretIndex: 1, app: 'shop' });
    expect(Object.keys(request)).toEqual(before.keys);
    expect(JSON.stringify(request)).toBe(before.json);
    const seen: string[] = [];
    for (const key in request) seen.push(key);
    expect(seen).toEqual(before.keys);
    expect(Object.getOwnPropertyNames(request)).toEqual(before.keys);
  });
});
