/**
 * End-to-end: real Prometheus servers (Debian's `prometheus` 2.42) on 127.0.0.1.
 *
 *   app-a ← workload Prometheus a (no external labels)                       ┐
 *   app-b ← workload Prometheus b (external_labels from workloadExternalLabels('b')) ├ ← central Prometheus running the
 *   app-c ← workload Prometheus c (external label cluster="c-legacy")        ┘    prometheus.yml FederatedPrometheus generated
 *
 * The success-rate query, evaluated on the central server per cluster, returns each cluster's known ratio.
 * Cluster c shows the precedence rule of `FederationClusterLabel`: with honor_labels the workload's own external
 * label wins over the federation's target label.
 */
import { Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { FederatedPrometheus, FederationOutput, Fleet, IAnalysisTemplate } from '../../src';
import { PrometheusServers, promtoolCheckConfig, RunningPrometheus, testWithTool, until } from '../harness/prometheus-servers';

const e2e = testWithTool('prometheus');

/**
 * THE success-rate query of this test: the same shape as SuccessRateAnalysis's query in per-cluster mode (non-5xx
 * requests over all requests of one service in one cluster). The integrator switches this one function to the
 * analysis construct's exported query renderer once the analysis folder is merged.
 */
function successRateQuery(args: { service: string; cluster: string; window: string }): string {
  const sel = `service="${args.service}",cluster="${args.cluster}"`;
  return `sum(rate(http_requests_total{${sel},code!~"5.."}[${args.window}])) / sum(rate(http_requests_total{${sel}}[${args.window}]))`;
}

/** What the analysis reports about that query (test-local IAnalysisTemplate): the seam FederatedPrometheus reads. */
const successRateAnalysis: IAnalysisTemplate = {
  templateName: 'success-rate',
  clusterScope: true,
  declaredArgs: [{ name: 'service-name' }, { name: 'cluster' }],
  requiredArgs: ['service-name', 'cluster'],
  metricNames: ['success-rate'],
  queriedSeries: [{ metricName: 'http_requests_total', labelNames: ['service', 'cluster', 'code'] }],
};

/** Requests added per scrape of the app's /metrics, per service and status code. */
type Traffic = Record<string, Record<string, number>>;

/** A tiny app: each GET /metrics adds one round of `traffic` to the counters (so ratios are exact per scrape). */
function metricsBody(traffic: Traffic): () => string {
  const totals: Record<string, number> = {};
  return () => {
    let body = '# HELP http_requests_total Total HTTP requests.\n# TYPE http_requests_total counter\n';
    for (const [service, codes] of Object.entries(traffic)) {
      for (const [code, n] of Object.entries(codes)) {
        const key = `service="${service}",code="${code}"`;
        totals[key] = (totals[key] ?? 0) + n;
        body += `http_requests_total{${key}} ${totals[key]}\n`;
      }
    }
    return body;
  };
}

const CLUSTERS: Array<{ name: string; traffic: Traffic; externalLabels: 'none' | 'fleet' | 'legacy'; expected: number }> = [
  { name: 'a', traffic: { checkout: { 200: 100 }, other: { 500: 50, 200: 50 } }, externalLabels: 'none', expected: 1.0 },
  { name: 'b', traffic: { checkout: { 200: 85, 404: 5, 500: 10 }, other: { 200: 1 } }, externalLabels: 'fleet', expected: 0.9 },
  { name: 'c', traffic: { checkout: { 200: 75, 503: 25 } }, externalLabels: 'legacy', expected: 0.75 },
];

describe('FederatedPrometheus on real Prometheus servers', () => {
  const servers = new PrometheusServers();
  afterAll(() => servers.stopAll());

  e2e('the central server federates every cluster and the success-rate query returns each cluster\'s ratio', async () => {
    const t0 = Date.now();
    // GIVEN one app and one workload Prometheus per cluster, scraping every second
    const workloads: RunningPrometheus[] = [];
    const fleet = new Fleet({ clusters: [] });
    const promPorts: number[] = [];
    const appAddresses: string[] = [];
    for (const c of CLUSTERS) {
      const appPort = await servers.port();
      await servers.startMetricsApp(appPort, metricsBody(c.traffic));
      appAddresses.push(`127.0.0.1:${appPort}`);
      const promPort = await servers.port();
      promPorts.push(promPort);
      fleet.addCluster({ name: c.name, server: `https://${c.name}.clusters.example.com`, metricsEndpoint: `127.0.0.1:${promPort}` });
    }

    // WHEN the central Prometheus runs the configuration FederatedPrometheus generates
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', {
      fleet,
      match: ['{job="checkout"}'],
      analyses: [successRateAnalysis],
      scrapeInterval: Duration.seconds(1),
      output: FederationOutput.configMap({ name: 'central-prometheus' }),
    });
    const cm = Testing.synth(chart).find(o => o.kind === 'ConfigMap')!;
    const centralConfig: string = cm.data['prometheus.yml'];
    expect(promtoolCheckConfig(centralConfig)).toMatchObject({ ok: true });
    // the analysis needs every http_requests_total series, not only job="checkout": added to match[]
    expect(YAML.parse(centralConfig).scrape_configs[0].params['match[]']).toEqual(['{job="checkout"}', '{__name__="http_requests_total"}']);

    for (const [i, c] of CLUSTERS.entries()) {
      const external = c.externalLabels === 'fleet' ? fp.workloadExternalLabels(c.name)
        : c.externalLabels === 'legacy' ? { cluster: `${c.name}-legacy` } : undefined;
      const config = {
        global: { scrape_interval: '1s', evaluation_interval: '1s', ...(external ? { external_labels: external } : {}) },
        scrape_configs: [{ job_name: 'checkout', static_configs: [{ targets: [appAddresses[i]] }] }],
      };
      workloads.push(servers.startPrometheus(`workload-${c.name}`, promPorts[i], YAML.stringify(config)));
    }
    const centralPort = await servers.port();
    const central = servers.startPrometheus('central', centralPort, centralConfig);
    await Promise.all([...workloads, central].map(p => servers.waitReady(p)));

    // THEN per cluster, on the central server, the success-rate query returns the cluster's ratio
    const ratios: Record<string, number> = {};
    for (const c of CLUSTERS) {
      const labelValue = c.externalLabels === 'legacy' ? `${c.name}-legacy` : c.name;
      const q = successRateQuery({ service: 'checkout', cluster: labelValue, window: '1m' });
      ratios[c.name] = await until(`success rate of cluster ${c.name} on the central server`, async () => {
        const r = await servers.query(central, q);
        const v = r.length === 1 ? Number(r[0].value[1]) : NaN;
        return Number.isFinite(v) ? v : undefined;
      }, 30_000, 200).catch(async e => {
        throw new Error(`${e.message}\ncentral targets: ${JSON.stringify(await servers.targets(central))}\ncentral log:\n${central.log()}`);
      });
    }
    for (const c of CLUSTERS) {
      expect(ratios[c.name]).toBeCloseTo(c.expected, 9);
    }

    // honor_labels: the workload's job/instance are kept (no exported_*), every series names its cluster
    const series = await servers.query(central, 'http_requests_total{service="checkout",code="200"}');
    const byCluster = Object.fromEntries(series.map(s => [s.metric.cluster, s.metric]));
    expect(Object.keys(byCluster).sort()).toEqual(['a', 'b', 'c-legacy']);
    for (const m of Object.values(byCluster)) {
      expect(m.job).toBe('checkout');
      expect(Object.keys(m).filter(k => k.startsWith('exported_'))).toEqual([]);
    }
    expect(byCluster.a.instance).toBe(appAddresses[0]);
    // precedence: cluster c's target label says "c", its Prometheus's external label says "c-legacy" and wins
    expect(await servers.query(central, successRateQuery({ service: 'checkout', cluster: 'c', window: '1m' }))).toEqual([]);
    // the per-cluster filter matters: service "other" (50 % errors in a) stays out of checkout's ratio
    expect(ratios.a).toBe(1);

    const targets = await servers.targets(central);
    expect(targets.map((t: any) => [t.labels.cluster, t.health])).toEqual(expect.arrayContaining([['a', 'up'], ['b', 'up'], ['c', 'up']]));
    // eslint-disable-next-line no-console
    console.log(`federation e2e: ratios ${JSON.stringify(ratios)} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 60_000);
});
