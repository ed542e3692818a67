import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { analysis, SEED_MATCH, seedFleet, synthConfigMap, withPromtool } from './fixtures';
import { FederatedPrometheus, FederationAuthorization, FederationOutput, FederationScheme, FederationTls } from '../../src';
import { promtoolCheckConfig, promtoolCheckExpressions } from '../harness/prometheus-servers';

describe('FederatedPrometheus: the seed article\'s Example 3', () => {
  test('reproduces the federate job as a complete prometheus.yml in a ConfigMap', () => {
    // GIVEN the three clusters and the two selectors of Example 3
    const chart = Testing.chart();
    new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: SEED_MATCH, output: FederationOutput.configMap() });

    // WHEN
    const cm = synthConfigMap(chart);
    const config = YAML.parse(cm.data['prometheus.yml']);

    // THEN compared semantically with the seed's YAML
    const seed = YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'metrics', 'seed-example-3.yaml'), 'utf8'));
    const seedJob = seed.scrape_configs[0];
    expect(config.scrape_configs).toHaveLength(1);
    const job = config.scrape_configs[0];
    for (const key of ['job_name', 'scrape_interval', 'honor_labels', 'metrics_path', 'params']) {
      expect(job[key]).toEqual(seedJob[key]);
    }
    // Same targets; the differences are additions: one static config per cluster with its `cluster` label (so each
    // federated series says where it comes from even when the workload Prometheus has no external label), the
    // explicit defaults scrape_timeout 10s and scheme http, and a `global` section that makes the file complete.
    expect(job.static_configs.flatMap((s: any) => s.targets)).toEqual(seedJob.static_configs[0].targets);
    expect(job.static_configs).toEqual(['a', 'b', 'c'].map(x => ({
      targets: [`prometheus.cluster-${x}.internal:9090`], labels: { cluster: `cluster-${x}` },
    })));
    expect(job.scrape_timeout).toBe('10s');
    expect(job.scheme).toBe('http');
    expect(Object.keys(job).sort()).toEqual([...Object.keys(seedJob), 'scrape_timeout', 'scheme'].sort());
    expect(config.global).toEqual({ scrape_interval: '15s', scrape_timeout: '10s', evaluation_interval: '15s' });
  });

  withPromtool('the generated prometheus.yml passes promtool check config and every match[] selector parses in Prometheus', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', {
      fleet: seedFleet(), match: SEED_MATCH, analyses: [analysis('latency', [['http_request_duration_seconds_bucket', ['le']], ['grpc_server_handled_total', []]])],
    });
    const text = synthConfigMap(chart).data['prometheus.yml'];
    const check = promtoolCheckConfig(text);
    expect(check.output).toContain('SUCCESS');
    expect(check.ok).toBe(true);
    // promtool check config does not parse match[]: check every selector with Prometheus's own parser
    const selectors: string[] = YAML.parse(text).scrape_configs[0].params['match[]'];
    expect(selectors).toEqual([...SEED_MATCH, '{__name__="grpc_server_handled_total"}']);
    expect(fp.match).toEqual(selectors);
    for (const r of promtoolCheckExpressions(selectors)) {
      expect(r.output).toContain('SUCCESS');
    }
  });
});

describe('FederatedPrometheus: scrape settings', () => {
  test('interval, timeout, scheme, TLS from files, authorization from a file, labeldrop', () => {
    const fp = new FederatedPrometheus(Testing.chart(), 'f', {
      fleet: seedFleet(),
      match: ['up'],
      jobName: 'federate-fleet',
      scrapeInterval: Duration.seconds(30),
      scrapeTimeout: Duration.seconds(20),
      tls: FederationTls.fromFiles({ caFile: '/etc/prometheus/ca/ca.crt', serverName: 'prometheus.internal' }),
      authorization: FederationAuthorization.credentialsFile('/var/run/secrets/federation/token'),
      dropLabels: ['prometheus_replica', 'prometheus'],
    });
    const job = fp.scrapeJob();
    expect(job).toMatchObject({
      job_name: 'federate-fleet',
      scrape_interval: '30s',
      scrape_timeout: '20s',
      honor_labels: true,
      metrics_path: '/federate',
      scheme: 'https',
      tls_config: { ca_file: '/etc/prometheus/ca/ca.crt', server_name: 'prometheus.internal' },
      authorization: { type: 'Bearer', credentials_file: '/var/run/secrets/federation/token' },
      metric_relabel_configs: [{ action: 'labeldrop', regex: 'prometheus_replica|prometheus' }],
    });
    expect(fp.scheme).toBe(FederationScheme.HTTPS);
  });

  test('the timeout defaults to the interval when that is below 10s', () => {
    const fp = new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['up'], scrapeInterval: Duration.seconds(5) });
    expect(fp.scrapeJob()).toMatchObject({ scrape_interval: '5s', scrape_timeout: '5s' });
  });

  withPromtool('promtool accepts the TLS, authorization and relabel settings (files present) and the Secret-mounted variant', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-files-'));
    try {
      for (const f of ['ca.crt', 'client.crt', 'client.key', 'token']) fs.writeFileSync(path.join(dir, f), 'x');
      const fp = new FederatedPrometheus(Testing.chart(), 'f', {
        fleet: seedFleet(),
        match: ['up'],
        tls: FederationTls.fromFiles({ caFile: `${dir}/ca.crt`, certFile: `${dir}/client.crt`, keyFile: `${dir}/client.key`, insecureSkipVerify: true }),
        authorization: FederationAuthorization.credentialsFile(`${dir}/token`, 'Bearer'),
        dropLabels: ['prometheus_replica'],
        output: FederationOutput.configMap({ externalLabels: { cluster: 'mgmt' }, evaluationInterval: Duration.minutes(1) }),
      });
      const text = fp.prometheusConfig();
      expect(YAML.parse(text).global).toEqual({ scrape_interval: '15s', scrape_timeout: '10s', evaluation_interval: '1m', external_labels: { cluster: 'mgmt' } });
      expect(promtoolCheckConfig(text)).toMatchObject({ ok: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const secret = new FederatedPrometheus(Testing.chart(), 'f', {
      fleet: seedFleet(),
      match: ['up'],
      tls: FederationTls.fromSecret({ secretName: 'federation-tls', caKey: 'ca.crt', certKey: 'tls.crt', keyKey: 'tls.key' }),
      authorization: FederationAuthorization.fromSecret({ secretName: 'federation-token', key: 'token' }),
    });
    expect(secret.scrapeJob()).toMatchObject({
      authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/secrets/federation-token/token' },
      tls_config: {
        ca_file: '/etc/prometheus/secrets/federation-tls/ca.crt',
        cert_file: '/etc/prometheus/secrets/federation-tls/tls.crt',
        key_file: '/etc/prometheus/secrets/federation-tls/tls.key',
      },
    });
    // the Secret files exist only inside the Prometheus pod: check the syntax
    expect(promtoolCheckConfig(secret.prometheusConfig(), { syntaxOnly: true })).toMatchObject({ ok: true });
    // and the promtool full check does look at them, so the paths are really read
    expect(promtoolCheckConfig(secret.prometheusConfig()).output).toContain('/etc/prometheus/secrets/federation-token/token');
  });

  test.each<[string, () => any, string]>([
    ['timeout > interval', () => ({ scrapeInterval: Duration.seconds(15), scrapeTimeout: Duration.seconds(30) }),
      'test/f: scrapeTimeout is 30s; expected at most scrapeInterval (15s); Prometheus rejects a longer timeout. Fix: shorten scrapeTimeout or lengthen scrapeInterval'],
    ['zero interval', () => ({ scrapeInterval: Duration.millis(0) }), 'test/f: scrapeInterval is 0ms; expected a positive whole number of milliseconds'],
    ['fractional interval', () => ({ scrapeInterval: Duration.millis(1500.5) }), 'test/f: scrapeInterval is 1500.5ms; expected a positive whole number of milliseconds'],
    ['tls over http', () => ({ scheme: FederationScheme.HTTP, tls: FederationTls.fromFiles({ caFile: '/ca.crt' }) }),
      'test/f: scheme is "http"; expected "https" when tls is set'],
    ['empty job name', () => ({ jobName: '' }), 'test/f: jobName is ""; expected a non-empty job name'],
    ['dropping the cluster label', () => ({ dropLabels: ['cluster'] }),
      'test/f: dropLabels[0] is "cluster"; expected a label other than job, instance and the cluster label "cluster"'],
    ['a bad label name', () => ({ dropLabels: ['ok', 'not-ok'] }), 'test/f: dropLabels[1] is "not-ok"; expected a Prometheus label name'],
    ['a file credential with a ScrapeConfig', () => ({ output: FederationOutput.scrapeConfig(), authorization: FederationAuthorization.credentialsFile('/t') }),
      'test/f: authorization is credentialsFile("/t"); expected FederationAuthorization.fromSecret(...) with FederationOutput.scrapeConfig()'],
    ['TLS files with a ScrapeConfig', () => ({ output: FederationOutput.scrapeConfig(), tls: FederationTls.fromFiles({ caFile: '/ca' }) }),
      'test/f: tls is FederationTls.fromFiles(...); expected FederationTls.fromSecret(...) with FederationOutput.scrapeConfig()'],
    ['a bad ConfigMap name', () => ({ output: FederationOutput.configMap({ metadata: { name: 'Federation' } }) }),
      'test/f: output.metadata.name is "Federation"; expected a DNS-1123 subdomain'],
    ['a bad data key', () => ({ output: FederationOutput.helmChartValues({ key: 'values yaml' }) }),
      'test/f: output.key is "values yaml"; expected a ConfigMap data key'],
    ['a bad ScrapeConfig label', () => ({ output: FederationOutput.scrapeConfig({ metadata: { labels: { release: 'kube prometheus' } } }) }),
      'test/f: output.metadata.labels is "release": "kube prometheus"; expected a label value'],
    ['a bad external label', () => ({ output: FederationOutput.configMap({ externalLabels: { 'mgmt-cluster': 'x' } }) }),
      'test/f: output.externalLabels is "mgmt-cluster"; expected a Prometheus label name'],
    ['a zero evaluation interval', () => ({ output: FederationOutput.configMap({ evaluationInterval: Duration.seconds(0) }) }),
      'test/f: output.evaluationInterval is 0ms; expected a positive whole number of milliseconds'],
  ])('fails on %s', (_name, props, msg) => {
    expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['up'], ...props() })).toThrow(msg);
  });

});

describe('FederatedPrometheus: review fixes on names and labels', () => {
  test('Secret volume names stay distinct (dots, truncation)', () => {
    const long = `${'a'.repeat(60)}-one`;
    const fp = new FederatedPrometheus(Testing.chart(), 'f', {
      fleet: seedFleet(),
      match: ['up'],
      authorization: FederationAuthorization.fromSecret({ secretName: 'fed.token', key: 'token' }),
      tls: FederationTls.fromSecret({ secretName: 'fed-token', caKey: 'ca.crt' }),
    });
    const names = fp.helmChartValues().server!.extraSecretMounts.map((m: any) => m.name);
    expect(names[0]).toMatch(/^federation-fed-token-[0-9a-f]{8}$/);
    expect(names[1]).toBe('federation-fed-token');
    const longs = new FederatedPrometheus(Testing.chart(), 'f', {
      fleet: seedFleet(),
      match: ['up'],
      authorization: FederationAuthorization.fromSecret({ secretName: long, key: 'token' }),
      tls: FederationTls.fromSecret({ secretName: `${'a'.repeat(60)}-two`, caKey: 'ca.crt' }),
    }).helmChartValues().server!.extraSecretMounts.map((m: any) => m.name);
    expect(new Set(longs).size).toBe(2);
    for (const n of [...names, ...longs]) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  test('a cluster whose normalized name is empty is reported (an empty label is no label)', () => {
    const fleet = seedFleet();
    fleet.addCluster({ name: '__', server: 'https://x.example.com', metricsEndpoint: 'prometheus.x.internal:9090' });
    const chart = Testing.chart();
    new FederatedPrometheus(chart, 'federation', { fleet, match: ['up'] });
    expect(() => Testing.synth(chart)).toThrow(
      '[test/federation] fleet.clusters[3].name is "__" (normalized to ""); expected a cluster name with a letter or digit: the cluster label would be '
      + 'empty, which Prometheus treats as no label, so the cluster\'s series could not be told apart. Fix: rename the cluster in Argo CD');
  });

  test('a (?i) __name__ regex covers the metric as Prometheus matches it (RE2 flags)', () => {
    const a = analysis('success-rate', [['http_requests_total', ['job']]]);
    const fp = new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['{__name__=~"(?i)HTTP_requests_total|up"}'], analyses: [a] });
    expect(fp.match).toEqual(['{__name__=~"(?i)HTTP_requests_total|up"}']);
  });
});
