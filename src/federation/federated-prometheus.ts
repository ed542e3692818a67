import { createHash } from 'crypto';
import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { FederationAuthorization, FederationTls } from './federation-auth';
import { FederationClusterLabel } from './federation-cluster-label';
import { FederationOutput } from './federation-output';
import { escapeHelmTpl } from './helm-tpl';
import { MatchSelector, parseMatchSelector, selectsSomeOfMetric, selectsWholeMetric, wholeMetricSelector } from './match-selector';
import { secretMountDir } from './secret-mount';
import { ScrapeConfig, ScrapeConfigSpec, ScrapeConfigSpecMetricRelabelingsAction, ScrapeConfigSpecScheme } from '../../imports/promop-monitoring.coreos.com';
import { IAnalysisTemplate } from '../analysis/analysis-template';
import { PrometheusAnalysis } from '../analysis/prometheus-analysis';
import { queriedSeriesOf, unresolvedSelectorsOf } from '../analysis/promql-series';
import { toGoDuration } from '../core/duration';
import { checkConfigMapKey, checkDns1123Label, checkDns1123Subdomain, checkLabelKey, checkLabelValue, checkPrometheusLabelName, checkPrometheusMetricName } from '../core/names';
import { addProblemValidation, Problem, propError, show } from '../core/problem';
import { analyzePromQL, promqlParser as parser } from '../core/promql';
import { Fleet } from '../fleet/fleet';


/**
 * The URL scheme the federation job uses to reach the workload Prometheus servers.
 */
export enum FederationScheme {
  /** Plain HTTP. */
  HTTP = 'http',
  /** HTTPS (see `tls` for CA and client certificates). */
  HTTPS = 'https',
}

/**
 * Props of a `FederatedPrometheus`.
 */
export interface FederatedPrometheusProps {
  /**
   * The workload clusters to federate: one target per cluster, its `metricsEndpoint` (`host:port` of the cluster's
   * Prometheus as reached from the management cluster).
   */
  readonly fleet: Fleet;

  /**
   * The `match[]` selectors sent to `/federate`: each one instant vector selector, e.g. `{job="my-service"}` or
   * `{__name__=~"http_requests_total|http_request_duration_seconds.*"}`. They are parsed with the PromQL grammar and
   * their regexes checked as Go RE2 when the construct is created (Prometheus answers HTTP 400 to a selector it cannot
   * parse, and the target is down). Each must also have a matcher that does not match the empty string: this is the
   * library's own rule, not Prometheus's (`/federate` accepts `{}` and `{job=~".*"}`), because such a selector
   * federates every series of every workload.
   *
   * @default - none; only what `analyses` need (at least one selector is required at synth)
   */
  readonly match?: string[];

  /**
   * The analysis templates evaluated against this Prometheus. Every metric they query must be federated in full:
   * missing ones are added to `match[]` as `{__name__="<metric>"}` (or reported, see `autoAddAnalysisSeries`).
   *
   * @default - none (add with `addAnalysis()`)
   */
  readonly analyses?: IAnalysisTemplate[];

  /**
   * Whether metrics the `analyses` query but `match` does not federate in full are added to `match[]`. When false,
   * each one is a synth error that names the metric and the analysis.
   *
   * @default true
   */
  readonly autoAddAnalysisSeries?: boolean;

  /**
   * What Kubernetes object to emit.
   *
   * @default FederationOutput.configMap()
   */
  readonly output?: FederationOutput;

  /**
   * `job_name` of the scrape job (with a ScrapeConfig: its `jobName`). Federated series keep their own `job`.
   *
   * @default "federate"
   */
  readonly jobName?: string;

  /**
   * How often the workload servers are federated. Keep it well below the rate windows of the analyses: `rate()`
   * needs at least two federated samples in its window.
   *
   * @default Duration.seconds(15)
   */
  readonly scrapeInterval?: Duration;

  /**
   * Timeout of one federation scrape; at most `scrapeInterval`.
   *
   * @default - 10 seconds, or `scrapeInterval` when that is shorter
   */
  readonly scrapeTimeout?: Duration;

  /**
   * The scheme used to reach the workload servers.
   *
   * @default - HTTPS when `tls` is set, else HTTP
   */
  readonly scheme?: FederationScheme;

  /**
   * TLS settings (CA, client certificate, server name).
   *
   * @default - no TLS settings
   */
  readonly tls?: FederationTls;

  /**
   * Credentials sent to the workload servers (`authorization:`), from a file or a Secret; never inline.
   *
   * @default - no authorization header
   */
  readonly authorization?: FederationAuthorization;

  /**
   * Where the label that names a series' cluster is set, and its name. See `FederationClusterLabel` for the
   * precedence between the workload's external labels and the federation's target labels.
   *
   * @default FederationClusterLabel.targetLabel('cluster')
   */
  readonly clusterLabel?: FederationClusterLabel;

  /**
   * Whether fleet clusters without a `metricsEndpoint` are left out. When false, each one is a synth error.
   *
   * @default false
   */
  readonly skipClustersWithoutMetricsEndpoint?: boolean;

  /**
   * Labels dropped from every federated series (`metric_relabel_configs` with `labeldrop`), e.g. the
   * `prometheus_replica` external label the prometheus-operator adds, which flips between HA replicas.
   * Labels the analyses query cannot be dropped.
   *
   * @default - none
   */
  readonly dropLabels?: string[];

  /**
   * Accept analyses whose queries do not filter on a cluster label. On the central Prometheus such a query sums every
   * federated cluster, so a cluster's canary is judged on the whole fleet's traffic and its own failures are diluted;
   * set this only for analyses that are meant to judge the fleet as a whole.
   *
   * @default false
   */
  readonly allowFleetWideAnalyses?: boolean;
}

/**
 * One federation target: a fleet cluster's Prometheus.
 */
export interface FederationTarget {
  /**
   * The cluster's name in Argo CD (`FleetClusterProps.name`).
   */
  readonly clusterName: string;

  /**
   * The value of the cluster label: the normalized cluster name (`Fleet.normalizeClusterName`, Argo CD's
   * `nameNormalized`), the same value as the `cluster` label `MultiClusterAppSet` puts on the cluster's Applications.
   */
  readonly cluster: string;

  /**
   * `host:port` scraped on `/federate`.
   */
  readonly endpoint: string;
}

const DEFAULT_TIMEOUT = Duration.seconds(10);

/**
 * The management cluster's Prometheus job that federates every workload cluster of a fleet, so that one
 * (Cluster)AnalysisTemplate on the management cluster can evaluate every cluster's canary.
 *
 * The job scrapes `/federate` on each cluster's `metricsEndpoint` with `honor_labels: true` (the workload's `job`,
 * `instance` and external labels are kept), the `match[]` selectors given plus every metric the `analyses` query,
 * and one target per cluster labelled with its name. Rendered as a ConfigMap with a complete prometheus.yml, Helm
 * values for the `prometheus` chart or kube-prometheus-stack, or a prometheus-operator ScrapeConfig.
 *
 * @example
 * new FederatedPrometheus(chart, 'federation', {
 *   fleet,
 *   match: ['{job="my-service"}', '{__name__=~"http_requests_total|http_request_duration_seconds.*"}'],
 *   output: FederationOutput.configMap(),
 * });
 */
export class FederatedPrometheus extends Construct {
  /**
   * The federated fleet.
   */
  public readonly fleet: Fleet;

  /**
   * `job_name` of the federation job.
   */
  public readonly jobName: string;

  /**
   * Where the cluster label is set and its name.
   */
  public readonly clusterLabel: FederationClusterLabel;

  /**
   * Scrape interval of the federation job.
   */
  public readonly scrapeInterval: Duration;

  /**
   * Scrape timeout of the federation job.
   */
  public readonly scrapeTimeout: Duration;

  /**
   * The scheme of the federation job.
   */
  public readonly scheme: FederationScheme;

  private readonly output: FederationOutput;
  private readonly selectors: MatchSelector[] = [];
  private readonly analyses: IAnalysisTemplate[] = [];
  private readonly autoAdd: boolean;
  private readonly skipMissing: boolean;
  private readonly allowFleetWide: boolean;
  private readonly dropLabels: string[];
  private readonly tls?: FederationTls;
  private readonly authorization?: FederationAuthorization;

  constructor(scope: Construct, id: string, props: FederatedPrometheusProps) {
    super(scope, id);
    this.fleet = props.fleet;
    this.output = props.output ?? FederationOutput.configMap();
    this.autoAdd = props.autoAddAnalysisSeries ?? true;
    this.skipMissing = props.skipClustersWithoutMetricsEndpoint ?? false;
    this.allowFleetWide = props.allowFleetWideAnalyses ?? false;
    this.clusterLabel = props.clusterLabel ?? FederationClusterLabel.targetLabel();
    this.tls = props.tls;
    this.authorization = props.authorization;

    this.jobName = props.jobName ?? 'federate';
    if (this.jobName.trim().length === 0 || this.jobName !== this.jobName.trim()) {
      throw propError(this, {
        prop: 'jobName',
        given: show(props.jobName),
        expected: 'a non-empty job name without leading or trailing spaces',
        fix: 'use e.g. "federate"',
      });
    }

    this.scrapeInterval = props.scrapeInterval ?? Duration.seconds(15);
    this.checkDuration('scrapeInterval', this.scrapeInterval);
    const defaultTimeout = this.scrapeInterval.toMilliseconds() < DEFAULT_TIMEOUT.toMilliseconds() ? this.scrapeInterval : DEFAULT_TIMEOUT;
    this.scrapeTimeout = props.scrapeTimeout ?? defaultTimeout;
    this.checkDuration('scrapeTimeout', this.scrapeTimeout);
    if (this.scrapeTimeout.toMilliseconds() > this.scrapeInterval.toMilliseconds()) {
      throw propError(this, {
        prop: 'scrapeTimeout',
        given: toGoDuration(this.scrapeTimeout),
        expected: `at most scrapeInterval (${toGoDuration(this.scrapeInterval)}); Prometheus rejects a longer timeout`,
        fix: 'shorten scrapeTimeout or lengthen scrapeInterval',
      });
    }

    this.scheme = props.scheme ?? (props.tls ? FederationScheme.HTTPS : FederationScheme.HTTP);
    if (props.tls && this.scheme === FederationScheme.HTTP) {
      throw propError(this, {
        prop: 'scheme',
        given: '"http"',
        expected: '"https" when tls is set (Prometheus ignores tls_config over plain HTTP)',
        fix: 'drop scheme (it defaults to https with tls) or drop tls',
      });
    }
    if (this.output._kind === 'scrapeConfig') {
      if (props.authorization?._file !== undefined) {
        throw propError(this, {
          prop: 'authorization',
          given: `credentialsFile(${JSON.stringify(props.authorization._file)})`,
          expected: 'FederationAuthorization.fromSecret(...) with FederationOutput.scrapeConfig() (the ScrapeConfig CRD only references Secrets)',
          fix: 'put the credentials in a Secret and use FederationAuthorization.fromSecret',
        });
      }
      if (props.tls?._usesFiles) {
        throw propError(this, {
          prop: 'tls',
          given: 'FederationTls.fromFiles(...)',
          expected: 'FederationTls.fromSecret(...) with FederationOutput.scrapeConfig() (the ScrapeConfig CRD only references Secrets and ConfigMaps)',
          fix: 'put the certificates in a Secret and use FederationTls.fromSecret',
        });
      }
    }

    this.checkOutput();

    this.dropLabels = [...(props.dropLabels ?? [])];
    this.dropLabels.forEach((l, i) => {
      const problem = checkPrometheusLabelName(l)
        ?? (['job', 'instance', this.clusterLabel.labelName].includes(l)
          ? `a label other than job, instance and the cluster label "${this.clusterLabel.labelName}" (analyses select on them)` : undefined);
      if (problem) {
        throw propError(this, { prop: `dropLabels[${i}]`, given: show(l), expected: problem, fix: 'remove it from dropLabels' });
      }
    });

    (props.match ?? []).forEach((m, i) => this.addSelector(m, `match[${i}]`));
    for (const a of props.analyses ?? []) {
      this.addAnalysis(a);
    }

    this.render();
    addProblemValidation(this, () => this.problems());
  }

  /**
   * Adds a `match[]` selector.
   *
   * @throws if it is not a single instant vector selector with a non-empty matcher, or is already there
   */
  public addMatch(selector: string): void {
    this.addSelector(selector, `match[${this.selectors.length}]`);
  }

  /**
   * Adds an analysis template evaluated against this Prometheus: the metrics it queries are federated in full
   * (added to `match[]`, or reported when `autoAddAnalysisSeries` is false).
   */
  public addAnalysis(template: IAnalysisTemplate): void {
    if (!this.analyses.includes(template)) {
      this.analyses.push(template);
    }
  }

  /**
   * The effective `match[]`: the selectors given, then (when `autoAddAnalysisSeries`) `{__name__="<metric>"}` for
   * each metric the analyses query that they do not federate in full, and the `__name__` matchers alone of each
   * query selector that picks its metrics by a `__name__` regex (e.g. `{__name__=~"http_.*"}`).
   */
  public get match(): string[] {
    if (!this.autoAdd) return this.selectors.map(s => s.text);
    const added = [
      ...this.missingMetrics().map(m => wholeMetricSelector(m.metricName)),
      ...this.missingNameSelectors().map(m => m.nameSelector),
    ];
    return [...this.selectors.map(s => s.text), ...added.filter((m, i) => added.indexOf(m) === i)];
  }

  /**
   * The federation targets: fleet clusters with a `metricsEndpoint`, in fleet order.
   */
  public get targets(): FederationTarget[] {
    return this.fleet.clusters.flatMap(c => (c.metricsEndpoint
      ? [{ clusterName: c.name, cluster: Fleet.normalizeClusterName(c.name), endpoint: c.metricsEndpoint }] : []));
  }

  /**
   * The external labels a workload cluster's Prometheus sets (`global.external_labels`) so that its series name
   * their cluster (the normalized cluster name, as on the target labels and the Applications); with `honor_labels: true` they take precedence over the federation's target labels. Required
   * with `FederationClusterLabel.workloadExternalLabel()`, harmless (same value) with `targetLabel()`.
   *
   * @param clusterName a cluster of the fleet
   * @throws if the cluster is not in the fleet
   */
  public workloadExternalLabels(clusterName: string): { [name: string]: string } {
    if (!this.fleet.tryFindCluster(clusterName)) {
      throw propError(this, {
        prop: 'clusterName',
        given: show(clusterName),
        expected: `a cluster of the fleet (${this.fleet.clusters.map(c => c.name).join(', ')})`,
        fix: 'pass the Argo CD name of a fleet cluster',
      });
    }
    return { [this.clusterLabel.labelName]: Fleet.normalizeClusterName(clusterName) };
  }

  /**
   * The federation job as a prometheus.yml `scrape_configs` entry (snake_case keys).
   */
  public scrapeJob(): any {
    const job: any = {
      job_name: this.jobName,
      scrape_interval: toGoDuration(this.scrapeInterval),
      scrape_timeout: toGoDuration(this.scrapeTimeout),
      honor_labels: true,
      metrics_path: '/federate',
      scheme: this.scheme,
      params: { 'match[]': this.match },
    };
    if (this.authorization) {
      const a = this.authorization;
      job.authorization = {
        type: a._type,
        credentials_file: a._file ?? `${secretMountDir(a._secret!.secretName)}/${a._secret!.key}`,
      };
    }
    if (this.tls) {
      const t = this.tls;
      job.tls_config = {
        ...(t._ca ? { ca_file: t._ca.path } : {}),
        ...(t._cert ? { cert_file: t._cert.path } : {}),
        ...(t._key ? { key_file: t._key.path } : {}),
        ...(t._serverName ? { server_name: t._serverName } : {}),
        ...(t._insecureSkipVerify ? { insecure_skip_verify: true } : {}),
      };
    }
    if (this.dropLabels.length > 0) {
      job.metric_relabel_configs = [{ action: 'labeldrop', regex: this.dropLabels.join('|') }];
    }
    job.static_configs = this.staticConfigs();
    return job;
  }

  /**
   * A complete prometheus.yml for the management Prometheus: `global` (scrape and evaluation interval, external
   * labels of the `configMap()` output) and the federation job.
   */
  public prometheusConfig(): string {
    const o = this.output._configMap;
    const global: any = {
      scrape_interval: toGoDuration(this.scrapeInterval),
      scrape_timeout: toGoDuration(this.scrapeTimeout),
      evaluation_interval: toGoDuration(o.evaluationInterval ?? this.scrapeInterval),
    };
    if (o.externalLabels && Object.keys(o.externalLabels).length > 0) {
      global.external_labels = { ...o.externalLabels };
    }
    return YAML.stringify({ global, scrape_configs: [this.scrapeJob()] }, { lineWidth: 0 });
  }

  /**
   * Values for the prometheus-community `prometheus` chart: the federation job in the top-level
   * `extraScrapeConfigs` string (with `{{` escaped for the chart's `tpl` pass) and, for Secrets the job reads,
   * `server.extraSecretMounts` at `/etc/prometheus/secrets/<secret>/`. Pass to cdk8s's `Helm` construct as `values`
   * after every `addMatch()`/`addAnalysis()` call (Helm renders when it is constructed).
   */
  public helmChartValues(): any {
    const values: any = {
      extraScrapeConfigs: escapeHelmTpl(YAML.stringify([this.scrapeJob()], { lineWidth: 0 })),
    };
    const secrets = this.secretNames();
    if (secrets.length > 0) {
      values.server = {
        extraSecretMounts: secrets.map(s => ({
          name: secretVolumeName(s),
          mountPath: secretMountDir(s),
          secretName: s,
          readOnly: true,
        })),
      };
    }
    return values;
  }

  /**
   * Values for kube-prometheus-stack: the federation job in `prometheus.prometheusSpec.additionalScrapeConfigs`
   * (a YAML string, with `{{` escaped for the chart's `tpl` pass) and the Secrets it reads in `prometheus.prometheusSpec.secrets`
   * (mounted at `/etc/prometheus/secrets/<secret>/`).
   */
  public kubePrometheusStackValues(): any {
    // A string (the chart also takes a list): the chart runs a string through `tpl` as is, a list through
    // `tpl (toYaml …)`, whose quoting of the escaped text this library would not control.
    const prometheusSpec: any = { additionalScrapeConfigs: escapeHelmTpl(YAML.stringify([this.scrapeJob()], { lineWidth: 0 })) };
    const secrets = this.secretNames();
    if (secrets.length > 0) {
      prometheusSpec.secrets = secrets;
    }
    return { prometheus: { prometheusSpec } };
  }

  private addSelector(text: string, prop: string): void {
    const r = parseMatchSelector(text);
    if (!r.selector) {
      throw propError(this, {
        prop,
        given: show(text),
        expected: `one instant vector selector with a matcher that does not match the empty string (${r.problem})`,
        fix: 'write e.g. {job="my-service"} or {__name__=~"http_requests_total|http_request_duration_seconds.*"}',
      });
    }
    const sel = r.selector;
    if (this.selectors.some(s => s.text === sel.text)) {
      throw propError(this, { prop, given: show(text), expected: 'a selector not already in match[]', fix: 'list each selector once' });
    }
    this.selectors.push(sel);
  }

  private checkOutput(): void {
    const o = this.output;
    const fail = (prop: string, given: string, expected: string, fix: string) => {
      throw propError(this, { prop: `output.${prop}`, given, expected, fix });
    };
    if (o._name !== undefined) {
      const problem = checkDns1123Subdomain(o._name);
      if (problem) fail('name', show(o._name), problem, 'use a lowercase name such as "federation"');
    }
    if (o._key !== undefined && checkConfigMapKey(o._key) !== undefined) {
      fail('key', show(o._key), 'a ConfigMap data key (alphanumerics, "-", "_" or ".")', 'use e.g. "prometheus.yml"');
    }
    for (const [k, v] of Object.entries(o._scrapeConfig.labels ?? {})) {
      const problem = checkLabelKey(k) ?? checkLabelValue(v);
      if (problem) fail('labels', `${JSON.stringify(k)}: ${JSON.stringify(v)}`, problem, 'use valid Kubernetes labels, e.g. release: kube-prometheus-stack');
    }
    for (const k of Object.keys(o._configMap.externalLabels ?? {})) {
      const problem = checkPrometheusLabelName(k);
      if (problem) fail('externalLabels', show(k), problem, 'use Prometheus label names such as "cluster"');
    }
    if (o._configMap.evaluationInterval !== undefined) {
      this.checkDuration('output.evaluationInterval', o._configMap.evaluationInterval);
    }
  }

  private checkDuration(prop: string, d: Duration): void {
    const ms = d.toMilliseconds({ integral: false });
    if (!Number.isInteger(ms) || ms < 1) {
      throw propError(this, {
        prop, given: `${ms}ms`, expected: 'a positive whole number of milliseconds', fix: 'use e.g. Duration.seconds(15)',
      });
    }
  }

  private staticConfigs(): any[] {
    const targets = this.targets;
    // Also with workloadExternalLabel(): the target label is the fallback for a workload that lacks its external
    // label (with honor_labels it never overrides one), so series of different clusters never merge.
    return targets.map(t => ({ targets: [t.endpoint], labels: { [this.clusterLabel.labelName]: t.cluster } }));
  }

  private secretNames(): string[] {
    const names = [
      ...(this.authorization?._secret ? [this.authorization._secret.secretName] : []),
      ...(this.tls?._secretNames ?? []),
    ];
    return [...new Set(names)];
  }

  /** Metrics the analyses query that no selector federates in full, with who queries them. */
  private missingMetrics(): { metricName: string; templates: string[] }[] {
    const out: { metricName: string; templates: string[] }[] = [];
    for (const a of this.analyses) {
      for (const s of a.queriedSeries) {
        if (checkPrometheusMetricName(s.metricName) !== undefined) continue; // reported by problems()
        if (this.selectors.some(sel => selectsWholeMetric(sel, s.metricName))) continue;
        const seen = out.find(o => o.metricName === s.metricName);
        if (seen) {
          if (!seen.templates.includes(a.templateName)) seen.templates.push(a.templateName);
        } else {
          out.push({ metricName: s.metricName, templates: [a.templateName] });
        }
      }
    }
    return out;
  }

  private render(): void {
    const kind = this.output._kind;
    if (kind === 'none') return;
    if (kind === 'scrapeConfig') {
      const o = this.output._scrapeConfig;
      new ScrapeConfig(this, 'Resource', {
        metadata: { ...(o.name ? { name: o.name } : {}), ...(o.labels ? { labels: { ...o.labels } } : {}) },
        spec: Lazy.any({ produce: () => this.scrapeConfigSpec() }),
      });
      return;
    }
    const key = this.output._key!;
    const produce = kind === 'configMap' ? () => this.prometheusConfig()
      : kind === 'helmChartValues' ? () => YAML.stringify(this.helmChartValues(), { lineWidth: 0 })
        : () => YAML.stringify(this.kubePrometheusStackValues(), { lineWidth: 0 });
    new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: this.output._name ? { name: this.output._name } : {},
      data: Lazy.any({ produce: () => ({ [key]: produce() }) }),
    });
  }

  private scrapeConfigSpec(): ScrapeConfigSpec {
    const secretRef = (r: { secretName: string; key: string }) => ({ name: r.secretName, key: r.key });
    const t = this.tls;
    const a = this.authorization;
    return {
      jobName: this.jobName,
      honorLabels: true,
      metricsPath: '/federate',
      scrapeInterval: toGoDuration(this.scrapeInterval),
      scrapeTimeout: toGoDuration(this.scrapeTimeout),
      scheme: this.scheme === FederationScheme.HTTPS ? ScrapeConfigSpecScheme.HTTPS : ScrapeConfigSpecScheme.HTTP,
      params: { 'match[]': this.match },
      ...(a?._secret ? { authorization: { type: a._type, credentials: secretRef(a._secret) } } : {}),
      ...(t ? {
        tlsConfig: {
          ...(t._ca?.secret ? { ca: { secret: secretRef(t._ca.secret) } } : {}),
          ...(t._cert?.secret ? { cert: { secret: secretRef(t._cert.secret) } } : {}),
          ...(t._key?.secret ? { keySecret: secretRef(t._key.secret) } : {}),
          ...(t._serverName ? { serverName: t._serverName } : {}),
          ...(t._insecureSkipVerify ? { insecureSkipVerify: true } : {}),
        },
      } : {}),
      ...(this.dropLabels.length > 0
        ? { metricRelabelings: [{ action: ScrapeConfigSpecMetricRelabelingsAction.LABELDROP, regex: this.dropLabels.join('|') }] } : {}),
      staticConfigs: this.staticConfigs().map(s => ({ targets: s.targets, ...(s.labels ? { labels: s.labels } : {}) })),
    };
  }

  /**
   * The queries of the analyses whose queries this library can read (`PrometheusAnalysis` and its subclasses), parsed
   * with the template's arg defaults. `unknown` is the same query with every arg that has no default replaced by
   * `UNKNOWN_ARG` (the `parsed` text has the grammar's dummies there), so that what depends on such an arg can be told.
   */
  private analysisQueries(): { templateName: string; metricName: string; parsed: string; unknown: string }[] {
    const out: { templateName: string; metricName: string; parsed: string; unknown: string }[] = [];
    for (const a of this.analyses) {
      if (!(a instanceof PrometheusAnalysis)) continue; // other templates do not expose their queries
      const defaults: Record<string, string> = {};
      for (const arg of a.declaredArgs) if (arg.defaultValue !== undefined) defaults[arg.name] = arg.defaultValue;
      for (const m of a.metrics) {
        const parsed = analyzePromQL(m.query, defaults);
        const unknown = { ...defaults };
        for (const name of parsed.argPlaceholders) if (unknown[name] === undefined) unknown[name] = UNKNOWN_ARG;
        out.push({ templateName: a.templateName, metricName: m.metricName, parsed: parsed.parsed, unknown: analyzePromQL(m.query, unknown).parsed });
      }
    }
    return out;
  }

  /**
   * Query selectors that pick their metrics by a `__name__` regex (not a plain list of names), with their `__name__`
   * matchers alone as a match[] selector when this library can federate them that way: `nameSelector` undefined
   * when it cannot (no `__name__` matcher, one that depends on an arg without default, or one that matches the empty
   * name).
   */
  private nameSelectorNeeds(): { templateName: string; metricName: string; selector: string; nameSelector?: string }[] {
    const out: { templateName: string; metricName: string; selector: string; nameSelector?: string }[] = [];
    const shown = (text: string) => text.split(UNKNOWN_ARG).join('<arg>');
    for (const q of this.analysisQueries()) {
      // parsed with every arg without default set to UNKNOWN_ARG, so that what depends on such an arg shows
      for (const sel of unresolvedSelectorsOf(q.unknown)) {
        const usable = sel.nameSelector !== undefined && !sel.nameSelector.includes(UNKNOWN_ARG)
          && parseMatchSelector(sel.nameSelector).selector !== undefined;
        out.push({
          templateName: q.templateName,
          metricName: q.metricName,
          selector: shown(sel.text),
          ...(usable ? { nameSelector: sel.nameSelector } : {}),
        });
      }
      for (const s of queriedSeriesOf(q.unknown)) {
        if (s.metricName.includes(UNKNOWN_ARG)) {
          out.push({ templateName: q.templateName, metricName: q.metricName, selector: `a metric named by an arg without default (${shown(s.metricName)})` });
        }
      }
    }
    return out;
  }

  /** Name selectors the analyses need that match[] does not list (compared as text). */
  private missingNameSelectors(): { templateName: string; metricName: string; selector: string; nameSelector: string }[] {
    const given = this.selectors.map(s => s.text.replace(/\s+/g, ''));
    return this.nameSelectorNeeds().flatMap(n => (n.nameSelector !== undefined && !given.includes(n.nameSelector.replace(/\s+/g, ''))
      ? [{ ...n, nameSelector: n.nameSelector }] : []));
  }

  /** Range windows of the analyses' queries shorter than two federation intervals: rate() would see < 2 samples. */
  private windowProblems(): Problem[] {
    const interval = this.scrapeInterval.toMilliseconds();
    const problems: Problem[] = [];
    for (const q of this.analysisQueries()) {
      // windows as Prometheus reads them: arg defaults substituted, the parser's range and subquery durations
      const known = rangeWindows(q.parsed);
      const unknown = rangeWindows(q.unknown);
      const windows = known.filter((w, i) => unknown[i]?.text === w.text && w.ms !== undefined); // not from an arg without default
      if (windows.length === 0) continue;
      const shortest = windows.reduce((a, b) => (b.ms! < a.ms! ? b : a));
      if (shortest.ms! < 2 * interval) {
        problems.push({
          prop: 'scrapeInterval',
          given: toGoDuration(this.scrapeInterval),
          expected: `at most half of the shortest range window the analyses query (${JSON.stringify(q.templateName)} metric `
            + `${JSON.stringify(q.metricName)} uses [${shortest.text}]): rate() needs two federated samples in its window`,
          fix: `federate at least every ${toGoDuration(Duration.millis(Math.floor(shortest.ms! / 2)))} (half the window), or lengthen the analysis window`,
        });
      }
    }
    return problems;
  }

  private problems(): Problem[] {
    const problems: Problem[] = [];
    const clusters = this.fleet.clusters;
    if (!this.skipMissing) {
      clusters.forEach((c, i) => {
        if (c.metricsEndpoint === undefined) {
          problems.push({
            prop: `fleet.clusters[${i}].metricsEndpoint`,
            given: `missing (cluster ${JSON.stringify(c.name)})`,
            expected: 'host:port of the cluster\'s Prometheus for every federated cluster',
            fix: 'set metricsEndpoint on the cluster, or skipClustersWithoutMetricsEndpoint: true to leave it out of the federation',
          });
        }
      });
    }
    if (clusters.length > 0 && this.targets.length === 0 && this.skipMissing) {
      problems.push({
        prop: 'fleet',
        given: `${clusters.length} cluster(s), none with a metricsEndpoint`,
        expected: 'at least one cluster to federate',
        fix: 'set metricsEndpoint on the clusters to federate',
      });
    }
    if (clusters.length === 0) {
      problems.push({ prop: 'fleet.clusters', given: '[]', expected: 'at least one cluster to federate', fix: 'add clusters to the fleet' });
    }
    const federated = this.targets.length;
    for (const a of this.analyses) {
      const label = a.perClusterLabel;
      // only this library's analyses expose their queries; a reference to a template elsewhere cannot be judged
      if (label === undefined && federated > 1 && !this.allowFleetWide && a instanceof PrometheusAnalysis) {
        problems.push({
          prop: 'analyses',
          given: `${show(a.templateName)}, whose queries do not filter on a cluster label, on a federation of ${federated} clusters`,
          expected: 'per-cluster analyses: on the central Prometheus a query without a cluster filter sums every cluster, so one '
            + 'cluster\'s canary would be judged on the whole fleet\'s traffic and its failures diluted',
          fix: `give the analysis clusterLabel: ${show(this.clusterLabel.labelName)} (and pass the cluster arg from each Rollout), `
            + 'or set allowFleetWideAnalyses: true if it is meant to judge the whole fleet',
        });
      }
      if (label !== undefined && label !== this.clusterLabel.labelName) {
        problems.push({
          prop: 'clusterLabel',
          given: `${this.clusterLabel.onTargets ? 'targetLabel' : 'workloadExternalLabel'}(${JSON.stringify(this.clusterLabel.labelName)})`,
          expected: `the label ${JSON.stringify(a.templateName)} filters clusters on (${JSON.stringify(label)}): its per-cluster queries `
            + 'would select nothing on the federated series and every measurement would fail for lack of data',
          fix: `use FederationClusterLabel.${this.clusterLabel.onTargets ? 'targetLabel' : 'workloadExternalLabel'}(${JSON.stringify(label)}), `
            + `or set the analysis's clusterLabel to ${JSON.stringify(this.clusterLabel.labelName)}`,
        });
      }
    }
    this.fleet.clusters.forEach((c, i) => {
      if (c.metricsEndpoint !== undefined && Fleet.normalizeClusterName(c.name) === '') {
        problems.push({
          prop: `fleet.clusters[${i}].name`,
          given: `${show(c.name)} (normalized to "")`,
          expected: `a cluster name with a letter or digit: the ${this.clusterLabel.labelName} label would be empty, which Prometheus treats as `
            + 'no label, so the cluster\'s series could not be told apart',
          fix: 'rename the cluster in Argo CD',
        });
      }
    });
    const byLabel = new Map<string, string>();
    for (const t of this.targets) {
      const other = byLabel.get(t.cluster);
      if (other !== undefined) {
        problems.push({
          prop: 'fleet.clusters',
          given: `${JSON.stringify(other)} and ${JSON.stringify(t.clusterName)}, both labelled ${this.clusterLabel.labelName}=${JSON.stringify(t.cluster)}`,
          expected: 'cluster names that stay distinct after normalization (the cluster label could not tell their series apart)',
          fix: 'rename one of the clusters in Argo CD',
        });
      } else {
        byLabel.set(t.cluster, t.clusterName);
      }
    }
    const byEndpoint = new Map<string, string>();
    for (const t of this.targets) {
      const other = byEndpoint.get(t.endpoint);
      if (other) {
        problems.push({
          prop: 'fleet.clusters',
          given: `${JSON.stringify(other)} and ${JSON.stringify(t.clusterName)} with metricsEndpoint ${JSON.stringify(t.endpoint)}`,
          expected: 'one Prometheus per cluster (otherwise the same series are federated twice under different cluster labels)',
          fix: 'give each cluster its own metricsEndpoint',
        });
      } else {
        byEndpoint.set(t.endpoint, t.clusterName);
      }
    }
    if (this.match.length === 0) {
      problems.push({
        prop: 'match',
        given: '[]',
        expected: 'at least one selector (/federate returns nothing without match[])',
        fix: 'pass match selectors or analyses whose metrics to federate',
      });
    }
    for (const n of this.nameSelectorNeeds()) {
      if (n.nameSelector !== undefined) continue;
      problems.push({
        prop: 'analyses',
        given: `${JSON.stringify(n.templateName)} metric ${JSON.stringify(n.metricName)} selecting ${n.selector}`,
        expected: 'query selectors whose metrics can be federated: a metric name, __name__="…", or __name__ matchers that do not match '
          + 'the empty name and need no arg without default (this one cannot be verified to be federated)',
        fix: 'select the metrics by name in the query (e.g. {__name__=~"a_total|b_total", job="x"}), or give the arg a default',
      });
    }
    if (!this.autoAdd) {
      for (const n of this.missingNameSelectors()) {
        problems.push({
          prop: 'match',
          given: show(this.selectors.map(s => s.text)),
          expected: `a selector that federates every series ${n.selector} selects, which ${JSON.stringify(n.templateName)} queries `
            + '(its metric names come from a regex, so only the same __name__ matchers are known to cover it)',
          fix: `add '${n.nameSelector}' to match, or set autoAddAnalysisSeries: true`,
        });
      }
      for (const m of this.missingMetrics()) {
        const partial = this.selectors.filter(s => selectsSomeOfMetric(s, m.metricName)).map(s => s.text);
        problems.push({
          prop: 'match',
          given: show(this.selectors.map(s => s.text)),
          expected: `selectors that federate every series of ${m.metricName}, which ${m.templates.map(t => JSON.stringify(t)).join(', ')} query`
            + (partial.length > 0 ? ` (${partial.join(', ')} federate only some of its series)` : ''),
          fix: `add '${wholeMetricSelector(m.metricName)}' to match, or set autoAddAnalysisSeries: true`,
        });
      }
    }
    problems.push(...this.windowProblems());
    for (const a of this.analyses) {
      for (const s of a.queriedSeries) {
        if (checkPrometheusMetricName(s.metricName) !== undefined) {
          problems.push({
            prop: 'analyses',
            given: `${JSON.stringify(a.templateName)} querying metric ${show(s.metricName)}`,
            expected: 'Prometheus metric names ([a-zA-Z_:][a-zA-Z0-9_:]*) in queriedSeries',
            fix: 'fix the analysis template\'s queriedSeries',
          });
        }
        const dropped = s.labelNames.filter(l => this.dropLabels.includes(l));
        if (dropped.length > 0) {
          problems.push({
            prop: 'dropLabels',
            given: show(this.dropLabels),
            expected: `no label that ${JSON.stringify(a.templateName)} queries on ${s.metricName} (${dropped.join(', ')})`,
            fix: `remove ${dropped.join(', ')} from dropLabels`,
          });
        }
      }
    }
    return problems;
  }
}

/** The value given to args without a default when telling what depends on them (any valid duration). */
const UNKNOWN_ARG = '9999w';

const DURATION_UNITS_MS: { [unit: string]: number } = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/**
 * The range durations of a (placeholder-substituted) query as the PromQL parser reads them: the range of every
 * matrix selector (`x[2m]`) and subquery (`x[5m:1m]`), in order, with their value in milliseconds (undefined for a
 * duration expression the parser reads but this library does not evaluate).
 */
function rangeWindows(query: string): { text: string; ms?: number }[] {
  const out: { text: string; ms?: number }[] = [];
  parser.parse(query).iterate({
    enter: (ref) => {
      const name = ref.type.name;
      if (name !== 'MatrixSelector' && name !== 'SubqueryExpr') return undefined;
      const range = ref.node.getChild('DurationExpr'); // the first DurationExpr: the range (a subquery's step follows)
      if (range) {
        const text = query.slice(range.from, range.to).trim();
        out.push({ text, ms: durationMs(text) });
      }
      return undefined;
    },
  });
  return out;
}

/** A PromQL duration literal (`1h30m`, `90s`, or a number of seconds) in milliseconds. */
function durationMs(text: string): number | undefined {
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return Number(text) * 1000;
  if (!/^([0-9]+(ms|[smhdwy]))+$/.test(text)) return undefined;
  let ms = 0;
  for (const part of text.matchAll(/([0-9]+)(ms|[smhdwy])/g)) ms += Number(part[1]) * DURATION_UNITS_MS[part[2]];
  return ms;
}

/**
 * The volume name for a Secret the `prometheus` chart mounts: `federation-<secret>` when that is a DNS-1123 label,
 * else a sanitized, truncated form with a hash of the Secret name, so that `fed.token` and `fed-token` (or two long
 * names sharing their first 63 characters) get distinct volumes.
 */
function secretVolumeName(secretName: string): string {
  const plain = `federation-${secretName}`;
  if (checkDns1123Label(plain) === undefined) return plain;
  const hash = createHash('sha256').update(secretName).digest('hex').slice(0, 8);
  const base = `federation-${secretName.replace(/[^-a-z0-9]/g, '-')}`.slice(0, 63 - hash.length - 1).replace(/-+$/, '');
  return `${base}-${hash}`;
}
