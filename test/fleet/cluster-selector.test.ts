import { ClusterSelector, LabelExpression } from '../../src';

describe('ClusterSelector', () => {
  test('renders and matches Kubernetes label selectors', () => {
    const s = ClusterSelector.of({ region: 'eu' }, [LabelExpression.exists('gpu'), LabelExpression.valueNotIn('env', ['dev'])]);
    expect(s._toKube()).toEqual({
      matchLabels: { region: 'eu' },
      matchExpressions: [{ key: 'gpu', operator: 'Exists' }, { key: 'env', operator: 'NotIn', values: ['dev'] }],
    });
    expect(s.matches({ region: 'eu', gpu: 'a100' })).toBe(true);
    expect(s.matches({ region: 'eu', gpu: 'a100', env: 'dev' })).toBe(false);
    expect(s.matches({ region: 'eu' })).toBe(false);
    expect(ClusterSelector.matchExpressions([LabelExpression.doesNotExist('gpu')]).matches({})).toBe(true);
    expect(ClusterSelector.all().isEmpty).toBe(true);
    expect(ClusterSelector.all()._toKube()).toEqual({});
  });

  test('reports selector problems', () => {
    expect(ClusterSelector.matchExpressions([LabelExpression.valueIn('env', [])])._problems('clusters')[0].prop).toBe('clusters.matchExpressions[0].values');
    expect(ClusterSelector.matchExpressions([LabelExpression.of('env', 'Equals', ['a'])])._problems('clusters')[0].expected)
      .toContain('"In", "NotIn", "Exists" or "DoesNotExist"');
    expect(ClusterSelector.matchLabels({ region: 'not valid' })._problems('clusters')[0].given).toBe('"region": "not valid"');
  });
});

test('plain-JS callers passing a wrong type get a ValidationError, not a TypeError', () => {
  expect(() => ClusterSelector.matchExpressions(undefined as any)).toThrow('ClusterSelector: expressions is missing; expected an array');
  expect(() => ClusterSelector.matchExpressions([{ key: 'a' } as any])).toThrow('ClusterSelector: expressions[0] is {"key":"a"} (an object); expected a LabelExpression');
  expect(() => ClusterSelector.matchLabels({ region: 1 } as any)).toThrow('ClusterSelector: labels.region is 1 (a number); expected a string');
});
