/**
 * Argo Rollouts ≥ 1.8 analysis options: `consecutiveSuccessLimit` (and `failureLimit: -1`) on every metric, `dryRun` and
 * `measurementRetention` on every template (docs/rules/rollouts.md A3–A8, A13, R7b). Each rule the library enforces is
 * also shown to be the controller's: the raw offending template, written past the library, is rejected by Argo
 * Rollouts' own AnalysisRun checks (conformance/rollouts rollouts-validate).
 */
import { Duration, Testing } from 'cdk8s';
import {
  AnalysisTemplateOptions, MetricCondition, MetricOptions, PrometheusAnalysis, PrometheusMetric, PrometheusServer, SuccessRateAnalysis, WebAnalysis,
} from '../../src';
import { conformanceBuilt, validateAnalysisTemplates } from '../harness/conformance';

const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc:9090');

function successRate(options: Partial<MetricOptions & AnalysisTemplateOptions> = {}) {
  const chart = Testing.chart();
  const t = new SuccessRateAnalysis(chart, 'sr', { metadata: { name: 'success-rate' }, prometheus, threshold: 0.95, serviceName: 'checkout', ...options });
  return { chart, t };
}

function error(fn: () => unknown): string {
  try {
    fn();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

const go = conformanceBuilt('rollouts-validate') ? test : test.skip;

/** The controller's verdict on a raw template: the library's rendering of a valid one with `edit` applied. */
function controllerErrors(edit: (spec: any) => void): string[] {
  const { chart } = successRate({ interval: Duration.minutes(1), count: 5 });
  const objs = Testing.synth(chart);
  const raw = JSON.parse(JSON.stringify(objs[0]));
  edit(raw.spec);
  return validateAnalysisTemplates([raw])[0].errors.map(e => e.message);
}

describe('consecutiveSuccessLimit', () => {
  test('is rendered when set, and shortens the minimum duration (the metric succeeds early)', () => {
    const { chart, t } = successRate({ interval: Duration.minutes(1), count: 10, consecutiveSuccessLimit: 3, initialDelay: Duration.seconds(30) });
    const metric = Testing.synth(chart)[0].spec.metrics[0];
    expect(metric).toEqual(expect.objectContaining({ count: 10, failureLimit: 0, consecutiveSuccessLimit: 3 }));
    expect(t.minimumDuration?.toSeconds()).toBe(30 + 2 * 60);
    // count exhausted without 3 successes in a row, failureLimit not exceeded → Inconclusive: a possible manual gate
    expect(t.inconclusiveMetricNames).toEqual(['success-rate']);
  });

  test('failureLimit -1 with consecutiveSuccessLimit: the metric fails when the successes are not reached (no Inconclusive from it)', () => {
    const chart = Testing.chart();
    const t = new PrometheusAnalysis(chart, 'p', {
      prometheus,
      metrics: [PrometheusMetric.fromQuery({
        metricName: 'ok',
        query: 'sum(up)',
        condition: MetricCondition.atLeast(1, { onNaN: undefined }),
        interval: Duration.seconds(10),
        count: 6,
        failureLimit: -1,
        consecutiveSuccessLimit: 3,
      })],
    });
    expect(Testing.synth(chart)[0].spec.metrics[0]).toEqual(expect.objectContaining({ failureLimit: -1, consecutiveSuccessLimit: 3 }));
    expect(t.inconclusiveMetricNames).toEqual(['ok']); // the NaN policy (INCONCLUSIVE by default) still is
  });

  test('without it, nothing is rendered (the controller\'s 0: disabled)', () => {
    const { chart } = successRate({ interval: Duration.minutes(1), count: 3 });
    expect(Testing.synth(chart)[0].spec.metrics[0].consecutiveSuccessLimit).toBeUndefined();
  });

  describe('the controller\'s rules (AnalysisRun: "Analysis spec invalid: metrics[0]: ...")', () => {
    test.each<[string, Partial<MetricOptions>, string]>([
      ['A3', { consecutiveSuccessLimit: -1 }, 'consecutiveSuccessLimit is -1; expected an integer ≥ 0 (the AnalysisRun errors: "consecutiveSuccessLimit must be >= 0")'],
      ['A4', { failureLimit: -2 }, 'failureLimit is -2; expected an integer ≥ 0, or -1 to disable it (the AnalysisRun errors: "failureLimit must be >= 0, or -1 to be disabled")'],
      ['A5', { failureLimit: -1 }, 'failureLimit is -1 with no consecutiveSuccessLimit; expected a consecutiveSuccessLimit > 0 when failing by count is disabled '
        + '(the AnalysisRun errors: "failureLimit and consecutiveSuccessLimit cannot both be disabled")'],
      ['A5', { failureLimit: -1, consecutiveSuccessLimit: 0 }, 'failureLimit is -1 with consecutiveSuccessLimit 0'],
      ['A6', { inconclusiveLimit: -1 }, 'inconclusiveLimit is -1; expected an integer ≥ 0 (the AnalysisRun errors: "inconclusiveLimit must be >= 0")'],
      ['A6', { consecutiveErrorLimit: -1 }, 'consecutiveErrorLimit is -1; expected an integer ≥ 0 (the AnalysisRun errors: "consecutiveErrorLimit must be >= 0")'],
      ['A7', { failureLimit: 2, consecutiveSuccessLimit: 4 }, 'consecutiveSuccessLimit is 4 with count 5 and failureLimit 2; expected count ≥ failureLimit + '
        + 'consecutiveSuccessLimit (the AnalysisRun errors: "count (5) must be >= failureLimit + consecutiveSuccessLimit (2 + 4) if both >= 0")'],
      ['A8', { failureLimit: -1, consecutiveSuccessLimit: 6 }, 'consecutiveSuccessLimit is 6 with count 5 and failureLimit -1; expected count ≥ '
        + 'consecutiveSuccessLimit (the AnalysisRun errors: "count must be >= consecutiveSuccessLimit")'],
      ['A8', { inconclusiveLimit: 6 }, 'inconclusiveLimit is 6 with count 5; expected inconclusiveLimit < count (the controller measures count times; '
        + 'the metric is Inconclusive at inconclusiveLimit + 1 inconclusive measurements and Successful after the last one, so Inconclusive measurements '
        + 'would pass instead of pausing the rollout; above count the AnalysisRun errors: "count must be >= inconclusiveLimit")'],
    ])('%s %j', (_id, options, message) => {
      expect(error(() => successRate({ interval: Duration.minutes(1), count: 5, ...options }))).toContain(message);
    });

    test('a single measurement (no count, no interval) cannot reach a consecutiveSuccessLimit above 1', () => {
      expect(error(() => successRate({ consecutiveSuccessLimit: 2 })))
        .toContain('consecutiveSuccessLimit is 2 with neither count nor interval and failureLimit 0; expected count ≥ failureLimit + consecutiveSuccessLimit');
      expect(error(() => successRate({ consecutiveSuccessLimit: 1 }))).toBe('');
    });

    go('the raw offending templates are rejected by Argo Rollouts v1.9.1 with the quoted messages', () => {
      const m = (edit: (metric: any) => void) => controllerErrors(spec => edit(spec.metrics[0]));
      expect(m(x => { x.consecutiveSuccessLimit = -1; })).toEqual([expect.stringContaining('consecutiveSuccessLimit must be >= 0')]);
      expect(m(x => { x.failureLimit = -2; })).toEqual([expect.stringContaining('failureLimit must be >= 0, or -1 to be disabled')]);
      expect(m(x => { x.failureLimit = -1; })).toEqual([expect.stringContaining('failureLimit and consecutiveSuccessLimit cannot both be disabled')]);
      expect(m(x => { x.inconclusiveLimit = -1; })).toEqual([expect.stringContaining('inconclusiveLimit must be >= 0')]);
      expect(m(x => { x.failureLimit = 2; x.consecutiveSuccessLimit = 4; }))
        .toEqual([expect.stringContaining('count (5) must be >= failureLimit + consecutiveSuccessLimit (2 + 4) if both >= 0')]);
      expect(m(x => { x.failureLimit = -1; x.consecutiveSuccessLimit = 6; })).toEqual([expect.stringContaining('count must be >= consecutiveSuccessLimit')]);
      expect(m(x => { x.inconclusiveLimit = 6; })).toEqual([expect.stringContaining('count must be >= inconclusiveLimit')]);
      expect(m(x => { delete x.interval; })).toEqual([expect.stringContaining('interval must be specified when count > 1')]);
      // and what the library renders for the accepted shapes passes
      expect(m(x => { x.failureLimit = -1; x.consecutiveSuccessLimit = 3; })).toEqual([]);
      expect(m(x => { x.failureLimit = 1; x.consecutiveSuccessLimit = 4; })).toEqual([]);
    });
  });
});

describe('dryRun and measurementRetention on a template', () => {
  test('are rendered; the regex is unanchored and must match a metric', () => {
    const chart = Testing.chart();
    new PrometheusAnalysis(chart, 'p', {
      metadata: { name: 'gates' },
      prometheus,
      dryRunMetrics: ['latency'],
      measurementRetention: [{ metricName: '.*', limit: 20 }, { metricName: 'error', limit: 50 }],
      metrics: [
        PrometheusMetric.fromQuery({ metricName: 'error-rate', query: 'sum(rate(errors_total[2m]))', condition: MetricCondition.atMost(1) }),
        PrometheusMetric.fromQuery({ metricName: 'latency-p99', query: 'sum(rate(latency_sum[2m]))', condition: MetricCondition.atMost(1) }),
      ],
    });
    const spec = Testing.synth(chart)[0].spec;
    expect(spec.dryRun).toEqual([{ metricName: 'latency' }]);
    expect(spec.measurementRetention).toEqual([{ metricName: '.*', limit: 20 }, { metricName: 'error', limit: 50 }]);
  });

  test.each<[Partial<AnalysisTemplateOptions>, string]>([
    [{ dryRunMetrics: ['*'] }, 'dryRunMetrics[0] is "*"; expected a Go regular expression: the controller matches metric names with regexp.MatchString, where a bare '
      + '"*" is invalid and matches nothing (the AnalysisRun errors: "Rule didn\'t match any metric name(s)"), although the field\'s comment says "*" is a '
      + 'wildcard. Fix: use ".*" for every metric'],
    [{ dryRunMetrics: ['(?<=x)rate'] }, 'dryRunMetrics[0] is "(?<=x)rate"; expected a Go (RE2) regular expression'],
    [{ dryRunMetrics: [''] }, 'dryRunMetrics[0] is ""; expected a regular expression of 1..253 characters'],
    [{ dryRunMetrics: ['x'.repeat(254)] }, 'expected a regular expression of 1..253 characters'],
    [{ dryRunMetrics: ['success', 'success'] }, 'dryRunMetrics[1] is "success"; expected one rule per metric name (the controller rejects the run: '
      + '"two Dry-Run metric rules have the same name \'success\'")'],
    [{ measurementRetention: [{ metricName: '.*', limit: 5 }, { metricName: '.*', limit: 6 }] }, 'measurementRetention[1] is ".*"; expected one rule per metric '
      + 'name (the controller rejects the run: "two Measurement Retention metric rules have the same name \'.*\'")'],
    [{ measurementRetention: [{ metricName: '.*', limit: 0 }] }, 'measurementRetention[0].limit is 0; expected an integer 1..2147483647 (the controller '
      + 'ignores a limit ≤ 0 and keeps its default of 10 measurements)'],
    [{ measurementRetention: [{ metricName: '.*', limit: 2.5 }] }, 'measurementRetention[0].limit is 2.5'],
    [{ measurementRetention: [{ metricName: '*', limit: 2 }] }, 'measurementRetention[0].metricName is "*"; expected a Go regular expression'],
  ])('rejects %j', (options, message) => {
    expect(error(() => successRate(options))).toContain(message);
  });

  test('a rule matching no metric of the template is a synth error (A13)', () => {
    const { chart } = successRate({ dryRunMetrics: ['latency'], measurementRetention: [{ metricName: '^error', limit: 3 }] });
    const message = error(() => Testing.synth(chart));
    expect(message).toContain('dryRunMetrics[0] is "latency"; expected an unanchored regex matching at least one metric of the template (["success-rate"]); '
      + 'the AnalysisRun errors: "dryRun[0]: Rule didn\'t match any metric name(s)"');
    expect(message).toContain('measurementRetention[0].metricName is "^error"; expected an unanchored regex matching at least one metric of the template');
    // unanchored: "rate" matches "success-rate"; RE2 flags are Go's
    expect(error(() => Testing.synth(successRate({ dryRunMetrics: ['rate', '(?i)SUCCESS'] }).chart))).toBe('');
  });

  test('plain-JS callers passing the wrong types get a ValidationError', () => {
    expect(error(() => successRate({ dryRunMetrics: 'success' as any }))).toContain('dryRunMetrics is "success" (a string); expected an array');
    expect(error(() => successRate({ measurementRetention: [{ metricName: '.*' }] as any }))).toContain('measurementRetention[0].limit is missing; expected a number');
  });

  go('the raw offending templates are rejected by Argo Rollouts v1.9.1 (A13)', () => {
    expect(controllerErrors(spec => { spec.dryRun = [{ metricName: '*' }]; }))
      .toEqual([expect.stringContaining('dryRun[0]: Rule didn\'t match any metric name(s)')]);
    expect(controllerErrors(spec => { spec.measurementRetention = [{ metricName: 'latency', limit: 3 }]; }))
      .toEqual([expect.stringContaining('measurementRetention[0]: Rule didn\'t match any metric name(s)')]);
    expect(controllerErrors(spec => { spec.dryRun = [{ metricName: 'rate' }]; spec.measurementRetention = [{ metricName: '.*', limit: 3 }]; })).toEqual([]);
  });

  test('a web template takes them too', () => {
    const chart = Testing.chart();
    new WebAnalysis(chart, 'w', { url: 'http://x.svc/', metricName: 'smoke', dryRunMetrics: ['smoke'], measurementRetention: [{ metricName: 'smoke', limit: 3 }] });
    const spec = Testing.synth(chart)[0].spec;
    expect(spec.dryRun).toEqual([{ metricName: 'smoke' }]);
    expect(spec.measurementRetention).toEqual([{ metricName: 'smoke', limit: 3 }]);
  });
});
