import { analyzePromQL, PromQLMatcher } from '../core/promql';
import { matcherRegexError, matcherRegExp } from '../core/re2';

/** @internal A `match[]` selector of the federation job, parsed with the PromQL grammar. */
export interface MatchSelector {
  /** The selector as written to `match[]`. */
  readonly text: string;
  /** `metric{…}` name or `__name__="…"`. */
  readonly metricName?: string;
  readonly matchers: PromQLMatcher[];
}

/**
 * Parses one `match[]` selector: exactly one instant vector selector (Prometheus's /federate answers HTTP 400 to
 * anything else it cannot parse as a selector, e.g. a regex Go's RE2 rejects), with at least one matcher that does not
 * match the empty string. That last part is this library's own rule, stricter than /federate (Prometheus 2.42 answers
 * 200 to `{}` and `{job=~".*"}`): such a selector federates every series of the workload (or, with a typo, nothing
 * useful), which is never what a federation job for analyses should do. `promtool check config` does not parse
 * `match[]` at all: a bad selector only shows at run time, as a `down` target.
 *
 * @returns the selector, or what is wrong with it
 * @internal
 */
export function parseMatchSelector(text: string): { selector?: MatchSelector; problem?: string } {
  if (/\{\{[^{}]*\}\}/.test(text)) {
    return { problem: 'it contains a {{…}} placeholder, which Prometheus does not template in match[]' };
  }
  const a = analyzePromQL(text);
  if (a.errors.length > 0) {
    // a syntax error, then a Prometheus-3-only construct, explain more than the selector check that runs into them
    const first = a.errors.find(e => e.startsWith('syntax error')) ?? a.errors.find(e => e.includes('Prometheus 3.x')) ?? a.errors[0];
    return { problem: `PromQL grammar: ${first}` };
  }
  const trimmed = text.trim();
  if (a.selectors.length !== 1 || a.selectors[0].text !== trimmed) {
    return { problem: 'it is a PromQL expression, not a single instant vector selector: no functions, ranges, offsets or operators' };
  }
  const s = a.selectors[0];
  for (const m of s.matchers) {
    if (m.op !== '=~' && m.op !== '!~') continue;
    const err = matcherRegexError(m.value);
    if (err) {
      return { problem: `regex matcher ${m.name}${m.op}${JSON.stringify(m.value)} is not RE2 (${err.message}: Prometheus answers HTTP 400 and the target is down; ${err.hint})` };
    }
  }
  return { selector: { text: trimmed, metricName: s.metricName, matchers: s.matchers } };
}

function matcherAccepts(m: PromQLMatcher, value: string): boolean {
  switch (m.op) {
    case '=': return value === m.value;
    case '!=': return value !== m.value;
    case '=~': return matcherRegExp(m.value)?.test(value) ?? false;
    case '!~': return !(matcherRegExp(m.value)?.test(value) ?? true);
    default: return false;
  }
}

/**
 * Whether a selector federates EVERY series of a metric: its name constraints accept the name and it restricts no
 * other label. A selector such as `{job="checkout"}` federates `http_requests_total` only where `job="checkout"`,
 * which an analysis that filters on other labels cannot rely on.
 *
 * @internal
 */
export function selectsWholeMetric(s: MatchSelector, metricName: string): boolean {
  if (s.metricName !== undefined && s.metricName !== metricName) return false;
  for (const m of s.matchers) {
    if (m.name === '__name__') {
      if (!matcherAccepts(m, metricName)) return false;
    } else if (!(m.op === '=~' && (m.value === '.*' || m.value === '.*?'))) {
      return false;
    }
  }
  return true;
}

/**
 * Whether a selector federates at least some series of a metric (used to explain why a metric counts as missing).
 *
 * @internal
 */
export function selectsSomeOfMetric(s: MatchSelector, metricName: string): boolean {
  if (s.metricName !== undefined && s.metricName !== metricName) return false;
  return s.matchers.filter(m => m.name === '__name__').every(m => matcherAccepts(m, metricName));
}

/**
 * The selector this library adds for a metric an analysis queries: every series of that name.
 *
 * @internal
 */
export function wholeMetricSelector(metricName: string): string {
  return `{__name__="${metricName}"}`;
}

/**
 * Whether a selector federates every series a query selector reads: its name constraints accept the metric and each of
 * its other matchers is one the query selector has too (so it filters no more than the query does), or matches
 * everything.
 *
 * @param matchers the query selector's matchers in PromQL notation (`code=~"5.."`)
 * @internal
 */
export function selectsAllOf(s: MatchSelector, metricName: string, matchers: string[]): boolean {
  if (s.metricName !== undefined && s.metricName !== metricName) return false;
  for (const m of s.matchers) {
    if (m.name === '__name__') {
      if (!matcherAccepts(m, metricName)) return false;
    } else if (!(m.op === '=~' && (m.value === '.*' || m.value === '.*?')) && !matchers.includes(`${m.name}${m.op}${JSON.stringify(m.value)}`)) {
      return false;
    }
  }
  return true;
}

/**
 * The narrowest selector this library adds for what an analysis reads of a metric: the metric with the matchers the
 * query's text fixes (every series of it when there are none).
 *
 * @internal
 */
export function narrowSelector(metricName: string, matchers: string[]): string {
  return matchers.length === 0 ? wholeMetricSelector(metricName) : `{__name__=${JSON.stringify(metricName)},${matchers.join(',')}}`;
}
