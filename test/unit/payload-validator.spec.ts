import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { FIELD_VALUE_DTOS } from '../../src/dto/field-value-dtos.js';
import { WebhookEnvelopeDto } from '../../src/dto/webhook-envelope.dto.js';
import { WABA_FIELDS } from '../../src/types/waba-field.js';
import { ClassValidatorPayloadValidator } from '../../src/validation/class-validator.payload-validator.js';
import { CompiledPayloadValidator } from '../../src/validation/compiled.payload-validator.js';
import { createDtoFastPath } from '../../src/validation/dto-fast-path.js';
import { TESTED_PEER_VERSIONS } from '../../src/validation/library-metadata.adapter.js';
import {
  payloadValidator,
  payloadValidatorProvider,
} from '../../src/validation/payload-validator.provider.js';
import { FIELD_VALUE_EXAMPLES } from '../fixtures/field-values.js';

/**
 * The seam between the payload pipe and the libraries: both validators give the same instance
 * and the same errors (the compiled one's equivalence in depth is the oracle test,
 * dto-fast-path.spec.ts), and the module says at bootstrap which one it uses.
 */
const reference = new ClassValidatorPayloadValidator();
const compiled = new CompiledPayloadValidator(
  createDtoFastPath({ cls: WebhookEnvelopeDto, property: 'entry' }),
);

const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('WabaPayloadValidator implementations', () => {
  it.each(WABA_FIELDS)('agree on a valid and a broken "%s" value', (field) => {
    const dto = FIELD_VALUE_DTOS[field] as new () => object;
    const valid = asJson(FIELD_VALUE_EXAMPLES[field]) as Record<string, unknown>;
    const broken = { ...valid, [Object.keys(valid)[0]!]: [42] };
    for (const plain of [valid, broken]) {
      const want = reference.validate(dto, structuredClone(plain));
      const got = compiled.validate(dto, structuredClone(plain));
      expect(got.instance).toStrictEqual(want.instance);
      expect(got.errors).toStrictEqual(want.errors);
    }
    expect(compiled.validate(dto, valid).errors).toEqual([]);
  });

  it('agree on an envelope skeleton that is not an envelope', () => {
    const plain = { object: 'whatsapp_business_account', entry: [{ id: 1, changes: 'x' }] };
    const want = reference.validate(WebhookEnvelopeDto, structuredClone(plain));
    const got = compiled.validate(WebhookEnvelopeDto, structuredClone(plain));
    expect(want.errors.length).toBeGreaterThan(0);
    expect(got.errors).toStrictEqual(want.errors);
  });
});

describe('the payload validator provider', () => {
  it('chooses the compiled validator once and names it in a debug line at bootstrap', () => {
    const debug = vi.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    try {
      const validator = (payloadValidatorProvider.useFactory as () => unknown)();
      expect(validator).toBeInstanceOf(CompiledPayloadValidator);
      expect(validator).toBe(payloadValidator());
      const line = String(debug.mock.calls.at(-1)?.[0]);
      expect(line).toContain('compiled');
      for (const [name, version] of Object.entries(TESTED_PEER_VERSIONS)) {
        expect(line).toContain(`${name}@${version}`);
      }
    } finally {
      debug.mockRestore();
    }
  });
});
