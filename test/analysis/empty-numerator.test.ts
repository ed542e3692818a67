import { Testing } from 'cdk8s';
import { MetricCondition, NoDataPolicy, PrometheusAnalysis, PrometheusMetric, PrometheusServer } from '../../src';
import { emptyNumeratorOf } from '../../src/analysis/empty-numerator';
import { testWithTool } from '../harness/prometheus-servers';
import { evaluateWithPromtool } from '../harness/promtool';

const withPromtool = testWithTool('promtool');
const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');

/** The hand-written error ratio of issue 11 (item 2). */
const ERROR_RATIO = 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))';
const GUARDED = '(sum(rate(http_requests_total{code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total[5m]))';

function addTo(query: string, condition: MetricCondition): () => void {
  return () => new PrometheusAnalysis(Testing.chart(), 'errors', {
    prometheus,
    metrics: [PrometheusMetric.fromQuery({ metricName: 'error-ratio', query, condition, count: 1 })],
  });
}

describe('a ratio whose numerator can be empty', () => {
  withPromtool('promtool: healthy traffic gives the hand-written ratio an empty result (no error), the guarded one 0', () => {
    const series = [{ series: 'http_requests_total{code="200"}', values: '0+100x20' }];
    const [[unguarded, guarded]] = evaluateWithPromtool([{ name: 'no-errors', series, queries: [{ expr: ERROR_RATIO }, { expr: GUARDED }] }]);
    expect(unguarded).toEqual([]);
    expect(guarded.map(s => s.value)).toEqual([0]);
  });

  test('is rejected with a threshold condition and the default empty-result policy, naming the numerator and the fix', () => {
    expect(addTo(ERROR_RATIO, MetricCondition.atMost(0.02))).toThrow(
      'test/errors: metrics[0].query is "sum(rate(http_requests_total{code=~\\"5..\\"}[5m])) / sum(rate(http_requests_total[5m]))" '
      + '(its numerator sum(rate(http_requests_total{code=~"5.."}[5m])) has no series while nothing matches code=~"5..", e.g. no errors); '
      + 'expected a ratio that is not an empty result on healthy traffic: an empty numerator makes the whole ratio empty, and the default '
      + 'onEmptyResult (NoDataPolicy.FAIL) fails the measurement and aborts a healthy canary. '
      + 'Fix: give the numerator a fallback: (sum(rate(http_requests_total{code=~"5.."}[5m])) or vector(0)) / …; '
      + 'or choose onEmptyResult explicitly in the condition');
  });

  test('is accepted with a fallback, or when the empty-result policy is chosen explicitly', () => {
    expect(addTo(GUARDED, MetricCondition.atMost(0.02))).not.toThrow();
    expect(addTo(ERROR_RATIO, MetricCondition.atMost(0.02, { onEmptyResult: NoDataPolicy.PASS }))).not.toThrow();
    expect(addTo(ERROR_RATIO, MetricCondition.atMost(0.02, { onEmptyResult: NoDataPolicy.FAIL }))).not.toThrow();
  });

  test.each<[string, string | undefined]>([
    [ERROR_RATIO, 'code=~"5.."'],
    ['(sum(rate(x{code!~"5.."}[5m])) / sum(rate(x[5m])))', 'code!~"5.."'],
    ['sum(rate(x{a="1",code=~"5.."}[5m])) / sum(rate(x{a="1"}[5m]))', 'code=~"5.."'],
    [GUARDED, undefined],
    ['(sum(rate(x{code=~"5.."}[5m])) or absent(x)) / sum(rate(x[5m]))', undefined],
    ['sum(rate(x{job="a"}[5m])) / sum(rate(x{job="a"}[5m]))', undefined],
    ['sum(rate(x[5m]))', undefined],
    ['sum(rate(x{code=~"5.."}[5m])) / 60', undefined],
  ])('reads %s', (query, matcher) => {
    expect(emptyNumeratorOf(query)?.matcher).toBe(matcher);
  });
});
