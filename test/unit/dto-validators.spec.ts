/**
 * The composed DTO decorators of src/dto/shared/validators.ts register exactly what the stacks
 * they replace registered: the same class-validator metadata in the same order (the validation
 * fast path compiles its plans from it) and the same class-transformer `@Type`, and so give the
 * same instances and the same errors.
 */
import { createRequire } from 'node:module';
import { Type, plainToInstance } from 'class-transformer';
import {
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
  getMetadataStorage,
  validateSync,
} from 'class-validator';
import { describe, expect, it } from 'vitest';
import {
  OptionalNestedArray,
  OptionalNestedObject,
  ValidateNestedArray,
  ValidateNestedObject,
} from '../../src/dto/shared/validators.js';

class ItemDto {
  @IsString()
  name!: string;
}

class WrittenOut {
  @IsObject()
  @ValidateNested()
  @Type(() => ItemDto)
  object!: ItemDto;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  array!: ItemDto[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ItemDto)
  optionalObject?: ItemDto;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  optionalArray?: ItemDto[];
}

class Composed {
  @ValidateNestedObject(() => ItemDto)
  object!: ItemDto;

  @ValidateNestedArray(() => ItemDto)
  array!: ItemDto[];

  @OptionalNestedObject(() => ItemDto)
  optionalObject?: ItemDto;

  @OptionalNestedArray(() => ItemDto)
  optionalArray?: ItemDto[];
}

const PROPERTIES = ['object', 'array', 'optionalObject', 'optionalArray'] as const;

/** class-validator's metadata of a class, in registration order, without its target. */
function validationMetadata(cls: Function): unknown[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', false, false)
    .map(({ target: _target, constraintCls, constraints, ...rest }) => ({
      ...rest,
      constraintCls: constraintCls?.name,
      // @IsOptional's condition is a function created per call: compare its source.
      constraints: constraints?.map((c: unknown) => (typeof c === 'function' ? String(c) : c)),
    }));
}

interface TypeMetadata {
  typeFunction: () => Function;
  reflectedType: unknown;
  options: unknown;
}

const { defaultMetadataStorage } = createRequire(import.meta.url)(
  'class-transformer/cjs/storage.js',
) as {
  defaultMetadataStorage: {
    findTypeMetadata(target: Function, property: string): TypeMetadata | undefined;
  };
};

describe('composed DTO decorators', () => {
  it('register the same class-validator metadata, in the same order', () => {
    const composed = validationMetadata(Composed);
    expect(composed).toHaveLength(10);
    expect(composed).toEqual(validationMetadata(WrittenOut));
  });

  it.each(PROPERTIES)('register the same @Type on %s', (property) => {
    const written = defaultMetadataStorage.findTypeMetadata(WrittenOut, property)!;
    const composed = defaultMetadataStorage.findTypeMetadata(Composed, property)!;
    expect(composed.typeFunction()).toBe(ItemDto);
    expect(composed.typeFunction()).toBe(written.typeFunction());
    expect(composed.reflectedType).toBe(written.reflectedType);
    expect(composed.options).toEqual(written.options);
  });

  const inputs: [string, unknown][] = [
    ['valid items', { name: 'a' }],
    ['invalid items', { name: 1 }],
    ['missing', undefined],
    ['null', null],
    ['a string', 'x'],
    ['an empty array', []],
    ['an array of valid items', [{ name: 'a' }]],
    ['an array with an invalid item', [{ name: 'a' }, { name: 2 }, 3]],
  ];

  it.each(inputs)('give the same instance and errors for %s', (_label, value) => {
    const plain = Object.fromEntries(PROPERTIES.map((property) => [property, value]));
    const written = plainToInstance(WrittenOut, plain);
    const composed = plainToInstance(Composed, plain);
    expect({ ...composed }).toEqual({ ...written });
    const errors = (instance: object) =>
      validateSync(instance, { validationError: { target: false } }).map((error) => ({
        ...error,
        value: undefined,
      }));
    expect(errors(composed)).toEqual(errors(written));
  });
});
