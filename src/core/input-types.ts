import { IConstruct } from 'constructs';
import { propError, show, unicodeProblem, unrenderableKeyProblem } from './problem';

/**
 * Type checks for inputs from callers without a compiler (plain JavaScript, Python through jsii, YAML read into
 * props): a wrong type is a `ValidationError` naming the prop, never a `TypeError` from deep inside the library.
 *
 * Each function throws when the value has the wrong type and returns nothing otherwise; `undefined` is accepted only
 * by the `optional…` variants.
 */

/** @internal The value and its JavaScript type for a message, e.g. `2 (a number)`. */
export function showTyped(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `${show(value)} (an array)`;
  const t = typeof value;
  if (t === 'object') {
    let name: unknown;
    try {
      name = (value as object).constructor?.name;
    } catch {
      name = undefined;
    }
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : `${safeJson(value)} (an object)`;
  }
  if (t === 'function') return 'a function';
  if (t === 'symbol') return `${String(value)} (a symbol)`;
  if (t === 'bigint') return `${String(value)}n (a bigint)`;
  return `${show(value)} (a ${t})`;
}

function safeJson(value: unknown): string {
  return show(value);
}

type Where = IConstruct | string;

function fail(where: Where, prop: string, value: unknown, expected: string, fix: string): never {
  throw propError(where, { prop, given: showTyped(value), expected, fix });
}

/** @internal */
export function requireString(where: Where, prop: string, value: unknown, fix = 'pass a string'): void {
  if (typeof value !== 'string') fail(where, prop, value, 'a string', fix);
  const broken = unicodeProblem(prop, value);
  if (broken) throw propError(where, broken);
}

/** @internal */
export function optionalString(where: Where, prop: string, value: unknown, fix = 'pass a string or leave it unset'): void {
  if (value !== undefined) requireString(where, prop, value, fix);
}

/** @internal */
export function requireNumber(where: Where, prop: string, value: unknown, fix = 'pass a number'): void {
  if (typeof value !== 'number') fail(where, prop, value, 'a number', fix);
}

/** @internal */
export function optionalNumber(where: Where, prop: string, value: unknown, fix = 'pass a number or leave it unset'): void {
  if (value !== undefined) requireNumber(where, prop, value, fix);
}

/** @internal */
export function optionalBoolean(where: Where, prop: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') fail(where, prop, value, 'true or false', 'pass a boolean or leave it unset');
}

/** @internal A props object (a plain object, not an array). */
export function requireObject(where: Where, prop: string, value: unknown, fix = 'pass an object with the documented fields'): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, prop, value, 'an object', fix);
}

/** @internal */
export function optionalObject(where: Where, prop: string, value: unknown, fix = 'pass an object or leave it unset'): void {
  if (value !== undefined) requireObject(where, prop, value, fix);
}

/** @internal An array; `each` checks the elements. */
export function requireArray(where: Where, prop: string, value: unknown, each?: (element: unknown, prop: string) => void, fix = 'pass an array'): void {
  if (!Array.isArray(value)) fail(where, prop, value, 'an array', fix);
  if (each) value.forEach((e, i) => each(e, `${prop}[${i}]`));
}

/** @internal */
export function optionalArray(where: Where, prop: string, value: unknown, each?: (element: unknown, prop: string) => void): void {
  if (value !== undefined) requireArray(where, prop, value, each, 'pass an array or leave it unset');
}

/** @internal An array of strings. */
export function requireStringArray(where: Where, prop: string, value: unknown): void {
  requireArray(where, prop, value, (e, p) => requireString(where, p, e), 'pass an array of strings, e.g. ["a", "b"]');
}

/** @internal */
export function optionalStringArray(where: Where, prop: string, value: unknown): void {
  if (value !== undefined) requireStringArray(where, prop, value);
}

/** @internal A map of string values, e.g. labels. */
export function optionalStringMap(where: Where, prop: string, value: unknown): void {
  if (value === undefined) return;
  requireObject(where, prop, value, 'pass a map of strings, e.g. { key: "value" }');
  for (const [k, v] of Object.entries(value as object)) {
    const unrenderable = unrenderableKeyProblem(prop, k) ?? unicodeProblem(`${prop} key`, k) ?? (typeof v === 'string' ? unicodeProblem(`${prop}.${k}`, v) : undefined);
    if (unrenderable) throw propError(where, unrenderable);
    if (typeof v !== 'string') fail(where, `${prop}.${k}`, v, 'a string', 'quote the value');
  }
}

/**
 * An instance of one of this library's classes. `isInstance` checks its shape rather than `instanceof`, which is
 * false for an instance from another copy of the package.
 *
 * @internal
 */
export function requireInstance(where: Where, prop: string, value: unknown, className: string, isInstance: (v: any) => boolean, fix: string): void {
  if (value === null || typeof value !== 'object' || !isInstance(value)) fail(where, prop, value, `a ${className}`, fix);
}

/** @internal */
export function optionalInstance(where: Where, prop: string, value: unknown, className: string, isInstance: (v: any) => boolean, fix: string): void {
  if (value !== undefined) requireInstance(where, prop, value, className, isInstance, fix);
}
