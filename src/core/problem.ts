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

/**
 * Registers a synth-time (cross-object) validation whose problems cdk8s reports as `[path] <message>`.
 * The check runs at `app.synth()` / `Testing.synth()`, after every `add…()` call has landed.
 *
 * @internal
 */
export function addProblemValidation(scope: IConstruct, check: () => readonly Problem[]): void {
  scope.node.addValidation({ validate: () => check().map(formatProblem) });
}

/**
 * Renders a value for a message: strings quoted, arrays and objects as compact JSON, `undefined` as `missing`.
 *
 * @internal
 */
export function show(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
