import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  type PipeTransform,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FIELD_VALUE_DTOS } from '../dto/field-value-dtos.js';
import { WebhookEnvelopeDto } from '../dto/webhook-envelope.dto.js';
import type { WabaField } from '../types/waba-field.js';
import { RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS } from '../whatsapp-webhooks.constants.js';
import { messages } from '../whatsapp-webhooks.messages.js';
import type { ResolvedWhatsAppWebhooksOptions } from '../whatsapp-webhooks-options.interface.js';
import { flattenValidationErrors } from './validation-errors.js';

/** One `entry[] × changes[]` item after validation. */
export interface ReceivedChange {
  readonly field: string;
  readonly entryId: string;
  readonly time?: number;
  /** The validated value (DTO instance) — or, when `errors` is set, the value as received. */
  readonly value: unknown;
  /** Present when the value of a known field failed its DTO. */
  readonly errors?: readonly string[];
}

/** A verified, validated webhook request, ready to dispatch. */
export interface ReceivedWebhook {
  readonly changes: readonly ReceivedChange[];
}

const VALIDATOR_OPTIONS = { forbidUnknownValues: false, validationError: { target: false } };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether any object in a parsed JSON tree has an own `__proto__` key. */
function hasProtoKey(root: object): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    if (Object.hasOwn(node, '__proto__')) return true;
    for (const key in node) {
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return false;
}

/**
 * Validates the parsed body of a verified request: first the envelope (400 when it is not a
 * WABA webhook), then the `value` of every change against the DTO of its field. Unknown fields
 * pass through as received. A value that fails its DTO is kept with its errors (emitted to
 * `@OnWabaInvalid()`), or fails the request with 400 when `onInvalidValue: 'reject'`.
 */
@Injectable()
export class WabaPayloadPipe implements PipeTransform<unknown, ReceivedWebhook> {
  protected readonly logger = new Logger('WhatsAppWebhooks');

  constructor(
    @Inject(RESOLVED_WHATSAPP_WEBHOOKS_OPTIONS)
    protected readonly options: ResolvedWhatsAppWebhooksOptions,
  ) {}

  transform(body: unknown): ReceivedWebhook {
    const envelope = this.validateEnvelope(body);
    const changes: ReceivedChange[] = [];
    for (const entry of envelope.entry) {
      for (const change of entry.changes) {
        changes.push(this.validateChange(change.field, entry.id, entry.time, change.value));
      }
    }
    const invalid = changes.filter((change) => change.errors);
    if (invalid.length > 0 && this.options.onInvalidValue === 'reject') {
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

  protected validateEnvelope(body: unknown): WebhookEnvelopeDto {
    if (!isPlainObject(body)) {
      throw new BadRequestException(messages.invalidEnvelope(['the body must be a JSON object']));
    }
    // class-transformer assigns keys one by one: an own "__proto__" key (which JSON.parse
    // creates) would swap a DTO's prototype and skip its validation. Meta never sends one.
    if (hasProtoKey(body)) {
      throw new BadRequestException(messages.invalidEnvelope(['"__proto__" keys are not allowed']));
    }
    const envelope = plainToInstance(WebhookEnvelopeDto, body);
    const errors = validateSync(envelope, VALIDATOR_OPTIONS);
    if (errors.length > 0) {
      throw new BadRequestException(messages.invalidEnvelope(flattenValidationErrors(errors)));
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
    const instance = plainToInstance(dto, value);
    const errors = validateSync(instance, VALIDATOR_OPTIONS);
    if (errors.length > 0) {
      return { field, entryId, time, value, errors: flattenValidationErrors(errors, 'value') };
    }
    return { field, entryId, time, value: instance };
  }
}
