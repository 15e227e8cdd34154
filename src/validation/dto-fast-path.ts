import {
  classValidation,
  PLAIN_TO_CLASS,
  TRANSFORM_OPTIONS,
  type TransformerMetadataStorage,
  transformerMetadataStorage,
  type TransformParams,
} from './library-metadata.adapter.js';
import {
  type BuiltProperty,
  type CompiledCheck,
  compileClassBuilder,
  compileClassCheck,
} from './validation-codegen.js';

/**
 * A fast path for `plainToInstance(Dto, json)` + `validateSync(instance)` on parsed JSON.
 *
 * class-transformer and class-validator read their decorator metadata again for every object
 * they visit (class-validator scans every registered class for ancestors on each nested
 * object) and class-validator builds a `ValidationError` for every property, valid or not. On
 * a 1000-status batch that was three quarters of the request's CPU. This module reads the same
 * metadata once per class and keeps it in plans:
 *
 * - {@link DtoFastPath.toInstance} builds what `plainToInstance` builds (same classes, same
 *   keys, the same `@Type` and `@Transform` handling, class-transformer's default options);
 * - {@link DtoFastPath.isValid} answers whether `validateSync` would return no errors, by
 *   calling the same constraint objects the decorators registered, in the same order, with
 *   the same conditions (`@IsOptional`, `@ValidateIf`, `each`, nested validation).
 *
 * The decorators stay the single source of truth, and class-validator still writes every
 * error message: the caller runs `validateSync` whenever `isValid` is not `true`. A class
 * that uses anything this module does not reproduce exactly (`@Expose`/`@Exclude`,
 * discriminators, `Set`/`Map` properties, `Date`/primitive `@Type`s, async or promise
 * validation, accessors or methods on the DTO) makes both methods return `undefined`, and
 * the caller falls back to the libraries. The equivalence is tested against the libraries
 * themselves on every fixture and on generated values (test/unit/dto-fast-path.spec.ts).
 *
 * Scope: the values `JSON.parse` produces (plain objects, arrays, primitives), validated with
 * the options the payload pipe uses (no groups, `always` off, no whitelist, no skipping).
 */

type Constructor = new () => object;

/** Thrown inside a plan when the input needs a path only the libraries take. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported('fall back to class-transformer / class-validator');

/** Keys class-transformer does not copy onto an object whose prototype has them as methods. */
function protoSkipKeys(prototype: object): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const key of Object.getOwnPropertyNames(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key)!;
    if (!descriptor.set) keys.add(key);
  }
  return keys;
}
const OBJECT_SKIP_KEYS = protoSkipKeys(Object.prototype);

/** Types class-transformer converts with special rules this module does not reproduce. */
const SPECIAL_TYPES: readonly unknown[] = [
  String,
  Number,
  Boolean,
  Date,
  Map,
  Set,
  Promise,
  globalThis.Buffer,
  Array,
  Object,
];

/** How one property of a class is converted. */
interface PropertyTransform {
  /** The class of `@Type(() => Class)`; undefined for an untyped property (deep copy). */
  readonly type: ClassPlan | undefined;
  readonly transforms: readonly ((params: TransformParams) => unknown)[];
}

interface ClassPlan {
  readonly cls: Constructor;
  /** Own keys of the prototype without a setter: skipped, as class-transformer does. */
  readonly skipKeys: ReadonlySet<string>;
  /**
   * A new instance: class-transformer skips the keys where the instance it fills holds a
   * function, and every new instance of a DTO holds the same.
   */
  readonly blank: Readonly<Record<string, unknown>>;
  /**
   * Per property name, `null` for a key that is skipped; resolved on first sight of a key
   * (bounded, see {@link MAX_CACHED_KEYS}).
   */
  readonly properties: Map<string, PropertyTransform | null>;
  /** The generated builder, once compiled (`null`: none, the keys are copied one by one). */
  build?: ((plain: Record<string, unknown>) => object) | null;
}

/** Keys remembered per class; beyond it (a hostile payload's invented keys) they are looked up each time. */
const MAX_CACHED_KEYS = 512;

const UNTYPED: PropertyTransform = Object.freeze({ type: undefined, transforms: [] });

export class DtoFastPath {
  private readonly transformPlans = new Map<Function, ClassPlan | null>();
  private readonly checks = new Map<Function, CompiledCheck | null>();

  constructor(private readonly transformer: TransformerMetadataStorage | undefined) {}

  /** Whether class-transformer's metadata could be read: without it, every call falls back. */
  get enabled(): boolean {
    return this.transformer !== undefined;
  }

  /**
   * What `plainToInstance(cls, plain)` returns, or `undefined` when the class (or this input)
   * needs a path only class-transformer takes.
   */
  toInstance<T extends object>(cls: new () => T, plain: Record<string, unknown>): T | undefined {
    const plan = this.transformPlan(cls);
    if (!plan) return undefined;
    try {
      return this.toClass(plan, plain) as T;
    } catch (error) {
      if (error === UNSUPPORTED) return undefined;
      throw error;
    }
  }

  /**
   * Whether `validateSync(instance)` (no groups, unknown values allowed) returns no errors:
   * `true` or `false` when this module can answer exactly, `undefined` when it cannot.
   */
  isValid(instance: object): boolean | undefined {
    try {
      return this.validObject(instance);
    } catch (error) {
      if (error === UNSUPPORTED) return undefined;
      throw error;
    }
  }

  // --- class-transformer, plain → class ----------------------------------------------------

  private transformPlan(cls: Function): ClassPlan | null {
    let plan = this.transformPlans.get(cls);
    if (plan === undefined) {
      plan = this.compileTransform(cls);
      this.transformPlans.set(cls, plan);
    }
    return plan;
  }

  private compileTransform(cls: Function): ClassPlan | null {
    const storage = this.transformer;
    if (!storage || typeof cls !== 'function' || SPECIAL_TYPES.includes(cls)) return null;
    // Exposure rules change which keys are copied: not reproduced.
    for (let c: Function = cls; c !== Function.prototype && c !== Object;) {
      if (
        storage.getStrategy(c) !== 'none' ||
        storage.getExposedMetadatas(c).length > 0 ||
        storage.getExcludedMetadatas(c).length > 0
      ) {
        return null;
      }
      // Methods or accessors anywhere below Object.prototype: not reproduced.
      const names = Object.getOwnPropertyNames(c.prototype).filter((n) => n !== 'constructor');
      if (names.length > 0 || Object.getOwnPropertySymbols(c.prototype).length > 0) return null;
      c = Object.getPrototypeOf(c) as Function;
    }
    return {
      cls: cls as Constructor,
      skipKeys: protoSkipKeys(cls.prototype as object),
      blank: new (cls as Constructor)() as Record<string, unknown>,
      properties: new Map(),
    };
  }

  private property(plan: ClassPlan, key: string): PropertyTransform | null {
    const cached = plan.properties.get(key);
    if (cached !== undefined) return cached;
    const property =
      plan.skipKeys.has(key) || plan.blank[key] instanceof Function
        ? null
        : this.compileProperty(plan.cls, key);
    if (plan.properties.size < MAX_CACHED_KEYS) plan.properties.set(key, property);
    return property;
  }

  private compileProperty(cls: Function, key: string): PropertyTransform {
    const storage = this.transformer!;
    const transforms = storage
      .findTransformMetadatas(cls, key, PLAIN_TO_CLASS)
      .filter((m) => !m.options?.groups?.length);
    const typeMetadata = storage.findTypeMetadata(cls, key);
    let type: ClassPlan | undefined;
    if (typeMetadata) {
      if (typeMetadata.options?.discriminator) throw UNSUPPORTED;
      // For an array value class-transformer creates `new reflectedType()` when that is a Set
      // or has `push` (a plain array otherwise); the design type of a DTO property is the DTO.
      const reflected = typeMetadata.reflectedType;
      if (
        typeof reflected === 'function' &&
        reflected !== Array &&
        (reflected === Set || reflected === Map || 'push' in (reflected.prototype as object))
      ) {
        throw UNSUPPORTED;
      }
      const target = typeMetadata.typeFunction
        ? typeMetadata.typeFunction({})
        : (reflected as Function | undefined);
      if (target !== undefined) {
        const plan = this.transformPlan(target);
        if (!plan) throw UNSUPPORTED;
        type = plan;
      }
    }
    if (!type && transforms.length === 0) return UNTYPED;
    return { type, transforms: transforms.map((m) => m.transformFn) };
  }

  private toClass(plan: ClassPlan, plain: Record<string, unknown>): object {
    let build = plan.build;
    if (build === undefined) build = plan.build = this.compileBuild(plan);
    if (build !== null) return build(plain);
    const instance = new plan.cls() as Record<string, unknown>;
    for (const key of Object.keys(plain)) {
      if (key !== '__proto__' && key !== 'constructor') this.copyKey(plan, instance, plain, key);
    }
    return instance;
  }

  /**
   * A builder generated for the properties class-validator knows on the class (the keys a DTO
   * is sent), those with `@Transform` or a type this module does not reproduce excepted.
   */
  private compileBuild(plan: ClassPlan): ((plain: Record<string, unknown>) => object) | null {
    const known: BuiltProperty<ClassPlan>[] = [];
    for (const { name } of classValidation(plan.cls)?.properties ?? []) {
      let property: PropertyTransform | null;
      try {
        property = this.property(plan, name);
      } catch (error) {
        if (error === UNSUPPORTED) continue;
        throw error;
      }
      if (property === null) known.push({ name, copy: null });
      else if (property.transforms.length === 0) known.push({ name, copy: property });
    }
    const other = (
      instance: Record<string, unknown>,
      plain: Record<string, unknown>,
      key: string,
    ) => this.copyKey(plan, instance, plain, key);
    const convert = (value: unknown, type: ClassPlan | undefined) => this.convert(value, type);
    return compileClassBuilder(plan.cls, known, convert, other) ?? null;
  }

  /** Copies one key of `plain` (not `__proto__` nor `constructor`) as class-transformer does. */
  private copyKey(
    plan: ClassPlan,
    instance: Record<string, unknown>,
    plain: Record<string, unknown>,
    key: string,
  ): void {
    const property = this.property(plan, key);
    if (property === null) return;
    const raw = plain[key];
    let value = typeof raw !== 'object' || raw === null ? raw : this.convert(raw, property.type);
    for (const transform of property.transforms) {
      value = transform({
        value,
        key,
        obj: plain,
        type: PLAIN_TO_CLASS,
        options: TRANSFORM_OPTIONS,
      });
    }
    instance[key] = value;
  }

  private convert(value: unknown, type: ClassPlan | undefined): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      for (let i = 0; i < value.length; i++) copy.push(this.convert(value[i], type));
      return copy;
    }
    if (type) return this.toClass(type, value as Record<string, unknown>);
    return this.copyPlain(value as Record<string, unknown>);
  }

  /** An untyped object: class-transformer copies it into a new plain object, recursively. */
  private copyPlain(value: Record<string, unknown>): object {
    // Anything but a JSON.parse object takes class-transformer's type-guessing path.
    if (value.constructor !== Object) throw UNSUPPORTED;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key === '__proto__' || key === 'constructor' || OBJECT_SKIP_KEYS.has(key)) continue;
      copy[key] = this.convert(value[key], undefined);
    }
    return copy;
  }

  // --- class-validator, validateSync ----------------------------------------------------

  private compiledCheck(cls: Function): CompiledCheck | null {
    let check = this.checks.get(cls);
    if (check === undefined) {
      const plan = classValidation(cls);
      check = (plan && compileClassCheck(plan, this.nested, this.checkOf)) ?? null;
      this.checks.set(cls, check);
    }
    return check;
  }

  private validObject(object: object): boolean {
    const check = this.compiledCheck(object.constructor);
    if (!check) throw UNSUPPORTED;
    return check(object);
  }

  private readonly nested = (value: unknown): boolean => this.validNested(value);

  /** The compiled check of an object's class, when there is one (compiled on first sight). */
  private readonly checkOf = (object: object): CompiledCheck | undefined =>
    this.compiledCheck(object.constructor) ?? undefined;

  private validNested(value: unknown): boolean {
    if (value === undefined) return true;
    if (Array.isArray(value)) {
      for (const item of value) if (!this.validNested(item)) return false;
      return true;
    }
    if (value instanceof Set || value instanceof Map) throw UNSUPPORTED;
    if (value instanceof Object) return this.validObject(value);
    return false;
  }
}

/**
 * The shared fast path. `probe` is a class with a known `@Type` property: if class-transformer's
 * storage does not know it, the DTOs registered with another copy of class-transformer, and
 * every call falls back.
 */
export function createDtoFastPath(probe: { cls: Function; property: string }): DtoFastPath {
  return new DtoFastPath(transformerMetadataStorage(probe));
}
