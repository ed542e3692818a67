import { LabelExpression } from '../../src';

describe('LabelExpression', () => {
  test('renders In/NotIn with values and Exists/DoesNotExist without', () => {
    expect(LabelExpression.valueIn('env', ['a', 'b'])._toKube()).toEqual({ key: 'env', operator: 'In', values: ['a', 'b'] });
    expect(LabelExpression.valueNotIn('env', ['a'])._toKube()).toEqual({ key: 'env', operator: 'NotIn', values: ['a'] });
    expect(LabelExpression.exists('gpu')._toKube()).toEqual({ key: 'gpu', operator: 'Exists' });
    expect(LabelExpression.doesNotExist('gpu')._toKube()).toEqual({ key: 'gpu', operator: 'DoesNotExist' });
  });

  test('RollingSync semantics differ from a label selector for a missing key and unknown operators', () => {
    expect(LabelExpression.valueNotIn('env', ['a'])._matchesRollingSync({})).toBe(true);
    expect(LabelExpression.valueIn('env', ['a'])._matchesRollingSync({})).toBe(false);
    expect(LabelExpression.of('env', 'Exists', [])._matchesRollingSync({ env: 'x' })).toBe(false);
    expect(LabelExpression.of('env', 'Exists', [])._matchesRollingSync({})).toBe(true);
    expect(LabelExpression.exists('env')._matchesSelector({ env: 'x' })).toBe(true);
    expect(LabelExpression.of('env', 'Equals', ['x'])._matchesSelector({ env: 'x' })).toBe(false);
  });

  test('reports RollingSync and selector problems with their path', () => {
    expect(LabelExpression.exists('env')._problems('e').map(p => p.prop)).toEqual(['e.operator']);
    expect(LabelExpression.valueIn('env', [])._selectorProblems('e').map(p => p.prop)).toEqual(['e.values']);
    expect(LabelExpression.exists('env')._selectorProblems('e')).toEqual([]);
    expect(LabelExpression.of('env', 'Exists', ['x'])._selectorProblems('e')[0].expected).toBe('no values for "Exists"');
  });

  test('plain-JS callers passing a wrong type get a ValidationError', () => {
    expect(() => LabelExpression.valueIn('env', 'prod' as any)).toThrow('LabelExpression: values is "prod" (a string); expected an array');
    expect(() => LabelExpression.valueIn(undefined as any, ['a'])).toThrow('LabelExpression: key is missing; expected a string');
  });
});
