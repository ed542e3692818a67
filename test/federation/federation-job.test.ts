import { Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { seedFleet, withPromtool } from './fixtures';
import { FederatedPrometheus, FederationAuthorization, FederationOutput, FederationTls, Fleet } from '../../src';
import { goYaml } from '../../src/federation/federation-job';
import { promtoolCheckConfig } from '../harness/prometheus-servers';

describe('the federation job as Go tools read it', () => {
  test('Secret names such as y, on and no are quoted in Helm values (Helm and Prometheus read YAML 1.1)', () => {
    const fp = new FederatedPrometheus(Testing.chart(), 'f', {
      fleet: seedFleet(),
      match: ['up'],
      authorization: FederationAuthorization.fromSecret({ secretName: 'y', key: 'token' }),
      tls: FederationTls.fromSecret({ secretName: 'on', caKey: 'ca.crt' }),
      output: FederationOutput.none(),
    });
    const kps = goYaml(fp.kubePrometheusStackValues());
    expect(kps).toContain('- "y"\n');
    expect(kps).toContain('- "on"\n');
    // read as YAML 1.1 (go-yaml v2, which Helm uses), the names stay strings; YAML 1.2 output would have turned them into booleans
    expect(YAML.parse(kps, { version: '1.1' }).prometheus.prometheusSpec.secrets).toEqual(['y', 'on']);
    expect(YAML.parse(YAML.stringify(fp.kubePrometheusStackValues()), { version: '1.1' }).prometheus.prometheusSpec.secrets).toEqual([true, true]);
    const chart = goYaml(fp.helmChartValues());
    expect(YAML.parse(chart, { version: '1.1' }).server.extraSecretMounts.map((m: any) => m.secretName)).toEqual(['y', 'on']);
  });

  test('a scrape interval beyond Go\'s time.Duration is rejected (promtool: "duration out of range")', () => {
    expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['up'], scrapeInterval: Duration.seconds(1e12) }))
      .toThrow('test/f: scrapeInterval is 1000000000000s; expected at most 2562047h (Prometheus reads durations into Go\'s time.Duration '
        + 'and rejects longer ones as invalid). Fix: use e.g. Duration.seconds(15)');
    expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['up'], scrapeInterval: Duration.days(1e20) }))
      .toThrow('test/f: scrapeInterval is 8.64e+27ms; expected a positive whole number of milliseconds');
  });

  withPromtool('promtool accepts the longest interval the construct accepts and rejects one millisecond more', () => {
    const longest = new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['up'], scrapeInterval: Duration.millis(9_223_372_036_854) });
    expect(promtoolCheckConfig(longest.prometheusConfig(), { syntaxOnly: true }).ok).toBe(true);
    const beyond = longest.prometheusConfig().split('9223372036854ms').join('9223372036855ms');
    expect(promtoolCheckConfig(beyond, { syntaxOnly: true }).output).toContain('duration out of range');
    expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['up'], scrapeInterval: Duration.millis(9_223_372_036_855) }))
      .toThrow('scrapeInterval is 9223372036855ms; expected at most 2562047h');
  });

  test('a metricsEndpoint port outside 1..65535 is a synth error', () => {
    const chart = Testing.chart();
    const fleet = new Fleet({ clusters: [{ name: 'a', server: 'https://a.example.com', metricsEndpoint: 'prom:99999' }] });
    new FederatedPrometheus(chart, 'f', { fleet, match: ['up'] });
    expect(() => Testing.synth(chart)).toThrow('fleet.clusters is "a" with metricsEndpoint "prom:99999"; expected host:port with a TCP port 1..65535');
  });
});
