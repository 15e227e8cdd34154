import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  type PipeTransform,
} from '@nestjs/common';
import { FIELD_VALUE_DTOS } from '../dto/field-value-dtos.js';
import { WebhookEnvelopeDto } from '../dto/webhook-envelope.dto.js';
import type { WabaField } from '../types/waba-field.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import {
  WABA_PAYLOAD_VALIDATOR,
  type WabaPayloadValidator,
} from '../validation/payload-validator.interface.js';
import { flattenValidationErrors } from './validation-errors.js';
import {
  type EnvelopeChange,
  isPlainObject,
  isSafeShape,
  readEnvelope,
} from './envelope-fast-path.js';
import { WABA_OBJECT } from '../whatsapp-webhooks.constants.js';
import type { ReceivedChange, ReceivedWebhook } from '../events/waba-dispatch.types.js';
import { type ResolvedValidationOptions, VALIDATION_OPTIONS } from './webhook.options.js';

/**
 * Deepest nesting of an envelope (the envelope object is level 1; each item of an array body is
 * measured on its own, so such a body may be one level deeper). Meta's payloads stay below 20
 * levels; class-transformer copies recursively and overflows the stack (a 500) near 1,500.
 */
const MAX_NESTING = 128;

/**
 * Why a parsed JSON tree cannot be handed to class-transformer, if it cannot:
 * - an own `__proto__` key (which JSON.parse creates) would swap a DTO's prototype and skip its
 *   validation;
 * - an own `constructor` key is taken by class-transformer for the class of an untyped object:
 *   a truthy one throws (a 500), a falsy one is silently dropped;
 * - nesting deeper than {@link MAX_NESTING} overflows its recursive copy.
 *
 * Meta sends none of these. Any depth JSON.parse accepts is measured: the walk never goes more
 * than one level past {@link MAX_NESTING}.
 */
function unsafeShape(root: object): string | undefined {
  return unsafeNode(root, 1);
}

/**
 * {@link unsafeShape} of a node at `depth`. Recursive, but never deeper than
 * {@link MAX_NESTING} + 1 calls; children are visited last first (the order of the former
 * explicit stack, so that the same problem is named when a body has several).
 */
function unsafeNode(node: object, depth: number): string | undefined {
  if (depth > MAX_NESTING) return `the JSON must not be nested deeper than ${MAX_NESTING} levels`;
  let children: readonly unknown[];
  if (Array.isArray(node)) {
    children = node;
  } else {
    if (Object.hasOwn(node, '__proto__')) return '"__proto__" keys are not allowed';
    if (Object.hasOwn(node, 'constructor')) return '"constructor" keys are not allowed';
    children = Object.values(node);
  }
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i];
    if (typeof child === 'object' && child !== null) {
      const problem = unsafeNode(child, depth + 1);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/**
 * class-validator's `@ValidateNested({ each: true })` validates the items of nested arrays too,
 * so `entry: [[{ … }]]` passes it; the envelope's items must be objects themselves.
 */
function nestedArrayErrors(envelope: WebhookEnvelopeDto, path: string): string[] {
  const errors: string[] = [];
  envelope.entry.forEach((entry, i) => {
    if (Array.isArray(entry)) {
      errors.push(`${path}entry.${i} must be an object`);
      return;
    }
    entry.changes.forEach((change, j) => {
      if (Array.isArray(change)) errors.push(`${path}entry.${i}.changes.${j} must be an object`);
    });
  });
  return errors;
}

const PRESENT = true;

/**
 * The envelope with every change's value replaced by a marker: what the envelope DTO checks,
 * without class-transformer copying the values (they are validated, once, against their
 * field's DTO). Anything that is not the expected shape is passed on as is, for the DTO to
 * report.
 */
function envelopeSkeleton(body: Record<string, unknown>): Record<string, unknown> {
  const { entry } = body;
  if (!Array.isArray(entry)) return { object: body['object'], entry };
  return {
    object: body['object'],
    entry: entry.map((item: unknown) => {
      if (!isPlainObject(item)) return item;
      const { changes } = item;
      return {
        id: item['id'],
        ...('time' in item ? { time: item['time'] } : {}),
        changes: Array.isArray(changes)
          ? changes.map((change: unknown) =>
              isPlainObject(change)
                ? {
                    field: change['field'],
                    value: change['value'] === undefined ? undefined : PRESENT,
                  }
                : change,
            )
          : changes,
      };
    }),
  };
}

/** An envelope as parsed, once it is known to have the shape {@link WebhookEnvelopeDto} checks. */
type ParsedEnvelope = { entry: { changes: { value: unknown }[] }[] };

/**
 * Validates the parsed body of a verified request: first the envelope (400 when it is not a
 * WABA webhook), then the `value` of every change against the DTO of its field. Unknown fields
 * pass through as received. A value that fails its DTO is kept with its errors (emitted to
 * `@OnWabaInvalid()`), or fails the request with 400 when `onInvalidValue: 'reject'`.
 *
 * The body may also be a non-empty JSON array of envelopes: Meta's page "Webhooks for WhatsApp
 * Business Accounts" shows its example payload (a `phone_number_name_update`) wrapped in
 * `[ … ]`, and answering 400 to such a body would have Meta redeliver it for days. Every item
 * must be an envelope that would be accepted on its own (same checks, nesting counted from the
 * item); otherwise the request is answered 400 naming the item, e.g.
 * `[1].entry must be an array`, and nothing is emitted. `[]` holds no envelope and is refused.
 * The changes of all items come out as one list, in order, deduplicated downstream as usual.
 */
@Injectable()
export class WabaPayloadPipe implements PipeTransform<unknown, ReceivedWebhook> {
  protected readonly logger = new Logger('WhatsAppWebhooks');

  constructor(
    @Inject(VALIDATION_OPTIONS)
    protected readonly options: ResolvedValidationOptions,
    @Inject(WABA_PAYLOAD_VALIDATOR)
    protected readonly validator: WabaPayloadValidator,
  ) {}

  transform(body: unknown): ReceivedWebhook {
    const changes: ReceivedChange[] = [];
    let invalid: ReceivedChange[] | undefined;
    for (const { field, entryId, time, value } of this.readChanges(body)) {
      const change = this.validateChange(field, entryId, time, value);
      changes.push(change);
      if (change.errors) (invalid ??= []).push(change);
    }
    if (!invalid) return { changes };
    if (this.options.onInvalidValue === 'reject') {
      throw new BadRequestException(
        messages.invalidValues(
          invalid.length,
          invalid.flatMap((c) => c.errors!.map((e) => `${c.field} (entry ${c.entryId}): ${e}`)),
        ),
      );
    }
    for (const change of invalid) {
      this.logger.warn(messages.invalidValueLogged(change.field, change.entryId, change.errors!));
    }
    return { changes };
  }

  /**
   * Every change of a body whose envelopes are all valid (else 400), values as parsed. A plain
   * envelope of safe shape — what Meta sends — is read in one pass; anything else takes the
   * full checks, which name what is wrong.
   */
  protected readChanges(body: unknown): readonly EnvelopeChange[] {
    if (isPlainObject(body) && isSafeShape(body, 1, MAX_NESTING)) {
      const changes = readEnvelope(body, WABA_OBJECT);
      if (changes) return changes;
    }
    return this.checkedChanges(body);
  }

  /** {@link readChanges} through the full checks only: every envelope validated as its DTO. */
  protected checkedChanges(body: unknown): readonly EnvelopeChange[] {
    const changes: EnvelopeChange[] = [];
    for (const { envelope, parsed } of this.validateEnvelopes(body)) {
      envelope.entry.forEach((entry, i) => {
        entry.changes.forEach((change, j) => {
          // The value as parsed: the envelope was validated on a skeleton without the values.
          const value = parsed.entry[i]!.changes[j]!.value;
          changes.push({ field: change.field, entryId: entry.id, time: entry.time, value });
        });
      });
    }
    return changes;
  }

  /**
   * The envelopes of a body, each validated (all of them before any value is): the body itself,
   * or every item of an array body.
   */
  protected validateEnvelopes(
    body: unknown,
  ): { envelope: WebhookEnvelopeDto; parsed: ParsedEnvelope }[] {
    if (!Array.isArray(body)) {
      return [{ envelope: this.validateEnvelope(body), parsed: body as ParsedEnvelope }];
    }
    if (body.length === 0) {
      throw new BadRequestException(
        messages.invalidEnvelope([
          'the body is an empty array: it must hold at least one envelope',
        ]),
      );
    }
    return body.map((item: unknown, index) => ({
      envelope: this.validateEnvelope(item, index),
      parsed: item as ParsedEnvelope,
    }));
  }

  /**
   * Validates one envelope: the body, or the item at `index` of an array body (whose errors
   * are then prefixed with `[index]`).
   */
  protected validateEnvelope(body: unknown, index?: number): WebhookEnvelopeDto {
    const item = index === undefined ? '' : `[${index}]`;
    if (!isPlainObject(body)) {
      throw new BadRequestException(
        messages.invalidEnvelope([
          item
            ? `${item} must be a JSON object`
            : 'the body must be an envelope (a JSON object) or an array of envelopes',
        ]),
      );
    }
    const unsafe = unsafeShape(body);
    if (unsafe) {
      throw new BadRequestException(
        messages.invalidEnvelope([item ? `${item}: ${unsafe}` : unsafe]),
      );
    }
    const { instance: envelope, errors } = this.validator.validate(
      WebhookEnvelopeDto,
      envelopeSkeleton(body),
    );
    if (errors.length > 0) {
      throw new BadRequestException(
        messages.invalidEnvelope(flattenValidationErrors(errors, item)),
      );
    }
    const shapeErrors = nestedArrayErrors(envelope, item ? `${item}.` : '');
    if (shapeErrors.length > 0) {
      throw new BadRequestException(messages.invalidEnvelope(shapeErrors));
    }
    return envelope;
  }

  protected validateChange(
    field: string,
    entryId: string,
    time: number | undefined,
    value: unknown,
  ): ReceivedChange {
    // hasOwn: a field named "constructor" or "__proto__" must not reach Object's members.
    const dto = Object.hasOwn(FIELD_VALUE_DTOS, field)
      ? FIELD_VALUE_DTOS[field as WabaField]
      : undefined;
    if (!dto) return { field, entryId, time, value };
    if (!isPlainObject(value)) {
      return { field, entryId, time, value, errors: ['value must be a JSON object'] };
    }
    const { instance, errors } = this.validator.validate(dto as new () => object, value);
    if (errors.length > 0) {
      return { field, entryId, time, value, errors: flattenValidationErrors(errors, 'value') };
    }
    return { field, entryId, time, value: instance };
  }
}
