import { IConstruct } from 'constructs';
import { ValidationError, ValidationProblem } from './validation-error';

/**
 * One validation finding, in the single shape every message of this library has:
 * the prop, what was given, what is expected and how to fix it.
 *
 * @internal
 */
export interface Problem extends ValidationProblem {}

/**
 * Renders a problem as one line: `<prop> is <given>; expected <expected>. Fix: <fix>`.
 *
 * @internal
 */
export function formatProblem(p: Problem): string {
  return `${p.prop} is ${p.given}; expected ${p.expected}. Fix: ${p.fix}`;
}

/**
 * The error thrown for a bad single prop, prefixed with the construct path (or the name of the value class
 * when there is no construct yet, e.g. `Fleet` or `MaxUpdate.percent`).
 *
 * @internal
 */
export function propError(where: IConstruct | string, p: Problem): ValidationError {
  return new ValidationError(where, p);
}

/**
 * Throws the first problem, if any.
 *
 * @internal
 */
export function throwIfProblems(where: IConstruct | string, problems: readonly Problem[]): void {
  if (problems.length > 0) {
    throw propError(where, problems[0]);
  }
}

/** Bumped by `markChanged()` and at the end of every synchronous job that cached a validation result. */
let generation = 0;
let resetScheduled = false;

/**
 * Something a synth-time rule reads has changed (an `add…()` mutator ran, a validated construct or a fleet cluster
 * was added): every cached validation result is stale.
 *
 * @internal
 */
export function markChanged(): void {
  generation++;
}

/**
 * The current validation generation: results computed under the same generation are still valid.
 *
 * @internal
 */
export function validationGeneration(): number {
  return generation;
}

/**
 * The current validation generation, for a result cached now: it stays valid until `markChanged()` or the end of the
 * current synchronous job (like a cached check), so a value read from props the caller changed later, without a
 * mutator of this library, is computed anew by the next job.
 *
 * @internal
 */
export function cacheGeneration(): number {
  scheduleReset();
  return generation;
}

/**
 * A cached result lives until `markChanged()` or the end of the current synchronous job, whichever comes first: one
 * synth (all its cdk8s validation passes) runs in one job, and anything changed later without a mutator of this
 * library (a cdk8s-plus Deployment edited between two synths in different jobs) is seen by the next synth.
 */
function scheduleReset(): void {
  if (resetScheduled) return;
  resetScheduled = true;
  queueMicrotask(() => {
    resetScheduled = false;
    generation++;
  });
}

/**
 * Registers a synth-time (cross-object) validation whose problems cdk8s reports as `[path] <message>`.
 * The check runs at `app.synth()` / `Testing.synth()`, after every `add…()` call has landed.
 *
 * cdk8s validates the whole app once per chart plus once in one synth, so the result is cached: the check runs once
 * per synth and again only after `markChanged()` (every `add…()` mutator and every new validated construct calls
 * it) or in a later synchronous job. Pass `cache: false` for a check that reads constructs this library does not own
 * and that may change between two synths of one job (e.g. every ApiObject of a chart).
 *
 * @internal
 */
export function addProblemValidation(scope: IConstruct, check: () => readonly Problem[], options: { readonly cache?: boolean } = {}): void {
  markChanged();
  if (options.cache === false) {
    scope.node.addValidation({ validate: () => check().map(formatProblem) });
    return;
  }
  scope.node.addValidation(new CachedValidation(check));
}

/** Shared by every check that found nothing: cdk8s only reads the result. */
const NO_MESSAGES: string[] = Object.freeze([]) as unknown as string[];

/**
 * One class for every cached check rather than a closure each: cdk8s calls `validate()` on every validated construct
 * once per chart, so this call is on the hot path of a synth with many charts and must stay cheap and monomorphic.
 */
class CachedValidation {
  private generation = -1;
  private messages: string[] = NO_MESSAGES;

  public constructor(private readonly check: () => readonly Problem[]) {}

  public validate(): string[] {
    if (this.generation !== generation) {
      const problems = this.check();
      this.messages = problems.length === 0 ? NO_MESSAGES : problems.map(formatProblem);
      this.generation = generation;
      scheduleReset();
    }
    return this.messages === NO_MESSAGES ? NO_MESSAGES : [...this.messages];
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The problem of a string that is not valid Unicode (a lone UTF-16 surrogate, e.g. half an emoji): no YAML or JSON
 * reader accepts it (Prometheus: "invalid Unicode character escape code"), or undefined.
 *
 * @internal
 */
export function unicodeProblem(prop: string, value: string): Problem | undefined {
  if (!LONE_SURROGATE.test(value)) return undefined;
  return {
    prop,
    given: show(value),
    expected: 'a string of valid Unicode (a lone surrogate cannot be written to YAML or JSON)',
    fix: 'remove the broken character',
  };
}

/**
 * Map keys cdk8s cannot render: its resolver treats an object with an own `constructor` key as a class instance (and
 * fails with "can't render non-simple object", or silently drops keys), and assigns `__proto__` as the prototype.
 *
 * @internal
 */
export const UNRENDERABLE_KEYS: readonly string[] = ['constructor', '__proto__'];

/**
 * The problem of a map key cdk8s cannot render, or undefined.
 *
 * @internal
 */
export function unrenderableKeyProblem(prop: string, key: string): Problem | undefined {
  if (!UNRENDERABLE_KEYS.includes(key)) return undefined;
  return {
    prop: `${prop}.${key}`,
    given: 'a key cdk8s cannot render',
    expected: 'another key (cdk8s reads a map with a "constructor" or "__proto__" key as a class instance)',
    fix: 'rename the key',
  };
}

/**
 * Renders a value for a message: strings quoted, arrays and objects as compact JSON, `undefined` as `missing`. Total:
 * any value a caller can pass (a BigInt, a Symbol, a cycle, a throwing getter) renders without an error.
 *
 * @internal
 */
export function show(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return typeof value === 'symbol' ? value.toString() : 'a function';
  try {
    const json = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? v.toString() : v));
    return json ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
