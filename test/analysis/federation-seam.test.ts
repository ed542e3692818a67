/**
 * What the analyses tell FederatedPrometheus: the series their queries read (also through a `__name__` regex) and
 * the cluster label of per-cluster mode.
 */
import { Duration, Testing } from 'cdk8s';
import { AnalysisTemplateRef, LatencyAnalysis, MetricCondition, PrometheusAnalysis, PrometheusMetric, PrometheusServer, SuccessRateAnalysis, TemplateArgument } from '../../src';
import { metricNameAlternatives, queriedSeriesOf, unresolvedSelectorsOf } from '../../src/analysis/promql-series';
import { testWithTool } from '../harness/prometheus-servers';
import { evaluateWithPromtool } from '../harness/promtool';

const withPromtool = testWithTool('promtool');
const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc:9090');

describe('queried series selected by a __name__ regex', () => {
  const QUERY = 'sum(rate({__name__=~"http_requests_total|grpc_requests_total",job="x"}[1m]))';

  test('a plain alternation of metric names counts as each of those metrics, with the labels the query uses', () => {
    const analysis = new PrometheusAnalysis(Testing.chart(), 'a', {
      prometheus, metrics: [PrometheusMetric.fromQuery({ metricName: 'rate', query: QUERY, condition: MetricCondition.atLeast(1), count: 1 })],
    });
    expect(analysis.queriedSeries).toEqual([
      { metricName: 'http_requests_total', labelNames: ['job'] },
      { metricName: 'grpc_requests_total', labelNames: ['job'] },
    ]);
    expect(queriedSeriesOf('{__name__=~"(?:a_total|b_total)"} / on(code) y')).toEqual([
      { metricName: 'a_total', labelNames: ['code'] }, { metricName: 'b_total', labelNames: ['code'] }, { metricName: 'y', labelNames: ['code'] },
    ]);
    expect(queriedSeriesOf('{__name__=~"(a_total|b_total)"}').map(s => s.metricName)).toEqual(['a_total', 'b_total']);
    expect(unresolvedSelectorsOf(QUERY)).toEqual([]);
  });

  withPromtool('promtool agrees: the alternation selects exactly those metrics', () => {
    const series = ['http_requests_total', 'grpc_requests_total', 'http_requests_total_other', 'up'].map(m => ({ series: `${m}{job="x"}`, values: '0+1x10' }));
    const [[got]] = evaluateWithPromtool([{ name: 'names', interval: '15s', series, queries: [{ expr: '{__name__=~"http_requests_total|grpc_requests_total",job="x"}', evalTime: '1m' }] }]);
    expect(got.map(s => s.labels.__name__).sort()).toEqual(queriedSeriesOf(QUERY).map(s => s.metricName).sort());
  });

  test('other regexes are reported as unresolved, with their __name__ matchers alone as a selector', () => {
    expect(metricNameAlternatives('http_.*')).toBeUndefined();
    expect(metricNameAlternatives('a|b-c')).toBeUndefined();
    expect(metricNameAlternatives('a|b|a')).toEqual(['a', 'b']);
    expect(queriedSeriesOf('sum(rate({__name__=~"http_.*",job="x"}[1m]))')).toEqual([]);
    expect(unresolvedSelectorsOf('sum(rate({__name__=~"http_.*", __name__!~"http_x.*",job="x"}[1m])) / count({job="y"}) + up')).toEqual([
      { text: '{__name__=~"http_.*", __name__!~"http_x.*",job="x"}', nameSelector: '{__name__=~"http_.*", __name__!~"http_x.*"}' },
      { text: '{job="y"}' },
    ]);
  });
});

test('a metric name given by an arg without default is not reported as the substitution dummy', () => {
  const q = (query: string, args: TemplateArgument[]) => new PrometheusAnalysis(Testing.chart(), 'a', {
    prometheus, args, metrics: [PrometheusMetric.fromQuery({ metricName: 'm', query, condition: MetricCondition.atLeast(0), count: 1 })],
  }).queriedSeries;
  expect(q('count({__name__="{{args.metric}}", job="x"}) + count(up)', [TemplateArgument.required('metric')])).toEqual([{ metricName: 'up', labelNames: [] }]);
  // with a default, the default is the metric
  expect(q('count({__name__="{{args.metric}}", job="x"})', [TemplateArgument.withDefault('metric', 'http_requests_total')]))
    .toEqual([{ metricName: 'http_requests_total', labelNames: ['job'] }]);
});

describe('perClusterLabel: the label per-cluster queries filter on', () => {
  test('success rate and latency in per-cluster mode expose it; other templates do not', () => {
    const chart = Testing.chart();
    expect(new SuccessRateAnalysis(chart, 'sr', { prometheus, threshold: 0.9, clusterLabel: 'k8s_cluster' }).perClusterLabel).toBe('k8s_cluster');
    expect(new LatencyAnalysis(chart, 'lat', { prometheus, threshold: Duration.millis(300), clusterLabel: 'cluster' }).perClusterLabel).toBe('cluster');
    expect(new SuccessRateAnalysis(chart, 'plain', { prometheus, threshold: 0.9 }).perClusterLabel).toBeUndefined();
    const generic = new PrometheusAnalysis(chart, 'g', {
      prometheus, metrics: [PrometheusMetric.fromQuery({ metricName: 'up', query: 'min(up{cluster="{{args.c}}"})', condition: MetricCondition.atLeast(1), count: 1 })],
    });
    expect(generic.perClusterLabel).toBeUndefined();
    // a template mixing metrics: the first per-cluster metric's label
    generic.addMetric(PrometheusMetric.successRate({ threshold: 0.9, clusterLabel: 'region', metricName: 'sr', clusterArgName: 'c' }));
    expect(generic.perClusterLabel).toBe('region');
    expect(PrometheusMetric.latency({ threshold: Duration.millis(1), clusterLabel: 'cluster' }).clusterLabel).toBe('cluster');
  });
});

test('a referenced template can state its per-cluster label', () => {
  expect(AnalysisTemplateRef.fromName('t', { perClusterLabel: 'k8s_cluster' }).perClusterLabel).toBe('k8s_cluster');
  expect(AnalysisTemplateRef.fromName('t').perClusterLabel).toBeUndefined();
  expect(() => AnalysisTemplateRef.fromName('t', { perClusterLabel: 'k8s-cluster' })).toThrow(
    'AnalysisTemplateRef.fromName: perClusterLabel is "k8s-cluster"; expected a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)');
});
