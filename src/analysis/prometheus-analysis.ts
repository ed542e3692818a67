import { ApiObject, ApiObjectMetadata, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AnalysisArgument, AnalysisQueryFacts, IAnalysisTemplate, QueriedSeries, QuotedArgUse } from './analysis-template';
import { analysisPropsShape } from './input-shapes';
import { NoDataPolicy } from './metric-condition';
import { PrometheusMetric } from './prometheus-metric';
import { PrometheusServer } from './prometheus-server';
import { mergeSeries, queriedSeriesOf } from './promql-series';
import { queryFactsOf } from './query-facts';
import { TemplateArgument } from './template-argument';
import { definedMetadata, labelsAndAnnotationsProblems } from '../core/metadata';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { Problem, addProblemValidation, markChanged, propError, show, throwIfProblems } from '../core/problem';
import { analyzePromQL, quotedArgPlaceholders, replacePlaceholders, scanPlaceholders } from '../core/promql';
import { matcherRegexError } from '../core/re2';
import { checkStruct } from '../core/struct-shape';

/**
 * Props shared by every Prometheus analysis template.
 */
export interface PrometheusAnalysisOptions {
  /**
   * The Prometheus every metric of the template queries.
   */
  readonly prometheus: PrometheusServer;

  /**
   * Synthesize a ClusterAnalysisTemplate (cluster-scoped; Rollouts reference it with `clusterScope: true`) instead of
   * a namespaced AnalysisTemplate. One ClusterAnalysisTemplate on a federated Prometheus, in per-cluster mode, serves
   * every cluster.
   *
   * @default false
   */
  readonly clusterScope?: boolean;

  /**
   * Metadata of the template. `name` is what Rollouts put in `templates[].templateName`; `namespace` (namespaced
   * AnalysisTemplate only) must be the Rollout's namespace.
   *
   * @default - a name cdk8s generates from the construct path, and no namespace in the manifest (the namespace it is
   * applied to)
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * Args the template declares in addition to those its metrics and server declare themselves.
   *
   * @default - none
   */
  readonly args?: TemplateArgument[];
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
export class PrometheusAnalysis extends Construct implements IAnalysisTemplate {
  /**
   * `metadata.name` of the template.
   */
  public readonly templateName: string;

  /**
   * Whether this is a ClusterAnalysisTemplate.
   */
  public readonly clusterScope: boolean;

  /**
   * The Prometheus the metrics query.
   */
  public readonly prometheus: PrometheusServer;

  /**
   * The (Cluster)AnalysisTemplate object.
   */
  public readonly apiObject: ApiObject;

  private readonly metricEntries: MetricEntry[] = [];
  private readonly templateArgs: TemplateArgument[] = [];

  constructor(scope: Construct, id: string, props: PrometheusAnalysisProps) {
    super(scope, id);
    checkStruct(this, 'props', props, analysisPropsShape(new.target.name));
    this.clusterScope = props.clusterScope ?? false;
    this.prometheus = props.prometheus;
    const metadata = definedMetadata(props.metadata);
    throwIfProblems(this, labelsAndAnnotationsProblems('metadata', metadata));
    if (metadata.name !== undefined) {
      const p = checkDns1123Subdomain(metadata.name);
      if (p) throw propError(this, { prop: 'metadata.name', given: show(metadata.name), expected: p, fix: 'e.g. "success-rate"' });
    }
    if (metadata.namespace !== undefined) {
      if (this.clusterScope) {
        throw propError(this, {
          prop: 'metadata.namespace',
          given: show(metadata.namespace),
          expected: 'no namespace for a ClusterAnalysisTemplate (it is cluster-scoped)',
          fix: 'drop namespace or set clusterScope: false',
        });
      }
      const p = checkDns1123Label(metadata.namespace);
      if (p) throw propError(this, { prop: 'metadata.namespace', given: show(metadata.namespace), expected: p, fix: 'give the Rollout\'s namespace' });
    }
    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: this.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate',
      metadata: { ...metadata },
      // Rendered to a plain ApiObject: the generated L1 mappers drop plain numbers in int-or-string fields
      // (count, failureLimit, ...).
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    this.apiObject = resource;
    this.templateName = resource.name;
    for (const a of props.args ?? []) this.addArgument(a);
    for (const m of props.metrics ?? []) this.addMetric(m);
    addProblemValidation(this, () => this.synthProblems());
  }

  /**
   * Adds a metric.
   *
   * @throws if a single prop of the metric is invalid (count, limits, durations, threshold, names)
   */
  public addMetric(metric: PrometheusMetric): void {
    this._addMetric(metric, `metrics[${this.metricEntries.length}].`);
  }

  /**
   * Declares an arg.
   *
   * @throws if an arg of that name is already declared differently
   */
  public addArgument(argument: TemplateArgument): void {
    const existing = this.templateArgs.find(a => a.name === argument.name);
    if (existing && !existing._sameAs(argument)) {
      throw propError(this, {
        prop: `args[${this.templateArgs.length}]`,
        given: `${show(argument.name)} (${argument._describe()})`,
        expected: `one declaration per arg; it is already declared (${existing._describe()})`,
        fix: 'declare the arg once',
      });
    }
    if (!existing) {
      this.templateArgs.push(argument);
      markChanged();
    }
  }

  /**
   * The metrics, in order.
   */
  public get metrics(): PrometheusMetric[] {
    return this.metricEntries.map(e => e.metric);
  }

  /**
   * Every arg the template declares: its own, its metrics', its server's (Secret-backed), first declaration wins.
   */
  public get declaredArgs(): AnalysisArgument[] {
    return this.allArgs().map(a => a.toAnalysisArgument());
  }

  /**
   * The args a referencing Rollout must pass: declared without a default and not from a Secret.
   */
  public get requiredArgs(): string[] {
    return this.allArgs().filter(a => a.isRequired).map(a => a.name);
  }

  /**
   * `spec.metrics[].name`, in order.
   */
  public get metricNames(): string[] {
    return this.metricEntries.map(e => e.metric.metricName);
  }

  /**
   * Names of the metrics that run until the rollout completes (`interval` without `count`): such a template can only
   * be used in a background analysis, not in a canary step.
   */
  public get openEndedMetricNames(): string[] | undefined {
    return this.metricEntries.filter(e => e.metric.openEnded).map(e => e.metric.metricName);
  }

  /**
   * The shortest time a successful AnalysisRun of this template takes: the longest of its metrics'
   * `initialDelay + (count - 1) x interval` (metrics run in parallel); undefined when a metric is open-ended or
   * there are none.
   */
  public get minimumDuration(): Duration | undefined {
    const each = this.metricEntries.map(e => e.metric.minimumDuration);
    if (each.length === 0 || each.some(d => d === undefined)) return undefined;
    return Duration.seconds(Math.max(...each.map(d => d!.toSeconds({ integral: false }))));
  }

  /**
   * Metrics whose measurements can be Inconclusive: a threshold condition whose empty-result or NaN policy is
   * INCONCLUSIVE, or a custom success/failure condition pair (where neither holds, the measurement is Inconclusive).
   * An Inconclusive AnalysisRun pauses the Rollout until a person promotes or aborts it.
   */
  public get inconclusiveMetricNames(): string[] | undefined {
    return this.metricEntries.map(e => e.metric).filter(m => {
      const c = m.condition;
      return c.threshold !== undefined
        ? c.onNaN === NoDataPolicy.INCONCLUSIVE || c.onEmptyResult === NoDataPolicy.INCONCLUSIVE
        : c.successCondition !== undefined && c.failureCondition !== undefined;
    }).map(m => m.metricName);
  }

  /**
   * The args that land inside a string literal of a metric's query, with the quote around them.
   */
  public get quotedArgUses(): QuotedArgUse[] | undefined {
    return this.metricEntries.flatMap(e => quotedArgPlaceholders(e.metric.query)
      .map(q => ({ argName: q.name, metricName: e.metric.metricName, quote: q.quote })));
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
    const args = this.allArgs();
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
    throwIfProblems(this, metric._problems().map(p => ({ ...p, prop: `${prefix}${p.prop}` })));
    this.metricEntries.push({ metric, prefix });
    markChanged();
  }

  private allArgs(): TemplateArgument[] {
    const out: TemplateArgument[] = [];
    const add = (a: TemplateArgument) => {
      if (!out.some(o => o.name === a.name)) out.push(a);
    };
    this.templateArgs.forEach(add);
    this.metricEntries.forEach(e => e.metric.templateArguments.forEach(add));
    this.prometheus.templateArguments.forEach(add);
    return out;
  }

  /** Values for PromQL checks: defaults where known, otherwise the syntax-appropriate dummies of analyzePromQL. */
  private dummyValues(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const a of this.allArgs()) if (a.defaultValue !== undefined) values[a.name] = a.defaultValue;
    return values;
  }

  private synthProblems(): Problem[] {
    const problems: Problem[] = [];
    if (this.metricEntries.length === 0) {
      problems.push({ prop: 'metrics', given: '[]', expected: 'at least one metric', fix: 'pass metrics or call addMetric()' });
    }
    // Duplicate metric names (the controller rejects the AnalysisRun: "duplicate name").
    this.metricEntries.forEach((e, i) => {
      const first = this.metricEntries.findIndex(o => o.metric.metricName === e.metric.metricName);
      if (first !== i) {
        problems.push({
          prop: `${e.prefix}metricName`,
          given: show(e.metric.metricName),
          expected: `a name unique within the template (metrics[${first}] has it)`,
          fix: 'give the metric its own metricName',
        });
      }
    });
    // One declaration per arg across the template, its metrics and its server.
    const declarations: Array<{ arg: TemplateArgument; where: string }> = [
      ...this.templateArgs.map((arg, i) => ({ arg, where: `args[${i}]` })),
      ...this.metricEntries.flatMap(e => e.metric.templateArguments.map(arg => ({ arg, where: `${e.prefix}metric` }))),
      ...this.prometheus.templateArguments.map(arg => ({ arg, where: 'prometheus' })),
    ];
    declarations.forEach((d, i) => {
      const first = declarations.findIndex(o => o.arg.name === d.arg.name);
      if (first !== i && !declarations[first].arg._sameAs(d.arg)) {
        problems.push({
          prop: `args.${d.arg.name}`,
          given: `declared by ${d.where} (${d.arg._describe()}) and by ${declarations[first].where} (${declarations[first].arg._describe()})`,
          expected: 'one declaration per arg name',
          fix: 'use distinct arg names (e.g. serviceArgName, clusterArgName, argName) or identical declarations',
        });
      }
    });
    const args = this.allArgs();
    const declared = new Set(args.map(a => a.name));
    const used = new Set<string>();
    const provider = JSON.stringify(this.prometheus._toKube(''));
    const checkPlaceholders = (prop: string, text: string | undefined) => {
      if (text === undefined) return;
      for (const { inner } of scanPlaceholders(text)) {
        const m = /^args\.(.+)$/.exec(inner);
        if (m && declared.has(m[1])) {
          used.add(m[1]);
        } else {
          problems.push({
            prop,
            given: `placeholder {{${inner}}}`,
            expected: m
              ? `a placeholder naming a declared arg (${[...declared].join(', ') || 'none declared'}); the controller fails with "failed to resolve {{${inner}}}"`
              : 'only {{args.NAME}} placeholders (the controller cannot resolve any other in a template)',
            fix: m ? `declare it: args: [TemplateArgument.required('${m[1]}')], or fix the name` : 'remove it',
          });
        }
      }
    };
    checkPlaceholders('prometheus', provider);
    const values = this.dummyValues();
    for (const e of this.metricEntries) {
      const { metric, prefix } = e;
      checkPlaceholders(`${prefix}query`, metric.query);
      checkPlaceholders(`${prefix}successCondition`, metric.condition.successCondition);
      checkPlaceholders(`${prefix}failureCondition`, metric.condition.failureCondition);
      // an arg default lands in the query as raw text: inside a string literal it must not end the string
      const reported = new Set<string>();
      for (const q of quotedArgPlaceholders(metric.query)) {
        const value = args.find(a => a.name === q.name)?.defaultValue;
        if (value === undefined || reported.has(q.name) || !(value.includes(q.quote) || value.includes('\\') || /[\n\r]/.test(value))) continue;
        reported.add(q.name);
        problems.push({
          prop: `args.${q.name}`,
          given: `default ${show(value)}`,
          expected: `a value that stays inside the ${q.quote}…${q.quote} string of ${prefix}query: the controller substitutes args as raw text, `
            + `so ${q.quote === '`' ? 'a backquote' : 'a quote, a backslash or a line break'} ends the string and the rest becomes PromQL `
            + '(e.g. another matcher that widens the selector)',
          fix: 'give the plain label value, without quotes, backslashes or line breaks',
        });
      }
      const analysis = analyzePromQL(metric.query, values);
      for (const error of analysis.errors) {
        problems.push({
          prop: `${prefix}query`,
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
              prop: `${prefix}query`,
              given: `matcher ${m.name}${m.op}${show(m.value)}`,
              expected: `an RE2 regex (Prometheus rejects the query: ${err.message}; every measurement would Error and abort the rollout)`,
              fix: err.hint,
            });
          }
        }
      }
    }
    args.forEach((a) => {
      if (!used.has(a.name)) {
        problems.push({
          prop: `args.${a.name}`,
          given: `declared (${a._describe()})`,
          expected: 'an arg some metric uses as {{args.NAME}}',
          fix: `use it in a query or condition, or drop the declaration${a.isRequired ? ' (every Rollout would have to pass it for nothing)' : ''}`,
        });
      }
    });
    return problems;
  }

  private renderSpec(): Record<string, unknown> {
    const args = this.allArgs();
    const spec: Record<string, unknown> = {};
    if (args.length > 0) spec.args = args.map(a => a._toKube());
    spec.metrics = this.metricEntries.map(e => e.metric._toKube(this.prometheus._toKube(e.metric.query)));
    return spec;
  }
}
