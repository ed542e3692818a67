import { Duration } from 'cdk8s';
import { MetricCondition, PrometheusMetric } from '../../src';

describe('PrometheusMetric', () => {
  test('service args with a bad name or an empty default are reported under the prop the user set', () => {
    const props = (m: PrometheusMetric) => m._problems().map(p => `${p.prop}: ${p.expected}`);
    expect(props(PrometheusMetric.successRate({ threshold: 0.9, serviceArgName: 'service name' })))
      .toContain('serviceArgName: letters, digits, "_", "." or "-" (what a {{args.NAME}} placeholder can name)');
    expect(props(PrometheusMetric.successRate({ threshold: 0.9, serviceName: '' }))).toContain('serviceName: a non-empty value');
    expect(props(PrometheusMetric.latency({ threshold: Duration.millis(300), clusterLabel: 'cluster', clusterArgName: 'a b' })))
      .toContain('clusterArgName: letters, digits, "_", "." or "-" (what a {{args.NAME}} placeholder can name)');
  });

  test('durations that cannot be rendered are problems, not exceptions', () => {
    const m = PrometheusMetric.successRate({ threshold: 0.9, window: Duration.millis(1500.5), interval: Duration.millis(0.5), count: 2 });
    expect(m._problems().map(p => `${p.prop} is ${p.given}`)).toEqual(expect.arrayContaining(['window is 1500.5ms', 'interval is 0.5ms']));
  });

  test('renders the metric entry around the provider', () => {
    const m = PrometheusMetric.fromQuery({ metricName: 'up', query: 'sum(up)', condition: MetricCondition.atLeast(1), count: 3, interval: Duration.minutes(1) });
    expect(m._toKube({ address: 'http://p:9090', query: m.query })).toEqual({
      name: 'up',
      interval: '1m',
      count: 3,
      successCondition: 'len(result) > 0 && (!isNaN(result[0]) && result[0] >= 1)',
      failureCondition: 'len(result) == 0 || (!isNaN(result[0]) && result[0] < 1)',
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      provider: { prometheus: { address: 'http://p:9090', query: 'sum(up)' } },
    });
  });
});
