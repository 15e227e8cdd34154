import type { ValidationArguments } from 'class-validator';
import { isThenable } from '../is-thenable.js';
import type { ClassValidation, ConstraintCheck } from './library-metadata.adapter.js';

/** Whether an instance of one class passes `validateSync`; nested values go to `nested`. */
export type CompiledCheck = (object: object) => boolean;

/**
 * Generates one straight-line function per class from what class-validator checks on it
 * ({@link ClassValidation}): each property read once by its literal name, then its conditions,
 * `@IsDefined`, the other constraints and nested validation, in class-validator's order, each
 * constraint object called at its own (monomorphic) call site with an arguments object made
 * once per decorator. `validateSync` is synchronous and the arguments are read during the call
 * only, so they are reused. A promise returned by a constraint counts as passing (validateSync
 * ignores it); with `each`, one promise among the items makes the whole decorator pass.
 *
 * `undefined` when code cannot be generated here (`--disallow-code-generation-from-strings`).
 */
export function compileClassCheck(
  plan: ClassValidation,
  nested: (value: unknown) => boolean,
  checkOf: (object: object) => CompiledCheck | undefined,
): CompiledCheck | undefined {
  const checks: ConstraintCheck[] = [];
  const args: ValidationArguments[] = [];
  const conditions: ((object: object, value: unknown) => unknown)[] = [];
  const lines: string[] = ['let v, t;'];
  // Each constraint object and arguments object in a constant of the generated closure.
  const constants: string[] = [];
  let argIndex = 0;
  let sites = 0;
  for (const property of plan.properties) {
    lines.push(`v = o[${JSON.stringify(property.name)}];`);
    const guards: string[] = [];
    if (property.optional) guards.push('v !== null && v !== undefined');
    const body: string[] = [];
    // class-validator evaluates every condition, then requires all of them to be truthy.
    const first = conditions.length;
    for (const condition of property.conditions) conditions.push(condition);
    const results = property.conditions.map((_, i) => `k[${first + i}](o, v)`);
    for (const check of [...property.defined, ...property.customs]) {
      const c = checks.push(check) - 1;
      const a = argIndex++;
      args.push({
        targetName: plan.targetName,
        property: check.propertyName,
        object: undefined as unknown as object,
        value: undefined,
        constraints: check.constraints,
      });
      constants.push(`const a${a} = a[${a}];`);
      const calls: string[] = [`a${a}.object = o; a${a}.value = v;`];
      check.validators.forEach((_, j) => {
        const validator = `c${c}_${j}`;
        constants.push(`const ${validator} = c[${c}].validators[${j}];`);
        const single = `if (!${validator}.validate(v, a${a})) return false;`;
        if (!check.each) {
          calls.push(single);
          return;
        }
        calls.push(
          `if (Array.isArray(v)) {`,
          `  let t = false, f = false;`,
          `  for (let n = 0; n < v.length; n++) {`,
          `    const r = ${validator}.validate(v[n], a${a});`,
          `    if (thenable(r)) t = true; else if (!r) f = true;`,
          `  }`,
          `  if (!t && f) return false;`,
          `} else ${single}`,
        );
      });
      body.push(
        ...(check.validateIf
          ? [`if (c[${c}].validateIf(o, v)) {`, ...calls, '}']
          : ['{', ...calls, '}']),
      );
    }
    if (property.nested) {
      // A one-entry cache per property: the class of the value seen there last and its
      // check, called at a call site of its own (V8 can inline it). Anything else — another
      // class, an array's items of several classes, a value that is no DTO instance — takes
      // `nested`, which answers for every value.
      const n = sites++;
      constants.push(`let s${n}c, s${n}k;`);
      const one = (x: string) => [
        `if (typeof ${x} === 'object' && ${x} !== null && ${x}.constructor === s${n}c) {`,
        `  if (!s${n}k(${x})) return false;`,
        `} else if (typeof ${x} === 'object' && ${x} !== null && !Array.isArray(${x}) && (t = checkOf(${x})) !== undefined) {`,
        `  s${n}c = ${x}.constructor;`,
        `  s${n}k = t;`,
        `  if (!t(${x})) return false;`,
        `} else if (!nested(${x})) return false;`,
      ];
      body.push(
        'if (Array.isArray(v)) {',
        '  for (let n = 0; n < v.length; n++) {',
        '    const x = v[n];',
        ...one('x').map((line) => `    ${line}`),
        '  }',
        '} else if (v !== undefined) {',
        ...one('v').map((line) => `  ${line}`),
        '}',
      );
    }
    if (body.length === 0 && results.length === 0) continue;
    if (results.length > 0) {
      // Every condition runs (none short-circuits another), as in class-validator.
      const names = results.map((_, i) => `r${i}`);
      body.unshift(...results.map((call, i) => `const ${names[i]} = ${call};`));
      body.splice(results.length, 0, `if (${names.join(' && ')}) {`);
      body.push('}');
    }
    lines.push(
      guards.length > 0 ? `if (${guards.join(' && ')}) {` : '{',
      ...body.map((line) => `  ${line}`),
      '}',
    );
  }
  lines.push('return true;');
  let factory: Function;
  try {
    factory = new Function(
      'c',
      'a',
      'k',
      'nested',
      'checkOf',
      'thenable',
      `${constants.join('\n')}\nreturn function validate(o) {\n${lines.join('\n')}\n};`,
    );
  } catch {
    return undefined;
  }
  return factory(checks, args, conditions, nested, checkOf, isThenable) as CompiledCheck;
}

/** How a known property is copied by a generated builder: by `convert`, or skipped. */
export interface BuiltProperty<Type> {
  readonly name: string;
  /** `null`: class-transformer skips the key; `undefined` type: an untyped value. */
  readonly copy: { readonly type: Type | undefined } | null;
}

/**
 * Generates what `plainToInstance` does for one class, for its known properties (those without
 * `@Transform`), as one function: the keys of the plain object in their order, each known one
 * copied by a store of its own name (V8 then keeps one hidden-class path per DTO instead of a
 * generic keyed store per key), any other key handed to `other`. `undefined` when code cannot
 * be generated here.
 */
export function compileClassBuilder<Type>(
  cls: new () => object,
  known: readonly BuiltProperty<Type>[],
  convert: (value: unknown, type: Type | undefined) => unknown,
  other: (instance: Record<string, unknown>, plain: Record<string, unknown>, key: string) => void,
): ((plain: Record<string, unknown>) => object) | undefined {
  const cases: string[] = [];
  const types: (Type | undefined)[] = [];
  for (const { name, copy } of known) {
    if (name === '__proto__' || name === 'constructor') continue;
    const key = JSON.stringify(name);
    if (copy === null) {
      cases.push(`case ${key}: break;`);
      continue;
    }
    const t = types.push(copy.type) - 1;
    cases.push(
      `case ${key}: { const v = plain[${key}]; ` +
        `o[${key}] = typeof v !== 'object' || v === null ? v : convert(v, t${t}); break; }`,
    );
  }
  const source = [
    ...types.map((_, i) => `const t${i} = t[${i}];`),
    'return function build(plain) {',
    '  const o = new Cls();',
    // for…in visits the own keys in Object.keys order without allocating their array (the
    // object's enum cache is used as is); hasOwn skips what a prototype would add.
    '  for (const key in plain) {',
    '    if (!hasOwn(plain, key)) continue;',
    '    switch (key) {',
    ...cases.map((line) => `      ${line}`),
    `      case '__proto__': case 'constructor': break;`,
    '      default: other(o, plain, key);',
    '    }',
    '  }',
    '  return o;',
    '};',
  ].join('\n');
  try {
    return new Function('Cls', 't', 'convert', 'other', 'hasOwn', source)(
      cls,
      types,
      convert,
      other,
      Object.hasOwn,
    ) as (plain: Record<string, unknown>) => object;
  } catch {
    return undefined;
  }
}
