import { Duration } from 'cdk8s';
import { emptyNumeratorOf } from './empty-numerator';
import { LATENCY_METRIC_OPTIONS, PROMETHEUS_QUERY_METRIC_PROPS, SUCCESS_RATE_METRIC_OPTIONS } from './input-shapes';
import { MetricCondition, NoDataPolicy } from './metric-condition';
import { MeasurementOptions, MetricOptions, metricNameProblems } from './metric-options';
import { PromQLType, shapeOfQuery } from './promql-shape';
import { TemplateArgument } from './template-argument';
import { AnalysisTemplateSpecMetricsProviderPrometheus } from '../../imports/rollouts-argoproj.io';
import { goDurationProblem, toGoDuration } from '../core/duration';
import { requireInstance, requireObject, requireString } from '../core/input-types';
import { checkPrometheusLabelName, checkPrometheusMetricName } from '../core/names';
import { Problem, show } from '../core/problem';
import { analyzePromQL } from '../core/promql';
import { matcherRegexError } from '../core/re2';
import { checkStruct, required } from '../core/struct-shape';

/**
 * Props of a metric over any PromQL query.
 */
export interface PrometheusQueryMetricProps extends MetricOptions {
  /**
   * The metric name (`metrics[].name`), unique across the templates merged into one AnalysisRun.
   */
  readonly metricName: string;

  /**
   * The PromQL query (Prometheus 2.x syntax). May use `{{args.NAME}}` placeholders for args the template declares.
   *
   * Threshold conditions (`MetricCondition.atLeast` …) read `result[0]`, so the query must return an instant vector
   * of at most one series: a top-level aggregation without grouping (`sum(…)`, `max(…)`, `(sum(…) or vector(0)) /
   * sum(…)`) or `histogram_quantile(q, sum by (le) (…))`. A scalar (`scalar(…)`, a number), a string, a range
   * vector or a query that may return several series (a bare selector, `sum by (pod) (…)`) is rejected; judge
   * several series with `MetricCondition.custom`, e.g. `len(result) > 0 && all(result, {# >= 0.95})`.
   */
  readonly query: string;

  /**
   * How a measurement is judged.
   */
  readonly condition: MetricCondition;
}

/**
 * Which series a service's queries read, and how a query is scoped to one cluster.
 */
export interface ServiceSelectorOptions {
  /**
   * The label that identifies the service in the request metrics.
   *
   * @default 'job'
   */
  readonly serviceLabel?: string;

  /**
   * Name of the template arg carrying the service's label value.
   *
   * @default 'service-name'
   */
  readonly serviceArgName?: string;

  /**
   * Default of the service arg. Without it the arg is required: every Rollout that references the template must
   * pass it.
   *
   * @default - no default: the arg is required
   */
  readonly serviceName?: string;

  /**
   * Per-cluster mode: the label that names the cluster a series comes from (e.g. the `cluster` external label of each
   * workload Prometheus, carried through federation). The query then also filters on
   * `<clusterLabel>="{{args.<clusterArgName>}}"`, so one (Cluster)AnalysisTemplate on a central Prometheus judges each
   * cluster on its own series.
   *
   * @default - no cluster filter: the query reads every series of the Prometheus it runs against
   */
  readonly clusterLabel?: string;

  /**
   * Name of the template arg carrying the cluster name (per-cluster mode only). It is always required: a default
   * would silently judge every cluster by one cluster's traffic.
   *
   * @default 'cluster'
   */
  readonly clusterArgName?: string;

  /**
   * The range the rate is taken over (`[window]`); at least twice the scrape interval of the series it reads.
   *
   * @default Duration.minutes(2)
   */
  readonly window?: Duration;

  /**
   * What an empty result counts as.
   *
   * @default NoDataPolicy.FAIL
   */
  readonly onEmptyResult?: NoDataPolicy;

  /**
   * What NaN (no requests in the window) counts as.
   *
   * @default NoDataPolicy.INCONCLUSIVE
   */
  readonly onNaN?: NoDataPolicy;
}

/**
 * Props of a success-rate metric.
 */
export interface SuccessRateMetricOptions extends MetricOptions, ServiceSelectorOptions {
  /**
   * The minimum ratio of non-error to all requests, in (0, 1].
   */
  readonly threshold: number;

  /**
   * The metric name.
   *
   * @default 'success-rate'
   */
  readonly metricName?: string;

  /**
   * The request counter.
   *
   * @default 'http_requests_total'
   */
  readonly requestMetric?: string;

  /**
   * The label holding the response status.
   *
   * @default 'status'
   */
  readonly statusLabel?: string;

  /**
   * Regex (RE2, fully anchored by Prometheus) of the status values that count as errors. Checked with RE2's
   * grammar: Perl-only syntax such as lookarounds (`5(?!04)..`), backreferences or possessive quantifiers is
   * rejected, because Prometheus rejects the query.
   *
   * @default '5..'
   */
  readonly errorStatusPattern?: string;
}

/**
 * The unit a latency histogram records.
 */
export enum HistogramUnit {
  /** Seconds (the Prometheus convention, `*_seconds_bucket`). */
  SECONDS = 'SECONDS',
  /** Milliseconds. */
  MILLISECONDS = 'MILLISECONDS',
}

/**
 * Props of a latency metric.
 */
export interface LatencyMetricOptions extends MetricOptions, ServiceSelectorOptions {
  /**
   * The quantile must be at most this latency.
   */
  readonly threshold: Duration;

  /**
   * The quantile, in (0, 1).
   *
   * @default 0.99
   */
  readonly quantile?: number;

  /**
   * The histogram's base name; the query reads `<histogramMetric>_bucket`.
   *
   * @default 'http_request_duration_seconds'
   */
  readonly histogramMetric?: string;

  /**
   * The histogram's unit.
   *
   * @default HistogramUnit.SECONDS
   */
  readonly histogramUnit?: HistogramUnit;

  /**
   * The metric name.
   *
   * @default 'latency'
   */
  readonly metricName?: string;
}

/** Escapes a string for a double-quoted PromQL string literal. */
function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * One Prometheus metric of an analysis template: the query, the condition and the measurement options.
 * Validated when it is added to a template, so messages carry the construct path and the metric's index.
 */
export class PrometheusMetric {
  /**
   * A metric over any PromQL query.
   */
  public static fromQuery(props: PrometheusQueryMetricProps): PrometheusMetric {
    checkStruct('PrometheusMetric.fromQuery', 'props', props, required(PROMETHEUS_QUERY_METRIC_PROPS));
    // callers without TypeScript (plain JS, Python dicts) get the one error shape, not a TypeError later
    requireObject('PrometheusMetric.fromQuery', 'props', props, 'pass { metricName, query, condition }');
    requireString('PrometheusMetric.fromQuery', 'metricName', props.metricName, 'pass the metric name, e.g. metricName: "error-rate"');
    requireString('PrometheusMetric.fromQuery', 'query', props.query, 'pass the PromQL query');
    requireInstance('PrometheusMetric.fromQuery', 'condition', props.condition, 'MetricCondition', (v: any) => typeof v._problems === 'function',
      'pass e.g. MetricCondition.atMost(0.01)');
    return new PrometheusMetric(props.metricName, props.query, props.condition, props, [], []);
  }

  /**
   * The ratio of non-error to all requests of a service over a window:
   * `(sum(rate(M{svc,status!~err}[w])) or vector(0)) / sum(rate(M{svc}[w]))`, passing when `result[0] >= threshold`.
   *
   * The `or vector(0)` makes a service whose every request failed measure 0 (Failed) rather than an empty result:
   * without it the numerator would have no series and the ratio would be empty, judged by `onEmptyResult` (which
   * would let a 100%-errors canary pass under `NoDataPolicy.PASS`). A service with no request series at all still
   * gives an empty result (the denominator is empty), and no requests in the window still give NaN (0/0).
   */
  public static successRate(props: SuccessRateMetricOptions): PrometheusMetric {
    checkStruct('PrometheusMetric.successRate', 'props', props, required(SUCCESS_RATE_METRIC_OPTIONS));
    const problems: Problem[] = [];
    const metric = props.requestMetric ?? 'http_requests_total';
    const statusLabel = props.statusLabel ?? 'status';
    const pattern = props.errorStatusPattern ?? '5..';
    checkMetricName(problems, 'requestMetric', metric);
    checkLabelName(problems, 'statusLabel', statusLabel);
    if (pattern.length === 0) {
      problems.push({ prop: 'errorStatusPattern', given: '""', expected: 'a non-empty regex', fix: 'e.g. "5.." for server errors' });
    } else {
      const err = matcherRegexError(pattern);
      if (err) {
        problems.push({
          prop: 'errorStatusPattern',
          given: show(pattern),
          expected: `an RE2 regex as Prometheus compiles it (it rejects this one: ${err.message}; every measurement would Error and abort the rollout)`,
          fix: err.hint,
        });
      }
    }
    if (!Number.isFinite(props.threshold) || props.threshold <= 0 || props.threshold > 1) {
      problems.push({
        prop: 'threshold',
        given: show(props.threshold),
        expected: 'a ratio in (0, 1], e.g. 0.95 for 95%',
        fix: 'give the success rate as a fraction, not a percentage',
      });
    }
    const sel = serviceSelector(problems, props);
    const w = sel.window;
    const errMatcher = `${statusLabel}!~${promString(pattern)}`;
    const num = `${metric}{${[...sel.matchers, errMatcher].join(',')}}`;
    const den = `${metric}{${sel.matchers.join(',')}}`;
    // `or vector(0)`: only-error traffic gives 0, not an empty numerator (and so an empty ratio).
    const query = `(sum(rate(${num}[${w}])) or vector(0)) / sum(rate(${den}[${w}]))`;
    const condition = MetricCondition.atLeast(props.threshold, { onEmptyResult: props.onEmptyResult, onNaN: props.onNaN });
    return new PrometheusMetric(props.metricName ?? 'success-rate', query, condition, props, sel.args, problems, props.clusterLabel);
  }

  /**
   * A latency quantile of a service from a histogram:
   * `histogram_quantile(q, sum by (le) (rate(H_bucket{svc}[w])))`, passing when `result[0] <= threshold`.
   */
  public static latency(props: LatencyMetricOptions): PrometheusMetric {
    checkStruct('PrometheusMetric.latency', 'props', props, required(LATENCY_METRIC_OPTIONS));
    const problems: Problem[] = [];
    const base = props.histogramMetric ?? 'http_request_duration_seconds';
    checkMetricName(problems, 'histogramMetric', base);
    const quantile = props.quantile ?? 0.99;
    if (!Number.isFinite(quantile) || quantile <= 0 || quantile >= 1) {
      problems.push({ prop: 'quantile', given: show(quantile), expected: 'a number in (0, 1), e.g. 0.99', fix: 'give the quantile as a fraction' });
    }
    const ms = props.threshold.toMilliseconds({ integral: false });
    if (!Number.isFinite(ms) || ms <= 0) {
      problems.push({ prop: 'threshold', given: `${ms}ms`, expected: 'a positive duration', fix: 'e.g. Duration.millis(500)' });
    }
    const unit = props.histogramUnit ?? HistogramUnit.SECONDS;
    const threshold = unit === HistogramUnit.SECONDS ? ms / 1000 : ms;
    const sel = serviceSelector(problems, props);
    const query = `histogram_quantile(${quantile}, sum by (le) (rate(${base}_bucket{${sel.matchers.join(',')}}[${sel.window}])))`;
    const condition = MetricCondition.atMost(threshold, { onEmptyResult: props.onEmptyResult, onNaN: props.onNaN });
    return new PrometheusMetric(props.metricName ?? 'latency', query, condition, props, sel.args, problems, props.clusterLabel);
  }

  /**
   * The metric name.
   */
  public readonly metricName: string;

  /**
   * The query as the template renders it, with `{{args.NAME}}` placeholders.
   */
  public readonly query: string;

  /**
   * The condition.
   */
  public readonly condition: MetricCondition;

  /**
   * The args the metric itself declares (e.g. the service and cluster args of `successRate`).
   */
  public readonly templateArguments: TemplateArgument[];

  /**
   * Per-cluster mode (`successRate`/`latency` with `clusterLabel`): the label the query filters on to judge one
   * cluster; undefined otherwise (including `fromQuery`).
   */
  public readonly clusterLabel?: string;

  private readonly measurement: MeasurementOptions;
  private readonly construction: Problem[];

  private constructor(metricName: string, query: string, condition: MetricCondition, options: MetricOptions,
    args: TemplateArgument[], problems: Problem[], clusterLabel?: string) {
    this.metricName = metricName;
    this.clusterLabel = clusterLabel;
    this.query = query;
    this.condition = condition;
    this.measurement = new MeasurementOptions(options);
    this.templateArguments = args;
    this.construction = problems;
  }

  /**
   * Whether the metric runs until the rollout completes (`interval` without `count`): usable only in a background
   * analysis; a canary step analysis must end.
   */
  public get openEnded(): boolean {
    return this.measurement.openEnded;
  }

  /**
   * The shortest time the metric takes to succeed: `initialDelay + (n - 1) x interval` (the first measurement
   * is taken after `initialDelay`, then one every `interval`), `n` being `count` or `consecutiveSuccessLimit` when
   * that is smaller; undefined when the metric is open-ended.
   */
  public get minimumDuration(): Duration | undefined {
    return this.measurement.minimumDuration;
  }

  /**
   * The measurement options.
   *
   * @internal
   */
  public get _measurement(): MeasurementOptions {
    return this.measurement;
  }

  /**
   * Single-metric problems, props relative to the metric.
   *
   * @internal
   */
  public _problems(): Problem[] {
    const problems: Problem[] = [...this.construction];
    problems.push(...metricNameProblems(this.metricName, 'success-rate'));
    if (this.query.trim().length === 0) {
      problems.push({ prop: 'query', given: show(this.query), expected: 'a PromQL query', fix: 'write the query' });
    }
    problems.push(...this.condition._problems());
    problems.push(...this.resultShapeProblems());
    problems.push(...this.measurement.problems());
    return problems;
  }

  /**
   * A threshold condition judges `result[0]` of an instant vector: reject queries that return something else or may
   * return several series. Queries that do not parse are left to the template's synth-time PromQL check.
   */
  private resultShapeProblems(): Problem[] {
    if (!this.condition._judgesFirstSeries() || this.query.trim().length === 0) return [];
    const parsed = analyzePromQL(this.query);
    const shape = parsed.errors.length === 0 ? shapeOfQuery(parsed.parsed) : undefined;
    if (!shape) return [];
    if (shape.type === PromQLType.SCALAR) {
      return [{
        prop: 'query',
        given: `${show(this.query)} (a scalar)`,
        expected: 'an instant-vector query for a threshold condition (the controller hands a scalar to the condition as a bare number, '
          + 'so len(result) and result[0] fail every measurement with an Error and the rollout aborts)',
        fix: 'return a vector: e.g. sum(…) instead of scalar(sum(…)), vector(1) instead of 1',
      }];
    }
    if (shape.type !== PromQLType.VECTOR) {
      return [{
        prop: 'query',
        given: `${show(this.query)} (a ${shape.type})`,
        expected: shape.type === PromQLType.STRING
          ? 'an instant-vector query for a threshold condition (the controller errors on a string result: "Prometheus metric type not supported")'
          : 'an instant-vector query for a threshold condition (a range vector\'s samples are flattened into result, so result[0] would be '
            + 'the oldest sample of the first series)',
        fix: shape.type === PromQLType.STRING ? 'query a metric' : 'apply a function over the range, e.g. sum(rate(x[5m])) instead of x[5m]',
      }];
    }
    const empty = shape.type === PromQLType.VECTOR && !this.condition._emptyResultChosen() ? emptyNumeratorOf(parsed.parsed) : undefined;
    if (empty) {
      return [{
        prop: 'query',
        given: `${show(this.query)} (its numerator ${empty.numerator} has no series while nothing matches ${empty.matcher}, e.g. no errors)`,
        expected: 'a ratio that is not an empty result on healthy traffic: an empty numerator makes the whole ratio empty, and the '
          + 'default onEmptyResult (NoDataPolicy.FAIL) fails the measurement and aborts a healthy canary',
        fix: `give the numerator a fallback: (${empty.numerator} or vector(0)) / …; or choose onEmptyResult explicitly in the condition`,
      }];
    }
    if (!shape.single) {
      return [{
        prop: 'query',
        given: `${show(this.query)} (may return several series)`,
        expected: 'a query that returns at most one series for a threshold condition (it judges result[0] only: with several series it '
          + 'judges whichever one Prometheus lists first and ignores the others)',
        fix: 'aggregate at the top without by/without, e.g. sum(…), max(…) or histogram_quantile(q, sum by (le) (…)); or judge every '
          + 'series with MetricCondition.custom, e.g. successCondition "len(result) > 0 && all(result, {# >= 0.95})"',
      }];
    }
    return [];
  }

  /**
   * `spec.metrics[]` entry. Not the L1's `AnalysisTemplateSpecMetrics`: its int-or-string fields (`count`,
   * `failureLimit`…) are wrapper classes whose mappers drop plain numbers.
   *
   * @internal
   */
  public _toKube(provider: AnalysisTemplateSpecMetricsProviderPrometheus): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.metricName, ...this.measurement.renderSchedule() };
    const success = this.condition.successCondition;
    const failure = this.condition.failureCondition;
    if (success !== undefined) out.successCondition = success;
    if (failure !== undefined) out.failureCondition = failure;
    Object.assign(out, this.measurement.renderLimits());
    out.provider = { prometheus: provider };
    return out;
  }
}

function checkMetricName(problems: Problem[], prop: string, name: string): void {
  const problem = checkPrometheusMetricName(name);
  if (problem) {
    problems.push({ prop, given: show(name), expected: problem, fix: 'e.g. "http_requests_total"' });
  }
}

function checkLabelName(problems: Problem[], prop: string, name: string): void {
  if (checkPrometheusLabelName(name) !== undefined) {
    problems.push({
      prop,
      given: show(name),
      expected: 'a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__")',
      fix: 'use the label as it appears on the series, e.g. "job"',
    });
  }
}

interface SelectorParts {
  readonly matchers: string[];
  readonly args: TemplateArgument[];
  readonly window: string;
}

function serviceSelector(problems: Problem[], props: ServiceSelectorOptions): SelectorParts {
  const serviceLabel = props.serviceLabel ?? 'job';
  checkLabelName(problems, 'serviceLabel', serviceLabel);
  const args: TemplateArgument[] = [];
  const serviceArg = argument(problems, 'serviceArgName', props.serviceArgName ?? 'service-name', props.serviceName, 'serviceName');
  if (serviceArg) args.push(serviceArg);
  const matchers = [`${serviceLabel}="{{args.${props.serviceArgName ?? 'service-name'}}}"`];
  if (props.clusterLabel !== undefined) {
    checkLabelName(problems, 'clusterLabel', props.clusterLabel);
    const clusterArgName = props.clusterArgName ?? 'cluster';
    if (props.clusterLabel === serviceLabel) {
      problems.push({ prop: 'clusterLabel', given: show(props.clusterLabel), expected: 'a label other than serviceLabel', fix: 'name the label that carries the cluster' });
    }
    if (clusterArgName === (props.serviceArgName ?? 'service-name')) {
      problems.push({ prop: 'clusterArgName', given: show(clusterArgName), expected: 'an arg name other than serviceArgName', fix: 'e.g. "cluster"' });
    }
    const clusterArg = argument(problems, 'clusterArgName', clusterArgName, undefined, undefined);
    if (clusterArg) args.push(clusterArg);
    matchers.push(`${props.clusterLabel}="{{args.${clusterArgName}}}"`);
  } else if (props.clusterArgName !== undefined) {
    problems.push({
      prop: 'clusterArgName',
      given: show(props.clusterArgName),
      expected: 'clusterLabel to be set as well (the arg is only used in per-cluster mode)',
      fix: 'set clusterLabel, e.g. "cluster", or drop clusterArgName',
    });
  }
  const window = props.window ?? Duration.minutes(2);
  let rendered = '2m';
  if (goDurationProblem(window) === undefined && window.toMilliseconds({ integral: false }) >= 1000) {
    rendered = toGoDuration(window);
  } else {
    problems.push({ prop: 'window', given: `${window.toMilliseconds({ integral: false })}ms`, expected: goDurationProblem(window) ?? 'a whole number of milliseconds ≥ 1s', fix: 'e.g. Duration.minutes(2)' });
  }
  return { matchers, args, window: rendered };
}

function argument(problems: Problem[], prop: string, name: string, defaultValue: string | undefined, defaultProp: string | undefined):
TemplateArgument | undefined {
  const found = TemplateArgument._problems(name, defaultValue);
  if (found.name) {
    problems.push({ prop, given: show(name), expected: 'letters, digits, "_", "." or "-" (what a {{args.NAME}} placeholder can name)', fix: 'e.g. "service-name"' });
  } else if (found.defaultValue) {
    problems.push({ prop: defaultProp ?? prop, given: show(defaultValue), expected: 'a non-empty value', fix: 'omit it to make the arg required' });
  }
  if (found.name || found.defaultValue) return undefined;
  return defaultValue === undefined ? TemplateArgument.required(name) : TemplateArgument.withDefault(name, defaultValue);
}
