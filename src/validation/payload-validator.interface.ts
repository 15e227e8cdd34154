import type { ValidationError } from 'class-validator';

/** A DTO class the payload pipe validates with (the envelope's, or a field value's). */
export type PayloadDto<T extends object = object> = new () => T;

/** What a validator makes of a parsed JSON object: the DTO instance, and its errors (none when valid). */
export interface PayloadValidation<T extends object> {
  /** What `plainToInstance(dto, plain)` returns. */
  readonly instance: T;
  /** What `validateSync(instance)` returns with the pipe's options; empty when the value is valid. */
  readonly errors: readonly ValidationError[];
}

/**
 * How the payload pipe turns a parsed JSON object (the envelope skeleton, or the value of a
 * change) into an instance of its DTO and that instance's errors. Implementations give the
 * results of class-transformer's `plainToInstance` followed by class-validator's `validateSync`
 * (`forbidUnknownValues: false`, no target in the errors), so the DTO decorators stay the only
 * definition of what is valid:
 *
 * - {@link ClassValidatorPayloadValidator}: the libraries themselves;
 * - {@link CompiledPayloadValidator}: plans compiled once per DTO class from the same decorator
 *   metadata, falling back to the libraries for what it does not reproduce and for the error
 *   messages.
 *
 * One is chosen once, at bootstrap, behind {@link WABA_PAYLOAD_VALIDATOR}.
 *
 * @internal
 */
export interface WabaPayloadValidator {
  /** Names the validator in the bootstrap log. */
  readonly name: string;
  validate<T extends object>(
    dto: PayloadDto<T>,
    plain: Record<string, unknown>,
  ): PayloadValidation<T>;
}

/** Injection token of the module instance's payload validator. @internal */
export const WABA_PAYLOAD_VALIDATOR = Symbol('WABA_PAYLOAD_VALIDATOR');
