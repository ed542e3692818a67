import { Duration, Testing } from 'cdk8s';
import { HistogramUnit, LatencyAnalysis, PrometheusServer } from '../../src';

const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');

describe('LatencyAnalysis', () => {
  test('p99 under 500ms from a seconds histogram, per cluster', () => {
    const chart = Testing.chart();
    const analysis = new LatencyAnalysis(chart, 'latency', {
      prometheus,
      metadata: { name: 'latency' },
      threshold: Duration.millis(500),
      clusterLabel: 'cluster',
      interval: Duration.minutes(1),
      count: 5,
      failureLimit: 1,
    });
    const [obj] = Testing.synth(chart);
    expect(obj.spec.args).toEqual([{ name: 'service-name' }, { name: 'cluster' }]);
    const m = obj.spec.metrics[0];
    expect(m.name).toBe('latency');
    expect(m.provider.prometheus.query).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="{{args.service-name}}",cluster="{{args.cluster}}"}[2m])))');
    expect(m.successCondition).toBe('len(result) > 0 && (!isNaN(result[0]) && result[0] <= 0.5)');
    expect(m.failureCondition).toBe('len(result) == 0 || (!isNaN(result[0]) && result[0] > 0.5)');
    expect(analysis.requiredArgs).toEqual(['service-name', 'cluster']);
    expect(analysis.queriedSeries).toEqual([{ metricName: 'http_request_duration_seconds_bucket', labelNames: ['job', 'cluster', 'le'] }]);
    expect(analysis.latencyMetric.metricName).toBe('latency');
  });

  test('a milliseconds histogram gets the threshold in milliseconds', () => {
    const chart = Testing.chart();
    new LatencyAnalysis(chart, 'latency', {
      prometheus, threshold: Duration.millis(250), quantile: 0.9, histogramMetric: 'request_latency_ms', histogramUnit: HistogramUnit.MILLISECONDS,
    });
    const m = Testing.synth(chart)[0].spec.metrics[0];
    expect(m.provider.prometheus.query).toBe('histogram_quantile(0.9, sum by (le) (rate(request_latency_ms_bucket{job="{{args.service-name}}"}[2m])))');
    expect(m.successCondition).toContain('result[0] <= 250');
  });

  test.each<[Record<string, unknown>, string]>([
    [{ quantile: 1 }, 'test/latency: quantile is 1; expected a number in (0, 1)'],
    [{ quantile: 0 }, 'quantile is 0; expected a number in (0, 1)'],
    [{ threshold: Duration.millis(0) }, 'threshold is 0ms; expected a positive duration'],
    [{ histogramMetric: 'latency-seconds' }, 'histogramMetric is "latency-seconds"; expected a Prometheus metric name'],
  ])('fails on a bad prop %#', (extra, msg) => {
    const chart = Testing.chart();
    expect(() => new LatencyAnalysis(chart, 'latency', { prometheus, threshold: Duration.millis(500), ...extra })).toThrow(msg);
  });
});
