/**
 * End-to-end: real Prometheus servers (Debian's `prometheus` 2.42) on 127.0.0.1, about 10 s.
 *
 *   app a ← workload Prometheus a (no external labels)                                 ┐
 *   app b ← workload Prometheus b (external_labels = fp.workloadExternalLabels('b'))   ├─ ← central Prometheus running
 *   app c ← workload Prometheus c (its own external label cluster="c-legacy")          ┘    the prometheus.yml that
 *                                                                                            FederatedPrometheus generated
 * Each app serves two services (jobs `checkout` and `other`) with known status-code mixes. The exact query of a
 * SuccessRateAnalysis in per-cluster mode (a ClusterAnalysisTemplate pointed at the central server, its args
 * substituted by `renderQuery`), evaluated on the central server per cluster, returns each cluster's ratio. Cluster c shows the
 * precedence rule of `FederationClusterLabel`: with honor_labels the workload's own external label wins over the
 * federation's target label.
 */
import { Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { FederatedPrometheus, FederationOutput, Fleet, PrometheusServer, SuccessRateAnalysis } from '../../src';
import { PrometheusServers, promtoolCheckConfig, RunningPrometheus, testWithTool, until } from '../harness/prometheus-servers';

const e2e = testWithTool('prometheus');

/** Requests added per scrape, by status code. */
type Traffic = Record<string, number>;

/** A counter body: each scrape adds one round of `traffic`, so every window holds the exact ratio. */
function metricsBody(traffic: Traffic): () => string {
  const totals: Record<string, number> = {};
  return () => {
    let body = '# HELP http_requests_total Total HTTP requests.\n# TYPE http_requests_total counter\n';
    for (const [status, n] of Object.entries(traffic)) {
      totals[status] = (totals[status] ?? 0) + n;
      body += `http_requests_total{status="${status}"} ${totals[status]}\n`;
    }
    return body;
  };
}

interface ClusterCase {
  readonly name: string;
  readonly checkout: Traffic;
  readonly other: Traffic;
  /** none: the target label applies; fleet: the workload sets the fleet name itself; legacy: it sets another value */
  readonly externalLabels: 'none' | 'fleet' | 'legacy';
  /** the label value the series carry on the central server */
  readonly clusterLabel: string;
  readonly expected: number;
}

const CLUSTERS: ClusterCase[] = [
  { name: 'a', checkout: { 200: 100 }, other: { 200: 50, 500: 50 }, externalLabels: 'none', clusterLabel: 'a', expected: 1.0 },
  { name: 'b', checkout: { 200: 85, 404: 5, 500: 10 }, other: { 200: 1 }, externalLabels: 'fleet', clusterLabel: 'b', expected: 0.9 },
  { name: 'c', checkout: { 200: 75, 503: 25 }, other: { 503: 1 }, externalLabels: 'legacy', clusterLabel: 'c-legacy', expected: 0.75 },
];

describe('FederatedPrometheus on real Prometheus servers', () => {
  const servers = new PrometheusServers();
  afterAll(() => servers.stopAll());

  e2e('the central server federates every cluster and the success-rate query returns each cluster\'s ratio', async () => {
    const t0 = Date.now();
    // GIVEN per cluster an app (two services) and the port of its workload Prometheus
    const fleet = new Fleet({ clusters: [] });
    const promPorts: number[] = [];
    const appAddresses: string[] = [];
    for (const c of CLUSTERS) {
      const appPort = await servers.port();
      await servers.startMetricsApp(appPort, { '/checkout/metrics': metricsBody(c.checkout), '/other/metrics': metricsBody(c.other) });
      appAddresses.push(`127.0.0.1:${appPort}`);
      const promPort = await servers.port();
      promPorts.push(promPort);
      fleet.addCluster({ name: c.name, server: `https://${c.name}.clusters.example.com`, metricsEndpoint: `127.0.0.1:${promPort}` });
    }

    // AND the ClusterAnalysisTemplate the management cluster evaluates every cluster's canary with, per cluster
    const centralPort = await servers.port();
    const chart = Testing.chart();
    const analysis = new SuccessRateAnalysis(chart, 'success-rate', {
      prometheus: PrometheusServer.fromAddress(`http://127.0.0.1:${centralPort}`),
      clusterScope: true,
      clusterLabel: 'cluster',
      threshold: 0.95,
      window: Duration.minutes(1),
    });
    const successRateQuery = (service: string, cluster: string) =>
      analysis.renderQuery(analysis.successRateMetric.metricName, { 'service-name': service, 'cluster': cluster });
    // (the exact query Argo Rollouts sends for a Rollout passing service-name=checkout, cluster=b)
    expect(successRateQuery('checkout', 'b')).toBe('(sum(rate(http_requests_total{job="checkout",cluster="b",status!~"5.."}[1m])) or vector(0))'
      + ' / sum(rate(http_requests_total{job="checkout",cluster="b"}[1m]))');
    // AND the federation of that fleet, carrying what the analysis queries, as the ConfigMap's prometheus.yml
    const fp = new FederatedPrometheus(chart, 'federation', {
      fleet,
      match: ['{job="checkout"}'],
      analyses: [analysis],
      scrapeInterval: Duration.seconds(1),
      output: FederationOutput.configMap({ name: 'central-prometheus' }),
    });
    const centralConfig: string = Testing.synth(chart).find(o => o.kind === 'ConfigMap')!.data['prometheus.yml'];
    expect(promtoolCheckConfig(centralConfig)).toMatchObject({ ok: true });
    // {job="checkout"} is not all of http_requests_total, which the analysis queries: the metric is added
    expect(YAML.parse(centralConfig).scrape_configs[0].params['match[]']).toEqual(['{job="checkout"}', '{__name__="http_requests_total"}']);

    // WHEN the workload servers scrape their apps every second and the central server runs the generated config
    const workloads: RunningPrometheus[] = CLUSTERS.map((c, i) => {
      const external = c.externalLabels === 'fleet' ? fp.workloadExternalLabels(c.name)
        : c.externalLabels === 'legacy' ? { cluster: c.clusterLabel } : undefined;
      const config = {
        global: { scrape_interval: '1s', evaluation_interval: '1s', ...(external ? { external_labels: external } : {}) },
        scrape_configs: ['checkout', 'other'].map(job => ({
          job_name: job, metrics_path: `/${job}/metrics`, static_configs: [{ targets: [appAddresses[i]] }],
        })),
      };
      return servers.startPrometheus(`workload-${c.name}`, promPorts[i], YAML.stringify(config));
    });
    const central = servers.startPrometheus('central', centralPort, centralConfig);
    await Promise.all([...workloads, central].map(p => servers.waitReady(p)));

    // THEN per cluster, on the central server, the success-rate query returns the cluster's ratio
    /** Polls a query until it returns one finite value (bounded: jobs and servers start their first scrapes independently). */
    const valueOf = (what: string, q: string) => until(what, async () => {
      const r = await servers.query(central, q);
      const v = r.length === 1 ? Number(r[0].value[1]) : NaN;
      return Number.isFinite(v) ? v : undefined;
    }, 30_000, 200).catch(async e => {
      throw new Error(`${e.message}\nquery: ${q}\ncentral targets: ${JSON.stringify(await servers.targets(central))}\ncentral log:\n${central.log()}`);
    });
    const ratios: Record<string, number> = {};
    for (const c of CLUSTERS) {
      ratios[c.name] = await valueOf(`the success rate of cluster ${c.name}`, successRateQuery('checkout', c.clusterLabel));
    }
    for (const c of CLUSTERS) {
      expect(ratios[c.name]).toBeCloseTo(c.expected, 9);
    }
    // the per-service filter matters: `other` (50 % errors in a) is federated too, and stays out of checkout's ratio
    expect(await valueOf('the success rate of other in a', successRateQuery('other', 'a'))).toBeCloseTo(0.5, 9);

    // honor_labels: the workload's job/instance are kept (no exported_*), every series names its cluster
    const series = await servers.query(central, 'http_requests_total{job="checkout",status="200"}');
    const byCluster = Object.fromEntries(series.map(s => [s.metric.cluster, s.metric]));
    expect(Object.keys(byCluster).sort()).toEqual(['a', 'b', 'c-legacy']);
    for (const m of Object.values(byCluster)) {
      expect(Object.keys(m).filter(k => k.startsWith('exported_'))).toEqual([]);
    }
    expect(byCluster.a.instance).toBe(appAddresses[0]);
    // precedence: cluster c's target label says "c", its Prometheus's external label says "c-legacy" and wins
    expect(await servers.query(central, 'http_requests_total{cluster="c"}')).toEqual([]);

    const targets = await servers.targets(central);
    expect(targets.map((t: any) => [t.labels.cluster, t.health]).sort()).toEqual([['a', 'up'], ['b', 'up'], ['c', 'up']]);
    // eslint-disable-next-line no-console
    console.log(`federation e2e: ratios ${JSON.stringify(ratios)} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 60_000);
});
