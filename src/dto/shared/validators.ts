import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

/**
 * The value is a string or a finite number, for keys Meta sends either way (e.g.
 * `custom_data.value`, documented as a string but sent as a number).
 */
export function IsStringOrNumber(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringOrNumber',
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be a string or a number`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}

/**
 * The value is a string or an integer, for keys Meta sends either way: unix-second timestamps
 * documented as integers but shown quoted (ts-int | ts-string), tier limits, group error codes.
 */
export function IsStringOrInt(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringOrInt',
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' || Number.isInteger(value),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be a string or an integer`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}

/**
 * The value is a string or an array of strings (`ban_info.waba_ban_state`: a string in current
 * docs, an array in older examples).
 */
export function IsStringOrStringArray(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringOrStringArray',
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'string' ||
          (Array.isArray(value) && value.every((item) => typeof item === 'string')),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be a string or an array of strings`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
