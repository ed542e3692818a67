import type { SyntaxNode, Tree } from '@lezer/common';
import { memoizedByQuery, parsedTopNode, parsePromQL, unquote } from '../core/promql';

/** @internal A ratio whose numerator has no series when its filter matches nothing. */
export interface EmptyNumerator {
  /** The numerator as written. */
  readonly numerator: string;
  /** The matcher that filters the numerator and not the denominator, e.g. `code=~"5.."`. */
  readonly matcher: string;
}

const PARENS = new Set(['ParenExpr']);

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (PARENS.has(n.type.name) && n.firstChild) {
    let inner = n.firstChild;
    while (inner && !inner.type.name.endsWith('Expr') && !['VectorSelector', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral'].includes(inner.type.name)) {
      if (!inner.nextSibling) break;
      inner = inner.nextSibling;
    }
    n = inner;
  }
  return n;
}

function operands(node: SyntaxNode): [SyntaxNode, string, SyntaxNode] | undefined {
  const lhs = node.firstChild;
  const op = lhs?.nextSibling;
  let rhs = op?.nextSibling;
  while (rhs && (rhs.type.name === 'BoolModifier' || rhs.type.name === 'MatchingModifierClause')) rhs = rhs.nextSibling;
  return lhs && op && rhs ? [lhs, op.type.name, rhs] : undefined;
}

/** Whether an expression always has a series: a `vector(…)` or `absent…(…)` fallback joined with `or`, or a number. */
function neverEmpty(node: SyntaxNode, text: (n: SyntaxNode) => string): boolean {
  const n = unwrap(node);
  if (n.type.name === 'NumberDurationLiteral') return true;
  if (n.type.name === 'FunctionCall') {
    const fn = n.getChild('FunctionIdentifier')?.firstChild?.type.name;
    return fn === 'Vector' || fn === 'Absent' || fn === 'AbsentOverTime';
  }
  if (n.type.name === 'BinaryExpr') {
    const parts = operands(n);
    if (parts && parts[1] === 'Or') return neverEmpty(parts[0], text) || neverEmpty(parts[2], text);
  }
  return false;
}

function matchersOf(tree: Tree, node: SyntaxNode, text: (n: SyntaxNode) => string): Array<{ metric: string; matchers: string[] }> {
  const out: Array<{ metric: string; matchers: string[] }> = [];
  tree.iterate({
    from: node.from,
    to: node.to,
    enter: (ref) => {
      if (ref.type.name !== 'VectorSelector' || ref.from < node.from || ref.to > node.to) return undefined;
      const sel = ref.node;
      const ident = sel.getChild('Identifier');
      const matchers: string[] = [];
      let metric = '';
      const list = sel.getChild('LabelMatchers');
      for (const m of list ? list.getChildren('UnquotedLabelMatcher') : []) {
        const ln = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const lit = m.getChild('StringLiteral');
        if (!ln || !op || !lit) continue;
        const name = text(ln);
        if (name === '__name__' && text(op) === '=') metric = unquote(text(lit));
        else matchers.push(`${name}${text(op)}${JSON.stringify(unquote(text(lit)))}`);
      }
      out.push({ metric: ident ? text(ident) : metric, matchers });
      return false;
    },
  });
  return out;
}

/**
 * A top-level ratio `a / b` whose numerator can be empty while the denominator is not: it selects with a matcher the
 * denominator does not have (`code=~"5.."`), so with no such series (no errors) it has no series, and neither has the
 * ratio — an empty result, not 0 — unless the numerator has a fallback (`or vector(0)`, `absent(…)`).
 *
 * @param query a placeholder-substituted query
 * @internal
 */
export const emptyNumeratorOf: (query: string) => EmptyNumerator | undefined = memoizedByQuery(emptyNumeratorOfUncached);

function emptyNumeratorOfUncached(query: string): EmptyNumerator | undefined {
  const top = parsedTopNode(query);
  if (!top) return undefined;
  const tree = parsePromQL(query); // cached: the same tree parsedTopNode read
  const text = (n: SyntaxNode) => query.slice(n.from, n.to);
  const ratio = unwrap(top);
  if (ratio.type.name !== 'BinaryExpr') return undefined;
  const parts = operands(ratio);
  if (!parts || parts[1] !== 'Div' || neverEmpty(parts[0], text)) return undefined;
  const denominator = matchersOf(tree, parts[2], text);
  for (const sel of matchersOf(tree, parts[0], text)) {
    const same = denominator.filter(d => d.metric === sel.metric);
    const filter = sel.matchers.find(m => same.length > 0 && same.every(d => !d.matchers.includes(m)));
    if (filter) return { numerator: text(parts[0]).trim(), matcher: filter };
  }
  return undefined;
}
