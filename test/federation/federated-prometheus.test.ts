import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  AnalysisTemplateRef, FederatedPrometheus, FederationAuthorization, FederationClusterLabel, FederationOutput, FederationScheme, FederationTls, Fleet,
  IAnalysisTemplate, LatencyAnalysis, MetricCondition, PrometheusAnalysis, PrometheusMetric, PrometheusServer, SuccessRateAnalysis, TemplateArgument,
} from '../../src';
import { promtoolCheckConfig, promtoolCheckExpressions, testWithTool } from '../harness/prometheus-servers';

const withPromtool = testWithTool('promtool');

/** A test-local analysis template: what SuccessRateAnalysis reports about its query. */
function analysis(templateName: string, series: Array<[string, string[]]>): IAnalysisTemplate {
  return {
    templateName,
    clusterScope: true,
    declaredArgs: [{ name: 'service-name' }],
    requiredArgs: ['service-name'],
    metricNames: [templateName],
    queriedSeries: series.map(([metricName, labelNames]) => ({ metricName, labelNames })),
  };
}

const seedFleet = () => new Fleet({
  clusters: ['a', 'b', 'c'].map(x => ({
    name: `cluster-${x}`,
    server: `https://cluster-${x}.example.com`,
    labels: { env: x === 'a' ? 'canary' : 'production' },
    metricsEndpoint: `prometheus.cluster-${x}.internal:9090`,
  })),
});

const SEED_MATCH = ['{job="my-service"}', '{__name__=~"http_requests_total|http_request_duration_seconds.*"}'];

function synthConfigMap(chart: Chart): { name: string; data: Record<string, string> } {
  const objs = Testing.synth(chart);
  const cms = objs.filter(o => o.kind === 'ConfigMap');
  expect(cms).toHaveLength(1);
  return { name: cms[0].metadata.name, data: cms[0].data };
}


/** For tests about other rules: analyses without a cluster filter are accepted (see allowFleetWideAnalyses). */
const fleetWide = { allowFleetWideAnalyses: true };

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

describe('FederatedPrometheus: match[] selectors', () => {
  const BAD: Array<[string, string]> = [
    ['{job=my-service}', '(PromQL grammar: syntax error at offset 5 near "{job=my-service"). Fix: write e.g. {job="my-service"}'],
    ['{}', 'must contain at least one matcher that does not match the empty string'],
    ['{job=~".*"}', 'must contain at least one matcher that does not match the empty string'],
    ['rate(http_requests_total[5m])', 'not a single instant vector selector'],
    ['{job="a"}[5m]', 'not a single instant vector selector'],
    ['{job="a"} or {job="b"}', 'not a single instant vector selector'],
    ['{"http.requests_total"}', 'need Prometheus 3.x'],
    // regexes Go's RE2 rejects: /federate answers 400 and the target is down
    ['{job=~"a(?=b)"}', 'regex matcher job=~"a(?=b)" is not RE2 (error parsing regexp: invalid or unsupported Perl syntax: `(?=`: '
      + 'Prometheus answers HTTP 400 and the target is down; RE2 has no lookahead or lookbehind'],
    ['{job=~"a\\\\1"}', 'regex matcher job=~"a\\\\1" is not RE2 (error parsing regexp: invalid escape sequence: `\\1`: '
      + 'Prometheus answers HTTP 400 and the target is down; RE2 has no backreferences'],
    ['{job=~"x{2,1001}"}', 'regex matcher job=~"x{2,1001}" is not RE2 (error parsing regexp: invalid repeat count: `{2,1001}`'],
  ];

  test.each(BAD)('fails on %s', (selector, reason) => {
    const chart = Testing.chart();
    expect(() => new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: ['{job="ok"}', selector] }))
      .toThrow(`test/federation: match[1] is ${JSON.stringify(selector)}; expected one instant vector selector with a matcher that does not match the empty string (`);
    expect(() => new FederatedPrometheus(Testing.chart(), 'federation', { fleet: seedFleet(), match: [selector] })).toThrow(reason);
  });

  withPromtool('Prometheus\'s parser (promtool check rules) rejects every selector the construct rejects, and accepts the ones it accepts', () => {
    // The oracle is Prometheus's PromQL parser as promtool runs it on a recording rule expression, not /federate:
    // - a range or an `or` is valid PromQL but not a /federate selector (Prometheus answers 400 at scrape time);
    // - `{}` and `{job=~".*"}` are rejected by the rule parser, but a live 2.42 /federate answers 200 to them: requiring
    //   a matcher that does not match the empty string is this library's own rule (such a selector federates every
    //   series of the workload), not Prometheus's.
    const rejected = promtoolCheckExpressions(BAD.filter(([s]) => !s.includes('[5m]') && !s.includes(' or ')).map(([s]) => s));
    expect(rejected.length).toBe(BAD.length - 3);
    for (const r of rejected) {
      expect(r.ok).toBe(false);
    }
    // the RE2 cases fail in Prometheus with the same Go error the construct quotes
    for (const [selector, reason] of BAD.filter(([s]) => s.includes('=~"a') || s.includes('1001'))) {
      const go = /\(error parsing regexp: [^`]*`[^`]*`/.exec(reason)![0].slice(1);
      expect(promtoolCheckExpressions([selector])[0].output).toContain(go);
    }
    const good = ['{job="my-service"}', 'http_requests_total', 'up{job!="x"}', '{__name__=~"job:.*"}', '{job=~"a|b", code!~"5.."}',
      '{job="x}}"}', '{job=~"(?i)checkout", code=~"5\\\\d\\\\d"}', '{job=~"x{2,1000}"}'];
    for (const s of good) {
      expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: [s] })).not.toThrow();
    }
    expect(promtoolCheckExpressions(good).map(r => r.ok)).toEqual(good.map(() => true));
  });

  test('}} alone is text, not a placeholder', () => {
    const fp = new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['{job="x}}"}'] });
    expect(fp.match).toEqual(['{job="x}}"}']);
    expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['{job="{{ args.job }}"}'] })).toThrow('it contains a {{…}} placeholder');
  });

  test('fails on a placeholder and on a duplicate selector', () => {
    expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['{job="{{args.service-name}}"}'] }))
      .toThrow('match[0] is "{job=\\"{{args.service-name}}\\"}"; expected one instant vector selector with a matcher that does not match the empty string (it contains a {{…}} placeholder');
    const fp = new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['{job="a"}'] });
    expect(() => fp.addMatch(' {job="a"}')).toThrow('test/f: match[1] is " {job=\\"a\\"}"; expected a selector not already in match[]. Fix: list each selector once');
  });

  test('addMatch() after construction lands in the output (lazy rendering)', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: ['{job="a"}'] });
    fp.addMatch('{job="b"}');
    const job = YAML.parse(synthConfigMap(chart).data['prometheus.yml']).scrape_configs[0];
    expect(job.params['match[]']).toEqual(['{job="a"}', '{job="b"}']);
  });

  test('fails at synth without any selector', () => {
    const chart = Testing.chart();
    new FederatedPrometheus(chart, 'federation', { fleet: seedFleet() });
    expect(() => Testing.synth(chart)).toThrow('match is []; expected at least one selector (/federate returns nothing without match[])');
  });
});

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

    fleet.addCluster({ name: 'seoul-1', server: 'https://other-seoul.example.com', metricsEndpoint: 'prometheus.other-seoul.internal:9090' });
    expect(() => Testing.synth(chart)).toThrow(
      'fleet.clusters is "Seoul_1" and "seoul-1", both labelled cluster="seoul-1"; expected cluster names that stay distinct after normalization');
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

  test.each<[() => any, string]>([
    [() => FederationAuthorization.credentialsFile('token'), 'FederationAuthorization.credentialsFile: path is "token"; expected an absolute path'],
    [() => FederationAuthorization.credentialsFile('/t', 'Basic'), 'FederationAuthorization.credentialsFile: type is "Basic"; expected an authorization scheme token'],
    [() => FederationAuthorization.fromSecret({ secretName: 'Bad_Name', key: 'token' }), 'FederationAuthorization.fromSecret: props.secretName is "Bad_Name"'],
    [() => FederationAuthorization.fromSecret({ secretName: 'ok', key: 'a/b' }), 'FederationAuthorization.fromSecret: props.key is "a/b"; expected a Secret data key'],
    [() => FederationTls.fromFiles({ certFile: '/c' }), 'FederationTls.fromFiles: keyFile is missing; expected keyFile together with certFile'],
    [() => FederationTls.fromSecret({ secretName: 'tls', keyKey: 'k' }), 'FederationTls.fromSecret: certKey is missing; expected certKey together with keyKey'],
    [() => FederationTls.fromSecret({ secretName: 'tls' }), 'FederationTls.fromSecret: caKey is missing; expected caKey and/or certKey + keyKey'],
  ])('value classes reject bad input %#', (make, msg) => {
    expect(make).toThrow(msg);
  });
});

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
