import { CUSTOM_CONDITION_OPTIONS, NO_DATA_OPTIONS } from './input-shapes';
import { Problem, show } from '../core/problem';
import { checkStruct, required } from '../core/struct-shape';

/**
 * What a measurement counts as when the query gives no usable number.
 *
 * Argo Rollouts decides each measurement from two expressions: `failureCondition` true → Failed, otherwise
 * `successCondition` true → Successful, otherwise Inconclusive. A policy is rendered into both expressions.
 */
export enum NoDataPolicy {
  /** The measurement is Successful. */
  PASS = 'PASS',
  /** The measurement is Failed (counts towards `failureLimit`). */
  FAIL = 'FAIL',
  /**
   * The measurement is Inconclusive (counts towards `inconclusiveLimit`; an Inconclusive analysis pauses the
   * rollout until a human promotes or aborts it).
   */
  INCONCLUSIVE = 'INCONCLUSIVE',
}

/**
 * How a threshold condition treats a query that returns no number.
 */
export interface NoDataOptions {
  /**
   * The query returned an empty vector (no series matched: a wrong label or arg value, or a service that has not
   * produced the metric yet). `result[0]` would raise an evaluation error (a measurement Error), so the condition
   * tests `len(result)` first.
   *
   * @default NoDataPolicy.FAIL - a query that matches nothing is most often misconfigured; failing loudly beats
   * promoting a canary nobody measured
   */
  readonly onEmptyResult?: NoDataPolicy;

  /**
   * The query returned NaN (e.g. a ratio over a window with no requests: 0/0). NaN compares false both ways, so
   * without a policy it would be Inconclusive by accident.
   *
   * @default NoDataPolicy.INCONCLUSIVE - no traffic is no evidence either way; the rollout pauses for a human (raise
   * `inconclusiveLimit` to tolerate idle measurements)
   */
  readonly onNaN?: NoDataPolicy;
}

/**
 * The comparison a threshold condition makes with `result[0]`.
 */
interface Comparison {
  readonly pass: string;
  readonly fail: string;
}

/**
 * The success/failure decision of a metric (`successCondition` / `failureCondition`).
 *
 * Threshold conditions compare the first element of an instant-vector result (`result[0]`) and render the
 * empty-result and NaN policies explicitly; the metric's query must return an instant vector of at most one series
 * (checked when the metric is added). `custom` takes the expressions as written.
 */
export class MetricCondition {
  /**
   * Passes when `result[0] >= threshold`, fails when it is below.
   */
  public static atLeast(threshold: number, options: NoDataOptions = {}): MetricCondition {
    checkStruct('MetricCondition.atLeast', 'options', options, NO_DATA_OPTIONS);
    return new MetricCondition(threshold, { pass: '>=', fail: '<' }, options, undefined, undefined);
  }

  /**
   * Passes when `result[0] <= threshold`, fails when it is above.
   */
  public static atMost(threshold: number, options: NoDataOptions = {}): MetricCondition {
    checkStruct('MetricCondition.atMost', 'options', options, NO_DATA_OPTIONS);
    return new MetricCondition(threshold, { pass: '<=', fail: '>' }, options, undefined, undefined);
  }

  /**
   * Passes when `result[0] > threshold`, fails otherwise.
   */
  public static greaterThan(threshold: number, options: NoDataOptions = {}): MetricCondition {
    checkStruct('MetricCondition.greaterThan', 'options', options, NO_DATA_OPTIONS);
    return new MetricCondition(threshold, { pass: '>', fail: '<=' }, options, undefined, undefined);
  }

  /**
   * Passes when `result[0] < threshold`, fails otherwise.
   */
  public static lessThan(threshold: number, options: NoDataOptions = {}): MetricCondition {
    checkStruct('MetricCondition.lessThan', 'options', options, NO_DATA_OPTIONS);
    return new MetricCondition(threshold, { pass: '<', fail: '>=' }, options, undefined, undefined);
  }

  /**
   * Expressions written by hand (Argo Rollouts' expr language over `result`). The library checks that they are
   * well formed and index the result (`result[0]`, or pass `result` to a function such as `len(result)`), but the
   * empty/NaN handling is then yours.
   */
  public static custom(options: CustomConditionOptions): MetricCondition {
    checkStruct('MetricCondition.custom', 'options', options, required(CUSTOM_CONDITION_OPTIONS));
    return new MetricCondition(undefined, undefined, {}, options.successCondition, options.failureCondition);
  }

  /**
   * The threshold, for threshold conditions.
   */
  public readonly threshold?: number;

  /**
   * The empty-result policy (threshold conditions).
   */
  public readonly onEmptyResult?: NoDataPolicy;

  /**
   * The NaN policy (threshold conditions).
   */
  public readonly onNaN?: NoDataPolicy;

  private readonly comparison?: Comparison;
  private readonly emptyResultChosen: boolean;
  private readonly customSuccess?: string;
  private readonly customFailure?: string;

  private constructor(threshold: number | undefined, comparison: Comparison | undefined, options: NoDataOptions,
    successCondition: string | undefined, failureCondition: string | undefined) {
    this.threshold = threshold;
    this.comparison = comparison;
    this.emptyResultChosen = options.onEmptyResult !== undefined;
    if (comparison) {
      this.onEmptyResult = options.onEmptyResult ?? NoDataPolicy.FAIL;
      this.onNaN = options.onNaN ?? NoDataPolicy.INCONCLUSIVE;
    }
    this.customSuccess = successCondition;
    this.customFailure = failureCondition;
  }

  /**
   * The rendered `successCondition`.
   */
  public get successCondition(): string | undefined {
    if (!this.comparison) return this.customSuccess;
    return render(this.onEmptyResult === NoDataPolicy.PASS, this.onNaN === NoDataPolicy.PASS, this.comparison.pass, this.threshold!);
  }

  /**
   * The rendered `failureCondition`.
   */
  public get failureCondition(): string | undefined {
    if (!this.comparison) return this.customFailure;
    return render(this.onEmptyResult === NoDataPolicy.FAIL, this.onNaN === NoDataPolicy.FAIL, this.comparison.fail, this.threshold!);
  }

  /**
   * Whether this is a threshold condition, which judges `result[0]` of an instant-vector result.
   *
   * @internal
   */
  public _judgesFirstSeries(): boolean {
    return this.comparison !== undefined;
  }

  /**
   * Whether the empty-result policy was given explicitly (rather than the default FAIL).
   *
   * @internal
   */
  public _emptyResultChosen(): boolean {
    return this.emptyResultChosen;
  }

  /**
   * Problems of the condition, with props relative to the metric.
   *
   * @internal
   */
  public _problems(): Problem[] {
    const problems: Problem[] = [];
    if (this.comparison) {
      if (this.threshold === undefined || !Number.isFinite(this.threshold)) {
        problems.push({ prop: 'threshold', given: show(this.threshold), expected: 'a finite number', fix: 'give the threshold as a number' });
      }
      return problems;
    }
    if (this.customSuccess === undefined && this.customFailure === undefined) {
      problems.push({
        prop: 'condition',
        given: 'neither successCondition nor failureCondition',
        expected: 'at least one expression (without one every measurement is Successful)',
        fix: 'set successCondition, e.g. "len(result) > 0 && result[0] >= 0.95"',
      });
    }
    for (const [prop, expr] of [['successCondition', this.customSuccess], ['failureCondition', this.customFailure]] as const) {
      if (expr === undefined) continue;
      const p = conditionProblem(expr);
      if (p) problems.push({ prop, given: show(expr), expected: p.expected, fix: p.fix });
    }
    return problems;
  }
}

/**
 * Hand-written conditions.
 */
export interface CustomConditionOptions {
  /**
   * `successCondition`.
   *
   * @default - none
   */
  readonly successCondition?: string;

  /**
   * `failureCondition`.
   *
   * @default - none
   */
  readonly failureCondition?: string;
}

function formatNumber(n: number): string {
  return String(n);
}

/**
 * `len(result) == 0 || (<rest>)` when an empty result satisfies the condition, else `len(result) > 0 && (<rest>)`,
 * where `<rest>` (evaluated only when there is a first element; expr's `||`/`&&` short-circuit) is
 * `isNaN(result[0]) || result[0] OP t` when NaN satisfies it, else `!isNaN(result[0]) && result[0] OP t`.
 */
function render(emptyMatches: boolean, nanMatches: boolean, op: string, threshold: number): string {
  const cmp = `result[0] ${op} ${formatNumber(threshold)}`;
  const rest = nanMatches ? `isNaN(result[0]) || ${cmp}` : `!isNaN(result[0]) && ${cmp}`;
  return emptyMatches ? `len(result) == 0 || (${rest})` : `len(result) > 0 && (${rest})`;
}

const FUNCTIONS_TAKING_RESULT = ['len', 'isNil', 'default', 'all', 'any', 'none', 'one', 'filter', 'map', 'count', 'asInt', 'asFloat', 'isNaN', 'isInf', 'sum', 'max', 'min'];

/**
 * Checks a hand-written expr condition as far as a synth-time library can. `indexedResult`: `result` is a list (a
 * Prometheus vector) and must be indexed or passed to a function; a web metric's `result` is any JSON value.
 *
 * @internal
 */
export function conditionProblem(expr: string, indexedResult: boolean = true): { expected: string; fix: string } | undefined {
  if (expr.trim().length === 0) {
    return { expected: 'a non-empty expression', fix: 'write the condition or leave it out' };
  }
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === '\'' || c === '`') {quote = c;} else if (c === '(' || c === '[' || c === '{') {stack.push(c);} else if (c in pairs) {
      if (stack.pop() !== pairs[c]) return { expected: 'balanced parentheses and brackets', fix: `check the "${c}" at offset ${i}` };
    }
  }
  if (quote || stack.length > 0) {
    return { expected: 'balanced parentheses, brackets and quotes', fix: 'close what is opened' };
  }
  const withoutPlaceholders = expr.replace(/\{\{[^{}]*\}\}/g, '0');
  // an operator with a missing operand (expr: "unexpected token EOF"); string literals cannot hide one
  const code = withoutPlaceholders.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""').trim();
  const dangling = /(==|!=|<=|>=|&&|\|\||[<>+\-*/%^!,]|\b(and|or|not|in|matches|contains|startsWith|endsWith))$/.exec(code)
    ?? /^(==|!=|<=|>=|&&|\|\||[<>*/%^,]|\b(and|or|in|matches|contains|startsWith|endsWith)\b)/.exec(code);
  if (dangling) {
    return { expected: `a complete expression (an operand is missing next to ${show(dangling[1])}: the AnalysisRun errors with "unexpected token")`, fix: 'complete the comparison, e.g. "result == true"' };
  }
  if (!/\bresult\b/.test(withoutPlaceholders)) {
    return { expected: 'an expression over `result`', fix: indexedResult ? 'compare the query result, e.g. "result[0] >= 0.95"' : 'compare the result, e.g. "result == \'ok\'"' };
  }
  if (!indexedResult) {
    // string literals may hold a "=" (result == 'a=b')
    return /(^|[^=!<>])=([^=~]|$)/.test(withoutPlaceholders.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""'))
      ? { expected: 'comparisons with "==" (a single "=" is not an operator in expr)', fix: 'use == for equality' }
      : undefined;
  }
  const bare = /\bresult\b(?!\s*\[)/g;
  let m: RegExpExecArray | null;
  while ((m = bare.exec(withoutPlaceholders)) !== null) {
    const before = withoutPlaceholders.slice(0, m.index);
    const fn = /([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*$/.exec(before);
    if (!fn || !FUNCTIONS_TAKING_RESULT.includes(fn[1])) {
      return {
        expected: 'the Prometheus result indexed (`result` is a list of numbers for an instant-vector query)',
        fix: 'write result[0] (and guard it with len(result) > 0)',
      };
    }
  }
  if (/(^|[^=!<>])=([^=~]|$)/.test(withoutPlaceholders)) {
    return { expected: 'comparisons with "==" (a single "=" is not an operator in expr)', fix: 'use == for equality' };
  }
  return undefined;
}
