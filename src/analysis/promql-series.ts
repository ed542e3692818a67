import type { SyntaxNode } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
import { QueriedSeries } from './analysis-template';

// See src/core/promql.ts for why the parser is required rather than imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

/**
 * The series a (placeholder-substituted, valid) query reads: for every vector selector with a metric name, the label
 * names its matchers use plus the grouping labels (`by`/`without`, `on`/`ignoring`/`group_left`/`group_right`) of the
 * aggregations and binary operations that enclose it. Selectors without a fixed metric name (`{__name__=~"…"}`) are
 * left out. Merged by metric name, labels in order of first use.
 *
 * @internal
 */
export function queriedSeriesOf(query: string): QueriedSeries[] {
  const tree = parser.parse(query);
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
        add(name);
      }
      for (let p = node.parent; p; p = p.parent) {
        const grouping = p.type.name === 'AggregateExpr' ? p.getChild('AggregateModifier')
          : p.type.name === 'BinaryExpr' ? p.getChild('MatchingModifierClause') : null;
        if (!grouping) continue;
        for (const g of grouping.getChildren('GroupingLabels')) {
          for (const ln of g.getChildren('LabelName')) add(text(ln));
        }
      }
      if (metric) {
        const known = byMetric.get(metric) ?? [];
        for (const l of labels) if (!known.includes(l)) known.push(l);
        byMetric.set(metric, known);
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
