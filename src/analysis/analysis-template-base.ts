import { ApiObject, ApiObjectMetadata, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AnalysisArgument, AnalysisQueryFacts, IAnalysisTemplate, QueriedSeries, QuotedArgUse } from './analysis-template';
import { argUseViolation } from './arg-use';
import { analysisPropsShape } from './input-shapes';
import { MeasurementOptions } from './metric-options';
import { TemplateArgument } from './template-argument';
import { INT32_MAX } from '../core/bounds';
import { optionalArray, optionalBoolean, optionalObject, requireNumber, requireString } from '../core/input-types';
import { definedMetadata, labelsAndAnnotationsProblems } from '../core/metadata';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { Problem, addProblemValidation, markChanged, propError, show, throwIfProblems } from '../core/problem';
import { scanPlaceholders } from '../core/promql';
import { goRegExp, re2Error } from '../core/re2';
import { checkStruct, instance, required } from '../core/struct-shape';

/**
 * A measurement-retention rule of a template (`spec.measurementRetention[]`): how many measurements the AnalysisRun
 * keeps for the metrics whose names match.
 */
export interface MeasurementRetention {
  /**
   * The metrics it applies to: an unanchored Go (RE2) regular expression over metric names (`.*` for all; `smoke`
   * also matches `smoke-eu`). It must match at least one metric of the template.
   */
  readonly metricName: string;

  /**
   * Measurements kept per matching metric, 1..int32.
   */
  readonly limit: number;
}

/**
 * Props every analysis template takes, whatever its metrics query.
 */
export interface AnalysisTemplateOptions {
  /**
   * Synthesize a ClusterAnalysisTemplate (cluster-scoped; Rollouts reference it with `clusterScope: true`) instead of
   * a namespaced AnalysisTemplate.
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
   * Args the template declares in addition to those its metrics declare themselves.
   *
   * @default - none
   */
  readonly args?: TemplateArgument[];

  /**
   * Metrics evaluated in dry-run mode (`spec.dryRun[].metricName`): their failures are recorded but do not fail the
   * AnalysisRun. Each entry is an unanchored Go (RE2) regular expression over the template's metric names and must
   * match at least one of them (the AnalysisRun errors otherwise: "Rule didn't match any metric name(s)"); `.*`
   * selects all, a bare `*` is not a regular expression. Merged with the Rollout's own `dryRunMetrics`.
   *
   * @default - none: every metric counts
   */
  readonly dryRunMetrics?: string[];

  /**
   * How many measurements the AnalysisRun keeps per metric (`spec.measurementRetention[]`).
   *
   * @default - none: the controller keeps the last 10 measurements of every metric
   */
  readonly measurementRetention?: MeasurementRetention[];
}

/**
 * One metric of a template as the template sees it, whatever its provider.
 *
 * @internal
 */
export interface TemplateMetric {
  readonly metricName: string;
  /** Prop prefix in messages: `metrics[i].` or '' for the metric a construct builds from its own props. */
  readonly prefix: string;
  readonly measurement: MeasurementOptions;
  /** The args the metric declares itself. */
  readonly args: TemplateArgument[];
  /** Every text the controller resolves placeholders in, with the prop that names it. */
  readonly texts: () => Array<{ prop: string; text: string | undefined }>;
  /** Where its args land as raw text. */
  readonly argUses: () => QuotedArgUse[];
  /** Whether a measurement can be Inconclusive. */
  readonly inconclusive: () => boolean;
  /** Single-metric problems including the name and measurement options', props relative to the metric (checked when it is added). */
  readonly problems: () => Problem[];
  /** Problems that need the template's args (checked at synth), props relative to the metric. */
  readonly synthProblems: (args: TemplateArgument[]) => Problem[];
  /** `spec.metrics[]` entry. */
  readonly render: () => Record<string, unknown>;
}

/** Go regular expressions the controller compiles with `regexp.MatchString`: a bound on their length. */
const MAX_RULE_LENGTH = 253;

/**
 * An AnalysisTemplate or ClusterAnalysisTemplate of this library: metadata, args, the template-level `dryRun` and
 * `measurementRetention`, and the checks every template gets at synth whatever its metrics query (every `{{...}}`
 * placeholder names a declared arg, every declared arg is used, metric names are unique, a default stays inside where
 * it lands). Subclasses own their metrics: `PrometheusAnalysis`, `WebAnalysis`, `JobAnalysis`.
 */
export abstract class AnalysisTemplateBase extends Construct implements IAnalysisTemplate {
  /**
   * `metadata.name` of the template.
   */
  public readonly templateName: string;

  /**
   * Whether this is a ClusterAnalysisTemplate.
   */
  public readonly clusterScope: boolean;

  /**
   * The (Cluster)AnalysisTemplate object.
   */
  public readonly apiObject: ApiObject;

  private readonly templateMetrics: TemplateMetric[] = [];
  private readonly templateArgs: TemplateArgument[] = [];
  private readonly dryRun: string[];
  private readonly retention: MeasurementRetention[];

  protected constructor(scope: Construct, id: string, props: AnalysisTemplateOptions) {
    super(scope, id);
    checkStruct(this, 'props', props, analysisPropsShape(new.target.name));
    const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    optionalBoolean(where, 'clusterScope', props.clusterScope);
    optionalObject(where, 'metadata', props.metadata);
    optionalArray(where, 'args', props.args);
    optionalArray(where, 'dryRunMetrics', props.dryRunMetrics, (v, p) => requireString(where, p, v, 'pass a metric-name regex, e.g. "smoke"'));
    optionalArray(where, 'measurementRetention', props.measurementRetention, (v, p) => {
      optionalObject(where, p, v);
      requireString(where, `${p}.metricName`, (v as any)?.metricName, 'pass a metric-name regex, e.g. ".*"');
      requireNumber(where, `${p}.limit`, (v as any)?.limit, 'pass the number of measurements to keep, e.g. 20');
    });
    this.clusterScope = props.clusterScope ?? false;
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
    this.dryRun = [...(props.dryRunMetrics ?? [])];
    this.retention = (props.measurementRetention ?? []).map(r => ({ metricName: r.metricName, limit: r.limit }));
    this.ruleProblems().forEach((p) => {
      throw propError(this, p);
    });
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
    addProblemValidation(this, () => this.synthProblems());
  }

  /**
   * Declares an arg.
   *
   * @throws if an arg of that name is already declared differently
   */
  public addArgument(argument: TemplateArgument): void {
    checkStruct(this, 'argument', argument, required(instance('TemplateArgument', 'TemplateArgument.required("service-name")')));
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
   * Every arg the template declares: its own, then its metrics' (and, for Prometheus, its server's), first
   * declaration wins.
   */
  public get declaredArgs(): AnalysisArgument[] {
    return this._allArgs().map(a => a.toAnalysisArgument());
  }

  /**
   * The args a referencing Rollout must pass: declared without a default and not from a Secret.
   */
  public get requiredArgs(): string[] {
    return this._allArgs().filter(a => a.isRequired).map(a => a.name);
  }

  /**
   * `spec.metrics[].name`, in order.
   */
  public get metricNames(): string[] {
    return this.templateMetrics.map(m => m.metricName);
  }

  /**
   * The metric-name regexes of the template's `dryRun`.
   */
  public get dryRunMetrics(): string[] {
    return [...this.dryRun];
  }

  /**
   * Names of the metrics that run until the rollout completes (`interval` without `count`): such a template can only
   * be used in a background analysis, not in a canary step.
   */
  public get openEndedMetricNames(): string[] | undefined {
    return this.templateMetrics.filter(m => m.measurement.openEnded).map(m => m.metricName);
  }

  /**
   * The shortest time a successful AnalysisRun of this template takes: the longest of its metrics'
   * `initialDelay + (n - 1) x interval` (metrics run in parallel); undefined when a metric is open-ended or there
   * are none.
   */
  public get minimumDuration(): Duration | undefined {
    const each = this.templateMetrics.map(m => m.measurement.minimumDuration);
    if (each.length === 0 || each.some(d => d === undefined)) return undefined;
    return Duration.seconds(Math.max(...each.map(d => d!.toSeconds({ integral: false }))));
  }

  /**
   * Metrics whose measurements can be Inconclusive (by their conditions, or a `consecutiveSuccessLimit` not reached
   * within `count` while `failureLimit` ≥ 0). An Inconclusive AnalysisRun pauses the Rollout until a person promotes
   * or aborts it.
   */
  public get inconclusiveMetricNames(): string[] | undefined {
    return this.templateMetrics.filter(m => m.inconclusive() || m.measurement.inconclusiveWhenExhausted).map(m => m.metricName);
  }

  /**
   * Where the template's args land as raw text (a query's string literals, a URL's parts, headers, bodies,
   * conditions): a value a Rollout passes must stay there.
   */
  public get quotedArgUses(): QuotedArgUse[] | undefined {
    return this.templateMetrics.flatMap(m => m.argUses());
  }

  /**
   * The Prometheus series the template's queries read; none for metrics that query no Prometheus.
   */
  public get queriedSeries(): QueriedSeries[] {
    return [];
  }

  /**
   * Per-cluster mode: the label the template's queries filter on to judge one cluster; none for metrics that query no
   * Prometheus.
   */
  public get perClusterLabel(): string | undefined {
    return undefined;
  }

  /**
   * What the PromQL parser tells about the template's queries; none for metrics that query no Prometheus.
   */
  public get queryFacts(): AnalysisQueryFacts | undefined {
    return undefined;
  }

  /**
   * Adds a metric; `prefix` names it in messages.
   *
   * @internal
   */
  protected _addTemplateMetric(metric: TemplateMetric): void {
    const problems = metric.problems().map(p => ({ ...p, prop: `${metric.prefix}${p.prop}` }));
    if (problems.length > 0) throw propError(this, problems[0]);
    this.templateMetrics.push(metric);
    markChanged();
  }

  /**
   * Args declared outside the template and its metrics (e.g. by a Prometheus server), with where they come from.
   *
   * @internal
   */
  protected _extraArgDeclarations(): Array<{ arg: TemplateArgument; where: string }> {
    return [];
  }

  /**
   * Texts outside the metrics' own that the controller resolves placeholders in (e.g. a Prometheus server's
   * address and headers), rendered per metric.
   *
   * @internal
   */
  protected _extraTexts(): Array<{ prop: string; text: string | undefined }> {
    return [];
  }

  /**
   * Every declared arg, first declaration wins.
   *
   * @internal
   */
  protected _allArgs(): TemplateArgument[] {
    const out: TemplateArgument[] = [];
    const add = (a: TemplateArgument) => {
      if (!out.some(o => o.name === a.name)) out.push(a);
    };
    this.templateArgs.forEach(add);
    this.templateMetrics.forEach(m => m.args.forEach(add));
    this._extraArgDeclarations().forEach(d => add(d.arg));
    return out;
  }

  /** dryRun / measurementRetention rules on their own (A13's regex half, bounds). */
  private ruleProblems(): Problem[] {
    const problems: Problem[] = [];
    const check = (prop: string, re: string) => {
      if (re === '*') {
        problems.push({
          prop,
          given: '"*"',
          expected: 'a Go regular expression: the controller matches metric names with regexp.MatchString, where a bare "*" is invalid and matches '
            + 'nothing (the AnalysisRun errors: "Rule didn\'t match any metric name(s)"), although the field\'s comment says "*" is a wildcard',
          fix: 'use ".*" for every metric',
        });
        return;
      }
      if (re.length === 0 || re.length > MAX_RULE_LENGTH) {
        problems.push({ prop, given: show(re), expected: `a regular expression of 1..${MAX_RULE_LENGTH} characters`, fix: 'name the metric(s), e.g. "smoke" or ".*"' });
        return;
      }
      const err = re2Error(re);
      if (err) {
        problems.push({ prop, given: show(re), expected: `a Go (RE2) regular expression (rejected: ${err.message}; it would match no metric)`, fix: err.hint });
      }
    };
    this.dryRun.forEach((re, i) => check(`dryRunMetrics[${i}]`, re));
    this.retention.forEach((r, i) => {
      check(`measurementRetention[${i}].metricName`, r.metricName);
      if (!Number.isInteger(r.limit) || r.limit < 1 || r.limit > INT32_MAX) {
        problems.push({
          prop: `measurementRetention[${i}].limit`,
          given: show(r.limit),
          expected: `an integer 1..${INT32_MAX} (the controller ignores a limit ≤ 0 and keeps its default of 10 measurements)`,
          fix: 'give the number of measurements to keep, e.g. 20',
        });
      }
    });
    const seen = (list: string[], prop: string, what: string) => list.forEach((n, i) => {
      const first = list.indexOf(n);
      if (first !== i) {
        problems.push({
          prop: `${prop}[${i}]`,
          given: show(n),
          expected: `one rule per metric name (the controller rejects the run: "two ${what} metric rules have the same name '${n}'")`,
          fix: 'drop the duplicate',
        });
      }
    });
    seen(this.dryRun, 'dryRunMetrics', 'Dry-Run');
    seen(this.retention.map(r => r.metricName), 'measurementRetention', 'Measurement Retention');
    return problems;
  }

  private synthProblems(): Problem[] {
    const problems: Problem[] = [];
    const metrics = this.templateMetrics;
    if (metrics.length === 0) {
      problems.push({ prop: 'metrics', given: '[]', expected: 'at least one metric', fix: 'pass metrics or call addMetric()' });
    }
    // Duplicate metric names (the controller rejects the AnalysisRun: "duplicate name").
    metrics.forEach((m, i) => {
      const first = metrics.findIndex(o => o.metricName === m.metricName);
      if (first !== i) {
        problems.push({
          prop: `${m.prefix}metricName`,
          given: show(m.metricName),
          expected: `a name unique within the template (metrics[${first}] has it)`,
          fix: 'give the metric its own metricName',
        });
      }
    });
    // One declaration per arg across the template, its metrics and (Prometheus) its server.
    const declarations: Array<{ arg: TemplateArgument; where: string }> = [
      ...this.templateArgs.map((arg, i) => ({ arg, where: `args[${i}]` })),
      ...metrics.flatMap(m => m.args.map(arg => ({ arg, where: `${m.prefix}metric` }))),
      ...this._extraArgDeclarations(),
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
    const args = this._allArgs();
    const declared = new Set(args.map(a => a.name));
    const used = new Set<string>();
    const reportedTags = new Set<string>();
    const checkPlaceholders = (prop: string, text: string | undefined) => {
      if (text === undefined) return;
      for (const { inner } of scanPlaceholders(text)) {
        const m = /^args\.(.+)$/.exec(inner);
        if (m && declared.has(m[1])) {
          used.add(m[1]);
        } else {
          reportedTags.add(inner);
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
    for (const t of this._extraTexts()) checkPlaceholders(t.prop, t.text);
    for (const m of metrics) {
      for (const t of m.texts()) checkPlaceholders(`${m.prefix}${t.prop}`, t.text);
      // an arg default lands in the text as raw text: it must stay where it lands
      const reported = new Set<string>();
      for (const use of m.argUses()) {
        const value = args.find(a => a.name === use.argName)?.defaultValue;
        if (value === undefined || reported.has(use.argName)) continue;
        const v = argUseViolation(use, value);
        if (!v) continue;
        reported.add(use.argName);
        problems.push({
          prop: `args.${use.argName}`,
          given: `default ${show(value)}`,
          expected: `a value that ${v.stays}${use.where === undefined ? ` of ${m.prefix}query` : ''}: ${v.consequence}`
            + (use.where === undefined ? ' (e.g. another matcher that widens the selector)' : ''),
          fix: `give ${v.fix}`,
        });
      }
      problems.push(...m.synthProblems(args).map(p => ({ ...p, prop: `${m.prefix}${p.prop}` })));
      // The controller resolves args over the metric's JSON (fasttemplate with "{{" and "}}"), not per field: a "{{"
      // that no "}}" closes in its own string pairs with the next "}}" anywhere after it (JSON's own braces included).
      const stray = strayPlaceholder(JSON.stringify(m.render()), declared, reportedTags);
      if (stray !== undefined) {
        problems.push({
          prop: m.prefix ? m.prefix.replace(/\.$/, '') : `metric ${show(m.metricName)}`,
          given: `a "{{" that no "}}" of the same value closes (the controller reads ${show(stray.length > 60 ? `${stray.slice(0, 60)}…` : stray)})`,
          expected: 'every "{{" to open a {{args.NAME}} placeholder within its value: the controller resolves args over the whole metric and fails with "failed to resolve {{…}}"',
          fix: 'close the placeholder ({{args.NAME}}) or remove the "{{"',
        });
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
    // A13: a dryRun / measurementRetention rule must match a metric (of this template, so of every run it is in)
    const names = this.metricNames;
    const unmatched = (prop: string, re: string, field: string, i: number) => {
      if (re === '*' || re2Error(re) !== undefined || names.length === 0) return;
      const go = goRegExp(re); // the controller's regexp.MatchString: RE2, linear in the name (never a backtracking RegExp)
      if (go && !names.some(n => go.test(n))) {
        problems.push({
          prop,
          given: show(re),
          expected: `an unanchored regex matching at least one metric of the template (${show(names)}); the AnalysisRun errors: `
            + `"${field}[${i}]: Rule didn't match any metric name(s)"`,
          fix: 'fix the metric name, or use ".*" for every metric',
        });
      }
    };
    this.dryRun.forEach((re, i) => unmatched(`dryRunMetrics[${i}]`, re, 'dryRun', i));
    this.retention.forEach((r, i) => unmatched(`measurementRetention[${i}].metricName`, r.metricName, 'measurementRetention', i));
    return problems;
  }

  private renderSpec(): Record<string, unknown> {
    const args = this._allArgs();
    const spec: Record<string, unknown> = {};
    if (args.length > 0) spec.args = args.map(a => a._toKube());
    spec.metrics = this.templateMetrics.map(m => m.render());
    if (this.dryRun.length > 0) spec.dryRun = this.dryRun.map(metricName => ({ metricName }));
    if (this.retention.length > 0) spec.measurementRetention = this.retention.map(r => ({ metricName: r.metricName, limit: r.limit }));
    return spec;
  }
}

/**
 * The first tag the controller's fasttemplate pass (start tag "{{", end tag "}}", the text between trimmed) would fail
 * to resolve in `json` and that the per-value check did not already report — a tag that is not `args.NAME` of a
 * declared arg, or an unclosed "{{" (returned from the "{{" to the end) — or undefined. One pass: each "{{" is
 * followed to the next "}}", and the scan goes on after it.
 */
function strayPlaceholder(json: string, declared: ReadonlySet<string>, reported: ReadonlySet<string>): string | undefined {
  let at = json.indexOf('{{');
  while (at >= 0) {
    const end = json.indexOf('}}', at + 2);
    if (end < 0) return json.slice(at);
    const tag = json.slice(at + 2, end).trim();
    const arg = /^args\.(.+)$/.exec(tag);
    if (!(arg && declared.has(arg[1])) && !reported.has(tag)) return json.slice(at, end + 2);
    at = json.indexOf('{{', end + 2);
  }
  return undefined;
}
