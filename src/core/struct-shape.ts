import { IConstruct } from 'constructs';
import { showTyped } from './input-types';
import { Problem, show, throwIfProblems, unicodeProblem, unrenderableKeyProblem } from './problem';

/**
 * The one check of a props/options struct at the public boundary, for callers without a compiler (plain JavaScript,
 * Python through jsii, props read from YAML): every key is one the struct documents (an unknown key is an error with a
 * "did you mean" suggestion, not silently ignored) and every value has the documented type (a ValidationError naming
 * the prop, never a TypeError from deep inside the library).
 *
 * `StructShape<T>` lists exactly the keys of T — the compiler rejects a missing or an extra one — so a shape cannot
 * drift from its interface; test/core/input-structs.test.ts fails when a public input struct has no shape.
 */

/** A value of one of this library's classes (or a subclass), recognised by class name so two package copies agree. */
export class InstanceShape {
  constructor(
    /** The class, e.g. `MaxUpdate`. */
    readonly className: string,
    /** How to make one, e.g. `MaxUpdate.count(1)`. */
    readonly example: string,
    /** A custom recogniser (for interfaces such as IAnalysisTemplate). */
    readonly test?: (v: any) => boolean,
  ) {}
}

/** A key the caller must give. */
export class RequiredShape {
  constructor(readonly shape: Shape) {}
}

/** A value of one of a fixed set (an enum's values, read when first checked: enums may load after the shape). */
export class OneOfShape {
  constructor(readonly enumObject: () => object) {}
  public get values(): unknown[] {
    return Object.values(this.enumObject());
  }
}

/** A struct whose value may be a subtype with more keys (e.g. a GeneratedApplication where a PlannedApplication goes). */
export class OpenShape {
  constructor(readonly shape: { readonly [key: string]: Shape }) {}
}

/** A map from string keys to values of one shape. */
export class MapShape {
  constructor(readonly value: Shape) {}
}

/**
 * The shape of a value: a primitive (`'string'`, `'number'`, `'boolean'`), `'map'` (string → string), `'duration'`
 * (a cdk8s Duration), `'metadata'` (an ApiObjectMetadata), `'any'`, a list `[shape]`, a class instance, a required
 * value, one of fixed values, or a nested struct.
 *
 * @internal
 */
export type Shape =
  | 'string' | 'number' | 'boolean' | 'map' | 'duration' | 'metadata' | 'object' | 'any'
  | InstanceShape | RequiredShape | OneOfShape | MapShape | OpenShape | readonly [Shape] | { readonly [key: string]: Shape };

/**
 * The shape of struct T: one entry per key of T, no more, no less.
 *
 * @internal
 */
export type StructShape<T> = { readonly [K in keyof Required<T>]: Shape };

/** @internal An instance of the named class (or a subclass). */
export function instance(className: string, example: string, test?: (v: any) => boolean): InstanceShape {
  return new InstanceShape(className, example, test);
}

/** @internal A key the caller must give. */
export function required(shape: Shape): RequiredShape {
  return new RequiredShape(shape);
}

/** @internal One of the values of an enum object (a function returning it, so the enum may load later). */
export function oneOf(enumObject: () => object): OneOfShape {
  return new OneOfShape(enumObject);
}

/** @internal A struct whose keys are checked for type only: subtypes with more keys are welcome. */
export function open(shape: { readonly [key: string]: Shape }): OpenShape {
  return new OpenShape(shape);
}

/** @internal A map of string keys to values of `value`'s shape. */
export function mapOf(value: Shape): MapShape {
  return new MapShape(value);
}

/** Whether `v` is an instance of the class named `className` or of a subclass (by name along the prototype chain). */
export function isInstanceNamed(v: unknown, className: string): boolean {
  if (v === null || typeof v !== 'object') return false;
  for (let p = Object.getPrototypeOf(v); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, 'constructor') && p.constructor?.name === className) return true;
  }
  return false;
}

const METADATA_KEYS = ['name', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences', 'generateName'];

/** Levenshtein distance, capped: the suggestions only need "close". */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The known key an unknown one was probably meant to be, if any. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0 : distance(lower, k.toLowerCase());
    if (d <= Math.max(1, Math.min(3, Math.floor(k.length / 3))) && (!best || d < best.d)) best = { k, d };
  }
  if (best) return best.k;
  // `name` for `metricName`, `port` for `servicePort`: a known key that ends with the unknown one
  const containing = lower.length >= 3 ? known.filter(k => k.toLowerCase().endsWith(lower)) : [];
  return containing.length === 1 ? containing[0] : undefined;
}

/**
 * Keys of `value` that are not options of the struct: one problem each, with a suggestion.
 *
 * @internal
 */
export function unknownKeyProblems(prop: string, value: object, knownKeys: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(value)) {
    if (knownKeys.includes(key)) continue;
    const guess = closestKey(key, knownKeys);
    problems.push({
      prop: child(prop, key),
      given: `an unknown option (${showTyped((value as any)[key])})`,
      expected: knownKeys.length > 0 ? `one of the documented options: ${knownKeys.join(', ')}` : 'no options',
      fix: guess ? `did you mean "${guess}"?` : 'remove it: the library would ignore it',
    });
  }
  return problems;
}

/** What a shape expects, for messages: `a string`, `an array`, `a RollingSyncStep`… */
function describe(shape: Shape): string {
  if (shape instanceof RequiredShape) return describe(shape.shape);
  if (shape instanceof InstanceShape) return `a ${shape.className}`;
  if (shape instanceof OneOfShape) return `one of ${shape.values.map(v => JSON.stringify(v)).join(', ')}`;
  if (shape instanceof MapShape) return 'a map';
  if (Array.isArray(shape)) return 'an array';
  switch (shape) {
    case 'string': case 'number': return `a ${shape}`;
    case 'boolean': return 'true or false';
    case 'map': return 'a map of strings';
    case 'duration': return 'a Duration';
    case 'metadata': return 'an ApiObjectMetadata object';
    case 'any': return 'a value';
    default: return 'an object';
  }
}

function wrong(prop: string, value: unknown, expected: string, fix = 'pass the type the option documents'): Problem[] {
  return [{ prop, given: showTyped(value), expected, fix }];
}

/** The prop path of a key: top-level `props`/`options` are not repeated in messages (`threshold`, not `props.threshold`). */
const child = (prop: string, key: string): string => (prop === 'props' || prop === 'options' ? key : `${prop}.${key}`);

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Problems of `value` against `shape`: unknown keys, wrong types, missing required keys. `undefined` is accepted
 * unless the shape is `required(…)`.
 *
 * @internal
 */
export function shapeProblems(prop: string, value: unknown, shape: Shape): Problem[] {
  if (shape instanceof RequiredShape) {
    if (value === undefined) return [{ prop, given: 'missing', expected: describe(shape.shape), fix: `set ${prop} (it is required)` }];
    return shapeProblems(prop, value, shape.shape);
  }
  if (value === undefined || shape === 'any') return [];
  if (shape instanceof InstanceShape) {
    const ok = shape.test ? shape.test(value) : isInstanceNamed(value, shape.className);
    return ok ? [] : wrong(prop, value, `a ${shape.className}`, `use ${shape.example}`);
  }
  if (shape instanceof OneOfShape) {
    const values = shape.values;
    return values.includes(value) ? [] : wrong(prop, value, `one of ${values.map(v => JSON.stringify(v)).join(', ')}`, 'use the enum');
  }
  if (shape instanceof MapShape) {
    if (!isPlainObject(value)) return wrong(prop, value, 'a map', 'pass e.g. { key: … }');
    return Object.entries(value).flatMap(([k, v]) => {
      const unrenderable = unrenderableKeyProblem(prop, k);
      return unrenderable ? [unrenderable] : shapeProblems(`${prop}.${k}`, v, required(shape.value));
    });
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return wrong(prop, value, 'an array');
    return value.flatMap((v, i) => (v === undefined || v === null ? wrong(`${prop}[${i}]`, v, 'a value', 'remove the empty entry') : shapeProblems(`${prop}[${i}]`, v, shape[0])));
  }
  switch (shape) {
    case 'string': {
      if (typeof value !== 'string') return wrong(prop, value, describe(shape));
      const broken = unicodeProblem(prop, value);
      return broken ? [broken] : [];
    }
    case 'number':
      if (typeof value !== 'number') return wrong(prop, value, describe(shape));
      // no option of this library means anything beyond 2^53, and such a number renders as `1e+21`: not a JSON integer
      return Number.isFinite(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER
        ? [{ prop, given: show(value), expected: `at most ${Number.MAX_SAFE_INTEGER} in size (larger numbers render as ${show(value)})`, fix: 'use a smaller number' }]
        : [];
    case 'boolean':
      return typeof value === shape ? [] : wrong(prop, value, describe(shape));
    case 'map':
      if (!isPlainObject(value)) return wrong(prop, value, 'a map of strings', 'pass e.g. { key: "value" }');
      return Object.entries(value).flatMap(([k, v]) => {
        const unrenderable = unrenderableKeyProblem(prop, k) ?? unicodeProblem(`${prop} key`, k);
        if (unrenderable) return [unrenderable];
        if (typeof v !== 'string') return wrong(`${prop}.${k}`, v, 'a string', 'quote the value');
        const broken = unicodeProblem(`${prop}.${k}`, v);
        return broken ? [broken] : [];
      });
    case 'duration':
      return isDuration(value) ? [] : wrong(prop, value, 'a Duration', 'use e.g. Duration.seconds(30)');
    case 'object':
      return isPlainObject(value) ? [] : wrong(prop, value, 'an object');
    case 'metadata': {
      if (!isPlainObject(value)) return wrong(prop, value, 'an ApiObjectMetadata object', 'pass e.g. { name: "web" }');
      const p: Problem[] = [];
      for (const k of ['name', 'namespace', 'generateName']) {
        if (value[k] !== undefined && typeof value[k] !== 'string') p.push(...wrong(`${prop}.${k}`, value[k], 'a string', k === 'name' ? 'give a name or leave the key out' : 'pass a string'));
      }
      p.push(...shapeProblems(`${prop}.labels`, value.labels, 'map'), ...shapeProblems(`${prop}.annotations`, value.annotations, 'map'));
      return p.length > 0 ? p : unknownKeyProblems(prop, value, METADATA_KEYS);
    }
  }
  // a nested struct
  if (!isPlainObject(value)) return wrong(prop, value, 'an object');
  if (shape instanceof OpenShape) {
    return Object.keys(shape.shape).flatMap(k => shapeProblems(child(prop, k), value[k], shape.shape[k]));
  }
  const known = Object.keys(shape);
  const unknown = unknownKeyProblems(prop, value, known);
  if (unknown.length > 0) return unknown;
  return known.flatMap(k => shapeProblems(child(prop, k), value[k], (shape as { readonly [key: string]: Shape })[k]));
}

/**
 * Throws the first problem of a props/options struct (see `shapeProblems`): the one line at the top of each
 * constructor and factory that takes one.
 *
 * @internal
 */
export function checkStruct(where: IConstruct | string, prop: string, value: unknown, shape: Shape): void {
  throwIfProblems(where, shapeProblems(prop, value, shape));
}

/**
 * Checks the positional arguments of a factory or method, named as in its signature: the one line at the top of a
 * static factory taking strings, numbers or objects, e.g.
 * `checkArgs('TemplateArgument.withDefault', { name: [name, required('string')], defaultValue: [defaultValue, required('string')] })`.
 *
 * @internal
 */
export function checkArgs(where: string, args: { readonly [name: string]: readonly [unknown, Shape] }): void {
  throwIfProblems(where, Object.entries(args).flatMap(([name, [value, shape]]) => shapeProblems(name, value, shape)));
}

/**
 * `checkStruct`, returning the value: for a constructor that must check its props before `super(props)`.
 *
 * @internal
 */
export function checkedStruct<T>(where: string, prop: string, value: T, shape: Shape): T {
  checkStruct(where, prop, value, shape);
  return value;
}

/**
 * The path a construct will have, for the errors of props checked before `super()` (with `checkedStruct`).
 *
 * @internal
 */
export function constructPath(scope: IConstruct, id: string): string {
  const parent = scope?.node?.path;
  return parent ? `${parent}/${id}` : String(id);
}

/** @internal Whether a value is a cdk8s Duration (by its API: two copies of cdk8s agree). */
export function isDuration(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as any).toMilliseconds === 'function' && typeof (v as any).toSeconds === 'function';
}
