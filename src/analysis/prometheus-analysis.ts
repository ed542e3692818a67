import { Construct } from 'constructs';
import { AnalysisQueryFacts, QueriedSeries } from './analysis-template';
import { AnalysisTemplateBase, AnalysisTemplateOptions } from './analysis-template-base';
import { NoDataPolicy } from './metric-condition';
import { PrometheusMetric } from './prometheus-metric';
import { PrometheusServer } from './prometheus-server';
import { mergeSeries, queriedSeriesOf } from './promql-series';
import { queryFactsOf } from './query-facts';
import { TemplateArgument } from './template-argument';
import { Problem, propError, show } from '../core/problem';
import { analyzePromQL, quotedArgPlaceholders, replacePlaceholders } from '../core/promql';
import { matcherRegexError } from '../core/re2';
import { checkStruct, instance, required } from '../core/struct-shape';

/**
 * Props shared by every Prometheus analysis template. With `clusterScope`, one ClusterAnalysisTemplate on a federated
 * Prometheus, in per-cluster mode, serves every cluster.
 */
export interface PrometheusAnalysisOptions extends AnalysisTemplateOptions {
  /**
   * The Prometheus every metric of the template queries.
   */
  readonly prometheus: PrometheusServer;
}

/**
 * Props of a `PrometheusAnalysis`.
 */
export interface PrometheusAnalysisProps extends PrometheusAnalysisOptions {
  /**
   * The metrics. More can be added with `addMetric`.
   *
   * @default - none; add at least one before synthesis
   */
  readonly metrics?: PrometheusMetric[];
}

interface MetricEntry {
  readonly metric: PrometheusMetric;
  /** Prop prefix in messages: `metrics[i].` or '' for the metric a subclass builds from its own props. */
  readonly prefix: string;
}

/**
 * An AnalysisTemplate or ClusterAnalysisTemplate whose metrics query Prometheus. Checked at synth: every
 * `{{args.x}}` placeholder names a declared arg, every query is valid Prometheus 2.x PromQL after substitution
 * (including RE2 syntax in every `=~` / `!~` matcher), metric names are unique and every declared arg is used (the
 * rules and their sources: docs/rules/prometheus.md).
 */
export class PrometheusAnalysis extends AnalysisTemplateBase {
  /**
   * The Prometheus the metrics query.
   */
  public readonly prometheus: PrometheusServer;

  private readonly metricEntries: MetricEntry[] = [];

  constructor(scope: Construct, id: string, props: PrometheusAnalysisProps) {
    super(scope, id, props);
    this.prometheus = props.prometheus;
    for (const m of props.metrics ?? []) this.addMetric(m);
  }

  /**
   * Adds a metric.
   *
   * @throws if a single prop of the metric is invalid (count, limits, durations, threshold, names)
   */
  public addMetric(metric: PrometheusMetric): void {
    checkStruct(this, 'metric', metric, required(instance('PrometheusMetric', 'PrometheusMetric.successRate({ threshold: 0.95 })')));
    this._addMetric(metric, `metrics[${this.metricEntries.length}].`);
  }

  /**
   * The metrics, in order.
   */
  public get metrics(): PrometheusMetric[] {
    return this.metricEntries.map(e => e.metric);
  }

  /**
   * Per-cluster mode: the cluster label the metrics filter on (`clusterLabel` of a success-rate or latency metric),
   * the first one when several metrics set it; undefined when no metric filters by cluster.
   */
  public get perClusterLabel(): string | undefined {
    return this.metricEntries.map(e => e.metric.clusterLabel).find(l => l !== undefined);
  }

  /**
   * The series the queries read (metric name + label names used in matchers and groupings), merged by metric name.
   * A metric name given by an arg without default is not known and left out.
   */
  public get queriedSeries(): QueriedSeries[] {
    const values = this.dummyValues();
    return mergeSeries(this.metricEntries.map((e) => {
      const parsed = analyzePromQL(e.metric.query, values);
      // a metric name that comes from an arg without default (`{__name__="{{args.m}}"}`) is not known: it would be the
      // dummy of the substitution, so the names are taken from a second substitution that must agree
      const other = { ...values };
      for (const name of parsed.argPlaceholders) if (other[name] === undefined) other[name] = 'unknown_arg_value';
      const check = new Set(queriedSeriesOf(analyzePromQL(e.metric.query, other).parsed).map(s => s.metricName));
      return queriedSeriesOf(parsed.parsed).filter(s => check.has(s.metricName));
    }));
  }

  /**
   * What the PromQL parser tells about the queries (range windows, selectors by `__name__` regex), read with the arg
   * defaults.
   */
  public get queryFacts(): AnalysisQueryFacts | undefined {
    return queryFactsOf(this.declaredArgs, this.metrics);
  }

  /**
   * The exact query of a metric as the controller sends it, with the arg values a Rollout would pass substituted
   * (args not given take their template default).
   *
   * @param metricName the metric
   * @param argValues values of the args, by name
   * @throws if the metric does not exist, an arg is not declared, or a placeholder stays unresolved
   */
  public renderQuery(metricName: string, argValues: { [name: string]: string } = {}): string {
    const entry = this.metricEntries.find(e => e.metric.metricName === metricName);
    if (!entry) {
      throw propError(this, { prop: 'metricName', given: show(metricName), expected: `one of ${show(this.metricNames)}`, fix: 'name a metric of this template' });
    }
    const args = this._allArgs();
    for (const name of Object.keys(argValues)) {
      if (!args.some(a => a.name === name)) {
        throw propError(this, {
          prop: `argValues.${name}`,
          given: show(argValues[name]),
          expected: `an arg the template declares (${args.map(a => a.name).join(', ') || 'none'})`,
          fix: 'drop it or fix its name',
        });
      }
    }
    return replacePlaceholders(entry.metric.query, ({ inner }) => {
      const m = /^args\.(.+)$/.exec(inner);
      const arg = m ? args.find(a => a.name === m[1]) : undefined;
      const value = m ? argValues[m[1]] ?? arg?.defaultValue : undefined;
      if (value === undefined) {
        throw propError(this, {
          prop: `argValues.${m ? m[1] : inner}`,
          given: 'missing',
          expected: `a value for {{${inner}}} in the query of metric ${show(metricName)}`,
          fix: 'pass it in argValues',
        });
      }
      return value;
    });
  }

  /**
   * Adds a metric; `prefix` names it in messages.
   *
   * @internal
   */
  protected _addMetric(metric: PrometheusMetric, prefix: string): void {
    this._addTemplateMetric({
      metricName: metric.metricName,
      prefix,
      measurement: metric._measurement,
      args: metric.templateArguments,
      texts: () => [
        { prop: 'query', text: metric.query },
        { prop: 'successCondition', text: metric.condition.successCondition },
        { prop: 'failureCondition', text: metric.condition.failureCondition },
      ],
      argUses: () => quotedArgPlaceholders(metric.query).map(q => ({ argName: q.name, metricName: metric.metricName, quote: q.quote })),
      inconclusive: () => {
        const c = metric.condition;
        return c.threshold !== undefined
          ? c.onNaN === NoDataPolicy.INCONCLUSIVE || c.onEmptyResult === NoDataPolicy.INCONCLUSIVE
          : c.successCondition !== undefined && c.failureCondition !== undefined;
      },
      problems: () => metric._problems(),
      synthProblems: () => this.queryProblems(metric),
      render: () => metric._toKube(this.prometheus._toKube(metric.query)),
    });
    this.metricEntries.push({ metric, prefix });
  }

  /** @internal */
  protected _extraArgDeclarations(): Array<{ arg: TemplateArgument; where: string }> {
    return this.prometheus.templateArguments.map(arg => ({ arg, where: 'prometheus' }));
  }

  /** @internal */
  protected _extraTexts(): Array<{ prop: string; text: string | undefined }> {
    return [{ prop: 'prometheus', text: JSON.stringify(this.prometheus._toKube('')) }];
  }

  /** Values for PromQL checks: defaults where known, otherwise the syntax-appropriate dummies of analyzePromQL. */
  private dummyValues(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const a of this._allArgs()) if (a.defaultValue !== undefined) values[a.name] = a.defaultValue;
    return values;
  }

  /** The query is valid PromQL after substitution, and its regex matchers RE2; props relative to the metric. */
  private queryProblems(metric: PrometheusMetric): Problem[] {
    const problems: Problem[] = [];
    const analysis = analyzePromQL(metric.query, this.dummyValues());
    for (const error of analysis.errors) {
      problems.push({
        prop: 'query',
        given: show(metric.query),
        expected: `valid Prometheus 2.x PromQL after substituting the args (${error}; parsed ${show(analysis.parsed)})`,
        fix: 'fix the query; check it with promtool or the Prometheus UI',
      });
    }
    // Regex matchers: Prometheus compiles them with Go's RE2, which has no Perl-only syntax (a JS RegExp check
    // would accept lookarounds and backreferences).
    for (const selector of analysis.selectors) {
      for (const m of selector.matchers) {
        if (m.op !== '=~' && m.op !== '!~') continue;
        const err = matcherRegexError(m.value);
        if (err) {
          problems.push({
            prop: 'query',
            given: `matcher ${m.name}${m.op}${show(m.value)}`,
            expected: `an RE2 regex (Prometheus rejects the query: ${err.message}; every measurement would Error and abort the rollout)`,
            fix: err.hint,
          });
        }
      }
    }
    return problems;
  }
}
