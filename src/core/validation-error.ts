import { IConstruct } from 'constructs';

const VALIDATION_ERROR_SYMBOL = Symbol.for('cdk8s-progressive-delivery.ValidationError');

/**
 * What was wrong with one prop, in the one shape every message of this library has.
 */
export interface ValidationProblem {
  /** The prop, with its index path, e.g. `steps[2].setWeight`. */
  readonly prop: string;
  /** What was given, rendered for humans, e.g. `150`, `"foo"` or `missing`. */
  readonly given: string;
  /** What is expected, e.g. `an integer 0..100`. */
  readonly expected: string;
  /** What to do about it. */
  readonly fix: string;
}

/**
 * The error this library throws for an input it rejects: a bad prop given to a constructor, a static factory or a
 * method. It is never thrown for a bug in the library, so callers can tell "my input is wrong" from a crash.
 *
 * The message is `<path>: <prop> is <given>; expected <expected>. Fix: <fix>`. Rules that span several objects are
 * checked at synth instead (`app.synth()`, `Testing.synth()`); cdk8s aggregates those into one error listing each
 * `[construct/path] message`.
 *
 * Test for it with `ValidationError.isValidationError(err)` rather than `instanceof`: two copies of this package in
 * one `node_modules` tree make `instanceof` false.
 *
 * In other jsii languages the error arrives as the runtime's exception with the same message (e.g. a Python
 * `RuntimeError`).
 */
class ValidationErrorClass extends Error {
  /**
   * Whether `x` is a `ValidationError` thrown by any copy of this library.
   *
   * @param x any value, typically a caught error
   */
  public static isValidationError(x: any): x is ValidationErrorClass {
    return x !== null && typeof x === 'object' && VALIDATION_ERROR_SYMBOL in x;
  }

  /**
   * The construct path, or the name of the value class or method for inputs rejected before any construct exists
   * (e.g. `Fleet` or `MaxUpdate.percent`).
   */
  public readonly path: string;

  /** What was wrong: prop, given, expected and fix. */
  public readonly problem: ValidationProblem;

  /**
   * @param where the construct whose prop is wrong, or the name of the class or method that rejected the input
   * @param problem what was wrong
   */
  constructor(where: IConstruct | string, problem: ValidationProblem) {
    const path = typeof where === 'string' ? where : (where as IConstruct | undefined)?.node?.path ?? String(where);
    super(`${path}: ${problem.prop} is ${problem.given}; expected ${problem.expected}. Fix: ${problem.fix}`);
    Object.defineProperty(this, VALIDATION_ERROR_SYMBOL, { value: true });
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'ValidationError';
    this.path = path;
    this.problem = { prop: problem.prop, given: problem.given, expected: problem.expected, fix: problem.fix };
  }
}

/** The error class (see `ValidationErrorClass`); a value export, which jsii leaves out of other languages. */
export const ValidationError = ValidationErrorClass;
/** The type of a `ValidationError`. */
export type ValidationError = ValidationErrorClass;
