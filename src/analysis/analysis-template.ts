import { Duration } from 'cdk8s';

/**
 * An argument an analysis template declares (`spec.args[]`).
 */
export interface AnalysisArgument {
  /**
   * The arg name, used as `{{args.NAME}}` in the template.
   */
  readonly name: string;

  /**
   * The template's default value (`value`). A Rollout may override it.
   *
   * @default - no default: every Rollout that references the template must pass it (unless `fromSecret`)
   */
  readonly defaultValue?: string;

  /**
   * Whether the template resolves the value itself from a Secret (`valueFrom.secretKeyRef`); such an arg is never
   * passed by a Rollout.
   *
   * @default false
   */
  readonly fromSecret?: boolean;
}

/**
 * A metric series an analysis queries, with the labels its query uses. A central Prometheus that evaluates the
 * analysis must carry these series (see `FederatedPrometheus`).
 */
export interface QueriedSeries {
  /**
   * The metric name, e.g. `http_requests_total`.
   */
  readonly metricName: string;

  /**
   * The label names the query filters on or groups by, e.g. `service`, `cluster`, `le`.
   */
  readonly labelNames: string[];
}

/**
 * The shortest range window one metric of a template queries (`rate(x[2m])`, a subquery's range), as Prometheus reads
 * the query with the template's arg defaults; windows that come from an arg without a default are not known.
 */
export interface QueriedRangeWindow {
  /** The template's metric (`spec.metrics[].name`). */
  readonly metricName: string;
  /** The window as written after substitution, e.g. `2m`. */
  readonly window: string;
  /** Its length. */
  readonly duration: Duration;
}

/**
 * A query selector whose metric names the query's text does not fix (e.g. `{__name__=~"http_.*"}`).
 */
export interface NameRegexSelector {
  /** The template's metric (`spec.metrics[].name`). */
  readonly metricName: string;
  /** The selector as written (args without default shown as `<arg>`), or a description of it. */
  readonly selector: string;
  /**
   * Its `__name__` matchers alone, as a selector (`{__name__=~"http_.*"}`), when they need no arg without default.
   *
   * @default - none: the selector has no `__name__` matcher, or it depends on an arg without default
   */
  readonly nameSelector?: string;
}

/**
 * A vector selector a template's query reads, with the matchers its text fixes (not the values of args, which a
 * Rollout may pass).
 */
export interface QueriedSelector {
  /** The metric name. */
  readonly metricName: string;
  /**
   * Its label matchers whose values the query's text fixes, in PromQL notation (`code=~"5.."`); `__name__` left out.
   * Empty when the selector reads every series of the metric (or its other matchers come from args).
   */
  readonly matchers: string[];

  /**
   * Its equality matchers whose whole value is an arg (`service="{{args.service-name}}"`): known values of those args
   * (what the Rollouts pass) narrow what a federation must carry.
   *
   * @default - none
   */
  readonly argMatchers?: QueriedArgMatcher[];
}

/**
 * An equality matcher of a query whose whole value is an arg: `label="{{args.argName}}"`.
 */
export interface QueriedArgMatcher {
  /** The label the matcher compares. */
  readonly label: string;
  /** The arg that gives its value. */
  readonly argName: string;
}

/**
 * What the PromQL parser tells about a template's queries beyond `queriedSeries`.
 */
export interface AnalysisQueryFacts {
  /** The selectors with a fixed metric name, each with the matchers the query's text fixes. */
  readonly selectors: QueriedSelector[];
  /** The shortest known range window per metric. */
  readonly rangeWindows: QueriedRangeWindow[];
  /** Selectors whose metric names come from a regex or an arg. */
  readonly nameRegexSelectors: NameRegexSelector[];
}

/**
 * Where an arg lands inside a text of a metric that the controller substitutes it into as raw text: a string literal
 * of a PromQL query (a value with that quote, a backslash or a line break ends the string and the rest of the value
 * becomes PromQL), or a part of a web metric's URL, header, body or condition, or a job's shell script (where the
 * characters listed in `forbiddenCharacters` end that part).
 */
export interface QuotedArgUse {
  /** The arg, as in `{{args.<argName>}}`. */
  readonly argName: string;
  /** The metric whose text holds the placeholder. */
  readonly metricName: string;
  /**
   * The quote of the string literal around the placeholder: `"`, `'` or a backquote; empty when the placeholder does
   * not stand in a quoted string (e.g. the host of a URL).
   */
  readonly quote: string;
  /**
   * Where the placeholder lands, for messages, e.g. `the host of the URL of metric "smoke"`.
   *
   * @default - a string literal of the metric's PromQL query
   */
  readonly where?: string;
  /**
   * The characters a value must not contain there (control characters are always refused with this set).
   *
   * @default - the quote, a backslash, a carriage return and a line feed (a backquote only, for a backquoted string)
   */
  readonly forbiddenCharacters?: string;
  /**
   * What one of those characters does there, for messages (e.g. `ends the host and sends the request elsewhere`).
   *
   * @default - "ends that part of the text"
   */
  readonly consequence?: string;
}

/**
 * What the rest of the library needs to know about an (Cluster)AnalysisTemplate: how to reference it, which args a
 * Rollout must pass, which metric names it defines, which series it queries.
 *
 * Implemented by the analysis constructs of this library and by references to templates that live elsewhere.
 */
export interface IAnalysisTemplate {
  /**
   * `metadata.name` of the template, used in `templates[].templateName`.
   */
  readonly templateName: string;

  /**
   * Whether this is a ClusterAnalysisTemplate (`templates[].clusterScope: true`).
   */
  readonly clusterScope: boolean;

  /**
   * Every arg the template declares.
   */
  readonly declaredArgs: AnalysisArgument[];

  /**
   * Names of the args a referencing Rollout must pass: declared, without a default, not from a Secret.
   */
  readonly requiredArgs: string[];

  /**
   * Names of the template's metrics (`spec.metrics[].name`); they must be unique across templates merged into one
   * AnalysisRun.
   */
  readonly metricNames: string[];

  /**
   * The Prometheus series the template's queries read (empty for a template whose metrics query no Prometheus, e.g.
   * a web or job metric).
   */
  readonly queriedSeries: QueriedSeries[];

  /**
   * Names of the metrics that run until the rollout completes (`interval` without `count`). The controller rejects
   * such a template in a canary step analysis (`AnalysisTemplate <t> has metric <m> which runs indefinitely`); it is
   * only valid in a background analysis.
   *
   * @default - unknown (e.g. a reference to a template that lives elsewhere): not checked
   */
  readonly openEndedMetricNames?: string[];

  /**
   * The shortest time a successful AnalysisRun of this template takes: for each metric
   * `initialDelay + (n - 1) x interval`, where `n` is its `count` (or `consecutiveSuccessLimit` when that is set and
   * smaller, since the metric then succeeds early) and a metric without `interval` counts as `initialDelay`; the
   * maximum over the metrics (they run in parallel). Query latency is not included. Used for a rollout's duration
   * facts (`CanaryRollout.canaryDuration`).
   *
   * @default - unknown (an open-ended metric, or a template that lives elsewhere)
   */
  readonly minimumDuration?: Duration;

  /**
   * Per-cluster mode: the label the template's queries filter on to judge one cluster (e.g. `cluster` in
   * `{cluster="{{args.cluster}}"}`). A central Prometheus that evaluates the template must put the cluster's name in a
   * label of that name on every federated series (see `FederatedPrometheus`'s `clusterLabel`).
   *
   * @default - unknown, or the template does not filter by cluster: not checked
   */
  readonly perClusterLabel?: string;

  /**
   * What the PromQL parser tells about the template's queries (range windows, selectors by `__name__` regex): known
   * for this library's Prometheus analyses, whose queries it reads.
   *
   * @default - the queries are not known (e.g. a reference to a template that lives elsewhere): not checked
   */
  readonly queryFacts?: AnalysisQueryFacts;

  /**
   * Metrics whose measurements can be Inconclusive (a no-data policy of INCONCLUSIVE, e.g. NaN with no traffic, or a
   * success/failure condition pair that leaves a gap). An Inconclusive AnalysisRun pauses the Rollout for a person,
   * and Argo CD reports the Application Suspended, holding its RollingSync slot.
   *
   * @default - unknown (e.g. a template that lives elsewhere): not counted as a possible manual gate
   */
  readonly inconclusiveMetricNames?: string[];

  /**
   * The args that land inside a string literal of a query (e.g. a label value `{service="{{args.service-name}}"}`) or
   * another part of a metric the controller substitutes raw text into (a web metric's URL, headers, body, conditions):
   * a value passed by a Rollout must stay inside that part, which the Rollout's analysis checks at synth.
   *
   * @default - unknown (e.g. a template that lives elsewhere): values are not checked
   */
  readonly quotedArgUses?: QuotedArgUse[];
}
