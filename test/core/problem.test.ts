import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { addProblemValidation, formatProblem, propError, show } from '../../src/core/problem';

describe('problem messages', () => {
  const p = { prop: 'steps[2].setWeight', given: '150', expected: 'an integer 0..100', fix: 'lower the weight' };

  test('one shape: prop, given, expected, fix', () => {
    expect(formatProblem(p)).toBe('steps[2].setWeight is 150; expected an integer 0..100. Fix: lower the weight');
  });

  test('constructor errors are prefixed with the construct path', () => {
    const chart = Testing.chart();
    const c = new Construct(new Construct(chart, 'my-service'), 'rollout');
    expect(propError(c, p).message).toBe('test/my-service/rollout: steps[2].setWeight is 150; expected an integer 0..100. Fix: lower the weight');
    expect(propError('MaxUpdate.percent', p).message).toMatch(/^MaxUpdate.percent: steps\[2\]/);
  });

  test('synth-time problems are reported by cdk8s with the construct path', () => {
    const chart = Testing.chart();
    const c = new Construct(chart, 'appset');
    addProblemValidation(c, () => [p]);
    expect(() => Testing.synth(chart)).toThrow('[test/appset] steps[2].setWeight is 150; expected an integer 0..100. Fix: lower the weight');
  });

  test('values are shown unambiguously', () => {
    expect([show('a'), show(1), show(undefined), show(['x']), show(false)]).toEqual(['"a"', '1', 'missing', '["x"]', 'false']);
  });
});
