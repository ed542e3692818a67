import { errorShapeProblem } from './error-kind';
export { errorShapeProblem };

/**
 * Every rejection a test expects is a `ValidationError` in the one shape (or cdk8s's aggregate of synth-time
 * validation messages): `toThrow`/`toThrowError` are wrapped so every existing rejection test checks this as well as
 * its message (see ./error-kind.ts for what is exempt).
 */

const matchersObject = (globalThis as any)[Symbol.for('$$jest-matchers-object')];
const builtin = { toThrow: matchersObject.matchers.toThrow, toThrowError: matchersObject.matchers.toThrowError };

function wrap(name: 'toThrow' | 'toThrowError') {
  const original = builtin[name];
  return function wrapped(this: any, received: unknown, expected?: unknown) {
    if (this.isNot || typeof received !== 'function') {
      if (!this.isNot && this.promise === 'rejects') {
        const problem = errorShapeProblem(received);
        if (problem) return { pass: false, message: () => problem };
      }
      return original.call(this, received, expected);
    }
    let thrown: { err: unknown } | undefined;
    try {
      (received as () => unknown)();
    } catch (err) {
      thrown = { err };
    }
    // A test that names the error class it expects (`toThrow(SyntaxError)`) is about that class.
    if (thrown && typeof expected !== 'function') {
      const problem = errorShapeProblem(thrown.err);
      if (problem) return { pass: false, message: () => problem };
    }
    return original.call(this, () => {
      if (thrown) throw thrown.err;
    }, expected);
  };
}

expect.extend({ toThrow: wrap('toThrow'), toThrowError: wrap('toThrowError') });
