import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { FederationAuthorization, FederationTls } from './federation-auth';
import { FederationClusterLabel } from './federation-cluster-label';
import { FederationJob, FederationScheme, FederationTarget, renderScrapeJob } from './federation-job';
import {
  durationProblem, FederationOutput, KubePrometheusStackValues, PrometheusChartValues, renderKubePrometheusStackValues,
  renderPrometheusChartValues, renderPrometheusConfig,
} from './federation-output';
import { federationProblems, missingMetrics, missingNameSelectors } from './federation-rules';
import { FEDERATED_PROMETHEUS_PROPS } from './input-shapes';
import { MatchSelector, parseMatchSelector } from './match-selector';
import { IAnalysisTemplate } from '../analysis/analysis-template';
import { toGoDuration } from '../core/duration';
import { checkPrometheusLabelName } from '../core/names';
import { addProblemValidation, markChanged, propError, show, throwIfProblems } from '../core/problem';
import { checkStruct, required } from '../core/struct-shape';
import { Fleet } from '../fleet/fleet';


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

  /**
   * The emitted object (a ConfigMap or a ScrapeConfig); undefined with `FederationOutput.none()`.
   */
  public readonly apiObject?: ApiObject;

  private readonly output: FederationOutput;
  private readonly selectors: MatchSelector[] = [];
  private readonly analysisList: IAnalysisTemplate[] = [];
  private readonly argValues = new Map<IAnalysisTemplate, Array<Record<string, string>>>();
  private readonly autoAdd: boolean;
  private readonly skipMissing: boolean;
  private readonly allowFleetWide: boolean;
  private readonly dropLabels: string[];
  private readonly tls?: FederationTls;
  private readonly authorization?: FederationAuthorization;

  constructor(scope: Construct, id: string, props: FederatedPrometheusProps) {
    super(scope, id);
    checkStruct(this, 'props', props, required(FEDERATED_PROMETHEUS_PROPS));
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
    throwIfProblems(this, this.output._problems().map(p => ({ ...p, prop: `output.${p.prop}` })));

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

    throwIfProblems(this, this.output._jobProblems(this.job()));
    this.apiObject = this.output._bind(this, () => this.job());
    addProblemValidation(this, () => federationProblems(this));
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
    if (!this.analysisList.includes(template)) {
      this.analysisList.push(template);
      markChanged();
    }
  }

  /**
   * Tells the federation the arg values with which a Rollout runs one of its analyses (a literal value, or the
   * template's default when the Rollout passes none; leave out args resolved at runtime). Call it once per use; the
   * federation then carries, for each selector of the template whose matcher takes its whole value from such an arg
   * (`service="{{args.service-name}}"`), only the series with the values given (`{__name__="…",service="checkout"}`)
   * instead of every series of the metric. Every use must be given: a series a Rollout reads but no call names is
   * not federated. `ProgressiveDeliveryStack` calls this for every Rollout of its service.
   *
   * @param template an analysis of this federation
   * @param values arg name → value, for one use
   */
  public addArgValues(template: IAnalysisTemplate, values: { [arg: string]: string }): void {
    if (!this.analysisList.includes(template)) {
      throw propError(this, {
        prop: 'addArgValues(template)',
        given: `template ${show(template?.templateName)}`,
        expected: 'one of the federation\'s analyses',
        fix: 'add the template with addAnalysis() (or the analyses prop) first',
      });
    }
    const sets = this.argValues.get(template) ?? [];
    const key = JSON.stringify(Object.keys(values).sort().map(k => [k, values[k]]));
    if (!sets.some(v => JSON.stringify(Object.keys(v).sort().map(k => [k, v[k]])) === key)) {
      sets.push({ ...values });
      this.argValues.set(template, sets);
      markChanged();
    }
  }

  /**
   * The arg values given with `addArgValues` for a template.
   *
   * @internal
   */
  public _argValuesOf(template: IAnalysisTemplate): ReadonlyArray<Record<string, string>> | undefined {
    return this.argValues.get(template);
  }

  /**
   * The effective `match[]`: the selectors given, then (when `autoAddAnalysisSeries`) `{__name__="<metric>"}` for
   * each metric the analyses query that they do not federate in full, and the `__name__` matchers alone of each
   * query selector that picks its metrics by a `__name__` regex (e.g. `{__name__=~"http_.*"}`).
   */
  public get match(): string[] {
    if (!this.autoAdd) return this.selectors.map(s => s.text);
    const added = [
      ...missingMetrics(this.selectors, this.analysisList, this.clusterLabel.labelName, a => this._argValuesOf(a)).map(m => m.selector),
      ...missingNameSelectors(this.selectors, this.analysisList).map(m => m.nameSelector),
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
   * The analysis templates evaluated against this Prometheus.
   */
  public get analyses(): IAnalysisTemplate[] {
    return [...this.analysisList];
  }

  /**
   * The federation job as a prometheus.yml `scrape_configs` entry. A JSON-shaped value handed to Prometheus, typed
   * `any` because its keys are Prometheus's snake_case names (`job_name`, `static_configs`…), which a jsii struct
   * cannot name.
   */
  public scrapeJob(): any {
    return renderScrapeJob(this.job());
  }

  /**
   * A complete prometheus.yml for the management Prometheus: `global` (scrape and evaluation interval, external
   * labels of the `configMap()` output) and the federation job.
   */
  public prometheusConfig(): string {
    return renderPrometheusConfig(this.job(), this.output._configMapOptions());
  }

  /**
   * Values for the prometheus-community `prometheus` chart: the federation job in the top-level
   * `extraScrapeConfigs` string (with `{{` escaped for the chart's `tpl` pass) and, for Secrets the job reads,
   * `server.extraSecretMounts` at `/etc/prometheus/secrets/<secret>/`. Pass to cdk8s's `Helm` construct as `values`
   * after every `addMatch()`/`addAnalysis()` call (Helm renders when it is constructed).
   */
  public helmChartValues(): PrometheusChartValues {
    return renderPrometheusChartValues(this.job());
  }

  /**
   * Values for kube-prometheus-stack: the federation job in `prometheus.prometheusSpec.additionalScrapeConfigs`
   * (a YAML string, with `{{` escaped for the chart's `tpl` pass) and the Secrets it reads in `prometheus.prometheusSpec.secrets`
   * (mounted at `/etc/prometheus/secrets/<secret>/`).
   */
  public kubePrometheusStackValues(): KubePrometheusStackValues {
    return renderKubePrometheusStackValues(this.job());
  }

  /**
   * The selectors given (`match` and `addMatch()`), parsed.
   *
   * @internal
   */
  public get _selectors(): MatchSelector[] {
    return this.selectors;
  }

  /**
   * The settings the rules read.
   *
   * @internal
   */
  public get _settings(): { autoAdd: boolean; skipMissing: boolean; allowFleetWide: boolean; dropLabels: string[] } {
    return { autoAdd: this.autoAdd, skipMissing: this.skipMissing, allowFleetWide: this.allowFleetWide, dropLabels: this.dropLabels };
  }

  private job(): FederationJob {
    return {
      jobName: this.jobName,
      scrapeInterval: this.scrapeInterval,
      scrapeTimeout: this.scrapeTimeout,
      scheme: this.scheme,
      match: this.match,
      authorization: this.authorization,
      tls: this.tls,
      dropLabels: this.dropLabels,
      targets: this.targets,
      clusterLabel: this.clusterLabel,
    };
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
    markChanged();
  }

  private checkDuration(prop: string, d: Duration): void {
    const p = durationProblem(d);
    if (p) throw propError(this, { prop, ...p });
  }
}
