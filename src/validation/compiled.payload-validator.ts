import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { VALIDATOR_OPTIONS } from './class-validator.payload-validator.js';
import type { DtoFastPath } from './dto-fast-path.js';
import type {
  PayloadDto,
  PayloadValidation,
  WabaPayloadValidator,
} from './payload-validator.interface.js';

const NO_ERRORS: readonly never[] = Object.freeze([]);

/**
 * The compiled validator: instances and validity from plans compiled once per DTO class
 * ({@link DtoFastPath}, same decorators, same results). class-transformer builds what the plans
 * do not reproduce, and class-validator still runs, for its messages, whenever a value is not
 * valid (or validity cannot be answered exactly).
 *
 * @internal
 */
export class CompiledPayloadValidator implements WabaPayloadValidator {
  readonly name: string = 'compiled';

  constructor(private readonly fastPath: DtoFastPath) {}

  validate<T extends object>(
    dto: PayloadDto<T>,
    plain: Record<string, unknown>,
  ): PayloadValidation<T> {
    const instance = this.fastPath.toInstance(dto, plain) ?? plainToInstance(dto, plain);
    if (this.fastPath.isValid(instance) === true) return { instance, errors: NO_ERRORS };
    return { instance, errors: validateSync(instance, VALIDATOR_OPTIONS) };
  }
}
