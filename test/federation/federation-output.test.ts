import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { SEED_MATCH, seedFleet, synthConfigMap, withPromtool } from './fixtures';
import { FederatedPrometheus, FederationAuthorization, FederationOutput, FederationTls } from '../../src';
import { promtoolCheckConfig } from '../harness/prometheus-servers';

describe('FederatedPrometheus: Helm values', () => {
  const tplFleet = () => seedFleet();

  /** What Helm's `tpl` does to text whose only actions are the `{{ "{{" }}` escapes (Go text/template semantics). */
  function helmTpl(text: string): string {
    const actions = text.match(/\{\{.*?\}\}/g) ?? [];
    for (const a of actions) {
      if (a !== '{{ "{{" }}') throw new Error(`unescaped template action ${a} would be evaluated by tpl`);
    }
    return text.split('{{ "{{" }}').join('{{');
  }

  test('prometheus chart: top-level extraScrapeConfigs string, {{ escaped for tpl, Secret mounts', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', {
      fleet: tplFleet(),
      match: SEED_MATCH,
      output: FederationOutput.helmChartValues({ metadata: { name: 'federation-values' } }),
      // a Secret-mounted token and a server name whose text contains "{{" (tpl would evaluate it unescaped)
      authorization: FederationAuthorization.fromSecret({ secretName: 'federation.token', key: 'token' }),
      tls: FederationTls.fromFiles({ serverName: 'prom-{{ .Release.Name }}.internal' }),
    });
    const cm = synthConfigMap(chart);
    expect(cm.name).toBe('federation-values');
    const values = YAML.parse(cm.data['values.yaml']);
    expect(values).toEqual(fp.helmChartValues());
    expect(typeof values.extraScrapeConfigs).toBe('string');
    expect(values.extraScrapeConfigs).toContain('server_name: prom-{{ "{{" }} .Release.Name }}.internal');
    // after the chart's tpl pass the string is exactly the job list
    expect(YAML.parse(helmTpl(values.extraScrapeConfigs))).toEqual([fp.scrapeJob()]);
    expect(fp.scrapeJob().tls_config.server_name).toBe('prom-{{ .Release.Name }}.internal');
    expect(values.server).toEqual({
      extraSecretMounts: [{
        name: expect.stringMatching(/^federation-federation-token-[0-9a-f]{8}$/),
        mountPath: '/etc/prometheus/secrets/federation.token',
        secretName: 'federation.token',
        readOnly: true,
      }],
    });
  });

  withPromtool('the job list the charts hand to Prometheus after their tpl pass passes promtool check config', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-helm-'));
    try {
      fs.writeFileSync(path.join(dir, 'token'), 'x');
      const fp = new FederatedPrometheus(Testing.chart(), 'federation', {
        fleet: tplFleet(),
        match: SEED_MATCH,
        authorization: FederationAuthorization.credentialsFile(`${dir}/token`),
        tls: FederationTls.fromFiles({ serverName: 'prom-{{ .Release.Name }}.internal' }),
      });
      // prometheus chart, templates/cm.yaml: `scrape_configs:` then `{{ tpl $root.Values.extraScrapeConfigs $root | indent 4 }}`
      // inside the ConfigMap's block scalar, i.e. list items at the level of the scrape_configs key.
      const chartConfig = `scrape_configs:\n${helmTpl(fp.helmChartValues().extraScrapeConfigs)}`;
      expect(promtoolCheckConfig(chartConfig)).toMatchObject({ ok: true });
      expect(YAML.parse(chartConfig).scrape_configs[0].tls_config.server_name).toBe('prom-{{ .Release.Name }}.internal');
      // kube-prometheus-stack: `tpl .additionalScrapeConfigs` into the Secret whose jobs the operator appends to scrape_configs
      const kps = helmTpl(fp.kubePrometheusStackValues().prometheus.prometheusSpec.additionalScrapeConfigs);
      expect(promtoolCheckConfig(`scrape_configs:\n${kps}`)).toMatchObject({ ok: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the escaping check of this test catches an unescaped {{', () => {
    expect(() => helmTpl('server_name: prom-{{ .Release.Name }}')).toThrow('unescaped template action {{ .Release.Name }}');
  });

  test('kube-prometheus-stack: prometheus.prometheusSpec.additionalScrapeConfigs and secrets', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', {
      fleet: tplFleet(),
      match: SEED_MATCH,
      output: FederationOutput.kubePrometheusStackValues({ key: 'kps.yaml' }),
      authorization: FederationAuthorization.fromSecret({ secretName: 'federation-token', key: 'token' }),
      tls: FederationTls.fromSecret({ secretName: 'federation-tls', caKey: 'ca.crt' }),
    });
    const values = YAML.parse(synthConfigMap(chart).data['kps.yaml']);
    expect(values).toEqual(fp.kubePrometheusStackValues());
    const spec = values.prometheus.prometheusSpec;
    expect(Object.keys(values)).toEqual(['prometheus']);
    expect(Object.keys(spec)).toEqual(['additionalScrapeConfigs', 'secrets']);
    expect(spec.secrets).toEqual(['federation-token', 'federation-tls']);
    expect(typeof spec.additionalScrapeConfigs).toBe('string');
    expect(YAML.parse(helmTpl(spec.additionalScrapeConfigs))).toEqual([fp.scrapeJob()]);
  });
});

describe('FederatedPrometheus: prometheus-operator ScrapeConfig', () => {
  test('renders a ScrapeConfig valid against the vendored CRD, Secrets referenced', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', {
      fleet: seedFleet(),
      match: SEED_MATCH,
      output: FederationOutput.scrapeConfig({ metadata: { name: 'federate-fleet', labels: { release: 'kube-prometheus-stack' } } }),
      scrapeInterval: Duration.seconds(30),
      authorization: FederationAuthorization.fromSecret({ secretName: 'federation-token', key: 'token' }),
      tls: FederationTls.fromSecret({ secretName: 'federation-tls', caKey: 'ca.crt', certKey: 'tls.crt', keyKey: 'tls.key', serverName: 'prom.internal' }),
      dropLabels: ['prometheus_replica'],
    });
    fp.addMatch('{job="late"}'); // lands: the spec is rendered lazily
    // Testing.synth validates against crds/prometheus-operator-scrapeconfig.yaml in strict mode
    const [sc] = Testing.synth(chart);
    expect(sc.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(sc.kind).toBe('ScrapeConfig');
    expect(sc.metadata).toEqual({ name: 'federate-fleet', labels: { release: 'kube-prometheus-stack' } });
    expect(sc.spec).toEqual({
      jobName: 'federate',
      honorLabels: true,
      metricsPath: '/federate',
      scrapeInterval: '30s',
      scrapeTimeout: '10s',
      scheme: 'https',
      params: { 'match[]': [...SEED_MATCH, '{job="late"}'] },
      authorization: { type: 'Bearer', credentials: { name: 'federation-token', key: 'token' } },
      tlsConfig: {
        ca: { secret: { name: 'federation-tls', key: 'ca.crt' } },
        cert: { secret: { name: 'federation-tls', key: 'tls.crt' } },
        keySecret: { name: 'federation-tls', key: 'tls.key' },
        serverName: 'prom.internal',
      },
      metricRelabelings: [{ action: 'labeldrop', regex: 'prometheus_replica' }],
      staticConfigs: ['a', 'b', 'c'].map(x => ({ targets: [`prometheus.cluster-${x}.internal:9090`], labels: { cluster: `cluster-${x}` } })),
    });
  });

  test('FederationOutput.none() emits nothing but still validates', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: ['up'], output: FederationOutput.none() });
    expect(Testing.synth(chart)).toEqual([]);
    expect(fp.node.defaultChild).toBeUndefined();
  });
});
