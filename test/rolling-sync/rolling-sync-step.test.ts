import { LabelExpression, MaxUpdate, RollingSyncStep, ValidationError } from '../../src';

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

describe('RollingSyncStep from plain JavaScript', () => {
  test('a number where a MaxUpdate is expected is a ValidationError with the factory to use, not "maxUpdate._problems is not a function"', () => {
    let err: unknown;
    try { RollingSyncStep.whereIn('cluster', ['a'], 2 as any); } catch (e) { err = e; }
    expect(ValidationError.isValidationError(err)).toBe(true);
    expect((err as Error).message).toBe('RollingSyncStep.whereIn: maxUpdate is 2 (a number); expected a MaxUpdate. Fix: use MaxUpdate.count(2)');
    expect(() => RollingSyncStep.everything('25%' as any)).toThrow('RollingSyncStep.everything: maxUpdate is "25%" (a string); expected a MaxUpdate. Fix: use MaxUpdate.fromString("25%")');
  });

  test('values that are not a list, and expressions that are not LabelExpressions', () => {
    expect(() => RollingSyncStep.whereNotIn('env', 'prod' as any)).toThrow('RollingSyncStep.whereNotIn: values is "prod" (a string); expected an array');
    expect(() => RollingSyncStep.matching([{ key: 'env', operator: 'In', values: ['a'] } as any]))
      .toThrow('RollingSyncStep.matching: expressions[0] is {"key":"env","operator":"In","values":["a"]} (an object); expected a LabelExpression');
    expect(() => RollingSyncStep.everything().matches(undefined as any)).toThrow('RollingSyncStep.matches: labels is missing; expected an object');
  });
});
