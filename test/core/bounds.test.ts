import { Duration } from 'cdk8s';
import { INT32_MAX, int32Problems, OptionShape, optionShapeProblems, portProblems, wholeSecondsProblems } from '../../src/core/bounds';

describe('bounds shared by every construct', () => {
  test('int32: only integers above 2147483647 are its problem', () => {
    expect(int32Problems('replicas', INT32_MAX)).toEqual([]);
    expect(int32Problems('replicas', undefined)).toEqual([]);
    expect(int32Problems('replicas', -1)).toEqual([]); // the caller's own rule
    expect(int32Problems('replicas', INT32_MAX + 1)).toEqual([
      { prop: 'replicas', given: '2147483648', expected: 'at most 2147483647 (the field is an int32)', fix: 'use a smaller number' },
    ]);
  });

  test.each([[1, true], [65535, true], [0, false], [65536, false], [80.5, false], [NaN, false], [Infinity, false]])('port %d valid: %s', (port, ok) => {
    expect(portProblems('p', port, 'fix it')).toEqual(ok ? [] : [{ prop: 'p', given: String(port), expected: 'a port 1..65535', fix: 'fix it' }]);
  });

  test('whole seconds: never throws, whatever the Duration holds', () => {
    expect(wholeSecondsProblems('d', Duration.minutes(2))).toEqual([]);
    expect(wholeSecondsProblems('d', Duration.millis(1500))[0].given).toBe('1500ms');
    expect(wholeSecondsProblems('d', Duration.millis(0.5))[0].given).toBe('0.5ms');
    expect(wholeSecondsProblems('d', Duration.seconds(NaN))[0].given).toBe('NaNms');
    expect(wholeSecondsProblems('d', Duration.seconds(INT32_MAX))).toEqual([]);
    expect(wholeSecondsProblems('d', Duration.seconds(INT32_MAX + 1))[0].expected).toBe('at most 2147483647 seconds (the field is an int32)');
  });
});

describe('option shapes', () => {
  test('primitives, lists, maps and nested objects, with the path of the first wrong value', () => {
    const shape: OptionShape = { name: 'string', ports: ['number'], labels: 'map', nested: { on: 'boolean' }, anything: 'any' };
    expect(optionShapeProblems('o', { name: 'a', ports: [1], labels: { a: 'b' }, nested: { on: true }, anything: 5 }, shape)).toEqual([]);
    expect(optionShapeProblems('o', undefined, shape)).toEqual([]);
    expect(optionShapeProblems('o', { ports: [1, '2'] }, shape)).toEqual([
      { prop: 'o.ports[1]', given: '"2" (a string)', expected: 'a number', fix: 'pass the type the option documents' },
    ]);
    expect(optionShapeProblems('o', { labels: { a: 1 }, nested: [] }, shape).map(p => `${p.prop}: ${p.given} / ${p.expected}`)).toEqual([
      'o.labels["a"]: 1 (a number) / a string',
      'o.nested: [] (a list) / an object',
    ]);
    expect(optionShapeProblems('o', 'x', shape)[0].expected).toBe('an object');
  });
});
