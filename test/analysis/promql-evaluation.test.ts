/**
 * The generated queries really compute what they claim: the EXACT synthesized query (arg values substituted with
 * `renderQuery`, as the controller does) is evaluated by promtool 2.42 over synthetic series, and the synthesized
 * successCondition/failureCondition are applied to what promtool returned. Two promtool runs in total.
 */
import { Duration, Testing } from 'cdk8s';
import { verdict } from './expr-eval';
import { LatencyAnalysis, NoDataPolicy, PrometheusServer, SuccessRateAnalysis } from '../../src';
import { assertPromtool, evaluateWithPromtool, InputSeries, PromtoolCase } from '../harness/promtool';

const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');

// Counters sampled every 15s for 5 minutes; queries evaluated at 4m so the whole [2m] window is inside the data.
const reqs = (labels: string, perStep: number): InputSeries => ({ series: `http_requests_total{${labels}}`, values: `0+${perStep}x20` });
const flat = (labels: string): InputSeries => ({ series: `http_requests_total{${labels}}`, values: '0x20' });
const bucket = (labels: string, le: string, perStep: number): InputSeries =>
  ({ series: `http_request_duration_seconds_bucket{${labels},le="${le}"}`, values: `0+${perStep}x20` });
/** A histogram whose requests (per step) fall into the given buckets, cumulated as Prometheus does. */
const histogram = (labels: string, perBucket: Array<[string, number]>): InputSeries[] => {
  let total = 0;
  return perBucket.map(([le, n]) => {
    total += n;
    return bucket(labels, le, total);
  });
};

const SCENARIOS: Record<string, InputSeries[]> = {
  // 100% 2xx
  'healthy': [reqs('job="checkout",status="200"', 100)],
  // 85x 200 + 5x 404 (a client error is not a failure) + 10x 500 => 0.9; another service's errors are ignored
  '90-percent': [
    reqs('job="checkout",status="200"', 85), reqs('job="checkout",status="404"', 5), reqs('job="checkout",status="500"', 10),
    reqs('job="payments",status="500"', 1000),
  ],
  // 19x 200 + 1x 503 => exactly 0.95, the threshold
  'at-threshold': [reqs('job="checkout",status="200"', 19), reqs('job="checkout",status="503"', 1)],
  // the series exist but nothing was requested in the window => 0/0
  'no-traffic': [flat('job="checkout",status="200"'), flat('job="checkout",status="500"')],
  // no request series at all for the service
  'no-series': [{ series: 'up{job="checkout"}', values: '1x20' }, reqs('job="payments",status="200"', 10)],
  // every request failed (only 5xx series): the success rate is 0, not "no data"
  'only-errors': [reqs('job="checkout",status="500"', 10), reqs('job="checkout",status="503"', 5)],
  // only 5xx series and nothing requested in the window => 0/0
  'only-errors-no-traffic': [flat('job="checkout",status="500"')],
  // one central Prometheus holding two clusters' series: workload-a healthy, workload-b at 90%
  'two-clusters': [
    reqs('job="checkout",cluster="workload-a",status="200"', 100),
    reqs('job="checkout",cluster="workload-b",status="200"', 90), reqs('job="checkout",cluster="workload-b",status="500"', 10),
  ],
  // workload-a healthy, workload-b only errors: the vector(0) of one cluster must not borrow the other's numerator
  'cluster-only-errors': [
    reqs('job="checkout",cluster="workload-a",status="200"', 100),
    reqs('job="checkout",cluster="workload-b",status="500"', 10),
  ],
};

const LATENCY: Record<string, InputSeries[]> = {
  // every request under 100ms
  'fast': histogram('job="checkout"', [['0.1', 100], ['0.25', 0], ['0.5', 0], ['1', 0], ['+Inf', 0]]),
  // half the requests between 0.5s and 1s
  'slow': histogram('job="checkout"', [['0.1', 50], ['0.25', 0], ['0.5', 0], ['1', 50], ['+Inf', 0]]),
  'no-traffic': histogram('job="checkout"', [['0.1', 0], ['0.25', 0], ['0.5', 0], ['1', 0], ['+Inf', 0]]),
};

function templates() {
  const chart = Testing.chart();
  // The seed's template: all series of the Prometheus it runs against.
  const seed = new SuccessRateAnalysis(chart, 'seed', {
    prometheus, metadata: { name: 'success-rate' }, threshold: 0.95, interval: Duration.minutes(1), window: Duration.minutes(2), failureLimit: 3,
  });
  // Per-cluster mode on a central Prometheus.
  const perCluster = new SuccessRateAnalysis(chart, 'per-cluster', {
    prometheus,
    metadata: { name: 'success-rate-per-cluster' },
    clusterScope: true,
    clusterLabel: 'cluster',
    threshold: 0.95,
    interval: Duration.minutes(1),
    window: Duration.minutes(2),
    failureLimit: 3,
  });
  const latency = new LatencyAnalysis(chart, 'latency', { prometheus, metadata: { name: 'latency' }, threshold: Duration.millis(500), count: 1 });
  // The reviewer's case: an empty result counts as a pass.
  new SuccessRateAnalysis(chart, 'empty-passes', {
    prometheus, metadata: { name: 'success-rate-empty-passes' }, threshold: 0.95, interval: Duration.minutes(1), onEmptyResult: NoDataPolicy.PASS,
  });
  const manifests = Testing.synth(chart);
  const byName = (name: string) => manifests.find(m => m.metadata.name === name)!.spec.metrics[0];
  return {
    seed,
    perCluster,
    latency,
    seedMetric: byName('success-rate'),
    perClusterMetric: byName('success-rate-per-cluster'),
    latencyMetric: byName('latency'),
    emptyPassesMetric: byName('success-rate-empty-passes'),
  };
}

describe('generated PromQL evaluated by promtool', () => {
  const t = templates();
  const seedQuery = t.seed.renderQuery('success-rate', { 'service-name': 'checkout' });
  const clusterQuery = (cluster: string) => t.perCluster.renderQuery('success-rate', { 'service-name': 'checkout', cluster });
  const latencyQuery = t.latency.renderQuery('latency', { 'service-name': 'checkout' });

  test('the queries evaluated are exactly the synthesized ones with the args substituted', () => {
    expect(t.seedMetric.provider.prometheus.query.replace(/\{\{args\.service-name\}\}/g, 'checkout')).toBe(seedQuery);
    expect(t.perClusterMetric.provider.prometheus.query.replace(/\{\{args\.service-name\}\}/g, 'checkout').replace(/\{\{args\.cluster\}\}/g, 'workload-b'))
      .toBe(clusterQuery('workload-b'));
    expect(t.latencyMetric.provider.prometheus.query.replace(/\{\{args\.service-name\}\}/g, 'checkout')).toBe(latencyQuery);
    expect(seedQuery).toBe('(sum(rate(http_requests_total{job="checkout",status!~"5.."}[2m])) or vector(0)) / sum(rate(http_requests_total{job="checkout"}[2m]))');
    expect(t.emptyPassesMetric.provider.prometheus.query).toBe(t.seedMetric.provider.prometheus.query);
  });

  test('promtool asserts the values (rounded to 0.001), NaN for no traffic and an empty result for no series', () => {
    const round = (q: string) => `round(${q}, 0.001)`;
    const isNaNCount = (q: string) => `count((${q}) != (${q}))`;
    const cases: PromtoolCase[] = [
      { name: 'healthy', series: SCENARIOS.healthy, queries: [{ expr: round(seedQuery), expected: [{ labels: '{}', value: 1 }] }] },
      { name: '90-percent', series: SCENARIOS['90-percent'], queries: [{ expr: round(seedQuery), expected: [{ labels: '{}', value: 0.9 }] }] },
      { name: 'at-threshold', series: SCENARIOS['at-threshold'], queries: [{ expr: round(seedQuery), expected: [{ labels: '{}', value: 0.95 }] }] },
      { name: 'no-traffic', series: SCENARIOS['no-traffic'], queries: [{ expr: isNaNCount(seedQuery), expected: [{ labels: '{}', value: 1 }] }] },
      { name: 'no-series', series: SCENARIOS['no-series'], queries: [{ expr: seedQuery, expected: [] }] },
      // only errors: exactly 0 (not an empty result); with no traffic in the window still NaN
      { name: 'only-errors', series: SCENARIOS['only-errors'], queries: [{ expr: seedQuery, expected: [{ labels: '{}', value: 0 }] }] },
      { name: 'only-errors-no-traffic', series: SCENARIOS['only-errors-no-traffic'], queries: [{ expr: isNaNCount(seedQuery), expected: [{ labels: '{}', value: 1 }] }] },
      {
        name: 'cluster-only-errors',
        series: SCENARIOS['cluster-only-errors'],
        queries: [
          { expr: clusterQuery('workload-a'), expected: [{ labels: '{}', value: 1 }] },
          { expr: clusterQuery('workload-b'), expected: [{ labels: '{}', value: 0 }] },
          { expr: clusterQuery('workload-c'), expected: [] },
        ],
      },
      {
        name: 'two-clusters',
        series: SCENARIOS['two-clusters'],
        queries: [
          { expr: round(clusterQuery('workload-a')), expected: [{ labels: '{}', value: 1 }] },
          { expr: round(clusterQuery('workload-b')), expected: [{ labels: '{}', value: 0.9 }] },
          { expr: clusterQuery('workload-c'), expected: [] },
          // without the cluster filter the two clusters are mixed: (100 + 90) / 200
          { expr: round(seedQuery), expected: [{ labels: '{}', value: 0.95 }] },
        ],
      },
      { name: 'latency-fast', series: LATENCY.fast, queries: [{ expr: round(latencyQuery), expected: [{ labels: '{}', value: 0.099 }] }] },
      { name: 'latency-slow', series: LATENCY.slow, queries: [{ expr: round(latencyQuery), expected: [{ labels: '{}', value: 0.99 }] }] },
      { name: 'latency-no-traffic', series: LATENCY['no-traffic'], queries: [{ expr: isNaNCount(latencyQuery), expected: [{ labels: '{}', value: 1 }] }] },
    ];
    const { ok, output } = assertPromtool(cases);
    expect(output).toContain('SUCCESS');
    expect(ok).toBe(true);

    // The harness really compares: a wrong expectation fails.
    const wrong = assertPromtool([{ ...cases[1], queries: [{ expr: round(seedQuery), expected: [{ labels: '{}', value: 0.95 }] }] }]);
    expect(wrong.ok).toBe(false);
    expect(wrong.output).toContain('got: {} 9E-01');
  });

  test('the synthesized conditions judge what promtool returns: pass, fail, at threshold, no traffic, no series, only errors, per cluster', () => {
    const clusters = ['workload-a', 'workload-b', 'workload-c'];
    const cases: PromtoolCase[] = [
      ...Object.entries(SCENARIOS).filter(([name]) => !['two-clusters', 'cluster-only-errors'].includes(name))
        .map(([name, series]) => ({ name, series, queries: [{ expr: seedQuery }] })),
      { name: 'two-clusters', series: SCENARIOS['two-clusters'], queries: clusters.map(c => ({ expr: clusterQuery(c) })) },
      { name: 'cluster-only-errors', series: SCENARIOS['cluster-only-errors'], queries: clusters.map(c => ({ expr: clusterQuery(c) })) },
      ...Object.entries(LATENCY).map(([name, series]) => ({ name: `latency-${name}`, series, queries: [{ expr: latencyQuery }] })),
    ];
    const results = evaluateWithPromtool(cases);
    const values = (name: string, q = 0) => results[cases.findIndex(c => c.name === name)][q].map(s => s.value);
    const judge = (metric: any, result: number[]) => verdict(metric.successCondition, metric.failureCondition, result);

    // What promtool returned (compared with rounding where a ratio is not exact in binary).
    expect(values('healthy')).toEqual([1]);
    expect(values('90-percent')[0]).toBeCloseTo(0.9, 10);
    expect(values('at-threshold')).toEqual([0.95]); // 19/20 comes out exactly 0.95 here, so the >= edge is really tested
    expect(values('no-traffic')).toHaveLength(1);
    expect(values('no-traffic')[0]).toBeNaN();
    expect(values('no-series')).toEqual([]);
    expect(values('only-errors')).toEqual([0]);
    expect(values('only-errors-no-traffic')).toHaveLength(1);
    expect(values('only-errors-no-traffic')[0]).toBeNaN();
    expect(values('two-clusters', 0)).toEqual([1]);
    expect(values('two-clusters', 1)[0]).toBeCloseTo(0.9, 10);
    expect(values('two-clusters', 2)).toEqual([]);
    expect(values('cluster-only-errors', 0)).toEqual([1]);
    expect(values('cluster-only-errors', 1)).toEqual([0]);
    expect(values('cluster-only-errors', 2)).toEqual([]);
    expect(values('latency-fast')[0]).toBeCloseTo(0.099, 10);
    expect(values('latency-slow')[0]).toBeCloseTo(0.99, 10);
    expect(values('latency-no-traffic')[0]).toBeNaN();

    // The default policy: empty = Failed, NaN = Inconclusive; at the threshold passes (>=); only errors fails as 0%.
    expect(judge(t.seedMetric, values('healthy'))).toBe('Successful');
    expect(judge(t.seedMetric, values('90-percent'))).toBe('Failed');
    expect(judge(t.seedMetric, values('at-threshold'))).toBe('Successful');
    expect(judge(t.seedMetric, values('no-traffic'))).toBe('Inconclusive');
    expect(judge(t.seedMetric, values('no-series'))).toBe('Failed');
    expect(judge(t.seedMetric, values('only-errors'))).toBe('Failed');
    expect(judge(t.seedMetric, values('only-errors-no-traffic'))).toBe('Inconclusive');
    // With onEmptyResult PASS a 100%-errors service still fails (it measures 0, not "no data"); only a service
    // without any request series passes.
    expect(judge(t.emptyPassesMetric, values('only-errors'))).toBe('Failed');
    expect(judge(t.emptyPassesMetric, values('no-series'))).toBe('Successful');
    expect(judge(t.emptyPassesMetric, values('healthy'))).toBe('Successful');
    // Per-cluster mode isolates the clusters; a cluster with no series fails instead of passing on others' traffic.
    expect(judge(t.perClusterMetric, values('two-clusters', 0))).toBe('Successful');
    expect(judge(t.perClusterMetric, values('two-clusters', 1))).toBe('Failed');
    expect(judge(t.perClusterMetric, values('two-clusters', 2))).toBe('Failed');
    expect(judge(t.perClusterMetric, values('cluster-only-errors', 0))).toBe('Successful');
    expect(judge(t.perClusterMetric, values('cluster-only-errors', 1))).toBe('Failed');
    // Latency p99 ≤ 500ms.
    expect(judge(t.latencyMetric, values('latency-fast'))).toBe('Successful');
    expect(judge(t.latencyMetric, values('latency-slow'))).toBe('Failed');
    expect(judge(t.latencyMetric, values('latency-no-traffic'))).toBe('Inconclusive');

    // The seed's own condition on the same results: an Error on an empty result (index out of range, retried and then
    // aborting the rollout as an Error) and Failed on no traffic, by accident rather than by policy.
    expect(verdict('result[0] >= 0.95', undefined, values('no-series'))).toBe('Error');
    expect(verdict('result[0] >= 0.95', undefined, values('no-traffic'))).toBe('Failed');
  });

  test('the pre-fix query (no `or vector(0)`) is empty for only-error traffic: an empty-passes policy would promote it', () => {
    // Documents why the numerator has `or vector(0)`: the same query without it, on the same series.
    const unguarded = seedQuery.replace(/^\((sum\(.*?\)\)) or vector\(0\)\)/, '$1');
    expect(unguarded).toBe('sum(rate(http_requests_total{job="checkout",status!~"5.."}[2m])) / sum(rate(http_requests_total{job="checkout"}[2m]))');
    const [[onlyErrors]] = evaluateWithPromtool([{ name: 'only-errors', series: SCENARIOS['only-errors'], queries: [{ expr: unguarded }] }]);
    expect(onlyErrors).toEqual([]);
    expect(verdict(t.emptyPassesMetric.successCondition, t.emptyPassesMetric.failureCondition, onlyErrors.map(x => x.value))).toBe('Successful');
  });
});
