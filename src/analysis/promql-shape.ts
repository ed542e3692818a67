import type { SyntaxNode } from '@lezer/common';
import { memoizedByQuery, parsedTopNode, unquote } from '../core/promql';


/** @internal The PromQL value type of an expression. */
export enum PromQLType {
  SCALAR = 'scalar',
  VECTOR = 'instant vector',
  MATRIX = 'range vector',
  STRING = 'string',
}

/**
 * What an expression evaluates to, as far as the grammar tells: its type and, for vectors, an upper bound of the
 * label names of its series. An instant vector never holds two series with the same label set, so a vector whose
 * labels are bounded by the empty set has at most one series.
 *
 * @internal
 */
export interface PromQLShape {
  readonly type: PromQLType;
  /** Upper bound of the label names of the result's series; undefined when any label may appear. */
  readonly labels?: string[];
  /** At most one series (always true when `labels` is empty). */
  readonly single: boolean;
}

const UNBOUNDED: PromQLShape = { type: PromQLType.VECTOR, single: false };

/** Aggregations whose result has exactly the grouping labels. */
const GROUPING_AGGREGATIONS = new Set(['Sum', 'Avg', 'Count', 'Group', 'Max', 'Min', 'Stddev', 'Stdvar', 'Quantile']);
/** Aggregations that return input series unchanged (a selection). */
const SELECTING_AGGREGATIONS = new Set(['Topk', 'Bottomk', 'LimitK', 'LimitRatio']);
/** Functions without a vector argument that return a number. */
const SCALAR_FUNCTIONS = new Set(['Scalar', 'Time', 'Pi']);
/** Date functions: with no argument they read `vector(time())` (one series without labels). */
const DATE_FUNCTIONS = new Set(['DaysInMonth', 'DayOfMonth', 'DayOfWeek', 'DayOfYear', 'Hour', 'Minute', 'Month', 'Year']);

function vector(labels: string[] | undefined, single = false): PromQLShape {
  return { type: PromQLType.VECTOR, labels, single: single || (labels !== undefined && labels.length === 0) };
}


/** The expression children of a node (operators, modifiers and keywords left out). */
function expressions(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (EXPRESSION_NODES.has(c.type.name)) out.push(c);
  }
  return out;
}

const EXPRESSION_NODES = new Set(['AggregateExpr', 'BinaryExpr', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral', 'OffsetExpr',
  'ParenExpr', 'StringLiteral', 'SubqueryExpr', 'UnaryExpr', 'VectorSelector', 'StepInvariantExpr', 'AnchoredExpr', 'SmoothedExpr']);

function labelNames(node: SyntaxNode | null, text: (n: SyntaxNode) => string): string[] {
  return node ? node.getChildren('LabelName').map(text) : [];
}

function union(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  return a === undefined || b === undefined ? undefined : [...new Set([...a, ...b])];
}

function without(a: string[] | undefined, drop: string[]): string[] | undefined {
  return a === undefined ? undefined : a.filter(l => !drop.includes(l));
}

/**
 * The shape of a (placeholder-substituted) query, or undefined when it does not parse.
 *
 * @internal
 */
export const shapeOfQuery: (query: string) => PromQLShape | undefined = memoizedByQuery(shapeOfQueryUncached);

function shapeOfQueryUncached(query: string): PromQLShape | undefined {
  const top = parsedTopNode(query);
  if (!top) return undefined;
  const text = (n: SyntaxNode) => query.slice(n.from, n.to);

  const shape = (node: SyntaxNode): PromQLShape => {
    const name = node.type.name;
    switch (name) {
      case 'NumberDurationLiteral': return { type: PromQLType.SCALAR, single: true };
      case 'StringLiteral': return { type: PromQLType.STRING, single: true };
      case 'VectorSelector': return UNBOUNDED;
      case 'MatrixSelector': return { type: PromQLType.MATRIX, single: false };
      case 'SubqueryExpr': {
        const inner = shape(expressions(node)[0]);
        return { type: PromQLType.MATRIX, labels: inner.labels, single: inner.single };
      }
      case 'ParenExpr': case 'OffsetExpr': case 'StepInvariantExpr': case 'AnchoredExpr': case 'SmoothedExpr': case 'UnaryExpr': {
        const [inner] = expressions(node);
        return inner ? shape(inner) : UNBOUNDED;
      }
      case 'AggregateExpr': return aggregateShape(node);
      case 'FunctionCall': return functionShape(node);
      case 'BinaryExpr': return binaryShape(node);
      default: return UNBOUNDED;
    }
  };

  const aggregateShape = (node: SyntaxNode): PromQLShape => {
    const op = node.getChild('AggregateOp')?.firstChild?.type.name ?? '';
    const params = expressions(node.getChild('FunctionCallBody') ?? node);
    const inner = params.length > 0 ? shape(params[params.length - 1]) : UNBOUNDED;
    const modifier = node.getChild('AggregateModifier');
    const grouping = labelNames(modifier?.getChild('GroupingLabels') ?? null, text);
    // The labels of one output group: `by (L)` → L, `without (L)` → input minus L, neither → none.
    const groupLabels = modifier?.getChild('By') ? grouping : modifier?.getChild('Without') ? without(inner.labels, grouping) : [];
    if (GROUPING_AGGREGATIONS.has(op)) return vector(groupLabels);
    if (op === 'CountValues') {
      const label = params.length > 1 && params[0].type.name === 'StringLiteral' ? unquote(text(params[0])) : undefined;
      return vector(label === undefined ? undefined : union(groupLabels, [label]));
    }
    if (SELECTING_AGGREGATIONS.has(op)) {
      // The selected series keep their labels; `topk(1, …)` without grouping keeps one.
      const k = params.length > 1 && params[0].type.name === 'NumberDurationLiteral' ? Number(text(params[0])) : undefined;
      const one = op !== 'LimitRatio' && k !== undefined && k <= 1 && groupLabels !== undefined && groupLabels.length === 0;
      return vector(inner.labels, inner.single || one);
    }
    return UNBOUNDED;
  };

  const functionShape = (node: SyntaxNode): PromQLShape => {
    const fn = node.getChild('FunctionIdentifier')?.firstChild?.type.name ?? '';
    const args = expressions(node.getChild('FunctionCallBody') ?? node);
    if (SCALAR_FUNCTIONS.has(fn)) return { type: PromQLType.SCALAR, single: true };
    if (fn === 'Vector') return vector([]);
    if (DATE_FUNCTIONS.has(fn) && args.length === 0) return vector([]);
    if (fn === 'Absent' || fn === 'AbsentOverTime') return vector(undefined, true);
    const shapes = args.map(shape);
    const series = shapes.find(s => s.type === PromQLType.VECTOR || s.type === PromQLType.MATRIX);
    if (!series) return UNBOUNDED;
    if (fn === 'HistogramQuantile' || fn === 'HistogramFraction') {
      // One result per bucket set: the `le` label is consumed.
      return vector(without(series.labels, ['le']), series.single);
    }
    if (fn === 'LabelReplace' || fn === 'LabelJoin') {
      const dst = args[1]?.type.name === 'StringLiteral' ? unquote(text(args[1])) : undefined;
      return vector(dst === undefined ? undefined : union(series.labels, [dst]), series.single);
    }
    // Element-wise and range functions keep the labels of their series argument.
    return vector(series.labels, series.single);
  };

  const binaryShape = (node: SyntaxNode): PromQLShape => {
    const [lhsNode, rhsNode] = expressions(node);
    if (!lhsNode || !rhsNode) return UNBOUNDED;
    const lhs = shape(lhsNode);
    const rhs = shape(rhsNode);
    if (lhs.type === PromQLType.SCALAR && rhs.type === PromQLType.SCALAR) return { type: PromQLType.SCALAR, single: true };
    if (lhs.type === PromQLType.SCALAR) return rhs;
    if (rhs.type === PromQLType.SCALAR) return lhs;
    if (lhs.type !== PromQLType.VECTOR || rhs.type !== PromQLType.VECTOR) return UNBOUNDED;
    const op = lhsNode.nextSibling?.type.name ?? '';
    if (op === 'And' || op === 'Unless') return lhs;
    if (op === 'Or') return vector(union(lhs.labels, rhs.labels));
    const matching = node.getChild('MatchingModifierClause');
    const groupings = matching ? matching.getChildren('GroupingLabels') : [];
    const matchLabels = labelNames(groupings[0] ?? null, text);
    const include = labelNames(groupings[1] ?? null, text);
    if (matching?.getChild('GroupLeft')) return vector(union(lhs.labels, include), lhs.single);
    if (matching?.getChild('GroupRight')) return vector(union(rhs.labels, include), rhs.single);
    // One-to-one: at most as many series as either side; `on (L)` keeps only L, `ignoring (L)` drops L.
    const labels = matching?.getChild('On')
      ? (lhs.labels === undefined ? matchLabels : lhs.labels.filter(l => matchLabels.includes(l)))
      : without(lhs.labels, matchLabels);
    return vector(labels, lhs.single || rhs.single);
  };

  return shape(top);
}
