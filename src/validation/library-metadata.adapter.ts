import { createRequire } from 'node:module';
import {
  getMetadataStorage,
  IS_OPTIONAL,
  ValidationTypes,
  type ValidationArguments,
} from 'class-validator';

/**
 * The one file that reads class-transformer's and class-validator's internals: their decorator
 * metadata storage, which neither library documents. The compiled validator
 * (`dto-fast-path.ts`) sees only the neutral descriptions built here.
 *
 * Tested with the versions below (the oracle test, test/unit/dto-fast-path.spec.ts, compares
 * the compiled validator with the libraries themselves on every fixture and on generated
 * values). When a peer moves past them, run that test first: a storage that is missing or
 * shaped differently turns the compiled validator off (class-transformer + class-validator
 * then validate every value), but a change of behaviour behind the same shape is only caught
 * by the oracle.
 */
export const TESTED_PEER_VERSIONS = Object.freeze({
  'class-transformer': '0.5.1',
  'class-validator': '0.15.1',
});

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

// --- class-transformer -----------------------------------------------------------------------

/** What class-transformer passes to a `@Transform` function. */
export interface TransformParams {
  value: unknown;
  key: string;
  obj: Record<string, unknown>;
  type: number;
  options: Readonly<Record<string, unknown>>;
}

/** The parts of class-transformer's (internal) metadata storage the compiled validator reads. */
export interface TransformerMetadataStorage {
  findTypeMetadata(
    target: Function,
    propertyName: string,
  ):
    | {
        typeFunction?: (options?: unknown) => Function;
        reflectedType?: unknown;
        options?: { discriminator?: unknown };
      }
    | undefined;
  findTransformMetadatas(
    target: Function,
    propertyName: string,
    transformationType: number,
  ): {
    transformFn: (params: TransformParams) => unknown;
    options?: { groups?: string[]; since?: number; until?: number };
  }[];
  getStrategy(target: Function): string;
  getExposedMetadatas(target: Function): unknown[];
  getExcludedMetadatas(target: Function): unknown[];
}

/** class-transformer's `TransformationType.PLAIN_TO_CLASS`. */
export const PLAIN_TO_CLASS = 0;

/** class-transformer's `defaultOptions`, which `plainToInstance` passes to `@Transform` functions. */
export const TRANSFORM_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({
  enableCircularCheck: false,
  enableImplicitConversion: false,
  excludeExtraneousValues: false,
  excludePrefixes: undefined,
  exposeDefaultValues: false,
  exposeUnsetFields: true,
  groups: undefined,
  ignoreDecorators: false,
  strategy: undefined,
  targetMaps: undefined,
  version: undefined,
});

/**
 * class-transformer's metadata storage is not exported from its entry point; it is the
 * module its CommonJS build (the one Node resolves for `class-transformer`) requires. When it
 * cannot be found, or it is not the instance the DTOs registered with (`probe`, a class with a
 * known `@Type` property, is unknown to it: another copy of class-transformer), `undefined`.
 */
export function transformerMetadataStorage(probe: {
  cls: Function;
  property: string;
}): TransformerMetadataStorage | undefined {
  let storage: TransformerMetadataStorage | undefined;
  try {
    const require = createRequire(import.meta.url);
    storage = (
      require('class-transformer/cjs/storage.js') as {
        defaultMetadataStorage?: TransformerMetadataStorage;
      }
    ).defaultMetadataStorage;
  } catch {
    return undefined;
  }
  if (!storage || typeof storage.findTypeMetadata !== 'function') return undefined;
  return storage.findTypeMetadata(probe.cls, probe.property) !== undefined ? storage : undefined;
}

// --- class-validator -------------------------------------------------------------------------

/** One class-validator decorator on a property, with its constraint objects resolved. */
export interface ConstraintCheck {
  readonly propertyName: string;
  /** The decorator's constraints, as its `ValidationArguments` carry them. */
  readonly constraints: unknown[];
  readonly validateIf: ((object: object, value: unknown) => boolean) | undefined;
  readonly validators: readonly {
    validate(value: unknown, args?: ValidationArguments): unknown;
  }[];
  readonly each: boolean;
}

/** What class-validator checks on one property, in its order. */
export interface PropertyValidation {
  readonly name: string;
  /** `@IsOptional()`: its condition is `object[name] != null`, i.e. `value != null`. */
  readonly optional: boolean;
  /** The other conditions (`@ValidateIf`). */
  readonly conditions: readonly ((object: object, value: unknown) => unknown)[];
  readonly defined: readonly ConstraintCheck[];
  readonly customs: readonly ConstraintCheck[];
  readonly nested: boolean;
}

/** What `validateSync` checks on an instance of a class. */
export interface ClassValidation {
  /** `object.constructor.name`, for the constraints' `ValidationArguments`. */
  readonly targetName: string;
  readonly properties: readonly PropertyValidation[];
}

const KNOWN_TYPES = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
]);

function isOptionalCondition(m: ValidationMetadata): boolean {
  return m.type === ValidationTypes.CONDITIONAL_VALIDATION && m.name === IS_OPTIONAL;
}

/**
 * What `validateSync` (no groups, `always` off) checks on an instance of `cls`, read from
 * class-validator's metadata storage; `null` when the class uses a kind of metadata not
 * described here.
 */
export function classValidation(cls: Function): ClassValidation | null {
  if (typeof cls !== 'function') return null;
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(
    cls,
    undefined as unknown as string, // what validateSync passes for the validated object itself
    false,
    false,
    undefined,
  );
  if (metadatas.some((m) => !KNOWN_TYPES.has(m.type))) return null;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: PropertyValidation[] = [];
  for (const [name, group] of Object.entries(grouped)) {
    const check = (m: ValidationMetadata): ConstraintCheck => {
      const constraints = storage.getTargetValidatorConstraints(m.constraintCls);
      // validateSync skips async constraints (its executor ignores them).
      const validators = constraints.filter((c) => !c.async).map((c) => c.instance);
      return {
        propertyName: m.propertyName,
        constraints: m.constraints,
        validateIf: m.validateIf,
        validators,
        each: Boolean(m.each),
      };
    };
    const others = group.filter(
      (m) => m.type !== ValidationTypes.IS_DEFINED && m.type !== ValidationTypes.WHITELIST,
    );
    properties.push({
      name,
      optional: others.some(isOptionalCondition),
      conditions: others
        .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION && !isOptionalCondition(m))
        .map((m) => m.constraints[0] as (object: object, value: unknown) => unknown),
      defined: group.filter((m) => m.type === ValidationTypes.IS_DEFINED).map(check),
      customs: others.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION).map(check),
      nested: others.some((m) => m.type === ValidationTypes.NESTED_VALIDATION),
    });
  }
  return { targetName: cls.name, properties };
}
