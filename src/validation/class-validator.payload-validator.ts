import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type {
  PayloadDto,
  PayloadValidation,
  WabaPayloadValidator,
} from './payload-validator.interface.js';

/** The options the payload pipe validates with. */
export const VALIDATOR_OPTIONS = Object.freeze({
  forbidUnknownValues: false,
  validationError: Object.freeze({ target: false }),
});

/**
 * `plainToInstance` + `validateSync`: the libraries, as the DTO decorators define them. The
 * reference the compiled validator is tested against, and the validator in use when the
 * compiled one cannot read the libraries' metadata.
 *
 * @internal
 */
export class ClassValidatorPayloadValidator implements WabaPayloadValidator {
  readonly name: string = 'class-validator';

  validate<T extends object>(
    dto: PayloadDto<T>,
    plain: Record<string, unknown>,
  ): PayloadValidation<T> {
    const instance = plainToInstance(dto, plain);
    return { instance, errors: validateSync(instance, VALIDATOR_OPTIONS) };
  }
}
