import { ValidationError } from '../../src';

/**
 * Every rejection a test expects is a `ValidationError` in the one shape (or cdk8s's aggregate of synth-time
 * validation messages), never a `TypeError` or another crash. `toThrow`/`toThrowError` are wrapped so every
 * existing rejection test checks this as well as its message. Exempt: a test naming the error class it expects, and
 * the test harness's own errors (`HARNESS_PREFIXES`, `HARNESS_ERROR_CLASSES`).
 */
export const CDK8S_AGGREGATE = 'Validation failed with the following errors';
const HARNESS_PREFIXES = ['schema validation failed', 'promtool', 'unescaped template action'];
/** Errors of the test-side controller emulations (e.g. the expr evaluator's index error). */
const HARNESS_ERROR_CLASSES = ['IndexOutOfRange'];

/** Why `err` is not an acceptable rejection, or undefined when it is. */
export function errorShapeProblem(err: unknown): string | undefined {
  if (ValidationError.isValidationError(err)) return undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (message.startsWith(CDK8S_AGGREGATE)) return undefined;
  if (HARNESS_PREFIXES.some(p => message.toLowerCase().startsWith(p))) return undefined;
  if (err instanceof Error && HARNESS_ERROR_CLASSES.includes(err.constructor.name)) return undefined;
  const kind = err instanceof Error ? err.constructor.name : typeof err;
  return `expected a ValidationError (or cdk8s's aggregated synth validation), got a ${kind}: ${message}`;
}
