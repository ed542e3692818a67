import { ClusterSelector, LabelExpression, MaxUpdate, RollingSyncStep } from '../../src';

describe('MaxUpdate', () => {
  test('renders an integer, a percent string, 0 or nothing', () => {
    expect(MaxUpdate.count(3)._toKube()).toBe(3);
    expect(MaxUpdate.percent(25)._toKube()).toBe('25%');
    expect(MaxUpdate.manual()._toKube()).toBe(0);
    expect(MaxUpdate.all()._toKube()).toBeUndefined();
  });

  test('parses the YAML string form: a percentage, "0%" is the manual gate', () => {
    expect(MaxUpdate.fromString('25%')._toKube()).toBe('25%');
    expect(MaxUpdate.fromString('0%').isManual).toBe(true);
    expect(MaxUpdate.fromString('0%')._toKube()).toBe(0);
  });

  test('rejects a quoted number: Argo CD reads "5" as an invalid percentage and syncs 1 at a time', () => {
    const m = MaxUpdate.fromString('5');
    expect(m._toKube()).not.toBe(5);
    expect(m._limit(10)).toBe(1);
    expect(m._problems('x').map(p => `${p.prop} is ${p.given}; expected ${p.expected}. Fix: ${p.fix}`)).toEqual([
      'x is "5" (a quoted number); expected an integer or a percentage string such as "25%": Argo CD rejects a string without "%", '
      + 'logs a warning and syncs 1 Application at a time, not 5. Fix: use MaxUpdate.count(5)',
    ]);
    expect(MaxUpdate.fromString('0')._problems('x')[0].fix).toBe('use MaxUpdate.manual() for the manual gate (maxUpdate: 0)');
  });

  test('resolves the limit like GetScaledValueFromIntOrPercent(roundUp=false) raised to 1', () => {
    expect(MaxUpdate.percent(25)._limit(20)).toBe(5);
    expect(MaxUpdate.percent(10)._limit(3)).toBe(1);
    expect(MaxUpdate.percent(99)._limit(10)).toBe(9);
    expect(MaxUpdate.manual()._limit(10)).toBe(0);
    expect(MaxUpdate.all()._limit(10)).toBeUndefined();
  });

  test.each([
    [MaxUpdate.count(0), 'x is 0; expected MaxUpdate.count(n) with an integer n >= 1. Fix: use MaxUpdate.manual() for an explicit manual gate'],
    [MaxUpdate.count(-1), 'x is -1; expected MaxUpdate.count(n) with an integer n >= 1'],
    [MaxUpdate.count(1.5), 'x is 1.5; expected MaxUpdate.count(n)'],
    [MaxUpdate.percent(0), 'x is 0%; expected MaxUpdate.percent(p) with an integer p in 1..100'],
    [MaxUpdate.percent(101), 'x is 101%; expected MaxUpdate.percent(p) with an integer p in 1..100'],
    [MaxUpdate.percent(2.5), 'x is 2.5%;'],
    [MaxUpdate.fromString('2.5%'), 'x is "2.5%"; expected an integer (MaxUpdate.count) or a whole percentage such as "25%" '
      + '(Argo CD logs a warning for anything else and syncs 1 Application at a time). Fix: use MaxUpdate.count(), MaxUpdate.percent() or MaxUpdate.manual()'],
    [MaxUpdate.fromString('-10%'), 'x is "-10%";'],
    [MaxUpdate.fromString('abc'), 'x is "abc";'],
  ])('reports a bad value %#', (m, msg) => {
    expect(m._problems('x').map(p => `${p.prop} is ${p.given}; expected ${p.expected}. Fix: ${p.fix}`)[0]).toContain(msg);
  });
});

describe('RollingSyncStep', () => {
  test('renders matchExpressions and maxUpdate', () => {
    expect(RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1))._toKube())
      .toEqual({ matchExpressions: [{ key: 'env', operator: 'In', values: ['canary'] }], maxUpdate: 1 });
    expect(RollingSyncStep.whereNotIn('tier', ['critical'])._toKube())
      .toEqual({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['critical'] }] });
    expect(RollingSyncStep.everything(MaxUpdate.percent(10))._toKube()).toEqual({ maxUpdate: '10%' });
  });

  test('matches with Argo CD RollingSync semantics', () => {
    const step = RollingSyncStep.matching([LabelExpression.valueIn('env', ['prod']), LabelExpression.valueNotIn('region', ['us-west-2'])], MaxUpdate.manual());
    expect(step.matches({ env: 'prod' })).toBe(true);
    expect(step.matches({ env: 'prod', region: 'us-west-2' })).toBe(false);
    expect(step.matches({ region: 'eu' })).toBe(false);
    expect(step.labelKeys).toEqual(['env', 'region']);
    expect(step.describe()).toBe('env In [prod] AND region NotIn [us-west-2]');
    // an unknown operator fails when the key is present and passes when absent (controller quirk)
    const odd = RollingSyncStep.matching([LabelExpression.of('env', 'Exists', [])]);
    expect(odd.matches({ env: 'x' })).toBe(false);
    expect(odd.matches({})).toBe(true);
    // NotIn [] matches everything, In [] nothing
    expect(RollingSyncStep.whereNotIn('env', []).matches({ env: 'x' })).toBe(true);
    expect(RollingSyncStep.whereIn('env', []).matches({ env: 'x' })).toBe(false);
  });

  test('NotIn with no values (selects every Application) is an error with a catch-all fix', () => {
    expect(RollingSyncStep.whereNotIn('env', [])._problems('steps[1]').map(p => `${p.prop} is ${p.given}; expected ${p.expected}. Fix: ${p.fix}`)).toEqual([
      'steps[1].matchExpressions[0].values is []; expected at least one value ("NotIn" with no values selects every Application, '
      + 'which is rarely meant). Fix: list the values of label "env" this step excludes, or use RollingSyncStep.everything() for a deliberate catch-all step',
    ]);
  });

  test('reports bad steps with their path', () => {
    const render = (s: RollingSyncStep) => s._problems('steps[2]').map(p => `${p.prop} is ${p.given}; expected ${p.expected}`);
    expect(render(RollingSyncStep.matching([]))[0]).toBe('steps[2].matchExpressions is []; expected at least one expression (a step without expressions selects every Application)');
    expect(render(RollingSyncStep.matching([LabelExpression.of('env', 'in', ['a'])]))[0]).toContain('steps[2].matchExpressions[0].operator is "in"; expected "In" or "NotIn"');
    expect(render(RollingSyncStep.whereIn('bad key', ['a']))[0]).toContain('steps[2].matchExpressions[0].key is "bad key"');
  });
});

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
