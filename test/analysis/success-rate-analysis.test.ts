import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { NoDataPolicy, PrometheusMetric, PrometheusServer, SuccessRateAnalysis, SuccessRateAnalysisProps } from '../../src';
import { quotedArgPlaceholders } from '../../src/core/promql';

const PROM = 'http://prometheus.monitoring.svc.cluster.local:9090';

/** The AnalysisTemplate of the seed article, verbatim. */
const SEED_TEMPLATE = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'analysis', 'seed-analysis-template.yaml'), 'utf8');

function seedLike(extra: Partial<SuccessRateAnalysisProps> = {}) {
  const chart = Testing.chart();
  const analysis = new SuccessRateAnalysis(chart, 'success-rate', {
    prometheus: PrometheusServer.fromAddress(PROM),
    threshold: 0.95,
    interval: Duration.minutes(1),
    window: Duration.minutes(2),
    failureLimit: 3,
    ...extra,
  });
  return { chart, analysis };
}

/** PromQL without whitespace, to compare the seed's multi-line query with the generated one-liner. */
const squash = (q: string) => q.replace(/\s+/g, '');

describe('SuccessRateAnalysis', () => {
  test('the seed AnalysisTemplate from a few lines, strict-schema valid, compared semantically with the seed', () => {
    const { chart, analysis } = seedLike({ metadata: { name: 'success-rate' } });
    const [obj] = Testing.synth(chart); // validated against the strict CRD schema by the harness
    const seed = YAML.parse(SEED_TEMPLATE);
    expect(obj.apiVersion).toEqual(seed.apiVersion);
    expect(obj.kind).toEqual(seed.kind);
    expect(obj.metadata).toEqual(seed.metadata);
    expect(obj.spec.args).toEqual(seed.spec.args);
    const [metric] = obj.spec.metrics;
    const [seedMetric] = seed.spec.metrics;
    expect(metric.name).toEqual(seedMetric.name);
    expect(metric.interval).toEqual(seedMetric.interval);
    expect(metric.failureLimit).toEqual(seedMetric.failureLimit);
    expect(metric.provider.prometheus.address).toEqual(seedMetric.provider.prometheus.address);
    // Same ratio, one line instead of the seed's pretty-printed lines, with one difference on purpose: the numerator
    // is `(… or vector(0))`, so a service whose every request fails measures 0 instead of an empty result (the seed's
    // numerator has no series then, and `result[0]` errors).
    const seedQuery = squash(seedMetric.provider.prometheus.query);
    const [seedNum, seedDen] = seedQuery.split(')/sum(');
    expect(squash(metric.provider.prometheus.query)).toEqual(`(${seedNum})orvector(0))/sum(${seedDen}`);
    // Differences, on purpose: the seed's `result[0] >= 0.95` errors on an empty result and is Failed on NaN by
    // accident; the library states both policies, and renders the controller's default limits explicitly.
    expect(metric.successCondition).toBe('len(result) > 0 && (!isNaN(result[0]) && result[0] >= 0.95)');
    expect(metric.failureCondition).toBe('len(result) == 0 || (!isNaN(result[0]) && result[0] < 0.95)');
    expect(metric.inconclusiveLimit).toBe(0);
    expect(metric.consecutiveErrorLimit).toBe(4);
    expect(metric.count).toBeUndefined();
    expect(Object.keys(metric).sort()).toEqual(['consecutiveErrorLimit', 'failureCondition', 'failureLimit', 'inconclusiveLimit',
      'interval', 'name', 'provider', 'successCondition']);
    expect(analysis.templateName).toBe('success-rate');
    expect(analysis.clusterScope).toBe(false);
    expect(analysis.requiredArgs).toEqual(['service-name']);
    expect(analysis.declaredArgs).toEqual([{ name: 'service-name' }]);
    expect(analysis.metricNames).toEqual(['success-rate']);
    expect(analysis.openEndedMetricNames).toEqual(['success-rate']);
    expect(analysis.minimumDuration).toBeUndefined(); // runs until the rollout completes
    expect(analysis.queriedSeries).toEqual([{ metricName: 'http_requests_total', labelNames: ['job', 'status'] }]);
  });

  test('the generated name is the cdk8s object name and is what templateName reports', () => {
    const { chart, analysis } = seedLike();
    const [obj] = Testing.synth(chart);
    expect(obj.metadata.name).toBe(analysis.templateName);
    expect(analysis.templateName).toMatch(/^test-success-rate-[0-9a-f]{8}$/);
  });

  test('ClusterAnalysisTemplate in per-cluster mode: cluster filter from a required arg, in both selectors', () => {
    const { chart, analysis } = seedLike({ clusterScope: true, metadata: { name: 'success-rate' }, clusterLabel: 'cluster' });
    const [obj] = Testing.synth(chart);
    expect(obj.kind).toBe('ClusterAnalysisTemplate');
    expect(obj.metadata).toEqual({ name: 'success-rate' });
    expect(obj.spec.args).toEqual([{ name: 'service-name' }, { name: 'cluster' }]);
    expect(obj.spec.metrics[0].provider.prometheus.query).toBe(
      '(sum(rate(http_requests_total{job="{{args.service-name}}",cluster="{{args.cluster}}",status!~"5.."}[2m])) or vector(0))'
      + ' / sum(rate(http_requests_total{job="{{args.service-name}}",cluster="{{args.cluster}}"}[2m]))');
    expect(analysis.clusterScope).toBe(true);
    expect(analysis.requiredArgs).toEqual(['service-name', 'cluster']);
    expect(analysis.queriedSeries).toEqual([{ metricName: 'http_requests_total', labelNames: ['job', 'cluster', 'status'] }]);
  });

  test('metric name, service label, status label, error pattern, arg names, default service and window are configurable', () => {
    const { chart, analysis } = seedLike({
      metricName: 'checkout-success',
      requestMetric: 'istio_requests_total',
      serviceLabel: 'destination_service_name',
      statusLabel: 'response_code',
      errorStatusPattern: '5\\d\\d|429',
      serviceArgName: 'svc',
      serviceName: 'checkout',
      clusterLabel: 'source_cluster',
      clusterArgName: 'cluster-name',
      window: Duration.seconds(90),
      count: 5,
      failureLimit: 1,
      inconclusiveLimit: 2,
      consecutiveErrorLimit: 2,
      initialDelay: Duration.seconds(30),
    });
    const [obj] = Testing.synth(chart);
    expect(obj.spec.args).toEqual([{ name: 'svc', value: 'checkout' }, { name: 'cluster-name' }]);
    const m = obj.spec.metrics[0];
    expect(m).toMatchObject({ name: 'checkout-success', count: 5, failureLimit: 1, inconclusiveLimit: 2, consecutiveErrorLimit: 2, initialDelay: '30s', interval: '1m' });
    // The regex backslash is escaped for the PromQL string literal.
    expect(m.provider.prometheus.query).toBe(
      '(sum(rate(istio_requests_total{destination_service_name="{{args.svc}}",source_cluster="{{args.cluster-name}}",response_code!~"5\\\\d\\\\d|429"}[90s])) or vector(0))'
      + ' / sum(rate(istio_requests_total{destination_service_name="{{args.svc}}",source_cluster="{{args.cluster-name}}"}[90s]))');
    expect(analysis.requiredArgs).toEqual(['cluster-name']);
    expect(analysis.declaredArgs).toEqual([{ name: 'svc', defaultValue: 'checkout' }, { name: 'cluster-name' }]);
    expect(analysis.openEndedMetricNames).toEqual([]);
    // first measurement after 30s, then 4 more every minute
    expect(analysis.minimumDuration?.toSeconds()).toBe(30 + 4 * 60);
    expect(analysis.renderQuery('checkout-success', { 'cluster-name': 'seoul-1' })).toBe(
      '(sum(rate(istio_requests_total{destination_service_name="checkout",source_cluster="seoul-1",response_code!~"5\\\\d\\\\d|429"}[90s])) or vector(0))'
      + ' / sum(rate(istio_requests_total{destination_service_name="checkout",source_cluster="seoul-1"}[90s]))');
  });

  test('the no-data policies are rendered into both conditions', () => {
    const { chart } = seedLike({ onEmptyResult: NoDataPolicy.PASS, onNaN: NoDataPolicy.FAIL });
    const m = Testing.synth(chart)[0].spec.metrics[0];
    expect(m.successCondition).toBe('len(result) == 0 || (!isNaN(result[0]) && result[0] >= 0.95)');
    expect(m.failureCondition).toBe('len(result) > 0 && (isNaN(result[0]) || result[0] < 0.95)');
  });

  test('renderQuery substitutes arg values exactly and rejects unknown or missing args', () => {
    const { analysis } = seedLike({ clusterLabel: 'cluster' });
    expect(analysis.renderQuery('success-rate', { 'service-name': 'my-service', 'cluster': 'workload-a' })).toBe(
      '(sum(rate(http_requests_total{job="my-service",cluster="workload-a",status!~"5.."}[2m])) or vector(0))'
      + ' / sum(rate(http_requests_total{job="my-service",cluster="workload-a"}[2m]))');
    expect(() => analysis.renderQuery('success-rate', { 'service-name': 'my-service' }))
      .toThrow('test/success-rate: argValues.cluster is missing; expected a value for {{args.cluster}} in the query of metric "success-rate". Fix: pass it in argValues');
    expect(() => analysis.renderQuery('success-rate', { 'service-name': 'a', 'cluster': 'b', 'namespace': 'c' }))
      .toThrow('argValues.namespace is "c"; expected an arg the template declares (service-name, cluster)');
    expect(() => analysis.renderQuery('latency', {})).toThrow('metricName is "latency"; expected one of ["success-rate"]');
  });

  test('addMetric after construction lands in the manifest; duplicate metric names fail at synth', () => {
    const { chart, analysis } = seedLike({ metadata: { name: 'success-rate' } });
    analysis.addMetric(PrometheusMetric.latency({ threshold: Duration.millis(300), count: 3, interval: Duration.minutes(1) }));
    let objs = Testing.synth(chart);
    expect(objs[0].spec.metrics.map((m: any) => m.name)).toEqual(['success-rate', 'latency']);
    expect(analysis.metricNames).toEqual(['success-rate', 'latency']);
    expect(analysis.requiredArgs).toEqual(['service-name']);
    expect(analysis.queriedSeries).toEqual([
      { metricName: 'http_requests_total', labelNames: ['job', 'status'] },
      { metricName: 'http_request_duration_seconds_bucket', labelNames: ['job', 'le'] },
    ]);
    analysis.addMetric(PrometheusMetric.successRate({ threshold: 0.9 }));
    expect(() => Testing.synth(chart)).toThrow(
      '[test/success-rate] metrics[2].metricName is "success-rate"; expected a name unique within the template (metrics[0] has it). '
      + 'Fix: give the metric its own metricName');
    void objs;
  });

  test.each<[Partial<SuccessRateAnalysisProps>, string]>([
    [{ threshold: 95 }, 'test/success-rate: threshold is 95; expected a ratio in (0, 1], e.g. 0.95 for 95%. Fix: give the success rate as a fraction'],
    [{ threshold: 0 }, 'threshold is 0; expected a ratio in (0, 1]'],
    [{ threshold: NaN }, 'threshold is NaN; expected a ratio in (0, 1]'],
    // -1 disables failing by count (Argo Rollouts ≥ 1.8), but only with consecutiveSuccessLimit (A5)
    [{ failureLimit: -1 }, 'test/success-rate: failureLimit is -1 with no consecutiveSuccessLimit; expected a consecutiveSuccessLimit > 0'],
    [{ failureLimit: -2 }, 'test/success-rate: failureLimit is -2; expected an integer ≥ 0, or -1 to disable it'],
    [{ failureLimit: 1.5 }, 'failureLimit is 1.5; expected an integer ≥ 0'],
    [{ inconclusiveLimit: -2 }, 'inconclusiveLimit is -2; expected an integer ≥ 0'],
    [{ consecutiveErrorLimit: -1 }, 'consecutiveErrorLimit is -1; expected an integer ≥ 0'],
    [{ count: 0 }, 'count is 0; expected an integer ≥ 1'],
    [{ count: 3, failureLimit: 3 }, 'failureLimit is 3 with count 3; expected failureLimit < count (the controller measures count times; '
      + 'the metric fails at failureLimit + 1 failed measurements, so it could never fail). Fix: lower failureLimit below 3 or raise count'],
    [{ count: 2, failureLimit: 1, inconclusiveLimit: 3 }, 'inconclusiveLimit is 3 with count 2; expected inconclusiveLimit < count'],
    [{ count: 2, failureLimit: 1, inconclusiveLimit: 2 }, 'inconclusiveLimit is 2 with count 2; expected inconclusiveLimit < count (the controller measures count times; '
      + 'the metric is Inconclusive at inconclusiveLimit + 1 inconclusive measurements and Successful after the last one, so Inconclusive measurements '
      + 'would pass instead of pausing the rollout). Fix: lower inconclusiveLimit below 2 or raise count'],
    // Neither count nor interval: the controller measures once (effective count 1).
    [{ interval: undefined, failureLimit: 1 }, 'test/success-rate: failureLimit is 1 with neither count nor interval; expected failureLimit 0 (without count or '
      + 'interval the controller measures once; the metric fails at failureLimit + 1 failed measurements, so it could never fail). '
      + 'Fix: drop failureLimit, or set count and interval, e.g. count: 3, interval: Duration.minutes(1)'],
    [{ interval: undefined, failureLimit: 0, inconclusiveLimit: 1 }, 'inconclusiveLimit is 1 with neither count nor interval; expected inconclusiveLimit 0 '
      + '(without count or interval the controller measures once; the metric is Inconclusive at inconclusiveLimit + 1 inconclusive measurements'],
    [{ count: 3, interval: undefined, failureLimit: 0 }, 'interval is missing with count 3; expected an interval when count > 1'],
    [{ interval: Duration.seconds(0) }, 'interval is 0ms; expected a whole number of milliseconds > 0'],
    [{ interval: Duration.millis(1.5) }, 'interval is 1.5ms; expected a whole number of milliseconds > 0'],
    [{ window: Duration.millis(500) }, 'window is 500ms; expected a whole number of milliseconds ≥ 1s'],
    [{ requestMetric: 'http-requests' }, 'requestMetric is "http-requests"; expected a Prometheus metric name'],
    [{ serviceLabel: 'app.kubernetes.io/name' }, 'serviceLabel is "app.kubernetes.io/name"; expected a Prometheus label name'],
    [{ statusLabel: '__name__' }, 'statusLabel is "__name__"; expected a Prometheus label name'],
    [{ errorStatusPattern: '5(..' }, 'errorStatusPattern is "5(.."; expected an RE2 regex as Prometheus compiles it (it rejects this one: '
      + 'error parsing regexp: missing closing ): `^(?:5(..)$`; every measurement would Error and abort the rollout). '
      + 'Fix: fix the regex: it must compile with Go\'s regexp package (RE2 syntax)'],
    // Perl-only syntax JavaScript accepts but Prometheus (Go RE2) rejects.
    [{ errorStatusPattern: '5(?!04)..' }, 'test/success-rate: errorStatusPattern is "5(?!04).."; expected an RE2 regex as Prometheus compiles it '
      + '(it rejects this one: error parsing regexp: invalid or unsupported Perl syntax: `(?!`; every measurement would Error and abort the rollout). '
      + 'Fix: RE2 has no lookahead or lookbehind: list the values to match instead, e.g. "50[0-35-9]|5[1-9][0-9]" for 5xx except 504'],
    [{ errorStatusPattern: '(5)\\1\\1' }, 'errorStatusPattern is "(5)\\\\1\\\\1"; expected an RE2 regex as Prometheus compiles it '
      + '(it rejects this one: error parsing regexp: invalid escape sequence: `\\1`'],
    [{ errorStatusPattern: '5\\d++' }, 'invalid nested repetition operator: `++`'],
    [{ errorStatusPattern: '5..\\Z' }, 'invalid escape sequence: `\\Z`'],
    [{ errorStatusPattern: '' }, 'errorStatusPattern is ""; expected a non-empty regex'],
    [{ clusterLabel: 'job' }, 'clusterLabel is "job"; expected a label other than serviceLabel'],
    [{ clusterArgName: 'cluster' }, 'clusterArgName is "cluster"; expected clusterLabel to be set as well'],
    [{ clusterLabel: 'cluster', clusterArgName: 'service-name' }, 'clusterArgName is "service-name"; expected an arg name other than serviceArgName'],
    [{ serviceArgName: 'service name' }, 'serviceArgName is "service name"; expected letters, digits, "_", "." or "-"'],
    [{ serviceName: '' }, 'serviceName is ""; expected a non-empty value. Fix: omit it to make the arg required'],
    [{ metricName: 'Success Rate' }, 'metricName is "Success Rate"; expected at most 63 lowercase alphanumerics'],
    [{ metadata: { name: 'Success_Rate' } }, 'metadata.name is "Success_Rate"; expected a DNS-1123 subdomain'],
    [{ clusterScope: true, metadata: { namespace: 'shop' } }, 'metadata.namespace is "shop"; expected no namespace for a ClusterAnalysisTemplate'],
  ])('fails on a bad prop %#', (extra, msg) => {
    expect(() => seedLike(extra)).toThrow(msg);
  });

  test('measurement limits are accepted below the effective count, and with interval alone (unbounded)', () => {
    // One measurement (no count, no interval): limits 0.
    const once = seedLike({ metadata: { name: 'once' }, interval: undefined, failureLimit: undefined });
    const m = Testing.synth(once.chart)[0].spec.metrics[0];
    expect([m.count, m.interval, m.failureLimit, m.inconclusiveLimit]).toEqual([undefined, undefined, 0, 0]);
    // count 3: limits up to 2.
    const three = seedLike({ metadata: { name: 'three' }, count: 3, failureLimit: 2, inconclusiveLimit: 2 });
    expect(Testing.synth(three.chart)[0].spec.metrics[0]).toMatchObject({ count: 3, failureLimit: 2, inconclusiveLimit: 2 });
    // interval without count runs until the rollout completes: any limit can take effect.
    const open = seedLike({ metadata: { name: 'open' }, failureLimit: 10, inconclusiveLimit: 5 });
    expect(Testing.synth(open.chart)[0].spec.metrics[0]).toMatchObject({ interval: '1m', failureLimit: 10, inconclusiveLimit: 5 });
  });

  test('the effective-count rule applies to metrics added later too, with their index', () => {
    const { analysis } = seedLike();
    expect(() => analysis.addMetric(PrometheusMetric.latency({ threshold: Duration.millis(300), failureLimit: 2 })))
      .toThrow('test/success-rate: metrics[1].failureLimit is 2 with neither count nor interval; expected failureLimit 0');
  });

  test('errorStatusPattern accepts RE2 syntax a JavaScript RegExp would reject', () => {
    // (?i) is an RE2 flag group; JavaScript (Node 20) rejects it as an invalid group.
    expect(() => new RegExp('^(?:(?i)5..|x)$')).toThrow(SyntaxError);
    const { chart } = seedLike({ errorStatusPattern: '(?i)5..|timeout', statusLabel: 'code' });
    expect(Testing.synth(chart)[0].spec.metrics[0].provider.prometheus.query).toContain('code!~"(?i)5..|timeout"');
  });

  test('a namespaced template carries its namespace', () => {
    const { chart } = seedLike({ metadata: { namespace: 'shop' } });
    expect(Testing.synth(chart)[0].metadata.namespace).toBe('shop');
  });
});

describe('arg defaults cannot change the query\'s structure', () => {
  const server = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');

  test('a serviceName that would end the quoted label value is a synth error', () => {
    const chart = Testing.chart();
    new SuccessRateAnalysis(chart, 'sr', { prometheus: server, threshold: 0.95, serviceName: 'x",job=~".+' });
    expect(() => Testing.synth(chart)).toThrow('[test/sr] args.service-name is default "x\\",job=~\\".+"; expected a value that stays inside the '
      + '"…" string of query: the controller substitutes args as raw text, so a quote, a backslash or a line break ends the string and the rest '
      + 'becomes PromQL (e.g. another matcher that widens the selector). Fix: give the plain label value, without quotes, backslashes or line breaks');
  });

  test('plain values, and values outside strings, are not judged here', () => {
    const chart = Testing.chart();
    new SuccessRateAnalysis(chart, 'sr', { prometheus: server, threshold: 0.95, serviceName: 'checkout-v2.prod_1' });
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(quotedArgPlaceholders('x{a="{{args.a}}",b=\'{{ args.b }}\'} > {{args.c}} # "{{args.d}}"\n')).toEqual([
      { name: 'a', quote: '"' }, { name: 'b', quote: '\'' },
    ]);
  });
});
