import { Testing } from 'cdk8s';
import { Fleet, ValidationError } from '../../src';
import { errorShapeProblem } from '../harness/error-kind';

describe('ValidationError', () => {
  test('carries the path and the problem, and renders the one-line shape', () => {
    const chart = Testing.chart();
    const err = new ValidationError(chart, { prop: 'steps[0].setWeight', given: '150', expected: 'an integer 0..100', fix: 'use 0..100' });
    expect(err.message).toBe(`${chart.node.path}: steps[0].setWeight is 150; expected an integer 0..100. Fix: use 0..100`);
    expect(err.path).toBe(chart.node.path);
    expect(err.problem).toEqual({ prop: 'steps[0].setWeight', given: '150', expected: 'an integer 0..100', fix: 'use 0..100' });
    expect(err.name).toBe('ValidationError');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(ValidationError);
  });

  test('isValidationError recognizes it by symbol, not by prototype (another copy of the package)', () => {
    const err = new ValidationError('Fleet', { prop: 'clusters', given: '[]', expected: 'a cluster', fix: 'add one' });
    expect(ValidationError.isValidationError(err)).toBe(true);
    const copy = Object.assign(new Error(err.message), { [Symbol.for('cdk8s-progressive-delivery.ValidationError')]: true });
    expect(ValidationError.isValidationError(copy)).toBe(true);
    expect(ValidationError.isValidationError(new Error(err.message))).toBe(false);
    expect(ValidationError.isValidationError(new TypeError('x'))).toBe(false);
    expect(ValidationError.isValidationError(undefined)).toBe(false);
    expect(ValidationError.isValidationError('Fleet: clusters is []')).toBe(false);
  });

  test('factories and constructors throw it', () => {
    let caught: unknown;
    try { new Fleet({ clusters: [{ name: 'a', server: 'https://a' }, { name: 'a', server: 'https://b' }] }); } catch (e) { caught = e; }
    expect(ValidationError.isValidationError(caught)).toBe(true);
    expect((caught as ValidationError).problem.prop).toBeDefined();
  });

  test('the suite-wide rejection check refuses a TypeError and a plain Error', () => {
    expect(errorShapeProblem(new TypeError('x is not a function'))).toMatch(/expected a ValidationError .* got a TypeError: x is not a function/);
    expect(errorShapeProblem(new Error('boom'))).toMatch(/got a Error: boom/);
    expect(errorShapeProblem(new ValidationError('X', { prop: 'a', given: '1', expected: '2', fix: '3' }))).toBeUndefined();
    expect(errorShapeProblem(new Error('Validation failed with the following errors:\n  [x] y'))).toBeUndefined();
  });
});
