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

/** The class names along a prototype chain, per prototype (prototypes are long-lived: computed once each). */
const CHAIN_NAMES = new WeakMap<object, ReadonlySet<string>>();

/** Whether `v` is an instance of the class named `className` or of a subclass (by name along the prototype chain). */
export function isInstanceNamed(v: unknown, className: string): boolean {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  if (!proto) return false;
  let names = CHAIN_NAMES.get(proto);
  if (!names) {
    const found = new Set<string>();
    for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      if (Object.prototype.hasOwnProperty.call(p, 'constructor') && typeof p.constructor?.name === 'string') found.add(p.constructor.name);
    }
    names = found;
    CHAIN_NAMES.set(proto, names);
  }
  return names.has(className);
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
  const out: Problem[] = [];
  collect(out, prop, value, shape);
  return out;
}

/** The keys of a nested struct shape, and a set of them (computed once per shape: shapes are module constants). */
const STRUCT_KEYS = new WeakMap<object, { readonly list: readonly string[]; readonly set: ReadonlySet<string> }>();
function structKeys(shape: object): { readonly list: readonly string[]; readonly set: ReadonlySet<string> } {
  let keys = STRUCT_KEYS.get(shape);
  if (!keys) {
    const list = Object.keys(shape);
    keys = { list, set: new Set(list) };
    STRUCT_KEYS.set(shape, keys);
  }
  return keys;
}

/**
 * `shapeProblems` into `out`: one walk over the value, no intermediate arrays, and an absent optional key costs a
 * property read (this runs at the top of every constructor and factory, so a build of many services calls it often).
 */
function collect(out: Problem[], prop: string, value: unknown, shape: Shape): void {
  if (shape instanceof RequiredShape) {
    if (value === undefined) out.push({ prop, given: 'missing', expected: describe(shape.shape), fix: `set ${prop} (it is required)` });
    else collect(out, prop, value, shape.shape);
    return;
  }
  if (value === undefined || shape === 'any') return;
  if (typeof shape === 'string') {
    collectPrimitive(out, prop, value, shape);
    return;
  }
  if (shape instanceof InstanceShape) {
    const ok = shape.test ? shape.test(value) : isInstanceNamed(value, shape.className);
    if (!ok) out.push(...wrong(prop, value, `a ${shape.className}`, `use ${shape.example}`));
    return;
  }
  if (shape instanceof OneOfShape) {
    const values = shape.values;
    if (!values.includes(value)) out.push(...wrong(prop, value, `one of ${values.map(v => JSON.stringify(v)).join(', ')}`, 'use the enum'));
    return;
  }
  if (shape instanceof MapShape) {
    if (!isPlainObject(value)) {
      out.push(...wrong(prop, value, 'a map', 'pass e.g. { key: … }'));
      return;
    }
    const valueShape = required(shape.value);
    for (const k of Object.keys(value)) {
      const unrenderable = unrenderableKeyProblem(prop, k);
      if (unrenderable) out.push(unrenderable);
      else collect(out, `${prop}.${k}`, value[k], valueShape);
    }
    return;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) {
      out.push(...wrong(prop, value, 'an array'));
      return;
    }
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue; // a hole of a sparse array: skipped, as Array.prototype.flatMap skips it
      const v = value[i];
      if (v === undefined || v === null) out.push(...wrong(`${prop}[${i}]`, v, 'a value', 'remove the empty entry'));
      else collect(out, `${prop}[${i}]`, v, shape[0]);
    }
    return;
  }
  // a nested struct
  if (!isPlainObject(value)) {
    out.push(...wrong(prop, value, 'an object'));
    return;
  }
  const struct: { readonly [key: string]: Shape } = shape instanceof OpenShape ? shape.shape : shape as { readonly [key: string]: Shape };
  const known = structKeys(struct);
  if (!(shape instanceof OpenShape)) {
    let unknown = false;
    for (const k in value) {
      if (Object.prototype.hasOwnProperty.call(value, k) && !known.set.has(k)) {
        unknown = true;
        break;
      }
    }
    if (unknown) {
      out.push(...unknownKeyProblems(prop, value, known.list));
      return;
    }
  }
  for (const k of known.list) {
    const v = value[k];
    const s = struct[k];
    // an absent optional key: nothing to check, and no prop path to build
    if (v === undefined && !(s instanceof RequiredShape)) continue;
    collect(out, child(prop, k), v, s);
  }
}

function collectPrimitive(out: Problem[], prop: string, value: unknown, shape: string): void {
  switch (shape) {
    case 'string': {
      if (typeof value !== 'string') {
        out.push(...wrong(prop, value, describe(shape)));
        return;
      }
      const broken = unicodeProblem(prop, value);
      if (broken) out.push(broken);
      return;
    }
    case 'number':
      if (typeof value !== 'number') {
        out.push(...wrong(prop, value, describe(shape)));
      } else if (Number.isFinite(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER) {
        // no option of this library means anything beyond 2^53, and such a number renders as `1e+21`: not a JSON integer
        out.push({ prop, given: show(value), expected: `at most ${Number.MAX_SAFE_INTEGER} in size (larger numbers render as ${show(value)})`, fix: 'use a smaller number' });
      }
      return;
    case 'boolean':
      if (typeof value !== shape) out.push(...wrong(prop, value, describe(shape)));
      return;
    case 'map':
      if (!isPlainObject(value)) {
        out.push(...wrong(prop, value, 'a map of strings', 'pass e.g. { key: "value" }'));
        return;
      }
      for (const k of Object.keys(value)) {
        const v = value[k];
        const unrenderable = unrenderableKeyProblem(prop, k) ?? unicodeProblem(`${prop} key`, k);
        if (unrenderable) {
          out.push(unrenderable);
        } else if (typeof v !== 'string') {
          out.push(...wrong(`${prop}.${k}`, v, 'a string', 'quote the value'));
        } else {
          const broken = unicodeProblem(`${prop}.${k}`, v);
          if (broken) out.push(broken);
        }
      }
      return;
    case 'duration':
      if (!isDuration(value)) out.push(...wrong(prop, value, 'a Duration', 'use e.g. Duration.seconds(30)'));
      return;
    case 'object':
      if (!isPlainObject(value)) out.push(...wrong(prop, value, 'an object'));
      return;
    case 'metadata': {
      if (!isPlainObject(value)) {
        out.push(...wrong(prop, value, 'an ApiObjectMetadata object', 'pass e.g. { name: "web" }'));
        return;
      }
      const before = out.length;
      for (const k of ['name', 'namespace', 'generateName']) {
        if (value[k] !== undefined && typeof value[k] !== 'string') out.push(...wrong(`${prop}.${k}`, value[k], 'a string', k === 'name' ? 'give a name or leave the key out' : 'pass a string'));
      }
      collect(out, `${prop}.labels`, value.labels, 'map');
      collect(out, `${prop}.annotations`, value.annotations, 'map');
      if (out.length === before) out.push(...unknownKeyProblems(prop, value, METADATA_KEYS));
      return;
    }
    default:
      // the primitive shapes are the strings of `Shape`: any other string is a bug in a shape
      throw new Error(`unknown shape ${show(shape)}`);
  }
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
