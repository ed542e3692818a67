import { Duration } from 'cdk8s';
import { ValidationError } from '../../src';
import {
  optionalBoolean, optionalInstance, optionalStringMap, requireArray, requireNumber, requireObject, requireString, requireStringArray, showTyped,
} from '../../src/core/input-types';

describe('input type checks (plain JavaScript and Python callers)', () => {
  test('describe the value and its type for messages', () => {
    expect([2, 'a', true, null, undefined, [1], { a: 1 }, Duration.seconds(1), () => 1].map(showTyped))
      .toEqual(['2 (a number)', '"a" (a string)', 'true (a boolean)', 'null', 'missing', '[1] (an array)', '{"a":1} (an object)', 'a Duration', 'a function']);
  });

  test('each check throws a ValidationError naming where, the prop, what was given and what is expected', () => {
    let err: unknown;
    try { requireString('Thing.make', 'key', 3); } catch (e) { err = e; }
    expect(ValidationError.isValidationError(err)).toBe(true);
    expect((err as Error).message).toBe('Thing.make: key is 3 (a number); expected a string. Fix: pass a string');
    expect(() => requireNumber('T', 'n', '3')).toThrow('T: n is "3" (a string); expected a number');
    expect(() => requireObject('T', 'props', [])).toThrow('T: props is [] (an array); expected an object');
    expect(() => requireArray('T', 'xs', 'a')).toThrow('T: xs is "a" (a string); expected an array');
    expect(() => requireStringArray('T', 'xs', ['a', 1])).toThrow('T: xs[1] is 1 (a number); expected a string');
    expect(() => optionalStringMap('T', 'labels', { a: 'b', c: false })).toThrow('T: labels.c is false (a boolean); expected a string. Fix: quote the value');
    expect(() => optionalBoolean('T', 'flag', 'yes')).toThrow('T: flag is "yes" (a string); expected true or false');
    expect(() => optionalInstance('T', 'd', 5, 'Duration', v => typeof v.toSeconds === 'function', 'use Duration.seconds(5)'))
      .toThrow('T: d is 5 (a number); expected a Duration. Fix: use Duration.seconds(5)');
  });

  test('valid values and unset optionals pass', () => {
    expect(() => {
      requireString('T', 'a', 'x');
      requireStringArray('T', 'b', ['x']);
      optionalStringMap('T', 'c', undefined);
      optionalBoolean('T', 'd', undefined);
      optionalInstance('T', 'e', Duration.seconds(1), 'Duration', v => typeof v.toSeconds === 'function', 'x');
    }).not.toThrow();
  });
});
