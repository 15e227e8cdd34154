import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { WABA_FIELDS } from '../../src/index.js';
import {
  batchWebhooks,
  changeWebhook,
  fieldWebhook,
  messageWebhook,
  serializeLikeMeta,
  signWebhookBody,
  statusesWebhook,
  textMessageWebhook,
} from '../../src/testing/index.js';
import { WABA_INBOUND_MESSAGE_TYPES } from '../../src/types/messages.types.js';
import { BODY_LIMIT_BYTES, unsafeTreeReason } from './oracle.js';

/** The fuzz apps accept both secrets (rotation) and both verify tokens (callback overrides). */
export const FUZZ_SECRETS = ['fuzz-app-secret', 'fuzz-rotated-secret'] as const;
export const FUZZ_VERIFY_TOKENS = ['fuzz-verify-token', 'fuzz-override-token'] as const;

// ---------------------------------------------------------------------------------------------
// JSON documents: a value plus raw JSON texts spliced in after serialisation (nesting deeper
// than JSON.stringify's recursion allows, or deliberately broken text).

export interface RawJson {
  readonly raw: string;
}

export interface FuzzDocument {
  readonly value: unknown;
  readonly raws: readonly string[];
}

const RAW_MARK = (index: number) => `@@fuzz-raw-${index}@@`;

/** Keys that attack prototypes (or merely collide with `Object.prototype`). */
export const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
  'polluted',
] as const;

/** Keys the module refuses by design (400) wherever they are. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor']);
const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  'object',
  'entry',
  'id',
  'time',
  'changes',
  'field',
  'value',
]);

/** Sets an own, enumerable property, even `__proto__` (as `JSON.parse` creates it). */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** JSON text nested `depth` levels: `[[[…]]]`, `{"k":{"k":…}}` or both alternately. */
export function nestedJsonText(depth: number, kind: 'array' | 'object' | 'mixed', leaf: string) {
  if (kind === 'array') return '['.repeat(depth) + leaf + ']'.repeat(depth);
  if (kind === 'object') return '{"k":'.repeat(depth) + leaf + '}'.repeat(depth);
  const pairs = Math.ceil(depth / 2);
  return '[{"k":'.repeat(pairs) + leaf + '}]'.repeat(pairs);
}

const SAFE_LEAVES = ['1', '"x"', 'null', 'true', '{}', '[]'];

/**
 * Nesting from shallow to far beyond class-transformer's recursion and any sane limit. With a
 * small `maxDepth` (valid mode) the leaves carry no refused key either.
 */
export const deepRaw = (maxDepth = 400_000): fc.Arbitrary<RawJson> =>
  fc
    .record({
      depth: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 1, max: Math.min(40, maxDepth) }) },
        {
          weight: 3,
          arbitrary: fc.integer({ min: Math.min(90, maxDepth), max: Math.min(170, maxDepth) }),
        },
        ...(maxDepth < 400
          ? []
          : [{ weight: 2, arbitrary: fc.integer({ min: 400, max: Math.min(6_000, maxDepth) }) }]),
        ...(maxDepth < 20_000
          ? []
          : [{ weight: 1, arbitrary: fc.integer({ min: 20_000, max: maxDepth }) }]),
      ),
      kind: fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
      leaf: fc.constantFrom(
        ...SAFE_LEAVES,
        ...(maxDepth > 100 ? ['{"__proto__":{"polluted":1}}', '{"constructor":{"a":1}}'] : []),
      ),
    })
    .map(({ depth, kind, leaf }) => ({ raw: nestedJsonText(depth, kind, leaf) }));

/** Bytes one character takes on the wire in the worst layout (Meta's `\uXXXX` escapes). */
const HUGE_UNITS: Readonly<Record<string, number>> = {
  x: 1,
  '/': 2,
  '\\': 2,
  '"': 2,
  '\n': 2,
  é: 6,
  '€': 6,
  '🎉': 12,
  '\u0000': 6,
  '\u2028': 6,
};

/** Strings of 1 kB up to `maxBytes` on the wire, and ASCII ones just below or above the limit. */
export const hugeString = (maxBytes: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .constantFrom(...Object.keys(HUGE_UNITS))
      .chain((unit) =>
        fc
          .integer({ min: 1_000, max: Math.max(1_000, Math.floor(maxBytes / HUGE_UNITS[unit]!)) })
          .map((count) => unit.repeat(count)),
      ),
    fc
      .integer({
        min: Math.min(maxBytes, BODY_LIMIT_BYTES) - 120_000,
        max: Math.min(maxBytes, BODY_LIMIT_BYTES + 50_000),
      })
      .map((count) => 'x'.repeat(count)),
  );

const safeJsonValue = (maxDepth: number) =>
  fc.jsonValue({ maxDepth }).filter((value) => unsafeTreeReason(value) === undefined);

/** Values built to pollute prototypes if anything merged or assigned them naively. */
export const pollutionValue: fc.Arbitrary<unknown> = fc
  .constantFrom(
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"prototype":{"polluted":"yes"}}',
    '[{"__proto__":{"polluted":"yes"}}]',
    '{"a":{"__proto__":{"polluted":"yes"},"constructor":{"name":"x"}}}',
    '{"__proto__":[]}',
    '{"__proto__":null}',
    '{"constructor":"Object"}',
    '{"constructor":1}',
    '{"constructor":false}',
    '{"toString":"x","valueOf":{},"hasOwnProperty":1}',
    '{"polluted":"yes"}',
  )
  .map((text) => JSON.parse(text) as unknown);

/** The same, without the keys the module refuses by design (so the envelope stays valid). */
const acceptedPollutionValue = pollutionValue.filter(
  (value) => unsafeTreeReason(value) === undefined,
);

export type Replacement = unknown;

/** What a mutation puts in place of a node: wrong types, extremes, pollution, depth, size. */
export const replacement = (mode: MutationMode): fc.Arbitrary<Replacement> => {
  const valid = mode === 'valid';
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.integer(),
        fc.double(),
        fc.constantFrom(0, -1, 1.5, 2 ** 53 + 2, 1e21, -1e308),
      ),
    },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(true, false, null, '', [], {}, [[]], [{}], [null]),
    },
    { weight: 2, arbitrary: valid ? safeJsonValue(3) : fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: valid ? acceptedPollutionValue : pollutionValue },
    { weight: 1, arbitrary: hugeString(valid ? 1_000_000 : 1_300_000) },
    { weight: 1, arbitrary: deepRaw(valid ? 100 : 400_000) },
  );
};

// ---------------------------------------------------------------------------------------------
// Valid payloads from the project's own test kit, and synthetic ones.

const knownField = fc.constantFrom(...WABA_FIELDS);

/** Field names Meta does not send: empty, `*`, prototype members, near-misses of real ones. */
const oddField = fc.oneof(
  fc.constantFrom('*', '', ' ', 'MESSAGES', 'messages ', 'prototype', 'toString', 'hasOwnProperty'),
  fc.string({ maxLength: 20 }),
);

export const kitPayload: fc.Arbitrary<unknown> = fc.oneof(
  knownField.map((field) => fieldWebhook(field)),
  fc.constantFrom(...WABA_INBOUND_MESSAGE_TYPES).map((type) => messageWebhook(type)),
  fc
    .tuple(
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom('sent', 'delivered', 'read', 'played', 'failed', 'deleted'),
    )
    .map(([count, status]) => statusesWebhook(count, status)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((body) => textMessageWebhook(body)),
  fc
    .tuple(oddField, safeJsonValue(3))
    .map(([field, value]) => changeWebhook(field, value === null ? {} : value)),
);

/** One to four kit payloads batched into one envelope, as Meta batches updates. */
export const kitEnvelope: fc.Arbitrary<unknown> = fc
  .array(kitPayload, { minLength: 1, maxLength: 4 })
  .map((payloads) => batchWebhooks(...(payloads as Parameters<typeof batchWebhooks>)));

const extraKey = (mode: MutationMode) =>
  fc
    .oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string({ maxLength: 12 }))
    .filter((key) => mode === 'anywhere' || (!FORBIDDEN_KEYS.has(key) && !ENVELOPE_KEYS.has(key)));

/** Envelopes that are valid by construction but otherwise arbitrary: IDs, times, fields, values. */
export const syntheticEnvelope: fc.Arbitrary<unknown> = fc
  .array(
    fc.record({
      id: fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.stringMatching(/^\d{1,20}$/),
        fc.constantFrom(...POLLUTION_KEYS),
      ),
      time: fc.oneof(
        fc.constant(undefined),
        fc.constant(null),
        fc.integer(),
        fc.constantFrom(0, -1, 2 ** 53, 1e21),
      ),
      changes: fc.array(
        fc.record({
          field: fc.oneof(knownField, oddField),
          value: safeJsonValue(4).filter((value) => value !== null),
        }),
        { maxLength: 4 },
      ),
      extra: fc.dictionary(extraKey('valid'), safeJsonValue(2), { maxKeys: 2 }),
    }),
    { maxLength: 4 },
  )
  .map((entries) => ({
    object: 'whatsapp_business_account',
    entry: entries.map(({ id, time, changes, extra }) => {
      const entry: Record<string, unknown> = { id };
      if (time !== undefined) entry.time = time;
      entry.changes = changes;
      for (const [key, value] of Object.entries(extra)) defineOwn(entry, key, value);
      return entry;
    }),
  }));

/**
 * One to three envelopes in a JSON array, as Meta's "Webhooks for WhatsApp Business Accounts"
 * page shows its example payload; the module accepts the array when every item is valid.
 */
export const envelopeArray: fc.Arbitrary<unknown> = fc.array(
  fc.oneof({ weight: 3, arbitrary: kitEnvelope }, { weight: 1, arbitrary: syntheticEnvelope }),
  { minLength: 1, maxLength: 3 },
);

// ---------------------------------------------------------------------------------------------
// Mutations of documents.

/** `valid`: mutations that keep the envelope valid (only inside values, no refused keys). */
export type MutationMode = 'valid' | 'anywhere';

export type Mutation =
  | { readonly op: 'replace'; readonly at: number; readonly with: Replacement }
  | { readonly op: 'delete'; readonly at: number }
  | {
      readonly op: 'insertKey';
      readonly at: number;
      readonly key: string;
      readonly with: Replacement;
    }
  | { readonly op: 'stringToNumber'; readonly at: number; readonly number: number }
  | { readonly op: 'numberizeAll'; readonly at: number };

export const mutation = (mode: MutationMode): fc.Arbitrary<Mutation> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('replace' as const),
        at: fc.nat(),
        with: replacement(mode),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('insertKey' as const),
        at: fc.nat(),
        key: extraKey(mode),
        with: replacement(mode),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('stringToNumber' as const),
        at: fc.nat(),
        number: fc.oneof(fc.integer(), fc.double({ noNaN: true })),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('numberizeAll' as const), at: fc.nat() }) },
  );

type Path = readonly (string | number)[];

function nodesOf(root: unknown, limit = 5_000): { path: Path; node: unknown }[] {
  const found: { path: Path; node: unknown }[] = [];
  const queue: { path: Path; node: unknown }[] = [{ path: [], node: root }];
  for (let next = 0; next < queue.length && found.length < limit; next++) {
    const item = queue[next]!;
    found.push(item);
    const { path, node } = item;
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      queue.push({ path: [...path, Array.isArray(node) ? Number(key) : key], node: child });
    }
  }
  return found;
}

/** `entry.N.changes.M.value` and below (`K.entry.N.changes.M.value` in an array body). */
function isInsideValue(path: Path, strictlyBelow: boolean): boolean {
  const at = typeof path[0] === 'number' ? 1 : 0;
  return (
    path[at] === 'entry' &&
    path[at + 2] === 'changes' &&
    path[at + 4] === 'value' &&
    path.length >= at + (strictlyBelow ? 6 : 5)
  );
}

function nodeAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

function setAt(root: { value: unknown }, path: Path, value: unknown): void {
  if (path.length === 0) {
    root.value = value;
    return;
  }
  const parent = nodeAt(root.value, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  if (Array.isArray(parent)) parent[key as number] = value;
  else defineOwn(parent, String(key), value);
}

function numberize(node: unknown): unknown {
  if (typeof node === 'string') return /^-?\d+(\.\d+)?$/.test(node) ? Number(node) : node;
  if (Array.isArray(node)) return node.map(numberize);
  if (typeof node === 'object' && node !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) defineOwn(copy, key, numberize(value));
    return copy;
  }
  return node;
}

/**
 * Applies mutations to a deep copy of `value`. Raw JSON replacements become markers that
 * {@link renderDocument} splices in. In `valid` mode every mutation keeps the envelope valid.
 */
export function mutateDocument(
  value: unknown,
  mutations: readonly Mutation[],
  mode: MutationMode,
): FuzzDocument {
  const holder = { value: structuredClone(value) };
  const raws: string[] = [];
  const materialise = (replacement: Replacement): unknown => {
    if (typeof replacement === 'object' && replacement !== null && 'raw' in replacement) {
      raws.push((replacement as RawJson).raw);
      return RAW_MARK(raws.length - 1);
    }
    return structuredClone(replacement);
  };
  for (const m of mutations) {
    const nodes = nodesOf(holder.value).filter(({ path, node }) => {
      const inValue = isInsideValue(path, false);
      const belowValue = isInsideValue(path, true);
      switch (m.op) {
        case 'replace':
          return mode === 'anywhere' || inValue;
        case 'delete':
          return path.length > 0 && (mode === 'anywhere' || belowValue);
        case 'insertKey':
          return (
            typeof node === 'object' &&
            node !== null &&
            !Array.isArray(node) &&
            (mode === 'anywhere' || !ENVELOPE_KEYS.has(m.key) || inValue)
          );
        case 'stringToNumber':
          return typeof node === 'string' && (mode === 'anywhere' || belowValue);
        case 'numberizeAll':
          return mode === 'anywhere' || inValue;
      }
    });
    if (nodes.length === 0) continue;
    const { path, node } = nodes[m.at % nodes.length]!;
    switch (m.op) {
      case 'replace': {
        let next = materialise(m.with);
        // A change's value must be present: null would make the envelope invalid.
        const isValue = isInsideValue(path, false) && !isInsideValue(path, true);
        if (mode === 'valid' && isValue && next === null) next = {};
        setAt(holder, path, next);
        break;
      }
      case 'delete': {
        const parent = nodeAt(holder.value, path.slice(0, -1)) as Record<string | number, unknown>;
        if (Array.isArray(parent)) parent.splice(path.at(-1) as number, 1);
        else delete parent[path.at(-1)!];
        break;
      }
      case 'insertKey':
        defineOwn(node as Record<string, unknown>, m.key, materialise(m.with));
        break;
      case 'stringToNumber':
        setAt(holder, path, Number.isFinite(m.number) ? m.number : 0);
        break;
      case 'numberizeAll':
        setAt(holder, path, numberize(node));
        break;
    }
  }
  return { value: holder.value, raws };
}

/** How the bytes of a JSON document are laid out; every layout parses to the same value. */
export type Layout = 'meta' | 'json' | 'pretty' | 'bom' | 'padded';
export const layout = fc.constantFrom<Layout>('meta', 'meta', 'json', 'pretty', 'bom', 'padded');

export function renderDocument(doc: FuzzDocument, how: Layout): Buffer {
  let text: string;
  switch (how) {
    case 'meta':
      text = serializeLikeMeta(doc.value);
      break;
    case 'json':
      text = JSON.stringify(doc.value);
      break;
    case 'pretty':
      text = JSON.stringify(doc.value, null, 2);
      break;
    case 'bom':
      text = '\uFEFF' + JSON.stringify(doc.value);
      break;
    case 'padded':
      text = ' \r\n\t' + JSON.stringify(doc.value) + '\n ';
      break;
  }
  doc.raws.forEach((raw, index) => {
    text = text.replace(`"${RAW_MARK(index)}"`, () => raw);
  });
  return Buffer.from(text, 'utf8');
}

/** A valid envelope, possibly mutated within the valid space, as bytes. */
export const validEnvelopeBody: fc.Arbitrary<Buffer> = fc
  .record({
    envelope: fc.oneof(
      { weight: 3, arbitrary: kitEnvelope },
      { weight: 1, arbitrary: syntheticEnvelope },
      { weight: 1, arbitrary: envelopeArray },
    ),
    mutations: fc.array(mutation('valid'), { maxLength: 4 }),
    layout,
  })
  .map(({ envelope, mutations, layout }) =>
    renderDocument(mutateDocument(envelope, mutations, 'valid'), layout),
  )
  // Several huge strings may add up beyond the limit; a valid request must fit in it.
  .filter((body) => body.length <= BODY_LIMIT_BYTES);

/** Deep JSON, valid or broken, at a site of an otherwise valid envelope (or alone). */
const deepBody: fc.Arbitrary<Buffer> = fc
  .record({
    deep: deepRaw(),
    site: fc.constantFrom('bare', 'value', 'entryExtra', 'envelopeExtra', 'entry', 'changes', 'id'),
    truncate: fc.boolean(),
  })
  .map(({ deep, site, truncate }) => {
    const raw = truncate ? deep.raw.slice(0, Math.ceil(deep.raw.length / 2)) : deep.raw;
    const envelope = (entry: string) => `{"object":"whatsapp_business_account","entry":[${entry}]}`;
    const text = {
      bare: raw,
      value: envelope(`{"id":"1","changes":[{"field":"x","value":${raw}}]}`),
      entryExtra: envelope(`{"id":"1","deep":${raw},"changes":[]}`),
      envelopeExtra: `{"deep":${raw},"object":"whatsapp_business_account","entry":[]}`,
      entry: `{"object":"whatsapp_business_account","entry":${raw}}`,
      changes: envelope(`{"id":"1","changes":${raw}}`),
      id: envelope(`{"id":${raw},"changes":[]}`),
    }[site];
    return Buffer.from(text, 'utf8');
  });

/** Texts that are almost a valid envelope: cut short, trailing junk, duplicate keys, JS-isms. */
const nearValidBody: fc.Arbitrary<Buffer> = fc
  .record({ body: validEnvelopeBody, cut: fc.nat(), variant: fc.nat({ max: 6 }) })
  .map(({ body, cut, variant }) => {
    const text = body.toString('utf8');
    switch (variant) {
      case 0:
        return Buffer.from(text.slice(0, cut % Math.max(1, text.length)), 'utf8');
      case 1:
        return Buffer.from(text + ' }', 'utf8');
      case 2:
        return Buffer.from(text.replace('{', '{"object":"page",'), 'utf8');
      case 3:
        return Buffer.from(
          text.replace(
            /"object":\s*"whatsapp_business_account"/,
            '"object":"whatsapp_business_account","object":"page"',
          ),
          'utf8',
        );
      case 4:
        return Buffer.from(text.replace(/:\s*(\d+)/, ':NaN'), 'utf8');
      case 5:
        return Buffer.from(text.replace('{', '{/* c */'), 'utf8');
      default: {
        // Raw invalid UTF-8 inside the JSON text.
        const at = cut % Math.max(1, body.length);
        return Buffer.concat([
          body.subarray(0, at),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
          body.subarray(at),
        ]);
      }
    }
  });

/** Anything a client could send as a body; the oracle says what each should get. */
export const arbitraryBody: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 2,
    arbitrary: fc
      .jsonValue({ maxDepth: 5 })
      .map((value) => Buffer.from(JSON.stringify(value) ?? '', 'utf8')),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: 'binary', maxLength: 500 })
      .map((text) => Buffer.from(text, 'utf8')),
  },
  { weight: 2, arbitrary: deepBody },
  {
    weight: 1,
    arbitrary: hugeString(1_300_000).map((text) =>
      Buffer.from(
        `{"object":"whatsapp_business_account","entry":[],"x":${JSON.stringify(text)}}`,
        'utf8',
      ),
    ),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        envelope: fc.oneof(kitEnvelope, syntheticEnvelope, envelopeArray),
        mutations: fc.array(mutation('anywhere'), { minLength: 1, maxLength: 4 }),
        layout,
      })
      .map(({ envelope, mutations, layout }) =>
        renderDocument(mutateDocument(envelope, mutations, 'anywhere'), layout),
      ),
  },
  { weight: 1, arbitrary: nearValidBody },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '',
        ' ',
        'null',
        '[]',
        '{}',
        '"x"',
        '0',
        'true',
        '[{}]',
        '[{"object":"whatsapp_business_account","entry":[]}]',
        '[{"object":"whatsapp_business_account","entry":[]},{"object":"page","entry":[]}]',
        '{"object":"whatsapp_business_account"}',
        '{"object":"whatsapp_business_account","entry":{}}',
      )
      .map((text) => Buffer.from(text, 'utf8')),
  },
);

// ---------------------------------------------------------------------------------------------
// Headers.

export type HeaderLine = readonly [string, string];

const OWS = fc.constantFrom('', '', ' ', '\t', '  ', ' \t ');

export const signatureHeaderName = fc.oneof(
  fc.constantFrom('x-hub-signature-256', 'X-Hub-Signature-256', 'X-HUB-SIGNATURE-256'),
  fc.mixedCase(fc.constant('x-hub-signature-256')),
);

const VALID_SIGNATURES = ['exact', 'upper-hex', 'mixed-hex', 'padded', 'with-legacy'] as const;
const INVALID_SIGNATURES = [
  'missing',
  'legacy-sha1-only',
  'wrong-secret',
  'other-bytes',
  'truncated',
  'extended',
  'base64',
  'base64url',
  'upper-prefix',
  'sha1-prefix',
  'sha1-digest',
  'no-prefix',
  'colon',
  'inner-space',
  'digit-changed',
  'duplicate-valid',
  'duplicate-mixed',
  'empty',
  'long',
  'garbage',
  'latin1',
  'hex-of-hex',
] as const;

export type SignatureVariant =
  (typeof VALID_SIGNATURES)[number] | (typeof INVALID_SIGNATURES)[number];

export interface SignatureRecipe {
  readonly variant: SignatureVariant;
  readonly secret: 0 | 1;
  readonly name: string;
  readonly otherName: string;
  readonly lead: string;
  readonly trail: string;
  readonly n: number;
  readonly bits: readonly boolean[];
  readonly garbage: string;
}

const recipe = (variants: readonly SignatureVariant[]): fc.Arbitrary<SignatureRecipe> =>
  fc.record({
    variant: fc.constantFrom(...variants),
    secret: fc.constantFrom<0 | 1>(0, 1),
    name: signatureHeaderName,
    otherName: signatureHeaderName,
    lead: OWS,
    trail: OWS,
    n: fc.nat({ max: 1_000 }),
    bits: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
    garbage: fc.string({
      unit: fc.constantFrom(...'sha256=0123456789abcdefABCDEF ,;:+/=-_xyz'.split('')),
      maxLength: 90,
    }),
  });

export const validSignature = recipe(VALID_SIGNATURES);
export const invalidSignature = recipe(INVALID_SIGNATURES);

/** Header lines carrying a signature recipe for these bytes, and whether the module must accept it. */
export function signatureHeaders(
  r: SignatureRecipe,
  body: Buffer,
): { lines: HeaderLine[]; valid: boolean } {
  const secret = FUZZ_SECRETS[r.secret];
  const good = signWebhookBody(body, secret);
  const hex = good.slice('sha256='.length);
  const digest = Buffer.from(hex, 'hex');
  const one = (value: string, valid: boolean) => ({ lines: [[r.name, value] as const], valid });
  switch (r.variant) {
    case 'exact':
      return one(good, true);
    case 'upper-hex':
      return one('sha256=' + hex.toUpperCase(), true);
    case 'mixed-hex':
      return one(
        'sha256=' + [...hex].map((c, i) => (r.bits[i] ? c.toUpperCase() : c)).join(''),
        true,
      );
    case 'padded':
      // HTTP strips optional whitespace around a header value: still a valid signature.
      return one(r.lead + good + r.trail, true);
    case 'with-legacy':
      return {
        lines: [
          ['X-Hub-Signature', 'sha1=' + createHmac('sha1', secret).update(body).digest('hex')],
          [r.name, good],
        ],
        valid: true,
      };
    case 'missing':
      return { lines: [], valid: false };
    case 'legacy-sha1-only':
      return {
        lines: [
          ['X-Hub-Signature', 'sha1=' + createHmac('sha1', secret).update(body).digest('hex')],
        ],
        valid: false,
      };
    case 'wrong-secret':
      return one(signWebhookBody(body, `${secret}-not`), false);
    case 'other-bytes':
      return one(signWebhookBody(Buffer.concat([body, Buffer.from(' ')]), secret), false);
    case 'truncated':
      return one(good.slice(0, good.length - 1 - (r.n % 63)), false);
    case 'extended':
      return one(good + hex.slice(0, 1 + (r.n % 63)), false);
    case 'base64':
      return one('sha256=' + digest.toString('base64'), false);
    case 'base64url':
      return one('sha256=' + digest.toString('base64url'), false);
    case 'upper-prefix':
      return one('SHA256=' + hex, false);
    case 'sha1-prefix':
      return one('sha1=' + hex, false);
    case 'sha1-digest':
      return one('sha256=' + createHmac('sha1', secret).update(body).digest('hex'), false);
    case 'no-prefix':
      return one(hex, false);
    case 'colon':
      return one('sha256:' + hex, false);
    case 'inner-space': {
      const at = 7 + (r.n % 64);
      return one(good.slice(0, at) + ' ' + good.slice(at), false);
    }
    case 'digit-changed': {
      const at = r.n % 64;
      const digit = ((parseInt(hex[at]!, 16) + 1 + (r.n % 15)) % 16).toString(16);
      return one('sha256=' + hex.slice(0, at) + digit + hex.slice(at + 1), false);
    }
    case 'duplicate-valid':
      // Node joins repeated headers with ", ": a repeated signature is malformed.
      return {
        lines: [
          [r.name, good],
          [r.otherName, good],
        ],
        valid: false,
      };
    case 'duplicate-mixed':
      return {
        lines: r.bits[0]
          ? [
              [r.name, good],
              [r.otherName, r.garbage || 'x'],
            ]
          : [
              [r.name, r.garbage || 'x'],
              [r.otherName, good],
            ],
        valid: false,
      };
    case 'empty':
      return one('', false);
    case 'long':
      return one(good + 'a'.repeat(1 + r.n * 8), false);
    case 'garbage':
      return one(r.garbage, false);
    case 'latin1':
      return one(good.slice(0, -1) + '\u00e9', false);
    case 'hex-of-hex':
      return one('sha256=' + Buffer.from(hex).toString('hex').slice(0, 64), false);
  }
}

/** Content types the module treats as JSON (the body parser parses them, the guard accepts them). */
export const JSON_CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json;charset=utf-8',
  'Application/JSON',
  'APPLICATION/JSON; CHARSET=UTF-8',
  'application/json; charset="utf-8"',
  'application/json; foo=bar',
  '  application/json',
] as const;

/** Content types that are not JSON, or JSON in a charset other than UTF-8. */
export const OTHER_CONTENT_TYPES = [
  undefined,
  '',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/jsonp',
  'application/json-patch+json',
  'application/vnd.api+json',
  'application/*',
  '*/*',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=utf-32',
  'application/json; charset=fuzz',
] as const;

export interface ContentTypeRecipe {
  readonly value: string | undefined;
  readonly json: boolean;
  readonly name: string;
  /** A second Content-Type line after the first; Node keeps only the first one. */
  readonly duplicate: string | undefined;
}

const contentTypeName = fc.oneof(
  fc.constantFrom('content-type', 'Content-Type', 'CONTENT-TYPE'),
  fc.mixedCase(fc.constant('content-type')),
);

export const jsonContentType: fc.Arbitrary<ContentTypeRecipe> = fc.record({
  value: fc.constantFrom<string | undefined>(...JSON_CONTENT_TYPES),
  json: fc.constant(true),
  name: contentTypeName,
  duplicate: fc.option(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded'), {
    nil: undefined,
  }),
});

export const anyContentType: fc.Arbitrary<ContentTypeRecipe> = fc.oneof(
  jsonContentType,
  fc.record({
    value: fc.oneof(
      fc.constantFrom<string | undefined>(...OTHER_CONTENT_TYPES),
      fc
        .string({ unit: 'binary-ascii', maxLength: 40 })
        .map((s) => s.replace(/[^\x20-\x7e\t]/g, '')),
    ),
    json: fc.constant(false),
    name: contentTypeName,
    duplicate: fc.constant(undefined),
  }),
);

export function contentTypeHeaders(r: ContentTypeRecipe): HeaderLine[] {
  if (r.value === undefined) return [];
  const lines: HeaderLine[] = [[r.name, r.value]];
  if (r.duplicate !== undefined) lines.push(['Content-Type', r.duplicate]);
  return lines;
}

/** Headers that must change nothing. */
export const noiseHeaders: fc.Arbitrary<HeaderLine[]> = fc.array(
  fc.constantFrom<HeaderLine>(
    ['X-Forwarded-For', '203.0.113.7, 10.0.0.1'],
    ['X-Hub-Signature', 'sha1=0000000000000000000000000000000000000000'],
    ['Connection', 'close'],
    ['Accept-Encoding', 'gzip, br'],
    ['X-Request-Id', '__proto__'],
    ['constructor', 'prototype'],
    ['User-Agent', 'facebookexternalua'],
  ),
  { maxLength: 3 },
);

export const framing = fc.record({
  framing: fc.constantFrom<'length' | 'chunked'>('length', 'length', 'chunked'),
  chunks: fc.integer({ min: 1, max: 4 }),
});

/** Content-Encoding: mostly none; else the body compressed (or not) and labelled. */
export type EncodingRecipe = 'identity' | 'gzip' | 'deflate' | 'br' | 'gzip-label-only' | 'unknown';
export const encoding = fc.oneof(
  { weight: 6, arbitrary: fc.constant<EncodingRecipe>('identity') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<EncodingRecipe>(
      'gzip',
      'deflate',
      'br',
      'gzip-label-only',
      'unknown',
    ),
  },
);

export function encodeBody(
  body: Buffer,
  how: EncodingRecipe,
): { body: Buffer; lines: HeaderLine[] } {
  switch (how) {
    case 'identity':
      return { body, lines: [] };
    case 'gzip':
      return { body: gzipSync(body), lines: [['Content-Encoding', 'gzip']] };
    case 'deflate':
      return { body: deflateSync(body), lines: [['Content-Encoding', 'deflate']] };
    case 'br':
      return { body: brotliCompressSync(body), lines: [['Content-Encoding', 'br']] };
    case 'gzip-label-only':
      return { body, lines: [['Content-Encoding', 'gzip']] };
    case 'unknown':
      return { body, lines: [['Content-Encoding', 'x-fuzz']] };
  }
}

// ---------------------------------------------------------------------------------------------
// The GET verification handshake.

export interface HandshakeCase {
  readonly path: string;
  /** The body of a 200; `undefined` when the module must answer 403. */
  readonly challenge: string | undefined;
}

const challenge = fc.string({ unit: 'binary', minLength: 1, maxLength: 60 });
const queryExtras = fc.array(
  fc.oneof(
    fc.tuple(
      fc.string({ maxLength: 10 }).filter((key) => !key.startsWith('hub')),
      fc.string({ maxLength: 10 }),
    ),
    fc.constantFrom<[string, string]>(
      ['__proto__[polluted]', 'yes'],
      ['constructor[prototype][polluted]', 'yes'],
      ['__proto__', 'x'],
      ['x[__proto__][polluted]', 'yes'],
    ),
  ),
  { maxLength: 3 },
);

const query = (pairs: readonly (readonly [string, string])[]) =>
  '/webhooks/whatsapp?' +
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

export const handshakeCase: fc.Arbitrary<HandshakeCase> = fc.oneof(
  // Valid: the three parameters, either token, in any order, among harmless extras.
  fc
    .record({
      token: fc.constantFrom(...FUZZ_VERIFY_TOKENS),
      challenge,
      extras: queryExtras,
      order: fc.nat(),
    })
    .map(({ token, challenge, extras, order }) => {
      const pairs: [string, string][] = [
        ['hub.mode', 'subscribe'],
        ['hub.verify_token', token],
        ['hub.challenge', challenge],
        ...extras,
      ];
      const rotated = pairs.map((_, i) => pairs[(i + order) % pairs.length]!);
      return { path: query(rotated), challenge };
    }),
  // Invalid: one thing wrong.
  fc
    .record({
      challenge,
      extras: queryExtras,
      wrong: fc.constantFrom(
        'token',
        'token-case',
        'token-space',
        'token-prefix',
        'no-token',
        'no-mode',
        'no-challenge',
        'mode',
        'empty-challenge',
        'two-modes',
        'two-tokens',
        'upper-keys',
      ),
      junk: fc.string({ maxLength: 20 }),
    })
    .map(({ challenge, extras, wrong, junk }) => {
      const token = FUZZ_VERIFY_TOKENS[0];
      let pairs: [string, string][] = [
        ['hub.mode', 'subscribe'],
        ['hub.verify_token', token],
        ['hub.challenge', challenge],
      ];
      const set = (key: string, value: string) =>
        (pairs = pairs.map(([k, v]) => [k, k === key ? value : v]));
      const drop = (key: string) => (pairs = pairs.filter(([k]) => k !== key));
      switch (wrong) {
        case 'token':
          set('hub.verify_token', FUZZ_VERIFY_TOKENS.includes(junk as never) ? `${junk}!` : junk);
          break;
        case 'token-case':
          set('hub.verify_token', token.toUpperCase());
          break;
        case 'token-space':
          set('hub.verify_token', ` ${token}`);
          break;
        case 'token-prefix':
          set('hub.verify_token', token.slice(0, -1));
          break;
        case 'no-token':
          drop('hub.verify_token');
          break;
        case 'no-mode':
          drop('hub.mode');
          break;
        case 'no-challenge':
          drop('hub.challenge');
          break;
        case 'mode':
          set('hub.mode', junk === 'subscribe' ? 'Subscribe' : junk);
          break;
        case 'empty-challenge':
          set('hub.challenge', '');
          break;
        case 'two-modes':
          pairs.push(['hub.mode', 'unsubscribe']);
          break;
        case 'two-tokens':
          pairs.push(['hub.verify_token', FUZZ_VERIFY_TOKENS[1]]);
          break;
        case 'upper-keys':
          pairs = pairs.map(([k, v]) => [k.toUpperCase(), v]);
          break;
      }
      return { path: query([...pairs, ...extras]), challenge: undefined };
    }),
  // Junk query strings: broken escapes, brackets, pollution, nothing at all.
  fc
    .oneof(
      fc.string({
        unit: fc.constantFrom(...'abhu.=&[]%_0123456789ABCDEF+;?#'.split('')),
        maxLength: 80,
      }),
      fc.constantFrom(
        '',
        '%',
        '%zz',
        '%E0%A4%A',
        'hub.mode=subscribe&hub.challenge=x',
        'hub[mode]=subscribe&hub[challenge]=x&hub[verify_token][0]=fuzz-verify-token',
      ),
    )
    .map((junk) => ({
      path: `/webhooks/whatsapp?${junk.replace(/#/g, '%23')}`,
      challenge: undefined,
    })),
);

/** A known-valid signed request body, to check the server is still up after a property. */
export function healthyEnvelope(): Buffer {
  return Buffer.from(serializeLikeMeta(textMessageWebhook('still alive?')), 'utf8');
}
