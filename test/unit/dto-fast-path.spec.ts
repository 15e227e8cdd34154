/**
 * Oracle tests of `DtoFastPath` (src/validation/dto-fast-path.ts) against the libraries it
 * reimplements. For a class `Dto` and a value `plain` as `JSON.parse` produces it:
 *
 * - `toInstance(Dto, plain)` is `undefined` (fall back) or `toStrictEqual` to
 *   `plainToInstance(Dto, plain)`: same keys and values, same class at every level;
 * - `isValid(instance)` is `undefined` (fall back) or equal to "`validateSync(instance)` with the
 *   payload pipe's options returns no errors", on the library's instance and on the fast one;
 * - on every realistic payload (the test kit's builders and the fixtures) neither falls back,
 *   and the value is valid.
 *
 * The generated part takes those payloads, mutates them at random paths (replace, delete,
 * insert, wrap in arrays, change a value's JSON type) and compares again. `FUZZ_RUNS` sets the
 * cases per property (default 300), `FUZZ_SEED` replays a run.
 */
import { Expose, Type, plainToInstance } from 'class-transformer';
import { IsOptional, IsString, ValidateNested, validateSync } from 'class-validator';
import type { ValidationError } from 'class-validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_VALUE_DTOS } from '../../src/dto/field-value-dtos.js';
import {
  WebhookChangeDto,
  WebhookEntryDto,
  WebhookEnvelopeDto,
} from '../../src/dto/webhook-envelope.dto.js';
import {
  batchWebhooks,
  fieldValue,
  fieldWebhook,
  inboundMessage,
  messageStatus,
  messagesValue,
  messagesWebhook,
  statusesWebhook,
  templateStatusWebhook,
  webhookEntry,
  webhookPayload,
} from '../../src/testing/index.js';
import { WABA_INBOUND_MESSAGE_TYPES } from '../../src/types/index.js';
import { WABA_FIELDS, type WabaField } from '../../src/types/waba-field.js';
import { createDtoFastPath, type DtoFastPath } from '../../src/validation/dto-fast-path.js';
import { FIELD_VALUE_EXAMPLES, INBOUND_MESSAGE_EXAMPLES } from '../fixtures/field-values.js';

type Json = Record<string, unknown>;
type Dto = new () => object;

/** The options the payload pipe validates with. */
const VALIDATOR_OPTIONS = { forbidUnknownValues: false, validationError: { target: false } };

/** Built as the payload pipe builds it. */
const fastPath = createDtoFastPath({ cls: WebhookEnvelopeDto, property: 'entry' });

function parseCount(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return count;
}

/** Generated cases per property. */
const FUZZ_RUNS = parseCount('FUZZ_RUNS', process.env.FUZZ_RUNS) ?? 300;
/** Replays a run: fast-check prints the seed of a failure. */
const FUZZ_SEED = process.env.FUZZ_SEED ? Number.parseInt(process.env.FUZZ_SEED, 10) : undefined;

/** What `JSON.parse` makes of `value` once serialised. */
function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** `path: constraint` lines of class-validator's errors, for failure messages. */
function describeErrors(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeErrors(error.children ?? [], path)];
  });
}

// ---------------------------------------------------------------------------------------------
// The oracle

type FastPathApi = Pick<DtoFastPath, 'toInstance' | 'isValid'>;

interface OracleResult {
  /** `validateSync` returned no errors for `plainToInstance(dto, plain)`. */
  readonly valid: boolean;
  /** `toInstance` answered (did not fall back). */
  readonly instanceAnswered: boolean;
  /** `isValid` answered on the library's instance. */
  readonly validityAnswered: boolean;
}

/**
 * Runs the libraries and the fast path on copies of `plain` and asserts that every answer the
 * fast path gives is the libraries' answer.
 */
function compareWithLibraries(dto: Dto, plain: Json, fast: FastPathApi = fastPath): OracleResult {
  const expected = plainToInstance(dto, structuredClone(plain));
  const input = structuredClone(plain);
  const actual = fast.toInstance(dto, input);
  expect(input, 'toInstance must not modify its input').toStrictEqual(plain);
  if (actual !== undefined) {
    expect(actual).toBeInstanceOf(dto);
    expect(actual, 'toInstance must build what plainToInstance builds').toStrictEqual(expected);
  }

  const errors = describeErrors(validateSync(expected, VALIDATOR_OPTIONS));
  const valid = errors.length === 0;
  const verdict = `validateSync errors: ${JSON.stringify(errors)}`;
  const onLibraryInstance = fast.isValid(expected);
  if (onLibraryInstance !== undefined) {
    expect(onLibraryInstance, `isValid(plainToInstance(…)); ${verdict}`).toBe(valid);
  }
  if (actual !== undefined) {
    const onFastInstance = fast.isValid(actual);
    if (onFastInstance !== undefined) {
      expect(onFastInstance, `isValid(toInstance(…)); ${verdict}`).toBe(valid);
    }
  }
  return {
    valid,
    instanceAnswered: actual !== undefined,
    validityAnswered: onLibraryInstance !== undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Seeds: realistic values from the test kit (src/testing) and the fixtures

interface Seed {
  readonly name: string;
  readonly dto: Dto;
  readonly plain: Json;
}

function seed(name: string, dto: Dto, value: unknown): Seed {
  return { name, dto, plain: asJson(value) as Json };
}

function dtoOf(field: WabaField): Dto {
  const dto = FIELD_VALUE_DTOS[field];
  if (!dto) throw new Error(`no DTO for ${field}`);
  return dto;
}

const DTO_FIELDS = WABA_FIELDS.filter((field) => FIELD_VALUE_DTOS[field] !== undefined);
const STATUS_NAMES = ['sent', 'delivered', 'read', 'played', 'failed'] as const;
const TEMPLATE_FIELDS = [
  'message_template_status_update',
  'message_template_quality_update',
  'message_template_components_update',
  'template_category_update',
] as const;

/** An interactive reply of another kind than the test kit's default `button_reply`. */
function interactiveReply(interactive: Json): Json {
  return inboundMessage('interactive', {
    interactive: { button_reply: undefined, ...interactive } as never,
  }) as unknown as Json;
}

/** Documented variants of field values, as the DTO tests and the fixtures describe them. */
const VARIANT_VALUES: readonly [WabaField, string, unknown][] = [
  ['account_update', 'ACCOUNT_DELETED', { event: 'ACCOUNT_DELETED' }],
  [
    'account_update',
    'ACCOUNT_RESTRICTION',
    {
      event: 'ACCOUNT_RESTRICTION',
      restriction_info: [
        { restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: 1750630073 },
        { restriction_type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiration: '1750630073' },
      ],
    },
  ],
  [
    'account_update',
    'AUTH_INTL_PRICE_ELIGIBILITY_UPDATE',
    {
      event: 'AUTH_INTL_PRICE_ELIGIBILITY_UPDATE',
      auth_international_rate_eligibility: {
        start_time: 1750030073,
        exception_countries: [{ country_code: 'IN', start_time: 1750630073 }],
      },
    },
  ],
  [
    'account_update',
    'DISABLED_UPDATE (ban state as a string)',
    {
      event: 'DISABLED_UPDATE',
      ban_info: { waba_ban_state: 'SCHEDULE_FOR_DISABLE', waba_ban_date: 'April 17, 2025' },
    },
  ],
  [
    'account_update',
    'DISABLED_UPDATE (ban state as an array)',
    {
      event: 'DISABLED_UPDATE',
      ban_info: { waba_ban_state: ['SCHEDULE_FOR_DISABLE', 'DISABLE'], waba_ban_date: 'x' },
    },
  ],
  [
    'account_update',
    'PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE',
    {
      event: 'PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE',
      partner_client_certification_info: {
        client_business_id: '2729063490586005',
        status: 'FAILED',
        rejection_reasons: ['ADDRESS NOT MATCHING'],
      },
    },
  ],
  [
    'account_update',
    'VOLUME_BASED_PRICING_TIER_UPDATE',
    {
      event: 'VOLUME_BASED_PRICING_TIER_UPDATE',
      volume_tier_info: {
        tier_update_time: 1750030073,
        pricing_category: 'UTILITY',
        tier: '25000001:50000000',
        effective_month: '2026-07',
        region: 'INDIA',
      },
    },
  ],
  [
    'account_update',
    'PARTNER_REMOVED',
    {
      event: 'PARTNER_REMOVED',
      waba_info: { waba_id: '102290129340398', owner_business_id: '2729063490586005' },
      disconnection_info: { reason: 'COMPANION_INACTIVITY', initiated_by: 'SYSTEM' },
    },
  ],
  [
    'account_update',
    'ACCOUNT_OFFBOARDED',
    { event: 'ACCOUNT_OFFBOARDED', phone_number: '15550783881', lock_info: { expiration: 1 } },
  ],
  [
    'message_template_status_update',
    'REJECTED',
    fieldValue('message_template_status_update', { event: 'REJECTED', reason: 'INVALID_FORMAT' }),
  ],
  [
    'message_template_status_update',
    'PAUSED with other_info',
    fieldValue('message_template_status_update', {
      event: 'PAUSED',
      other_info: { title: 'FIRST_PAUSE', description: 'Paused for 3 hours after low quality.' },
    }),
  ],
  [
    'message_template_status_update',
    'DISABLED with disable_info',
    fieldValue('message_template_status_update', {
      event: 'DISABLED',
      disable_info: { disable_date: 1750030073 },
    }),
  ],
  [
    'message_template_status_update',
    'string message_template_id and a null reason',
    fieldValue('message_template_status_update', {
      message_template_id: '1689556908129832',
      event: 'PENDING_DELETION',
      reason: null as never,
    }),
  ],
  [
    'business_capability_update',
    'tier as a string',
    { max_daily_conversation_per_phone: 250, max_daily_conversations_per_business: 'TIER_2K' },
  ],
  ['standby', 'an empty standby object', fieldValue('standby', { standby: {} as never })],
  [
    'standby',
    'every inbound message type',
    {
      ...fieldValue('standby'),
      standby: { messages: WABA_INBOUND_MESSAGE_TYPES.map((type) => inboundMessage(type)) },
    },
  ],
  ['messaging_handovers', 'only some keys', { type: 'control_taken', control_taken: {} }],
  [
    'messages',
    'every inbound message type, every status, errors and user actions',
    messagesValue({
      messages: WABA_INBOUND_MESSAGE_TYPES.map((type) => inboundMessage(type)),
      statuses: STATUS_NAMES.map((status) => messageStatus(status)),
      errors: (FIELD_VALUE_EXAMPLES.messages as Json).errors as never,
      user_actions: (FIELD_VALUE_EXAMPLES.messages as Json).user_actions as never,
    }),
  ],
  [
    'messages',
    'a username user known by BSUID only',
    messagesValue({ messages: [inboundMessage('text', { from: undefined })] }),
  ],
  [
    'messages',
    'interactive list_reply, call_permission_reply and an unknown interactive type',
    messagesValue({
      messages: [
        interactiveReply({
          type: 'list_reply',
          list_reply: { id: 'row_1', title: 'Size M', description: 'Medium' },
        }),
        interactiveReply({
          type: 'call_permission_reply',
          call_permission_reply: {
            response: 'accept',
            is_permanent: false,
            expiration_timestamp: 1750630073,
            response_source: 'user_action',
          },
        }),
        interactiveReply({ type: 'poll_reply', poll_reply: { option: 2 } }),
      ] as never,
    }),
  ],
  [
    'messages',
    'identity with integer and string created_timestamp',
    messagesValue({
      messages: [
        inboundMessage('text', {
          identity: { acknowledged: true, hash: 'DF2lS5v2W6x=', created_timestamp: 1750030073 },
        }),
        inboundMessage('text', {
          identity: { acknowledged: true, hash: 'DF2lS5v2W6x=', created_timestamp: '1750030073' },
        }),
      ],
    }),
  ],
  [
    'messages',
    'an unknown message type (poll) with its own payload',
    messagesValue({
      messages: [
        {
          ...inboundMessage('text', { text: undefined }),
          type: 'poll',
          poll: { question: 'Pickup or delivery?', options: [{ id: 1, name: 'Pickup' }] },
        } as never,
      ],
    }),
  ],
  [
    'messages',
    'a sent status with a marketing category and callback data',
    messagesValue({
      statuses: [
        messageStatus('sent', {
          pricing: { category: 'marketing' },
          biz_opaque_callback_data: 'order-1042',
        }),
      ],
    }),
  ],
  [
    'group_lifecycle_update',
    'group errors with integer and string codes',
    {
      ...(FIELD_VALUE_EXAMPLES.group_lifecycle_update as Json),
      groups: [
        {
          timestamp: '1750030073',
          group_id: 'g1',
          type: 'group_create',
          errors: [{ code: 131000, title: 'x' }],
        },
        {
          timestamp: '1750030073',
          group_id: 'g2',
          type: 'group_create',
          errors: [{ code: '<CODE>', title: 'x' }],
        },
      ],
    },
  ],
];

const FIELD_SEEDS: readonly Seed[] = [
  ...DTO_FIELDS.map((field) => seed(`${field} (test kit)`, dtoOf(field), fieldValue(field))),
  ...DTO_FIELDS.map((field) =>
    seed(`${field} (fixture)`, dtoOf(field), FIELD_VALUE_EXAMPLES[field]),
  ),
  ...WABA_INBOUND_MESSAGE_TYPES.map((type) =>
    seed(
      `messages: inbound ${type} (test kit)`,
      dtoOf('messages'),
      messagesValue({ messages: [inboundMessage(type)] }),
    ),
  ),
  ...WABA_INBOUND_MESSAGE_TYPES.map((type) =>
    seed(
      `messages: inbound ${type} (fixture)`,
      dtoOf('messages'),
      messagesValue({ messages: [INBOUND_MESSAGE_EXAMPLES[type] as never] }),
    ),
  ),
  ...STATUS_NAMES.map((status) =>
    seed(
      `messages: ${status} status`,
      dtoOf('messages'),
      messagesValue({ statuses: [messageStatus(status)] }),
    ),
  ),
  seed(
    'messages: a batch of 100 delivered statuses',
    dtoOf('messages'),
    statusesWebhook(100).entry[0]!.changes[0]!.value,
  ),
  ...VARIANT_VALUES.map(([field, variant, value]) =>
    seed(`${field}: ${variant}`, dtoOf(field), value),
  ),
];

/**
 * The envelope as the payload pipe hands it to the DTO: every change's value replaced by a
 * marker (`true`), the values being validated separately against their field's DTO.
 */
function envelopeSkeleton(payload: { entry: { changes: { value: unknown }[] }[] }): Json {
  const copy = asJson(payload);
  for (const entry of copy.entry) for (const change of entry.changes) change.value = true;
  return copy as unknown as Json;
}

const ENVELOPE_SEEDS: readonly Seed[] = [
  ...WABA_FIELDS.map((field) =>
    seed(`envelope: ${field}`, WebhookEnvelopeDto, fieldWebhook(field)),
  ),
  ...WABA_FIELDS.map((field) =>
    seed(`envelope skeleton: ${field}`, WebhookEnvelopeDto, envelopeSkeleton(fieldWebhook(field))),
  ),
  seed(
    'envelope: a batch of entries of several fields',
    WebhookEnvelopeDto,
    batchWebhooks(
      messagesWebhook({ messages: [inboundMessage('text'), inboundMessage('image')] }),
      statusesWebhook(3, 'read'),
      templateStatusWebhook(),
      fieldWebhook('security'),
    ),
  ),
  seed(
    'envelope: one entry with several changes and a time',
    WebhookEnvelopeDto,
    webhookPayload(
      webhookEntry(
        [
          { field: 'account_review_update', value: fieldValue('account_review_update') },
          { field: 'security', value: fieldValue('security') },
          { field: 'brand_new_field', value: { anything: [1, 'two', null] } },
        ],
        { time: 1750030073 },
      ),
    ),
  ),
];

const ALL_SEEDS = [...FIELD_SEEDS, ...ENVELOPE_SEEDS];

// ---------------------------------------------------------------------------------------------
// Mutations

type PathKey = string | number;
type Path = readonly PathKey[];
type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** The path of every node of a JSON tree, root (`[]`) first. */
function nodePaths(root: unknown): Path[] {
  const paths: Path[] = [];
  const visit = (node: unknown, path: Path) => {
    paths.push(path);
    if (!isContainer(node)) return;
    for (const [key, child] of Object.entries(node)) {
      visit(child, [...path, Array.isArray(node) ? Number(key) : key]);
    }
  };
  visit(root, []);
  return paths;
}

function nodeAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) node = (node as Record<PathKey, unknown>)[key];
  return node;
}

/** The container holding the node at a (non-root) path, and its key there. */
function slotOf(root: unknown, path: Path): [Container, PathKey] {
  return [nodeAt(root, path.slice(0, -1)) as Container, path[path.length - 1]!];
}

function setSlot(container: Container, key: PathKey, value: unknown): void {
  (container as Record<PathKey, unknown>)[key] = value;
}

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor']);

/** Whether a tree has a key the payload pipe refuses before any DTO sees it. */
function hasForbiddenKey(value: unknown): boolean {
  if (!isContainer(value)) return false;
  if (!Array.isArray(value) && Object.keys(value).some((key) => FORBIDDEN_KEYS.has(key))) {
    return true;
  }
  return Object.values(value).some(hasForbiddenKey);
}

/** The members of `Object.prototype` a JSON object may name, e.g. `toString` or `valueOf`. */
const PROTOTYPE_KEYS = [
  ...Object.getOwnPropertyNames(Object.prototype).filter((key) => !FORBIDDEN_KEYS.has(key)),
  'prototype',
];

/** Every key the seeds use, to move a known key to another level. */
const KNOWN_KEYS = [
  ...new Set(
    ALL_SEEDS.flatMap(({ plain }) =>
      nodePaths(plain).flatMap((path) => {
        const last = path[path.length - 1];
        return typeof last === 'string' ? [last] : [];
      }),
    ),
  ),
].sort();

/** Every object and array of the seeds: realistic values to graft at another place. */
const SUBTREES: readonly unknown[] = ALL_SEEDS.flatMap(({ plain }) =>
  nodePaths(plain)
    .map((path) => nodeAt(plain, path))
    .filter(isContainer),
);

const numberValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 1, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e21, -1e308, 1750030073),
);

const stringValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-0',
    '1e3',
    '0x10',
    'true',
    'null',
    'NaN',
    '[object Object]',
    'whatsapp',
    'whatsapp_business_account',
    'poll',
    ...WABA_INBOUND_MESSAGE_TYPES,
  ),
);

const leafValue = fc.oneof(numberValue, stringValue, fc.boolean(), fc.constant(null));

/** Any JSON value, with the odd shapes the DTOs meet: nested arrays, prototype-named keys. */
const jsonReplacement: fc.Arbitrary<unknown> = fc
  .oneof(
    { weight: 4, arbitrary: leafValue },
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>([], {}, [[]], [null], [[{}]], [[[]]], { '': null }),
    },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS), leafValue, {
        minKeys: 1,
        maxKeys: 3,
      }),
    },
    { weight: 3, arbitrary: fc.constantFrom(...SUBTREES) },
    { weight: 1, arbitrary: fc.constantFrom(...SUBTREES).map((tree) => [[tree]]) },
  )
  .map(asJson)
  .filter((value) => !hasForbiddenKey(value));

const insertKey = fc
  .oneof(
    fc.constantFrom(...PROTOTYPE_KEYS),
    fc.constantFrom(...KNOWN_KEYS),
    fc.string({ maxLength: 8 }),
    fc.constantFrom('0', '1', '', 'length', 'then', 'toJSON'),
  )
  .filter((key) => !FORBIDDEN_KEYS.has(key));

type Step =
  | { readonly op: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'insert'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly op: 'wrap'; readonly at: number; readonly depth: number }
  | { readonly op: 'retype'; readonly at: number }
  | { readonly op: 'same-type'; readonly at: number; readonly value: unknown };

const at = fc.nat();

/** Any mutation, mostly ones that make the value invalid. */
const anyStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('replace'), at, value: jsonReplacement }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete'), at }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('insert'), at, key: insertKey, value: jsonReplacement }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('wrap'), at, depth: fc.integer({ min: 1, max: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('retype'), at }) },
) as fc.Arbitrary<Step>;

/** Mutations that keep many values valid: drop a node, add a key or item, same-type value. */
const mildStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete'), at }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('insert'), at, key: insertKey, value: jsonReplacement }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('same-type'), at, value: leafValue }) },
) as fc.Arbitrary<Step>;

/** The same value in another JSON type: number ↔ string, array ↔ object, … */
function retyped(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const number = Number(value);
    return value.trim() !== '' && Number.isFinite(number) ? number : [value];
  }
  if (typeof value === 'boolean') return value ? 1 : 'false';
  if (value === null) return {};
  if (Array.isArray(value)) return { ...value };
  return Object.values(value as Json);
}

function label(path: Path): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

function short(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Applies one step to `root` in place; its description, or undefined when it had no target. */
function applyStep(root: Json, step: Step): string | undefined {
  const paths = nodePaths(root);
  const inner = paths.slice(1);
  const pick = <T>(list: readonly T[]): T | undefined =>
    list.length === 0 ? undefined : list[step.at % list.length];
  switch (step.op) {
    case 'replace': {
      const path = pick(inner);
      if (!path) return undefined;
      const [container, key] = slotOf(root, path);
      setSlot(container, key, structuredClone(step.value));
      return `replace ${label(path)} with ${short(step.value)}`;
    }
    case 'delete': {
      const path = pick(inner);
      if (!path) return undefined;
      const [container, key] = slotOf(root, path);
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key];
      return `delete ${label(path)}`;
    }
    case 'insert': {
      const path = pick(paths.filter((p) => isContainer(nodeAt(root, p))))!;
      const container = nodeAt(root, path) as Container;
      const value = structuredClone(step.value);
      if (Array.isArray(container)) {
        // Into an array: the key is not used, its length picks the position.
        const index = step.key.length % (container.length + 1);
        container.splice(index, 0, value);
        return `insert ${short(step.value)} into ${label(path)} at ${index}`;
      }
      container[step.key] = value;
      return `set ${label([...path, step.key])} to ${short(step.value)}`;
    }
    case 'wrap': {
      const path = pick(inner);
      if (!path) return undefined;
      const [container, key] = slotOf(root, path);
      let value = nodeAt(root, path);
      for (let i = 0; i < step.depth; i++) value = [value];
      setSlot(container, key, value);
      return `wrap ${label(path)} in ${step.depth} array(s)`;
    }
    case 'retype': {
      const path = pick(inner);
      if (!path) return undefined;
      const [container, key] = slotOf(root, path);
      const value = retyped(nodeAt(root, path));
      setSlot(container, key, value);
      return `retype ${label(path)} to ${short(value)}`;
    }
    case 'same-type': {
      const type = (value: unknown) => (value === null ? 'null' : typeof value);
      const path = pick(inner.filter((p) => type(nodeAt(root, p)) === type(step.value)));
      if (!path) return undefined;
      const [container, key] = slotOf(root, path);
      setSlot(container, key, step.value);
      return `replace ${label(path)} with ${short(step.value)}`;
    }
  }
}

interface Mutant {
  readonly seed: Seed;
  readonly steps: readonly string[];
  readonly plain: Json;
}

function mutants(seeds: readonly Seed[], step: fc.Arbitrary<Step>): fc.Arbitrary<Mutant> {
  return fc
    .record({
      index: fc.nat({ max: seeds.length - 1 }),
      steps: fc.array(step, { minLength: 1, maxLength: 3 }),
    })
    .map(({ index, steps }) => {
      const seed = seeds[index]!;
      const plain = structuredClone(seed.plain);
      const applied = steps.flatMap((s) => applyStep(plain, s) ?? []);
      const mutant: Mutant = { seed, steps: applied, plain: asJson(plain) };
      // fast-check prints this for a counterexample.
      return Object.assign(mutant, {
        [fc.toStringMethod]: () =>
          `${seed.dto.name} from "${seed.name}": ${applied.join('; ')}\n` +
          JSON.stringify(mutant.plain),
      });
    });
}

interface Tally {
  runs: number;
  instanceAnswered: number;
  validityAnswered: number;
  valid: number;
  invalid: number;
}

/** Runs the oracle on generated mutants and returns what it saw. */
function checkMutants(arbitrary: fc.Arbitrary<Mutant>): Tally {
  const tally: Tally = { runs: 0, instanceAnswered: 0, validityAnswered: 0, valid: 0, invalid: 0 };
  fc.assert(
    fc.property(arbitrary, ({ seed, plain }) => {
      const result = compareWithLibraries(seed.dto, plain);
      tally.runs++;
      if (result.instanceAnswered) tally.instanceAnswered++;
      if (result.validityAnswered) tally.validityAnswered++;
      if (result.valid) tally.valid++;
      else tally.invalid++;
    }),
    { numRuns: FUZZ_RUNS, ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }) },
  );
  return tally;
}

/**
 * The comparisons only prove something when the fast path answers (it may fall back on odd
 * values, but not on most) and both verdicts occur. Not checked on tiny samples (`FUZZ_RUNS`
 * below 100), whose proportions are noise.
 */
function expectMeaningful(tally: Tally, { minValid }: { minValid: number }): void {
  expect(tally.runs).toBe(FUZZ_RUNS);
  if (FUZZ_RUNS < 100) return;
  expect(tally.instanceAnswered / tally.runs, 'toInstance answered').toBeGreaterThan(0.5);
  expect(tally.validityAnswered / tally.runs, 'isValid answered').toBeGreaterThan(0.5);
  expect(tally.valid / tally.runs, 'share of valid mutants').toBeGreaterThanOrEqual(minValid);
  expect(tally.invalid, 'invalid mutants').toBeGreaterThan(0);
}

const FUZZ_TIMEOUT = 20_000 + FUZZ_RUNS * 20;

// ---------------------------------------------------------------------------------------------

describe('DtoFastPath: realistic payloads take the fast path and match the libraries', () => {
  it('has seeds for every field DTO, every inbound message type and every status', () => {
    const names = FIELD_SEEDS.map((s) => s.name);
    for (const field of DTO_FIELDS) expect(names).toContain(`${field} (test kit)`);
    for (const type of WABA_INBOUND_MESSAGE_TYPES) {
      expect(names).toContain(`messages: inbound ${type} (test kit)`);
    }
    for (const status of STATUS_NAMES) expect(names).toContain(`messages: ${status} status`);
    expect(new Set(FIELD_SEEDS.map((s) => s.dto))).toEqual(
      new Set(Object.values(FIELD_VALUE_DTOS)),
    );
    expect(ENVELOPE_SEEDS).toHaveLength(2 * WABA_FIELDS.length + 2);
  });

  it.each(ALL_SEEDS.map((s) => [s.name, s] as const))('%s', (_name, { dto, plain }) => {
    const fast = fastPath.toInstance(dto, structuredClone(plain));
    expect(fast, 'toInstance fell back').toBeDefined();
    const library = plainToInstance(dto, structuredClone(plain));
    expect(fast).toBeInstanceOf(dto);
    expect(fast).toStrictEqual(library);

    expect(describeErrors(validateSync(library, VALIDATOR_OPTIONS))).toEqual([]);
    expect(fastPath.isValid(library)).toBe(true);
    expect(fastPath.isValid(fast!)).toBe(true);
  });
});

describe('DtoFastPath: generated mutations of the seeds agree with the libraries', () => {
  it(
    `field values: ${FUZZ_RUNS} values with 1-3 arbitrary mutations`,
    () => {
      const tally = checkMutants(mutants(FIELD_SEEDS, anyStep));
      expectMeaningful(tally, { minValid: 0.02 });
    },
    FUZZ_TIMEOUT,
  );

  it(
    `field values: ${FUZZ_RUNS} values with 1-3 mild mutations (drop, add a key, same-type value)`,
    () => {
      const tally = checkMutants(mutants(FIELD_SEEDS, mildStep));
      expectMeaningful(tally, { minValid: 0.3 });
    },
    FUZZ_TIMEOUT,
  );

  it(
    `envelopes and envelope skeletons: ${FUZZ_RUNS} values with 1-3 arbitrary mutations`,
    () => {
      const tally = checkMutants(mutants(ENVELOPE_SEEDS, fc.oneof(anyStep, mildStep)));
      expectMeaningful(tally, { minValid: 0.1 });
    },
    FUZZ_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------

interface EdgeCase {
  readonly name: string;
  readonly dto: Dto;
  readonly plain: Json;
  /** What validateSync answers (checked, so that the case tests what its name says). */
  readonly valid: boolean;
  /** A value Meta sends (or may send): then the fast path must answer, not fall back. */
  readonly realistic?: boolean;
  /**
   * Used as written: `-0` (which `JSON.parse('-0')` makes) and `value: undefined` (which the pipe
   * puts in the envelope skeleton). Other cases go through `JSON.parse(JSON.stringify(…))`.
   */
  readonly raw?: boolean;
}

function fieldExample(field: WabaField, change: (value: Json) => void = () => {}): Json {
  const value = asJson(FIELD_VALUE_EXAMPLES[field]) as Json;
  change(value);
  return value;
}

const textMessage = (): Json => asJson(INBOUND_MESSAGE_EXAMPLES.text);
const messagesOf = (messages: unknown): Json =>
  fieldExample('messages', (v) => {
    v.messages = messages;
  });

const EDGE_CASES: readonly EdgeCase[] = [
  // message_template_id: @Transform turns JSON numbers into strings, keeps anything else.
  ...TEMPLATE_FIELDS.map((field): EdgeCase => ({
    name: `${field}: numeric message_template_id`,
    dto: dtoOf(field),
    plain: fieldExample(field),
    valid: true,
    realistic: true,
  })),
  ...(
    [
      ['a string', '1689556908129832', true],
      ['a fraction', 1.5, true],
      ['1e21', 1e21, true],
      ['-0', JSON.parse('-0') as number, true],
      ['null', null, false],
      ['an array of a number', [1689556908129832], false],
      ['an object', { id: 1689556908129832 }, false],
      ['a boolean', true, false],
    ] as const
  ).map(([what, id, valid]): EdgeCase => ({
    name: `message_template_status_update: message_template_id as ${what}`,
    dto: dtoOf('message_template_status_update'),
    plain: { ...fieldExample('message_template_status_update'), message_template_id: id },
    valid,
    realistic: typeof id === 'string',
    raw: Object.is(id, -0),
  })),
  // Unknown keys, also named like Object.prototype members.
  {
    name: 'messages: unknown keys at every level, untyped nested objects included',
    dto: dtoOf('messages'),
    plain: fieldExample('messages', (v) => {
      v.future_key = { nested: { list: [1, 'two', null] }, flag: true };
      (v.metadata as Json).extra = [{ deep: [] }];
      ((v.statuses as Json[])[0]!.pricing as Json).future_flag = 'x';
      (v.messages as Json[])[0]!.origin = { type: 'contact_request', toString: 1 };
    }),
    valid: true,
    realistic: true,
  },
  {
    name: 'messages: keys named like Object.prototype members on DTOs and plain objects',
    dto: dtoOf('messages'),
    plain: fieldExample('messages', (v) => {
      Object.assign(v, { toString: 'x', valueOf: 1, hasOwnProperty: {}, isPrototypeOf: [] });
      Object.assign(v.metadata as Json, { toLocaleString: null, __defineGetter__: 'g' });
      v.future_key = { toString: 'kept?', valueOf: { hasOwnProperty: 2 }, propertyIsEnumerable: 3 };
    }),
    valid: true,
  },
  {
    name: 'envelope: prototype-named keys next to the envelope keys',
    dto: WebhookEnvelopeDto,
    plain: {
      ...(asJson(fieldWebhook('security')) as unknown as Json),
      toString: 'x',
      hasOwnProperty: [],
    },
    valid: true,
  },
  // Empty arrays and nulls in optional properties.
  {
    name: 'messages: empty contacts, messages, statuses, errors and user_actions',
    dto: dtoOf('messages'),
    plain: fieldExample('messages', (v) => {
      for (const key of ['contacts', 'messages', 'statuses', 'errors', 'user_actions']) v[key] = [];
    }),
    valid: true,
    realistic: true,
  },
  {
    name: 'envelope: empty entry',
    dto: WebhookEnvelopeDto,
    plain: { object: 'whatsapp_business_account', entry: [] },
    valid: true,
  },
  {
    name: 'envelope: an entry with empty changes',
    dto: WebhookEnvelopeDto,
    plain: { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [] }] },
    valid: true,
  },
  {
    name: 'messages: null in every optional array',
    dto: dtoOf('messages'),
    plain: fieldExample('messages', (v) => {
      for (const key of ['contacts', 'messages', 'statuses', 'errors', 'user_actions']) {
        v[key] = null;
      }
    }),
    valid: true,
  },
  {
    name: 'messages: null context, referral and interactive on a message',
    dto: dtoOf('messages'),
    plain: messagesOf([{ ...textMessage(), context: null, referral: null, interactive: null }]),
    valid: true,
  },
  {
    name: 'envelope: null entry.time',
    dto: WebhookEnvelopeDto,
    plain: { object: 'whatsapp_business_account', entry: [{ id: '1', time: null, changes: [] }] },
    valid: true,
  },
  {
    name: 'envelope skeleton: a change without value (the pipe passes value: undefined)',
    dto: WebhookEnvelopeDto,
    plain: {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: undefined }] }],
    },
    valid: false,
    raw: true,
  },
  {
    name: 'envelope: a null change value',
    dto: WebhookEnvelopeDto,
    plain: {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: null }] }],
    },
    valid: false,
  },
  // Nested arrays in @ValidateNested({ each: true }) arrays: class-validator checks their items.
  {
    name: 'messages: messages as [[message]]',
    dto: dtoOf('messages'),
    plain: messagesOf([[textMessage()]]),
    valid: true,
  },
  {
    name: 'messages: statuses as [[[status]], status]',
    dto: dtoOf('messages'),
    plain: fieldExample('messages', (v) => {
      const [status] = v.statuses as Json[];
      v.statuses = [[[status]], status];
    }),
    valid: true,
  },
  {
    name: 'messages: an invalid message inside a nested array',
    dto: dtoOf('messages'),
    plain: messagesOf([[{ ...textMessage(), id: 42 }]]),
    valid: false,
  },
  {
    name: 'messages: a string inside a nested array of messages',
    dto: dtoOf('messages'),
    plain: messagesOf([['wamid.X']]),
    valid: false,
  },
  {
    name: 'messages: [[]] and [[null]] as messages',
    dto: dtoOf('messages'),
    plain: fieldExample('messages', (v) => {
      v.messages = [[]];
      v.statuses = [[null]];
    }),
    valid: false,
  },
  {
    name: 'envelope: entry as [[entry]] (class-validator passes it; the pipe checks it later)',
    dto: WebhookEnvelopeDto,
    plain: {
      ...(asJson(fieldWebhook('security')) as unknown as Json),
      entry: [[{ id: '1', changes: [] }]],
    },
    valid: true,
  },
  {
    name: 'account_update: restriction_info as [[restriction]]',
    dto: dtoOf('account_update'),
    plain: {
      event: 'ACCOUNT_RESTRICTION',
      restriction_info: [[{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING' }]],
    },
    valid: true,
  },
  {
    name: 'account_update: @IsString({ each: true }) over a nested array',
    dto: dtoOf('account_update'),
    plain: {
      event: 'PARTNER_ADDED',
      waba_info: {
        waba_id: '1',
        owner_business_id: '2',
        solution_partner_business_ids: [['3']],
      },
    },
    valid: false,
  },
  // A primitive (or an array) where an object is expected.
  ...(
    [
      ['a string', 'metadata'],
      ['a number', 42],
      ['true', true],
      ['an empty array', []],
      ['an array of the object', [{ display_phone_number: '1', phone_number_id: '2' }]],
    ] as const
  ).map(([what, metadata]): EdgeCase => ({
    name: `messages: metadata as ${what}`,
    dto: dtoOf('messages'),
    plain: fieldExample('messages', (v) => {
      v.metadata = metadata;
    }),
    valid: false,
  })),
  {
    name: 'messages: messages as a string, a message as a string',
    dto: dtoOf('messages'),
    plain: fieldExample('messages', (v) => {
      v.messages = 'hello';
      v.statuses = ['wamid.X'];
    }),
    valid: false,
  },
  {
    name: 'messages: a text payload as a string',
    dto: dtoOf('messages'),
    plain: messagesOf([{ ...textMessage(), text: 'hi' }]),
    valid: false,
  },
  {
    name: 'envelope: entry items that are not objects',
    dto: WebhookEnvelopeDto,
    plain: { object: 'whatsapp_business_account', entry: ['x', 1, null, true] },
    valid: false,
  },
  {
    name: 'envelope: changes as an object',
    dto: WebhookEnvelopeDto,
    plain: {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: { field: 'security', value: {} } }],
    },
    valid: false,
  },
  // Inbound messages of a type this version does not know.
  {
    name: 'messages: an unknown type with its own payload key',
    dto: dtoOf('messages'),
    plain: messagesOf([
      { ...textMessage(), text: undefined, type: 'poll', poll: { question: 'Q?', options: [] } },
    ]),
    valid: true,
    realistic: true,
  },
  {
    name: 'messages: an unknown type without any payload',
    dto: dtoOf('messages'),
    plain: messagesOf([{ ...textMessage(), text: undefined, type: 'brand_new_type' }]),
    valid: true,
    realistic: true,
  },
  {
    name: 'messages: an unknown type carrying an invalid payload of a known type',
    dto: dtoOf('messages'),
    plain: messagesOf([{ ...textMessage(), type: 'poll', image: { caption: 3 } }]),
    valid: false,
  },
  {
    name: 'messages: type image without its image payload',
    dto: dtoOf('messages'),
    plain: messagesOf([{ ...textMessage(), type: 'image' }]),
    valid: false,
  },
  {
    name: 'messages: a numeric type',
    dto: dtoOf('messages'),
    plain: messagesOf([{ ...textMessage(), type: 7 }]),
    valid: false,
  },
];

describe('DtoFastPath: hand-written edge cases agree with the libraries', () => {
  it.each(EDGE_CASES.map((c) => [c.name, c] as const))('%s', (_name, edge) => {
    const result = compareWithLibraries(edge.dto, edge.raw ? edge.plain : asJson(edge.plain));
    expect(result.valid, 'validateSync verdict').toBe(edge.valid);
    if (edge.realistic) {
      expect(result.instanceAnswered, 'toInstance fell back').toBe(true);
      expect(result.validityAnswered, 'isValid fell back').toBe(true);
    }
  });

  it.each(TEMPLATE_FIELDS)('%s: the numeric message_template_id becomes a string', (field) => {
    const instance = fastPath.toInstance(dtoOf(field), fieldExample(field)) as Json;
    expect(instance.message_template_id).toBe('1689556908129832');
    expect(fieldExample(field).message_template_id).toBe(1689556908129832);
  });

  it('copies untyped objects into new plain objects without prototype-named keys', () => {
    const plain = messagesOf([
      { ...textMessage(), origin: { type: 'x', toString: 'dropped', nested: { valueOf: 1 } } },
    ]);
    const instance = fastPath.toInstance(dtoOf('messages'), plain) as {
      messages: { origin: Json }[];
    };
    const origin = instance.messages[0]!.origin;
    expect(origin).not.toBe((plain.messages as Json[])[0]!.origin);
    expect(Object.keys(origin)).toEqual(['type', 'nested']);
    expect(plainToInstance(dtoOf('messages'), plain)).toStrictEqual(instance);
  });

  it('builds the envelope classes at every level', () => {
    const instance = fastPath.toInstance(
      WebhookEnvelopeDto,
      asJson(fieldWebhook('security')) as never,
    );
    expect(instance?.entry[0]).toBeInstanceOf(WebhookEntryDto);
    expect(instance?.entry[0]?.changes[0]).toBeInstanceOf(WebhookChangeDto);
  });
});

// ---------------------------------------------------------------------------------------------
// Classes the fast path need not reproduce: it may fall back, but must not answer differently.

class WithMethod {
  @IsString()
  name!: string;

  greet(): string {
    return `hi ${this.name}`;
  }
}

class WithExpose {
  @Expose({ name: 'full_name' })
  @IsString()
  name!: string;
}

class WithDate {
  @Type(() => Date)
  when!: Date;
}

class WithNestedMethod {
  @IsOptional()
  @ValidateNested()
  @Type(() => WithMethod)
  child?: WithMethod;
}

describe('DtoFastPath: classes it does not reproduce fall back or agree', () => {
  it.each([
    ['a method', WithMethod, { name: 'x', greet: 'shadow', toString: 'y' }],
    ['@Expose with a name', WithExpose, { full_name: 'x', name: 'y' }],
    ['a Date @Type', WithDate, { when: '2025-01-01T00:00:00Z' }],
    ['a nested class with a method', WithNestedMethod, { child: { name: 1, greet: 2 } }],
  ] as const)('a class with %s', (_what, dto, plain) => {
    compareWithLibraries(dto, plain as Json);
  });
});

// ---------------------------------------------------------------------------------------------
// The oracle itself: it must fail when the fast path answers differently.

describe('the oracle detects a wrong answer', () => {
  const plain = fieldExample('messages');

  it('toStrictEqual tells a nested DTO instance from a plain object with the same keys', () => {
    const library = plainToInstance(dtoOf('messages'), plain) as Json;
    const impostor = { ...library, metadata: { ...(library.metadata as Json) } };
    Object.setPrototypeOf(impostor, Object.getPrototypeOf(library));
    expect(impostor).toEqual(library);
    expect(impostor).not.toStrictEqual(library);
  });

  it('fails when toInstance builds another value', () => {
    const wrong: FastPathApi = {
      toInstance: (dto, value) => {
        const instance = plainToInstance(dto, value) as Json;
        instance.messaging_product = 'other';
        return instance as never;
      },
      isValid: (instance) => fastPath.isValid(instance),
    };
    expect(() => compareWithLibraries(dtoOf('messages'), plain, wrong)).toThrow(/plainToInstance/);
  });

  it('fails when isValid disagrees with validateSync', () => {
    const inverted: FastPathApi = {
      toInstance: (dto, value) => fastPath.toInstance(dto, value),
      isValid: (instance) => !fastPath.isValid(instance),
    };
    expect(() => compareWithLibraries(dtoOf('messages'), plain, inverted)).toThrow(/isValid/);
  });

  it('fails when toInstance modifies its input', () => {
    const mutating: FastPathApi = {
      toInstance: (dto, value) => {
        delete value.metadata;
        return fastPath.toInstance(dto, value);
      },
      isValid: (instance) => fastPath.isValid(instance),
    };
    expect(() => compareWithLibraries(dtoOf('messages'), plain, mutating)).toThrow(/input/);
  });
});
