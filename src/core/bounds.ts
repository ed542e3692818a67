import type { Duration } from 'cdk8s';
import { showTyped } from './input-types';
import { Problem, show } from './problem';
import { isDuration } from './struct-shape';

/** The largest value of an int32 field (most integer fields of Kubernetes and Argo objects). @internal */
export const INT32_MAX = 2_147_483_647;

/**
 * An integer above int32: the API server rejects the object. Other problems of the value (negative, fractional) are
 * the caller's own rule.
 *
 * @internal
 */
export function int32Problems(prop: string, value: number | undefined): Problem[] {
  if (value === undefined || !Number.isInteger(value) || value <= INT32_MAX) return [];
  return [{ prop, given: show(value), expected: `at most ${INT32_MAX} (the field is an int32)`, fix: 'use a smaller number' }];
}

/**
 * An integer beyond JavaScript's safe integers in an int64 field: it is imprecise and renders in exponent notation
 * (`1e+21`), which is not a JSON integer — the API server rejects the object. Other problems are the caller's own rule.
 *
 * @internal
 */
export function int64Problems(prop: string, value: number | undefined): Problem[] {
  if (value === undefined || !Number.isInteger(value) || Math.abs(value) <= Number.MAX_SAFE_INTEGER) return [];
  return [{ prop, given: show(value), expected: `at most ${Number.MAX_SAFE_INTEGER} (larger integers are not exact in JavaScript and render as ${show(value)})`, fix: 'use a smaller number' }];
}

/**
 * A TCP/UDP port: an integer 1..65535.
 *
 * @param given how to show the value, when it is not the prop's own (e.g. a port taken from a container)
 * @internal
 */
export function portProblems(prop: string, value: number, fix: string, given: string = show(value)): Problem[] {
  if (Number.isInteger(value) && value >= 1 && value <= 65535) return [];
  return [{ prop, given, expected: 'a port 1..65535', fix }];
}

/**
 * A duration rendered as whole seconds into an int32 field (`...Seconds`, pause durations): a finite whole number of
 * seconds (the controller truncates to seconds), at most 2147483647. Never throws, whatever the Duration holds.
 *
 * @internal
 */
export function wholeSecondsProblems(prop: string, d: Duration): Problem[] {
  if (!isDuration(d)) return [{ prop, given: showTyped(d), expected: 'a Duration', fix: 'use e.g. Duration.seconds(30)' }];
  const ms = d.toMilliseconds({ integral: false });
  if (Number.isFinite(ms) && ms / 1000 > INT32_MAX) {
    return [{ prop, given: `${ms / 1000}s`, expected: `at most ${INT32_MAX} seconds (the field is an int32)`, fix: 'use a shorter duration' }];
  }
  if (!Number.isInteger(ms) || ms % 1000 !== 0) {
    return [{
      prop,
      given: `${ms}ms`,
      expected: 'a whole number of seconds (the controller truncates to seconds)',
      fix: 'use Duration.seconds/minutes/hours with whole values',
    }];
  }
  return [];
}

/**
 * The shape of an option: a primitive, a string map, a list of a shape, or an object of shapes.
 *
 * @internal
 */
export type OptionShape = 'string' | 'number' | 'boolean' | 'map' | 'any' | [OptionShape] | { readonly [key: string]: OptionShape };

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * Options of the wrong type, as callers without TypeScript (plain JavaScript, jsii languages) may pass them: a
 * ValidationError instead of a TypeError in the checks that follow.
 *
 * @internal
 */
export function optionShapeProblems(prop: string, value: unknown, shape: OptionShape): Problem[] {
  if (value === undefined || shape === 'any') return [];
  const wrong = (expected: string): Problem[] =>
    [{ prop, given: `${show(value)} (${kindOf(value)})`, expected, fix: 'pass the type the option documents' }];
  if (typeof shape === 'string') {
    if (shape === 'map') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrong('a map of strings');
      return Object.entries(value).flatMap(([k, v]) => optionShapeProblems(`${prop}["${k}"]`, v, 'string'));
    }
    return typeof value === shape ? [] : wrong(`a ${shape}`);
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return wrong('a list');
    return value.flatMap((v, i) => optionShapeProblems(`${prop}[${i}]`, v === undefined ? null : v, shape[0]));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrong('an object');
  return Object.entries(shape).flatMap(([k, s]) => optionShapeProblems(`${prop}.${k}`, (value as any)[k], s));
}
