import type { SyntaxNode } from '@lezer/common';
import { QueriedSeries } from './analysis-template';
import { checkPrometheusMetricName } from '../core/names';
import { parsePromQL, unquote } from '../core/promql';


/**
 * The series a (placeholder-substituted, valid) query reads: for every vector selector with a metric name, the label
 * names its matchers use plus the grouping labels (`by`/`without`, `on`/`ignoring`/`group_left`/`group_right`) of the
 * aggregations and binary operations that enclose it. A `__name__` regex that is a plain alternation of metric names
 * (`{__name__=~"a_total|b_total"}`) counts as each of them; other selectors without a fixed metric name are left out
 * (see `unresolvedSelectorsOf`). Merged by metric name, labels in order of first use.
 *
 * @internal
 */
export function queriedSeriesOf(query: string): QueriedSeries[] {
  let series = SERIES.get(query);
  if (series === undefined) {
    series = computeQueriedSeries(query);
    // bounded: an app has a few distinct query texts (the same template text serves every service)
    if (SERIES.size > 2000) SERIES.clear();
    SERIES.set(query, series);
  }
  return series.map(s => ({ metricName: s.metricName, labelNames: [...s.labelNames] }));
}

/** `queriedSeriesOf` per query text: parsing is the cost, and many templates share one text. */
const SERIES = new Map<string, readonly QueriedSeries[]>();

function computeQueriedSeries(query: string): QueriedSeries[] {
  const tree = parsePromQL(query);
  const byMetric = new Map<string, string[]>();
  const text = (n: SyntaxNode) => query.slice(n.from, n.to);
  tree.iterate({
    enter: (ref) => {
      if (ref.type.name !== 'VectorSelector') return undefined;
      const node = ref.node;
      const labels: string[] = [];
      const add = (l: string) => {
        if (l !== '__name__' && !labels.includes(l)) labels.push(l);
      };
      let metric: string | undefined;
      const nameRegexes: string[] = [];
      const ident = node.getChild('Identifier');
      if (ident) metric = text(ident);
      const list = node.getChild('LabelMatchers');
      for (const m of list ? list.getChildren('UnquotedLabelMatcher') : []) {
        const ln = m.getChild('LabelName');
        if (!ln) continue;
        const name = text(ln);
        const op = m.getChild('MatchOp');
        const lit = m.getChild('StringLiteral');
        if (name === '__name__' && op && text(op) === '=' && lit && !metric) metric = JSON.parse(text(lit).replace(/^'|'$/g, '"'));
        if (name === '__name__' && op && text(op) === '=~' && lit) nameRegexes.push(unquote(text(lit)));
        add(name);
      }
      // `{__name__=~"a_total|b_total"}`: a plain alternation of metric names reads each of those metrics
      const alternatives = !metric && nameRegexes.length === 1 ? metricNameAlternatives(nameRegexes[0]) : undefined;
      for (let p = node.parent; p; p = p.parent) {
        const grouping = p.type.name === 'AggregateExpr' ? p.getChild('AggregateModifier')
          : p.type.name === 'BinaryExpr' ? p.getChild('MatchingModifierClause') : null;
        if (!grouping) continue;
        for (const g of grouping.getChildren('GroupingLabels')) {
          for (const ln of g.getChildren('LabelName')) add(text(ln));
        }
      }
      for (const name of metric ? [metric] : alternatives ?? []) {
        const known = byMetric.get(name) ?? [];
        for (const l of labels) if (!known.includes(l)) known.push(l);
        byMetric.set(name, known);
      }
      return false;
    },
  });
  return [...byMetric.entries()].map(([metricName, labelNames]) => ({ metricName, labelNames }));
}

/** @internal Merges series lists by metric name. */
export function mergeSeries(lists: QueriedSeries[][]): QueriedSeries[] {
  const byMetric = new Map<string, string[]>();
  for (const list of lists) {
    for (const s of list) {
      const known = byMetric.get(s.metricName) ?? [];
      for (const l of s.labelNames) if (!known.includes(l)) known.push(l);
      byMetric.set(s.metricName, known);
    }
  }
  return [...byMetric.entries()].map(([metricName, labelNames]) => ({ metricName, labelNames: [...labelNames] }));
}


/**
 * The metric names a `__name__=~` regex selects when it is a plain alternation of metric names (`a_total|b_total`,
 * optionally in one group), else undefined.
 *
 * @internal
 */
export function metricNameAlternatives(regex: string): string[] | undefined {
  const body = /^\((?:\?:)?([^()]*)\)$/.exec(regex)?.[1] ?? regex;
  const names = body.split('|');
  return names.every(n => checkPrometheusMetricName(n) === undefined) ? [...new Set(names)] : undefined;
}

/** @internal A vector selector whose metric names a query's text does not fix. */
export interface UnresolvedSelector {
  /** The selector as written (after placeholder substitution). */
  readonly text: string;
  /** Its `__name__` matchers alone, as a selector (`{__name__=~"http_.*"}`); undefined when it has none. */
  readonly nameSelector?: string;
}

/**
 * The vector selectors of a (placeholder-substituted, valid) query that `queriedSeriesOf` cannot name the metrics of:
 * no metric name, no `__name__="…"` and no `__name__=~` alternation of plain names (e.g. `{__name__=~"http_.*"}`,
 * `{job="x"}`).
 *
 * @internal
 */
export function unresolvedSelectorsOf(query: string): UnresolvedSelector[] {
  const out: UnresolvedSelector[] = [];
  parsePromQL(query).iterate({
    enter: (ref) => {
      if (ref.type.name !== 'VectorSelector') return undefined;
      const node = ref.node;
      if (node.getChild('Identifier')) return false;
      const list = node.getChild('LabelMatchers');
      const nameMatchers: Array<{ op: string; value: string; source: string }> = [];
      for (const m of list ? list.getChildren('UnquotedLabelMatcher') : []) {
        const ln = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const lit = m.getChild('StringLiteral');
        if (ln && op && lit && query.slice(ln.from, ln.to) === '__name__') {
          nameMatchers.push({ op: query.slice(op.from, op.to), value: unquote(query.slice(lit.from, lit.to)), source: query.slice(m.from, m.to) });
        }
      }
      if (nameMatchers.some(m => m.op === '=')) return false;
      const regexes = nameMatchers.filter(m => m.op === '=~');
      if (regexes.length === 1 && nameMatchers.length === 1 && metricNameAlternatives(regexes[0].value)) return false;
      const text = query.slice(node.from, node.to);
      out.push({ text, ...(nameMatchers.length > 0 ? { nameSelector: `{${nameMatchers.map(m => m.source).join(', ')}}` } : {}) });
      return false;
    },
  });
  return out;
}
