import { evaluateCondition, verdict } from './expr-eval';
import { MetricCondition, NoDataPolicy } from '../../src';

const POLICIES = [NoDataPolicy.PASS, NoDataPolicy.FAIL, NoDataPolicy.INCONCLUSIVE];
const VERDICT: Record<NoDataPolicy, string> = { PASS: 'Successful', FAIL: 'Failed', INCONCLUSIVE: 'Inconclusive' };

describe('MetricCondition semantics (evaluated like the controller does)', () => {
  test.each(POLICIES.flatMap(e => POLICIES.map(n => [e, n] as const)))('empty=%s, NaN=%s: every outcome is the declared one', (onEmptyResult, onNaN) => {
    const c = MetricCondition.atLeast(0.95, { onEmptyResult, onNaN });
    const judge = (result: number[]) => verdict(c.successCondition, c.failureCondition, result);
    expect(judge([])).toBe(VERDICT[onEmptyResult]);
    expect(judge([NaN])).toBe(VERDICT[onNaN]);
    expect(judge([0.99])).toBe('Successful');
    expect(judge([0.95])).toBe('Successful');
    expect(judge([0.9])).toBe('Failed');
    expect(judge([0.9, 1])).toBe('Failed'); // the first series decides
  });

  test.each([
    [MetricCondition.atMost(0.5), [0.5, 0.4, 0.6], ['Successful', 'Successful', 'Failed']],
    [MetricCondition.greaterThan(0), [0, 1, -1], ['Failed', 'Successful', 'Failed']],
    [MetricCondition.lessThan(2), [2, 1.99, 3], ['Failed', 'Successful', 'Failed']],
  ] as const)('comparison %#', (c, inputs, expected) => {
    expect(inputs.map(v => verdict(c.successCondition, c.failureCondition, [v]))).toEqual(expected);
    expect(verdict(c.successCondition, c.failureCondition, [])).toBe('Failed');
    expect(verdict(c.successCondition, c.failureCondition, [NaN])).toBe('Inconclusive');
  });

  test('defaults: empty fails, NaN is inconclusive', () => {
    const c = MetricCondition.atLeast(0.95);
    expect([c.onEmptyResult, c.onNaN]).toEqual([NoDataPolicy.FAIL, NoDataPolicy.INCONCLUSIVE]);
  });

  test('the evaluator itself: short-circuit guards, index errors, the verdict table', () => {
    expect(evaluateCondition('len(result) > 0 && result[0] >= 1', [])).toBe(false);
    expect(evaluateCondition('len(result) == 0 || result[0] >= 1', [])).toBe(true);
    expect(() => evaluateCondition('result[0] >= 1', [])).toThrow('index out of range');
    expect(evaluateCondition('!isNaN(result[0]) && result[0] < 1', [NaN])).toBe(false);
    expect(verdict('result[0] >= 1', undefined, [0])).toBe('Failed');
    expect(verdict(undefined, 'result[0] >= 1', [0])).toBe('Successful');
    expect(verdict(undefined, undefined, [0])).toBe('Successful');
    expect(verdict('result[0] >= 1', 'result[0] < 0', [0.5])).toBe('Inconclusive');
  });
});
