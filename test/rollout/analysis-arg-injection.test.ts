import { Duration, Testing } from 'cdk8s';
import { build } from './build';
import { CanaryStep, PrometheusAnalysis, PrometheusMetric, PrometheusServer, SuccessRateAnalysis, TrafficRouting, MetricCondition } from '../../src';

/**
 * Issue 10: Argo Rollouts substitutes analysis args into the query as raw text, so a value known at synth that ends the
 * string literal it lands in rewrites the query. The reproducers from the issue, through CanaryStep.analysis.
 */
describe('analysis args that would rewrite the query (PromQL injection)', () => {
  const chart = Testing.chart();
  const successRate = new SuccessRateAnalysis(chart, 'sr', {
    metadata: { name: 'success-rate' },
    prometheus: PrometheusServer.fromAddress('https://prometheus.example.com'),
    threshold: 0.95,
    interval: Duration.minutes(1),
    count: 3,
  });
  const istio = TrafficRouting.istio({ virtualService: 'vs' });
  const synthError = (value: string) => {
    const { chart: c } = build({
      trafficRouting: istio,
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [successRate], args: { 'service-name': value } })],
    });
    try {
      Testing.synth(c);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  test('the template reports where service-name lands', () => {
    expect(successRate.quotedArgUses).toEqual(expect.arrayContaining([{ argName: 'service-name', metricName: 'success-rate', quote: '"' }]));
  });

  test('fails on a value that adds a matcher widening the gate to every service', () => {
    expect(synthError('x",job=~".+')).toContain('steps[1].analysis.args["service-name"] is "x\\",job=~\\".+"; expected a value that stays inside '
      + 'the "…" string it lands in (template AnalysisTemplate "success-rate", metric "success-rate")');
  });

  test('fails on a quote, a backslash or a line break (every measurement would Error and abort the rollout)', () => {
    expect(synthError('my"svc')).toContain('Fix: pass the plain label value, without quotes, backslashes or line breaks');
    expect(synthError('my\\svc')).toContain('steps[1].analysis.args["service-name"] is "my\\\\svc"');
    expect(synthError('my\nsvc')).toContain('steps[1].analysis.args["service-name"]');
  });

  test('a plain value synthesizes, and the query keeps the intended selector', () => {
    expect(synthError('checkout')).toBe('');
  });

  test('a single-quoted string in a hand-written query is checked with its own quote', () => {
    const c = Testing.chart();
    const custom = new PrometheusAnalysis(c, 'custom', {
      metadata: { name: 'custom' },
      prometheus: PrometheusServer.fromAddress('https://prometheus.example.com'),
      metrics: [PrometheusMetric.fromQuery({
        metricName: 'errors',
        query: "sum(rate(http_requests_total{service='{{args.svc}}',code=~\"5..\"}[5m]) or vector(0))",
        condition: MetricCondition.atMost(1),
        interval: Duration.minutes(1),
        count: 2,
      })],
    });
    expect(custom.quotedArgUses).toEqual([{ argName: 'svc', metricName: 'errors', quote: '\'' }]);
  });
});

test('a caller without TypeScript naming the metric `name` gets a ValidationError, not a TypeError', () => {
  expect(() => PrometheusMetric.fromQuery({ name: 'errors', query: 'up', condition: MetricCondition.atMost(1) } as any))
    .toThrow('PrometheusMetric.fromQuery: name is an unknown option ("errors" (a string)); expected one of the documented options: metricName, query, '
      + 'condition, interval, count, initialDelay, failureLimit, inconclusiveLimit, consecutiveErrorLimit, consecutiveSuccessLimit. Fix: did you mean "metricName"?');
});
