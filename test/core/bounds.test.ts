import { Duration } from 'cdk8s';
import { INT32_MAX, int32Problems, portProblems, wholeSecondsProblems } from '../../src/core/bounds';

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
