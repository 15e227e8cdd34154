// class-transformer's @Type reads `design:type` through reflect-metadata when a DTO is declared.
import 'reflect-metadata';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsObject,
  IsOptional,
  ValidateBy,
  ValidateNested,
  buildMessage,
  type ValidationOptions,
} from 'class-validator';

/** The class of a nested DTO, as `@Type` takes it: a thunk, so classes may refer to each other. */
export type NestedDtoType = () => new () => object;

// Each stack below lists its decorators in the order TypeScript applies the stacked form
// (bottom-up: `@Type` first, `@IsOptional` last), so class-validator and class-transformer
// receive the same metadata in the same order as from the four decorators written out; the
// validation fast path compiles its plans from that metadata.

/**
 * A nested object validated as its DTO: `@IsObject() @ValidateNested() @Type(type)`.
 *
 * @example
 * @ValidateNestedObject(() => MetadataDto)
 * metadata!: MetadataDto;
 */
export function ValidateNestedObject(type: NestedDtoType): PropertyDecorator {
  return applyDecorators(Type(type), ValidateNested(), IsObject());
}

/**
 * An array whose items are validated as a DTO:
 * `@IsArray() @ValidateNested({ each: true }) @Type(type)`.
 *
 * @example
 * @ValidateNestedArray(() => MessageStatusDto)
 * statuses!: MessageStatusDto[];
 */
export function ValidateNestedArray(type: NestedDtoType): PropertyDecorator {
  return applyDecorators(Type(type), ValidateNested({ each: true }), IsArray());
}

/**
 * {@link ValidateNestedObject}, or absent (`null` or `undefined`):
 * `@IsOptional() @IsObject() @ValidateNested() @Type(type)`.
 */
export function OptionalNestedObject(type: NestedDtoType): PropertyDecorator {
  return applyDecorators(ValidateNestedObject(type), IsOptional());
}

/**
 * {@link ValidateNestedArray}, or absent (`null` or `undefined`):
 * `@IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(type)`.
 */
export function OptionalNestedArray(type: NestedDtoType): PropertyDecorator {
  return applyDecorators(ValidateNestedArray(type), IsOptional());
}

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
