import { Chart, Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { analysis, fleetWide, seedFleet, synthConfigMap } from './fixtures';
import { AnalysisTemplateRef, FederatedPrometheus, FederationClusterLabel, Fleet, LatencyAnalysis, MetricCondition, PrometheusAnalysis, PrometheusMetric, PrometheusServer, SuccessRateAnalysis, TemplateArgument } from '../../src';

describe('FederatedPrometheus: the analyses\' series are federated', () => {
  const successRate = analysis('success-rate', [['http_requests_total', ['service', 'cluster', 'code']]]);

  test('adds every metric an analysis queries that match[] does not federate in full', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: ['{job="my-service"}'], analyses: [successRate] });
    // {job="my-service"} federates http_requests_total only where job="my-service": not enough for the analysis
    fp.addAnalysis(analysis('latency', [['http_request_duration_seconds_bucket', ['le', 'service']], ['http_requests_total', ['service']]]));
    const job = YAML.parse(synthConfigMap(chart).data['prometheus.yml']).scrape_configs[0];
    expect(job.params['match[]']).toEqual([
      '{job="my-service"}', '{__name__="http_requests_total"}', '{__name__="http_request_duration_seconds_bucket"}',
    ]);
  });

  test('with the library\'s analysis constructs: SuccessRateAnalysis, LatencyAnalysis and a template referenced by name', () => {
    const chart = Testing.chart();
    const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');
    const rate = new SuccessRateAnalysis(chart, 'success-rate', { prometheus, clusterScope: true, clusterLabel: 'cluster', threshold: 0.95 });
    const latency = new LatencyAnalysis(chart, 'latency', { prometheus, clusterScope: true, clusterLabel: 'cluster', threshold: Duration.millis(300) });
    const ref = AnalysisTemplateRef.fromName('error-budget', {
      clusterScope: true, queriedSeries: [{ metricName: 'slo:error_budget_remaining:ratio', labelNames: ['service'] }],
    });
    const fp = new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: ['{__name__=~"http_requests_total|up"}'], analyses: [rate, latency] });
    fp.addAnalysis(ref);
    fp.addAnalysis(rate); // once is enough
    expect(rate.queriedSeries.map(q => q.metricName)).toEqual(['http_requests_total']);
    expect(fp.match).toEqual([
      '{__name__=~"http_requests_total|up"}',
      ...latency.queriedSeries.map(q => `{__name__="${q.metricName}"}`),
      '{__name__="slo:error_budget_remaining:ratio"}',
    ]);
    expect(latency.queriedSeries.map(q => q.metricName)).toEqual(['http_request_duration_seconds_bucket']);
    // the ClusterAnalysisTemplates and the federation synthesize together (all schema-validated)
    expect(Testing.synth(chart).map(o => o.kind).sort()).toEqual(['ClusterAnalysisTemplate', 'ClusterAnalysisTemplate', 'ConfigMap']);
  });

  test('fails when an analysis without a cluster filter would judge each cluster on the whole fleet\'s traffic', () => {
    const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');
    const chart = Testing.chart();
    const global = new SuccessRateAnalysis(chart, 'global', { prometheus, threshold: 0.95, metadata: { name: 'global-success-rate' } });
    new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), analyses: [global] });
    expect(() => Testing.synth(chart)).toThrow('[test/federation] analyses is "global-success-rate", whose queries do not filter on a cluster label, '
      + 'on a federation of 3 clusters; expected per-cluster analyses: on the central Prometheus a query without a cluster filter sums every cluster, '
      + 'so one cluster\'s canary would be judged on the whole fleet\'s traffic and its failures diluted. Fix: give the analysis clusterLabel: "cluster"');
    // per-cluster mode, or an explicit opt-out, synthesizes
    const perCluster = Testing.chart();
    const rate = new SuccessRateAnalysis(perCluster, 'rate', { prometheus, threshold: 0.95, clusterLabel: 'cluster' });
    new FederatedPrometheus(perCluster, 'federation', { fleet: seedFleet(), analyses: [rate] });
    expect(() => Testing.synth(perCluster)).not.toThrow();
    const optOut = Testing.chart();
    new FederatedPrometheus(optOut, 'federation', {
      fleet: seedFleet(),
      allowFleetWideAnalyses: true,
      analyses: [new SuccessRateAnalysis(optOut, 'global', { prometheus, threshold: 0.95 })],
    });
    expect(() => Testing.synth(optOut)).not.toThrow();
  });

  test('fails at synth when the federation interval leaves fewer than two samples in an analysis\'s rate window', () => {
    const chart = Testing.chart();
    const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');
    new SuccessRateAnalysis(chart, 'ok', { prometheus, threshold: 0.95, window: Duration.minutes(2) });
    const short = new SuccessRateAnalysis(chart, 'short', { prometheus, threshold: 0.95, window: Duration.seconds(30), metadata: { name: 'short-window' } });
    new FederatedPrometheus(chart, 'federation', { ...fleetWide, fleet: seedFleet(), analyses: [short], scrapeInterval: Duration.seconds(20) });
    expect(() => Testing.synth(chart)).toThrow(
      '[test/federation] scrapeInterval is 20s; expected at most half of the shortest range window the analyses query ("short-window" metric '
      + '"success-rate" uses [30s]): rate() needs two federated samples in its window. Fix: federate at least every 15s (half the window), '
      + 'or lengthen the analysis window');
    const fine = Testing.chart();
    const two = new SuccessRateAnalysis(fine, 'two', { prometheus, threshold: 0.95, window: Duration.minutes(2) });
    new FederatedPrometheus(fine, 'federation', { ...fleetWide, fleet: seedFleet(), analyses: [two], scrapeInterval: Duration.minutes(1) });
    expect(() => Testing.synth(fine)).not.toThrow();
  });

  test.each([
    ['http_requests_total'],
    ['{__name__="http_requests_total"}'],
    ['{__name__=~"http_requests_total|http_request_duration_seconds.*"}'],
    ['{__name__=~"http_.*", __name__!~"http_request_duration.*"}'],
  ])('adds nothing when %s already federates the metric', (selector) => {
    const fp = new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: [selector], analyses: [successRate] });
    expect(fp.match).toEqual([selector]);
  });

  test('fails at synth, naming the metric and the analysis, when auto-add is off', () => {
    const chart = Testing.chart();
    new FederatedPrometheus(chart, 'federation', {
      fleet: seedFleet(),
      match: ['{job="my-service"}', '{__name__=~"http_requests_total", env="prod"}'],
      analyses: [successRate],
      autoAddAnalysisSeries: false,
    });
    expect(() => Testing.synth(chart)).toThrow(
      'match is ["{job=\\"my-service\\"}","{__name__=~\\"http_requests_total\\", env=\\"prod\\"}"]; expected selectors that federate every series of '
      + 'http_requests_total, which "success-rate" query ({job="my-service"}, {__name__=~"http_requests_total", env="prod"} federate only some of '
      + 'its series). Fix: add \'{__name__="http_requests_total"}\' to match, or set autoAddAnalysisSeries: true');
  });

  test('fails at synth on a metric name that is not one', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: ['up'], analyses: [analysis('odd', [['http-requests"}', []]])] });
    expect(fp.match).toEqual(['up']);
    expect(() => Testing.synth(chart)).toThrow(
      'analyses is "odd" querying metric "http-requests\\"}"; expected Prometheus metric names ([a-zA-Z_:][a-zA-Z0-9_:]*) in queriedSeries');
  });

  test('fails at synth when a dropped label is one an analysis queries', () => {
    const chart = Testing.chart();
    new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), analyses: [successRate], dropLabels: ['prometheus_replica', 'service'] });
    expect(() => Testing.synth(chart)).toThrow(
      'dropLabels is ["prometheus_replica","service"]; expected no label that "success-rate" queries on http_requests_total (service). Fix: remove service from dropLabels');
  });
});

describe('FederatedPrometheus: targets and the cluster label', () => {
  test('one target per cluster with its cluster label; workload external labels as the alternative', () => {
    const fleet = seedFleet();
    const target = new FederatedPrometheus(Testing.chart(), 'f', {
      fleet, match: ['up'], clusterLabel: FederationClusterLabel.targetLabel('k8s_cluster'),
    });
    expect(target.scrapeJob().static_configs[1]).toEqual({ targets: ['prometheus.cluster-b.internal:9090'], labels: { k8s_cluster: 'cluster-b' } });
    expect(target.workloadExternalLabels('cluster-b')).toEqual({ k8s_cluster: 'cluster-b' });

    const external = new FederatedPrometheus(Testing.chart(), 'f', { fleet, match: ['up'], clusterLabel: FederationClusterLabel.workloadExternalLabel() });
    // the target labels stay as the fallback for a workload that lacks its external label (honor_labels: they never override it)
    expect(external.scrapeJob().static_configs).toEqual(fleet.clusters.map(c => ({ targets: [c.metricsEndpoint], labels: { cluster: c.name } })));
    expect(external.clusterLabel.onTargets).toBe(false);
    expect(external.workloadExternalLabels('cluster-a')).toEqual({ cluster: 'cluster-a' });
    expect(() => external.workloadExternalLabels('cluster-z')).toThrow(
      'test/f: clusterName is "cluster-z"; expected a cluster of the fleet (cluster-a, cluster-b, cluster-c). Fix: pass the Argo CD name of a fleet cluster');
    expect(() => FederationClusterLabel.targetLabel('cluster-name')).toThrow(
      'FederationClusterLabel.targetLabel: labelName is "cluster-name"; expected a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)');
    expect(() => FederationClusterLabel.workloadExternalLabel('__cluster')).toThrow('expected a label name that does not start with "__"');
  });

  test('clusters without metricsEndpoint: a synth error per cluster, or explicitly skipped', () => {
    const fleet = seedFleet();
    fleet.addCluster({ name: 'tokyo-1', server: 'https://tokyo-1.example.com' });
    const chart = Testing.chart();
    new FederatedPrometheus(chart, 'federation', { fleet, match: ['up'] });
    expect(() => Testing.synth(chart)).toThrow(
      '[test/federation] fleet.clusters[3].metricsEndpoint is missing (cluster "tokyo-1"); expected host:port of the cluster\'s Prometheus for every '
      + 'federated cluster. Fix: set metricsEndpoint on the cluster, or skipClustersWithoutMetricsEndpoint: true to leave it out of the federation');

    const skipping = Testing.chart();
    const fp = new FederatedPrometheus(skipping, 'federation', { fleet, match: ['up'], skipClustersWithoutMetricsEndpoint: true });
    expect(fp.targets.map(t => t.cluster)).toEqual(['cluster-a', 'cluster-b', 'cluster-c']);
    expect(() => Testing.synth(skipping)).not.toThrow();

    const none = Testing.chart();
    new FederatedPrometheus(none, 'federation', {
      fleet: new Fleet({ clusters: [{ name: 'x', server: 'https://x' }] }), match: ['up'], skipClustersWithoutMetricsEndpoint: true,
    });
    expect(() => Testing.synth(none)).toThrow('fleet is 1 cluster(s), none with a metricsEndpoint; expected at least one cluster to federate');
  });

  test('the cluster label holds the normalized cluster name, as on the Applications of MultiClusterAppSet', () => {
    const fleet = new Fleet({
      clusters: [
        { name: 'Seoul_1', server: 'https://seoul-1.example.com', metricsEndpoint: 'prometheus.seoul-1.internal:9090' },
        { name: 'tokyo-1', server: 'https://tokyo-1.example.com', metricsEndpoint: 'prometheus.tokyo-1.internal:9090' },
      ],
    });
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', { fleet, match: ['up'] });
    expect(fp.targets[0]).toEqual({ clusterName: 'Seoul_1', cluster: 'seoul-1', endpoint: 'prometheus.seoul-1.internal:9090' });
    expect(fp.scrapeJob().static_configs[0].labels).toEqual({ cluster: Fleet.normalizeClusterName('Seoul_1') });
    expect(fp.workloadExternalLabels('Seoul_1')).toEqual({ cluster: 'seoul-1' });

    // the fleet itself refuses a second cluster with the same normalized name (Argo CD names Applications by it)
    expect(() => fleet.addCluster({ name: 'seoul-1', server: 'https://other-seoul.example.com', metricsEndpoint: 'prometheus.other-seoul.internal:9090' }))
      .toThrow('Fleet: clusters[2].name is "seoul-1"; expected a name whose normalized form ("seoul-1") no other cluster has');
  });

  test('clusters added to the fleet after construction become targets; duplicate endpoints fail', () => {
    const fleet = seedFleet();
    const chart = Testing.chart();
    new FederatedPrometheus(chart, 'federation', { fleet, match: ['up'] });
    fleet.addCluster({ name: 'cluster-d', server: 'https://cluster-d.example.com', metricsEndpoint: 'prometheus.cluster-a.internal:9090' });
    expect(() => Testing.synth(chart)).toThrow(
      'fleet.clusters is "cluster-a" and "cluster-d" with metricsEndpoint "prometheus.cluster-a.internal:9090"; expected one Prometheus per cluster');
  });
});

describe('FederatedPrometheus: the analyses and the federation agree', () => {
  const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');
  const query = (chart: Chart, id: string, q: string, args: TemplateArgument[] = []) => new PrometheusAnalysis(chart, id, {
    prometheus, metadata: { name: id }, args, metrics: [PrometheusMetric.fromQuery({ metricName: 'm', query: q, condition: MetricCondition.atLeast(0), count: 1 })],
  });

  test('the analysis\'s cluster label must be the federation\'s', () => {
    const chart = Testing.chart();
    const rate = new SuccessRateAnalysis(chart, 'rate', { prometheus, clusterScope: true, clusterLabel: 'cluster', threshold: 0.95, metadata: { name: 'success-rate' } });
    new FederatedPrometheus(chart, 'federation', { ...fleetWide, fleet: seedFleet(), analyses: [rate], clusterLabel: FederationClusterLabel.targetLabel('k8s_cluster') });
    expect(() => Testing.synth(chart)).toThrow(
      '[test/federation] clusterLabel is targetLabel("k8s_cluster"); expected the label "success-rate" filters clusters on ("cluster"): its per-cluster '
      + 'queries would select nothing on the federated series and every measurement would fail for lack of data. '
      + 'Fix: use FederationClusterLabel.targetLabel("cluster"), or set the analysis\'s clusterLabel to "k8s_cluster"');

    const external = Testing.chart();
    const lat = new LatencyAnalysis(external, 'lat', { prometheus, clusterLabel: 'region', threshold: Duration.millis(300), metadata: { name: 'latency' } });
    new FederatedPrometheus(external, 'federation', { ...fleetWide, fleet: seedFleet(), analyses: [lat], clusterLabel: FederationClusterLabel.workloadExternalLabel() });
    expect(() => Testing.synth(external)).toThrow('clusterLabel is workloadExternalLabel("cluster"); expected the label "latency" filters clusters on ("region")');

    // a referenced template that states its label is checked too
    const ref = Testing.chart();
    new FederatedPrometheus(ref, 'federation', { ...fleetWide, fleet: seedFleet(), match: ['up'], analyses: [AnalysisTemplateRef.fromName('remote', { perClusterLabel: 'region' })] });
    expect(() => Testing.synth(ref)).toThrow('clusterLabel is targetLabel("cluster"); expected the label "remote" filters clusters on ("region")');

    // same label, or an analysis that is not per-cluster: fine
    const fine = Testing.chart();
    const same = new SuccessRateAnalysis(fine, 'rate', { prometheus, clusterLabel: 'k8s_cluster', threshold: 0.95 });
    const global = new SuccessRateAnalysis(fine, 'global', { prometheus, threshold: 0.95 });
    new FederatedPrometheus(fine, 'federation', { ...fleetWide, fleet: seedFleet(), analyses: [same, global], clusterLabel: FederationClusterLabel.targetLabel('k8s_cluster') });
    expect(() => Testing.synth(fine)).not.toThrow();
  });

  test('metrics selected by a __name__ alternation are federated (or reported)', () => {
    const chart = Testing.chart();
    const q = query(chart, 'two', 'sum(rate({__name__=~"http_requests_total|grpc_requests_total",job="x"}[1m]))');
    const fp = new FederatedPrometheus(chart, 'federation', { ...fleetWide, fleet: seedFleet(), match: ['up'], analyses: [q] });
    expect(fp.match).toEqual(['up', '{__name__="http_requests_total"}', '{__name__="grpc_requests_total"}']);
    expect(() => Testing.synth(chart)).not.toThrow();

    const off = Testing.chart();
    new FederatedPrometheus(off, 'federation', { ...fleetWide, fleet: seedFleet(), match: ['up'], analyses: [query(off, 'two', q.metrics[0].query)], autoAddAnalysisSeries: false });
    expect(() => Testing.synth(off)).toThrow('expected selectors that federate every series of http_requests_total, which "two" query');
    expect(() => Testing.synth(off)).toThrow('expected selectors that federate every series of grpc_requests_total, which "two" query');
  });

  test('a __name__ regex selector is federated by its __name__ matchers alone, or reported', () => {
    const chart = Testing.chart();
    const q = query(chart, 'http', 'sum(rate({__name__=~"http_.*_total", job="x"}[1m]))');
    const fp = new FederatedPrometheus(chart, 'federation', { ...fleetWide, fleet: seedFleet(), match: ['up'], analyses: [q] });
    expect(fp.match).toEqual(['up', '{__name__=~"http_.*_total"}']);
    expect(() => Testing.synth(chart)).not.toThrow();
    // given by the user (spacing aside): nothing added
    expect(new FederatedPrometheus(chart, 'given', { ...fleetWide, fleet: seedFleet(), match: ['{ __name__=~"http_.*_total" }'], analyses: [q] }).match)
      .toEqual(['{ __name__=~"http_.*_total" }']);

    const off = Testing.chart();
    new FederatedPrometheus(off, 'federation', { ...fleetWide, fleet: seedFleet(), match: ['up'], analyses: [query(off, 'http', q.metrics[0].query)], autoAddAnalysisSeries: false });
    expect(() => Testing.synth(off)).toThrow(
      'match is ["up"]; expected a selector that federates every series {__name__=~"http_.*_total", job="x"} selects, which "http" queries (its metric '
      + 'names come from a regex, so only the same __name__ matchers are known to cover it). Fix: add \'{__name__=~"http_.*_total"}\' to match, '
      + 'or set autoAddAnalysisSeries: true');
  });

  test.each([
    ['no metric name at all', 'count({job="x"})', '{job="x"}'],
    ['a name regex matching the empty name', 'count({__name__=~".*", job="x"})', '{__name__=~".*", job="x"}'],
    ['a name regex from an arg without default', 'count({__name__=~"{{args.metric}}", job="x"})', '{__name__=~"<arg>", job="x"}'],
    ['a metric name from an arg without default', 'count({__name__="{{args.metric}}", job="x"})', 'a metric named by an arg without default (<arg>)'],
  ])('a selector whose metrics cannot be named is a synth error: %s', (_name, q, shown) => {
    const chart = Testing.chart();
    const a = query(chart, 'odd', q, q.includes('args.metric') ? [TemplateArgument.required('metric')] : []);
    new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: ['up'], analyses: [a] });
    expect(() => Testing.synth(chart)).toThrow(
      `analyses is "odd" metric "m" selecting ${shown}; expected query selectors whose metrics can be federated: a metric name, __name__="…", or `
      + '__name__ matchers that do not match the empty name and need no arg without default (this one cannot be verified to be federated). '
      + 'Fix: select the metrics by name in the query');
  });

  test('the rate-window check reads windows given by args (their defaults) and subqueries from the parsed query', () => {
    const chart = Testing.chart();
    const windowed = query(chart, 'windowed', 'sum(rate(http_requests_total{job="x"}[{{args.window}}]))', [TemplateArgument.withDefault('window', '30s')]);
    new FederatedPrometheus(chart, 'federation', { ...fleetWide, fleet: seedFleet(), analyses: [windowed], scrapeInterval: Duration.seconds(60) });
    expect(() => Testing.synth(chart)).toThrow(
      'scrapeInterval is 1m; expected at most half of the shortest range window the analyses query ("windowed" metric "m" uses [30s]): '
      + 'rate() needs two federated samples in its window. Fix: federate at least every 15s (half the window), or lengthen the analysis window');

    const sub = Testing.chart();
    new FederatedPrometheus(sub, 'federation', {
      ...fleetWide,
      fleet: seedFleet(),
      analyses: [query(sub, 'sub', 'max_over_time(sum(rate(http_requests_total[10m]))[1m30s:10s])')],
      scrapeInterval: Duration.seconds(60),
    });
    expect(() => Testing.synth(sub)).toThrow('("sub" metric "m" uses [1m30s]): rate() needs two federated samples');

    // an arg without default: unknown, not checked; long windows and a string that looks like a range: fine
    const fine = Testing.chart();
    new FederatedPrometheus(fine, 'federation', {
      ...fleetWide,
      fleet: seedFleet(),
      analyses: [
        query(fine, 'unknown', 'sum(rate(http_requests_total[{{args.window}}]))', [TemplateArgument.required('window')]),
        query(fine, 'text', 'sum(rate(http_requests_total{path="[5s]"}[1h30m]))'),
      ],
      scrapeInterval: Duration.seconds(60),
    });
    expect(() => Testing.synth(fine)).not.toThrow();
  });
});

describe('FederatedPrometheus: the narrowest selector the analyses need', () => {
  const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');
  const CHECKOUT = '(sum(rate(http_requests_total{service="checkout",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{service="checkout"}[5m]))';
  const checkout = (chart: Chart) => new PrometheusAnalysis(chart, 'checkout', {
    prometheus,
    metadata: { name: 'checkout-errors' },
    metrics: [PrometheusMetric.fromQuery({ metricName: 'errors', query: CHECKOUT, condition: MetricCondition.atMost(0.02), count: 1 })],
  });

  test('a query scoped by literal matchers federates only that scope, not the metric on every job of every cluster', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'f', { ...fleetWide, fleet: seedFleet(), match: ['up'], analyses: [checkout(chart)] });
    expect(fp.match).toEqual(['up', '{__name__="http_requests_total",service="checkout"}']);
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('a user selector that already covers the scope is accepted as it is', () => {
    const chart = Testing.chart();
    const given = '{__name__="http_requests_total",service="checkout"}';
    const fp = new FederatedPrometheus(chart, 'f', { ...fleetWide, fleet: seedFleet(), match: [given], analyses: [checkout(chart)], autoAddAnalysisSeries: false });
    expect(fp.match).toEqual([given]);
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('without auto-add, a selector scoped differently is reported with the selector to add', () => {
    const chart = Testing.chart();
    new FederatedPrometheus(chart, 'f', { ...fleetWide, fleet: seedFleet(), match: ['{job="checkout"}'], analyses: [checkout(chart)], autoAddAnalysisSeries: false });
    expect(() => Testing.synth(chart)).toThrow('[test/f] match is ["{job=\\"checkout\\"}"]; expected selectors that federate every series of '
      + '{__name__="http_requests_total",service="checkout"}, which "checkout-errors" query ({job="checkout"} federate only some of those series). '
      + 'Fix: add \'{__name__="http_requests_total",service="checkout"}\' to match, or set autoAddAnalysisSeries: true');
  });

  test('values from args (a Rollout may pass others) and the federation\'s own cluster label do not narrow', () => {
    const chart = Testing.chart();
    const rate = new SuccessRateAnalysis(chart, 'rate', { prometheus, threshold: 0.95, clusterLabel: 'cluster', serviceName: 'checkout' });
    const fp = new FederatedPrometheus(chart, 'f', { fleet: seedFleet(), match: ['up'], analyses: [rate] });
    expect(fp.match).toEqual(['up', '{__name__="http_requests_total"}']);
  });
});
