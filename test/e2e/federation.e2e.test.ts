/**
 * End-to-end: real Prometheus servers (Debian's `prometheus` 2.42) on 127.0.0.1, about 10 s, bounded by one shared
 * deadline (40 s, inside jest's 60 s) so that a failure prints the central server's targets and log.
 *
 *   app Seoul_1 ← workload Prometheus (no external labels)                                  ┐
 *   app Tokyo_2 ← workload Prometheus (external_labels = fp.workloadExternalLabels(...))     ├─ ← central Prometheus running
 *   app Osaka_3 ← workload Prometheus (its own external label cluster="osaka-legacy")        ┘    the prometheus.yml that
 *                                                                                                 FederatedPrometheus generated
 * Each app serves two services (jobs `checkout` and `other`) with known status-code mixes. The exact query of a
 * SuccessRateAnalysis in per-cluster mode (a ClusterAnalysisTemplate pointed at the central server, its args
 * substituted by `renderQuery`), evaluated on the central server per cluster, returns each cluster's ratio. The fleet's
 * cluster names are not normalized (`Seoul_1` is labelled `seoul-1`). Osaka_3 shows the precedence rule of
 * `FederationClusterLabel`: with honor_labels the workload's own external label wins over the federation's target label.
 * The user's own selector (`up{job="checkout"}`, a metric the analysis does not query) is federated next to the
 * metric the analysis needs.
 */
import { Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { FederatedPrometheus, FederationOutput, Fleet, PrometheusServer, SuccessRateAnalysis } from '../../src';
import { PrometheusServers, promtoolCheckConfig, remaining, RunningPrometheus, testWithTool, until } from '../harness/prometheus-servers';

const e2e = testWithTool('prometheus');

/** The whole test's budget; jest's timeout (60 s) is above it, so the diagnostics below are printed. */
const BUDGET_MS = 40_000;

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
  /** The Argo CD cluster name (not normalized). */
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
  { name: 'Seoul_1', checkout: { 200: 100 }, other: { 200: 50, 500: 50 }, externalLabels: 'none', clusterLabel: 'seoul-1', expected: 1.0 },
  { name: 'Tokyo_2', checkout: { 200: 85, 404: 5, 500: 10 }, other: { 200: 1 }, externalLabels: 'fleet', clusterLabel: 'tokyo-2', expected: 0.9 },
  { name: 'Osaka_3', checkout: { 200: 75, 503: 25 }, other: { 503: 1 }, externalLabels: 'legacy', clusterLabel: 'osaka-legacy', expected: 0.75 },
];

describe('FederatedPrometheus on real Prometheus servers', () => {
  const servers = new PrometheusServers();
  afterAll(() => servers.stopAll());

  e2e('the central server federates every cluster and the success-rate query returns each cluster\'s ratio', async () => {
    const t0 = Date.now();
    const deadline = t0 + BUDGET_MS;
    let central: RunningPrometheus | undefined;
    /** Fails with the central server's targets and log, whatever step failed. */
    const diagnose = async (e: Error): Promise<never> => {
      const targets = central ? await servers.targets(central).then(t => JSON.stringify(t), x => `(unavailable: ${x})`) : '(not started)';
      throw new Error(`${e.message}\nafter ${Date.now() - t0} ms\ncentral targets: ${targets}\ncentral log:\n${central?.log() ?? ''}`);
    };

    // GIVEN per cluster an app (two services, on a port the OS picks) and its workload Prometheus, which sets its
    // cluster's normalized name as external label (fleet), another value (legacy) or none; AND the central server
    const appAddresses: string[] = [];
    for (const c of CLUSTERS) {
      const port = await servers.startMetricsApp({ '/checkout/metrics': metricsBody(c.checkout), '/other/metrics': metricsBody(c.other) });
      appAddresses.push(`127.0.0.1:${port}`);
    }
    const externalLabels = (c: ClusterCase) => (c.externalLabels === 'fleet' ? { cluster: Fleet.normalizeClusterName(c.name) }
      : c.externalLabels === 'legacy' ? { cluster: c.clusterLabel } : undefined);
    const started = await Promise.all([
      ...CLUSTERS.map((c, i) => {
        const external = externalLabels(c);
        const config = {
          global: { scrape_interval: '1s', evaluation_interval: '1s', ...(external ? { external_labels: external } : {}) },
          scrape_configs: ['checkout', 'other'].map(job => ({
            job_name: job, metrics_path: `/${job}/metrics`, static_configs: [{ targets: [appAddresses[i]] }],
          })),
        };
        return servers.startPrometheusOnFreePort(`workload-${i}`, YAML.stringify(config), deadline);
      }),
      // started now (its port is in the analysis template), given the generated config below with /-/reload
      servers.startPrometheusOnFreePort('central', YAML.stringify({ global: { scrape_interval: '1s' } }), deadline),
    ]).catch(diagnose);
    const workloads = started.slice(0, CLUSTERS.length);
    central = started[CLUSTERS.length];

    // AND the ClusterAnalysisTemplate the management cluster evaluates every cluster's canary with, per cluster
    const fleet = new Fleet({
      clusters: CLUSTERS.map((c, i) => ({ name: c.name, server: `https://${c.name.toLowerCase()}.example.com`, metricsEndpoint: `127.0.0.1:${workloads[i].port}` })),
    });
    const chart = Testing.chart();
    const analysis = new SuccessRateAnalysis(chart, 'success-rate', {
      prometheus: PrometheusServer.fromAddress(central.url),
      clusterScope: true,
      clusterLabel: 'cluster',
      threshold: 0.95,
      window: Duration.minutes(1),
    });
    const successRateQuery = (service: string, cluster: string) =>
      analysis.renderQuery(analysis.successRateMetric.metricName, { 'service-name': service, 'cluster': cluster });
    // (the exact query Argo Rollouts sends for a Rollout passing service-name=checkout, cluster=tokyo-2)
    expect(successRateQuery('checkout', 'tokyo-2')).toBe('(sum(rate(http_requests_total{job="checkout",cluster="tokyo-2",status!~"5.."}[1m])) or vector(0))'
      + ' / sum(rate(http_requests_total{job="checkout",cluster="tokyo-2"}[1m]))');
    // AND the federation of that fleet: the user's selector plus what the analysis queries, as the ConfigMap's prometheus.yml
    const fp = new FederatedPrometheus(chart, 'federation', {
      fleet,
      match: ['up{job="checkout"}'],
      analyses: [analysis],
      scrapeInterval: Duration.seconds(1),
      output: FederationOutput.configMap({ metadata: { name: 'central-prometheus' } }),
    });
    // what the workload of Tokyo_2 was given is what FederatedPrometheus renders for it
    expect(fp.workloadExternalLabels('Tokyo_2')).toEqual(externalLabels(CLUSTERS[1]));
    const centralConfig: string = Testing.synth(chart).find(o => o.kind === 'ConfigMap')!.data['prometheus.yml'];
    expect(promtoolCheckConfig(centralConfig)).toMatchObject({ ok: true });
    expect(YAML.parse(centralConfig).scrape_configs[0].params['match[]']).toEqual(['up{job="checkout"}', '{__name__="http_requests_total"}']);
    expect(YAML.parse(centralConfig).scrape_configs[0].static_configs.map((s: any) => s.labels.cluster)).toEqual(['seoul-1', 'tokyo-2', 'osaka-3']);

    // WHEN the central server runs the generated config
    await servers.reload(central, centralConfig).catch(diagnose);

    // THEN per cluster, on the central server, the success-rate query returns the cluster's ratio
    /** Polls a query until it returns one finite value, within the shared deadline. */
    const valueOf = (what: string, q: string) => until(what, async () => {
      const r = await servers.query(central!, q);
      const v = r.length === 1 ? Number(r[0].value[1]) : NaN;
      return Number.isFinite(v) ? v : undefined;
    }, remaining(deadline), 200).catch(e => diagnose(new Error(`${e.message}\nquery: ${q}`)));
    const ratios: Record<string, number> = {};
    for (const c of CLUSTERS) {
      ratios[c.name] = await valueOf(`the success rate of cluster ${c.name}`, successRateQuery('checkout', c.clusterLabel));
    }
    for (const c of CLUSTERS) {
      expect(ratios[c.name]).toBeCloseTo(c.expected, 9);
    }
    // the per-service filter matters: `other` (50 % errors in Seoul_1) is federated too, and stays out of checkout's ratio
    expect(await valueOf('the success rate of other in seoul-1', successRateQuery('other', 'seoul-1'))).toBeCloseTo(0.5, 9);

    // honor_labels: the workload's job/instance are kept (no exported_*), every series names its cluster
    const series = await servers.query(central, 'http_requests_total{job="checkout",status="200"}');
    const byCluster = Object.fromEntries(series.map(s => [s.metric.cluster, s.metric]));
    expect(Object.keys(byCluster).sort()).toEqual(['osaka-legacy', 'seoul-1', 'tokyo-2']);
    for (const m of Object.values(byCluster)) {
      expect(Object.keys(m).filter(k => k.startsWith('exported_'))).toEqual([]);
    }
    expect(byCluster['seoul-1'].instance).toBe(appAddresses[0]);
    // precedence: Osaka_3's target label says "osaka-3", its Prometheus's external label says "osaka-legacy" and wins
    expect(await servers.query(central, 'http_requests_total{cluster="osaka-3"}')).toEqual([]);

    // the user's selector is federated too: every workload's `up` of job checkout (and not job other's)
    const up = await until('up{job="checkout"} of every cluster', async () => {
      const r = await servers.query(central!, 'up{job="checkout"}');
      return r.length === CLUSTERS.length ? r : undefined;
    }, remaining(deadline)).catch(diagnose);
    expect(up.map(s => [s.metric.cluster, s.value[1]]).sort()).toEqual([['osaka-legacy', '1'], ['seoul-1', '1'], ['tokyo-2', '1']]);
    expect(await servers.query(central, 'up{job="other"}')).toEqual([]);

    const targets = await servers.targets(central);
    expect(targets.map((t: any) => [t.labels.cluster, t.health]).sort()).toEqual([['osaka-3', 'up'], ['seoul-1', 'up'], ['tokyo-2', 'up']]);
    // eslint-disable-next-line no-console
    console.log(`federation e2e: ratios ${JSON.stringify(ratios)} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 60_000);
});
