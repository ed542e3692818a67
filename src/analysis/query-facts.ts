import { Duration } from 'cdk8s';
import { AnalysisArgument, AnalysisQueryFacts, NameRegexSelector, QueriedRangeWindow, QueriedSelector } from './analysis-template';
import { metricNameAlternatives, queriedSeriesOf, unresolvedSelectorsOf } from './promql-series';
import { analyzePromQL, parsePromQL } from '../core/promql';

/** The value given to args without a default when telling what depends on them (any valid duration). */
const UNKNOWN_ARG = '9999w';
/** Per-arg markers count down from here (`9998w`, `9997w`, …), each a valid duration like UNKNOWN_ARG. */
const UNKNOWN_ARG_BASE = 9998;

const DURATION_UNITS_MS: { [unit: string]: number } = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** A query as the federation reads it: with arg defaults, and with every arg without default set to `UNKNOWN_ARG`. */
interface ReadQuery {
  readonly metricName: string;
  readonly parsed: string;
  readonly unknown: string;
}

function readQueries(declaredArgs: AnalysisArgument[], metrics: Array<{ metricName: string; query: string }>): ReadQuery[] {
  const defaults: Record<string, string> = {};
  for (const arg of declaredArgs) if (arg.defaultValue !== undefined) defaults[arg.name] = arg.defaultValue;
  return metrics.map((m) => {
    const parsed = analyzePromQL(m.query, defaults);
    const unknown = { ...defaults };
    for (const name of parsed.argPlaceholders) if (unknown[name] === undefined) unknown[name] = UNKNOWN_ARG;
    return { metricName: m.metricName, parsed: parsed.parsed, unknown: analyzePromQL(m.query, unknown).parsed };
  });
}

/**
 * The range durations of a (placeholder-substituted) query as the PromQL parser reads them: the range of every
 * matrix selector (`x[2m]`) and subquery (`x[5m:1m]`), in order, with their value in milliseconds (undefined for a
 * duration expression the parser reads but this library does not evaluate).
 */
function rangeWindows(query: string): { text: string; ms?: number }[] {
  const out: { text: string; ms?: number }[] = [];
  parsePromQL(query).iterate({
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
 * What the PromQL parser tells about a template's queries, read with the template's arg defaults: the shortest range
 * window of each metric (not one that comes from an arg without default) and the selectors whose metric names the
 * query's text does not fix.
 *
 * @internal
 */
export function queryFactsOf(declaredArgs: AnalysisArgument[], metrics: Array<{ metricName: string; query: string }>): AnalysisQueryFacts {
  const windows: QueriedRangeWindow[] = [];
  const selectors: NameRegexSelector[] = [];
  const shown = (text: string) => text.split(UNKNOWN_ARG).join('<arg>');
  for (const q of readQueries(declaredArgs, metrics)) {
    const known = rangeWindows(q.parsed);
    const unknown = rangeWindows(q.unknown);
    const fixed = known.filter((w, i) => unknown[i]?.text === w.text && w.ms !== undefined); // not from an arg without default
    if (fixed.length > 0) {
      const shortest = fixed.reduce((a, b) => (b.ms! < a.ms! ? b : a));
      windows.push({ metricName: q.metricName, window: shortest.text, duration: Duration.millis(shortest.ms!) });
    }
    for (const sel of unresolvedSelectorsOf(q.unknown)) {
      const usable = sel.nameSelector !== undefined && !sel.nameSelector.includes(UNKNOWN_ARG);
      selectors.push({ metricName: q.metricName, selector: shown(sel.text), ...(usable ? { nameSelector: sel.nameSelector } : {}) });
    }
    for (const s of queriedSeriesOf(q.unknown)) {
      if (s.metricName.includes(UNKNOWN_ARG)) {
        selectors.push({ metricName: q.metricName, selector: `a metric named by an arg without default (${shown(s.metricName)})` });
      }
    }
  }
  return { selectors: metrics.flatMap(m => selectorsOf(m.query)), rangeWindows: windows, nameRegexSelectors: selectors };
}

/**
 * The selectors of a query with a fixed metric name (a `__name__` alternation counts as one selector per name, whole),
 * with the matchers whose values its text fixes: every arg, with or without default, is treated as unknown (a Rollout
 * may pass another value).
 */
function selectorsOf(query: string): QueriedSelector[] {
  // each arg gets its own marker (all valid durations, so range windows parse), to tell which arg a matcher holds
  const unknown: Record<string, string> = {};
  const argOfMarker = new Map<string, string>();
  analyzePromQL(query).argPlaceholders.forEach((name, i) => {
    const marker = `${UNKNOWN_ARG_BASE - i}w`;
    unknown[name] = marker;
    argOfMarker.set(marker, name);
  });
  const hasMarker = (v: string) => [...argOfMarker.keys()].some(k => v.includes(k));
  const analysis = analyzePromQL(query, unknown);
  if (analysis.errors.length > 0) return [];
  const out: QueriedSelector[] = [];
  for (const sel of analysis.selectors) {
    if (sel.metricName !== undefined) {
      if (hasMarker(sel.metricName)) continue;
      const matchers = sel.matchers
        .filter(m => m.name !== '__name__' && !hasMarker(m.value))
        .map(m => `${m.name}${m.op}${JSON.stringify(m.value)}`);
      const argMatchers = sel.matchers
        .filter(m => m.name !== '__name__' && m.op === '=' && argOfMarker.has(m.value))
        .map(m => ({ label: m.name, argName: argOfMarker.get(m.value)! }));
      out.push({ metricName: sel.metricName, matchers, ...(argMatchers.length > 0 ? { argMatchers } : {}) });
      continue;
    }
    const names = sel.matchers.filter(m => m.name === '__name__');
    const alternatives = names.length === 1 && names[0].op === '=~' ? metricNameAlternatives(names[0].value) : undefined;
    for (const metricName of alternatives ?? []) out.push({ metricName, matchers: [] });
  }
  return out;
}
