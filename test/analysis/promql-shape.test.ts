/**
 * What a query returns, from the grammar (`shapeOfQuery`), checked against Prometheus itself: every vector query of
 * the corpus is evaluated by promtool over series with several jobs, instances, codes and buckets; a query the
 * shape calls single returns at most one series, and every returned series only has the labels the shape allows.
 */
import { Duration, Testing } from 'cdk8s';
import {
  LatencyAnalysis, MetricCondition, PrometheusAnalysis, PrometheusMetric, PrometheusServer, SuccessRateAnalysis,
} from '../../src';
import { PromQLType, shapeOfQuery } from '../../src/analysis/promql-shape';
import { evaluateWithPromtool, InputSeries } from '../harness/promtool';

const SERIES: InputSeries[] = [
  { series: 'up{job="checkout",instance="a"}', values: '1x20' },
  { series: 'up{job="checkout",instance="b"}', values: '1x20' },
  { series: 'up{job="payments",instance="c"}', values: '0x20' },
  { series: 'http_requests_total{job="checkout",instance="a",code="200"}', values: '0+90x20' },
  { series: 'http_requests_total{job="checkout",instance="a",code="500"}', values: '0+10x20' },
  { series: 'http_requests_total{job="checkout",instance="b",code="200"}', values: '0+100x20' },
  { series: 'http_requests_total{job="payments",instance="c",code="200"}', values: '0+5x20' },
  ...['a', 'b'].flatMap(instance => [['0.1', 50], ['0.5', 90], ['+Inf', 100]].map(([le, n]) =>
    ({ series: `http_request_duration_seconds_bucket{job="checkout",instance="${instance}",le="${le}"}`, values: `0+${n}x20` }))),
];

/** [query, single, label bound (undefined: any), series promtool returns on SERIES]. */
const VECTORS: Array<[string, boolean, string[] | undefined, number]> = [
  ['sum(rate(http_requests_total{job="checkout"}[2m]))', true, [], 1],
  ['(sum(rate(http_requests_total{job="checkout",code!~"5.."}[2m])) or vector(0)) / sum(rate(http_requests_total{job="checkout"}[2m]))', true, [], 1],
  ['(sum(rate(http_requests_total{job="nope",code!~"5.."}[2m])) or vector(0)) / sum(rate(http_requests_total{job="nope"}[2m]))', true, [], 0],
  ['histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout"}[2m])))', true, [], 1],
  ['histogram_quantile(0.99, sum by (le, instance) (rate(http_request_duration_seconds_bucket{job="checkout"}[2m])))', false, ['instance'], 2],
  ['histogram_quantile(0.99, rate(http_request_duration_seconds_bucket{job="checkout"}[2m]))', false, undefined, 2],
  ['up{job="checkout"}', false, undefined, 2],
  ['sum by (instance) (up)', false, ['instance'], 3],
  ['sum(up) by (job)', false, ['job'], 2],
  ['sum without (instance, code) (rate(http_requests_total[2m]))', false, undefined, 2],
  ['max by () (up)', true, [], 1],
  ['topk(1, up)', true, undefined, 1],
  ['topk(2, up)', false, undefined, 2],
  ['topk(1, up) by (job)', false, undefined, 2],
  ['sum(up) > 0', true, [], 1],
  ['sum(up) > bool 5', true, [], 1],
  ['2 * sum(up)', true, [], 1],
  ['2 * up', false, undefined, 3],
  ['-sum(up)', true, [], 1],
  ['sum(up offset 1m)', true, [], 1],
  ['round(sum(rate(http_requests_total[2m])), 0.01)', true, [], 1],
  ['rate(http_requests_total{job="checkout"}[2m])', false, undefined, 3],
  ['max_over_time(sum(rate(http_requests_total[1m]))[2m:30s])', true, [], 1],
  ['max_over_time(sum by (job) (rate(http_requests_total[1m]))[2m:30s])', false, ['job'], 2],
  ['label_replace(sum(up), "team", "shop", "", "")', true, ['team'], 1],
  ['label_replace(sum by (job) (up), "team", "$1", "job", "(.*)")', false, ['job', 'team'], 2],
  ['count_values("value", up)', false, ['value'], 2],
  ['absent(up{job="nope"})', true, undefined, 1],
  ['minute()', true, [], 1],
  ['vector(1)', true, [], 1],
  ['sum(up) or sum by (job) (up)', false, ['job'], 3],
  ['sum(up) and on() up', true, [], 1],
  ['up and on(job) sum by (job) (up)', false, undefined, 3],
  ['sum by (job) (up) / on(job) group_left sum by (job) (up)', false, ['job'], 2],
  ['up / on(job) group_left sum by (job) (up)', false, undefined, 3],
  ['sum(up) / ignoring(job, instance) group_right sum by (job, instance) (up)', false, ['job', 'instance'], 3],
  ['sum by (job, instance) (up) + on(instance) sum by (instance) (up)', false, ['instance'], 3],
];

describe('shapeOfQuery', () => {
  test.each<[string, PromQLType]>([
    ['scalar(sum(up))', PromQLType.SCALAR],
    ['1', PromQLType.SCALAR],
    ['1 + 2', PromQLType.SCALAR],
    ['time() - 60', PromQLType.SCALAR],
    ['"ok"', PromQLType.STRING],
    ['up[5m]', PromQLType.MATRIX],
    ['sum(up)[5m:1m]', PromQLType.MATRIX],
    ['sum(up)', PromQLType.VECTOR],
  ])('%j is a %s', (query, type) => {
    expect(shapeOfQuery(query)?.type).toBe(type);
  });

  test('a query that does not parse has no shape', () => {
    expect(shapeOfQuery('sum(up')).toBeUndefined();
    expect(shapeOfQuery('ratee(x[5m])')).toBeUndefined();
  });

  test.each(VECTORS)('%j: single=%s, labels ⊆ %j', (query, single, labels) => {
    const shape = shapeOfQuery(query)!;
    expect(shape.type).toBe(PromQLType.VECTOR);
    expect(shape.single).toBe(single);
    expect(shape.labels === undefined ? undefined : [...shape.labels].sort()).toEqual(labels === undefined ? undefined : [...labels].sort());
  });

  test('promtool agrees: single queries return at most one series, returned labels stay within the bound', () => {
    const [results] = evaluateWithPromtool([{ name: 'shapes', series: SERIES, queries: VECTORS.map(([expr]) => ({ expr })) }]);
    VECTORS.forEach(([query, , , count], i) => {
      const shape = shapeOfQuery(query)!;
      const got = results[i];
      expect({ query, count: got.length }).toEqual({ query, count });
      if (shape.single) expect({ query, count: got.length <= 1 }).toEqual({ query, count: true });
      if (shape.labels !== undefined) {
        for (const sample of got) {
          expect({ query, extra: Object.keys(sample.labels).filter(l => !shape.labels!.includes(l)) }).toEqual({ query, extra: [] });
        }
      }
    });
  });
});

describe('threshold conditions need a query that returns at most one series', () => {
  const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');
  const add = (query: string, condition = MetricCondition.atLeast(0.95)) => {
    const chart = Testing.chart();
    const analysis = new PrometheusAnalysis(chart, 'q', { prometheus, metadata: { name: 'q' } });
    analysis.addMetric(PrometheusMetric.fromQuery({ metricName: 'q', query, condition }));
    return chart;
  };

  test.each<[string, string]>([
    ['scalar(sum(up{job="a"}))', 'test/q: metrics[0].query is "scalar(sum(up{job=\\"a\\"}))" (a scalar); expected an instant-vector query for a '
      + 'threshold condition (the controller hands a scalar to the condition as a bare number, so len(result) and result[0] fail every '
      + 'measurement with an Error and the rollout aborts). Fix: return a vector: e.g. sum(…) instead of scalar(sum(…)), vector(1) instead of 1'],
    ['0.99', 'metrics[0].query is "0.99" (a scalar); expected an instant-vector query'],
    ['scalar(max(up{job="a"})) * 100', 'metrics[0].query is "scalar(max(up{job=\\"a\\"})) * 100" (a scalar)'],
    ['"ok"', 'metrics[0].query is "\\"ok\\"" (a string); expected an instant-vector query for a threshold condition (the controller errors on a string result'],
    ['up{job="a"}[5m]', 'metrics[0].query is "up{job=\\"a\\"}[5m]" (a range vector); expected an instant-vector query for a threshold condition '
      + '(a range vector\'s samples are flattened into result'],
    ['up{job="a"}', 'test/q: metrics[0].query is "up{job=\\"a\\"}" (may return several series); expected a query that returns at most one series '
      + 'for a threshold condition (it judges result[0] only: with several series it judges whichever one Prometheus lists first and ignores '
      + 'the others). Fix: aggregate at the top without by/without, e.g. sum(…), max(…) or histogram_quantile(q, sum by (le) (…)); or judge '
      + 'every series with MetricCondition.custom, e.g. successCondition "len(result) > 0 && all(result, {# >= 0.95})"'],
    ['sum by (pod) (rate(x{job="a"}[5m]))', 'metrics[0].query is "sum by (pod) (rate(x{job=\\"a\\"}[5m]))" (may return several series)'],
    ['rate(x{job="{{args.job}}"}[5m]) / 2', '(may return several series)'],
  ])('rejects %j', (query, msg) => {
    expect(() => add(query)).toThrow(msg);
  });

  test('the same queries are fine with a custom condition that judges every series', () => {
    const chart = add('sum by (pod) (rate(x{job="a"}[5m]))', MetricCondition.custom({ successCondition: 'len(result) > 0 && all(result, {# >= 0.95})' }));
    expect(Testing.synth(chart)[0].spec.metrics[0].successCondition).toBe('len(result) > 0 && all(result, {# >= 0.95})');
  });

  test('single-series queries pass, including the library\'s own success-rate and latency queries', () => {
    const chart = add('max(up{job="a"}) > bool 0');
    expect(Testing.synth(chart)[0].spec.metrics[0].provider.prometheus.query).toBe('max(up{job="a"}) > bool 0');
    const lib = Testing.chart();
    new SuccessRateAnalysis(lib, 'sr', { prometheus, threshold: 0.95, clusterLabel: 'cluster' });
    new LatencyAnalysis(lib, 'lat', { prometheus, threshold: Duration.millis(300), clusterLabel: 'cluster' });
    expect(Testing.synth(lib)).toHaveLength(2);
  });

  test('a query that does not parse is reported by the template\'s PromQL check, not by the shape check', () => {
    const chart = add('sum(rate(x{job="a"}[5m])');
    expect(() => Testing.synth(chart)).toThrow('metrics[0].query is "sum(rate(x{job=\\"a\\"}[5m])"; expected valid Prometheus 2.x PromQL');
  });
});
