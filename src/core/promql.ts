import type { LRParser } from '@lezer/lr';
import { matcherRegExp } from './re2';

// @prometheus-io/lezer-promql is a "type": "module" package whose `require` export is CommonJS; its single
// .d.ts cannot be imported from a node16 CommonJS module (TS1479), so the parser is required and typed
// through @lezer/lr, which ships .d.cts typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

/**
 * The Prometheus project's PromQL parser (lezer grammar), shared by every module that reads queries.
 *
 * @internal
 */
export const promqlParser: LRParser = parser;

/** @internal A label matcher of a vector selector. */
export interface PromQLMatcher {
  readonly name: string;
  /** One of `=`, `!=`, `=~`, `!~`. */
  readonly op: string;
  readonly value: string;
}

/** @internal A vector selector found in a query: `metric{matchers}` (metricName from the name or `__name__="…"`). */
export interface PromQLSelector {
  readonly metricName?: string;
  readonly matchers: PromQLMatcher[];
  /** The selector's source text (after placeholder substitution). */
  readonly text: string;
}

/** @internal What the grammar says about a query. */
export interface PromQLAnalysis {
  /** The query that was parsed: placeholders replaced by their values or by syntax-appropriate dummies. */
  readonly parsed: string;
  /** Empty when the query is valid Prometheus 2.x PromQL. */
  readonly errors: string[];
  readonly selectors: PromQLSelector[];
  /** Names used in `{{args.NAME}}` placeholders, in order of first use. */
  readonly argPlaceholders: string[];
  /** Any other `{{…}}` placeholder (Argo Rollouts fails to resolve these). */
  readonly otherPlaceholders: string[];
}

/** Functions and aggregations that only Prometheus 3.x (or experimental flags) accept. */
const PROMETHEUS_3_ONLY = new Set(['LimitK', 'LimitRatio', 'Info', 'DoubleExponentialSmoothing', 'SortByLabel', 'SortByLabelDesc',
  'TsOfMaxOverTime', 'TsOfMinOverTime', 'TsOfLastOverTime', 'FirstOverTime', 'TsOfFirstOverTime']);

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Replaces Argo Rollouts placeholders (`{{args.x}}`, `{{ args.x }}`) with the given values or, when no value is
 * known, with a dummy that fits where the placeholder stands: `x` inside a string literal, `1m` inside a range or
 * after `offset`, `1` elsewhere. Returns the substituted text and the placeholder names.
 *
 * @internal
 */
export function substitutePlaceholders(query: string, values: Record<string, string> = {}):
{ text: string; args: string[]; others: string[] } {
  const args: string[] = [];
  const others: string[] = [];
  const text = query.replace(PLACEHOLDER, (whole, inner: string, offset: number) => {
    const m = /^args\.([A-Za-z0-9_.-]+)$/.exec(inner);
    if (!m) {
      if (!others.includes(inner)) others.push(inner);
    } else if (!args.includes(m[1])) {
      args.push(m[1]);
    }
    const known = m ? values[m[1]] : undefined;
    if (known !== undefined) return known;
    const before = query.slice(0, offset);
    const quotes = (before.match(/(?<!\\)"/g) ?? []).length;
    if (quotes % 2 === 1) return 'x';
    if (/(\[|:)\s*$/.test(before) || /offset\s*$/.test(before)) return '1m';
    void whole;
    return '1';
  });
  return { text, args, others };
}

/**
 * The value of a PromQL string literal (`"…"`, `'…'` or a raw `` `…` ``).
 *
 * @internal
 */
export function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  try {
    return JSON.parse(literal.startsWith('\'') ? `"${literal.slice(1, -1).replace(/"/g, '\\"')}"` : literal);
  } catch {
    return literal.slice(1, -1);
  }
}

/**
 * Parses a query with the Prometheus project's own grammar (`@prometheus-io/lezer-promql`) and reports syntax
 * errors, Prometheus-3-only syntax (the Debian/2.x servers and promtool reject it), selectors without a non-empty
 * matcher, and the vector selectors it uses.
 *
 * @internal
 */
export function analyzePromQL(query: string, values: Record<string, string> = {}): PromQLAnalysis {
  const sub = substitutePlaceholders(query, values);
  const text = sub.text;
  const errors: string[] = [];
  const selectors: PromQLSelector[] = [];
  if (text.trim().length === 0) {
    return { parsed: text, errors: ['the query is empty'], selectors, argPlaceholders: sub.args, otherPlaceholders: sub.others };
  }
  const tree = parser.parse(text);
  const snippet = (from: number) => JSON.stringify(text.slice(Math.max(0, from - 10), from + 10));
  let firstSyntaxError = true;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) {
        if (firstSyntaxError) errors.push(`syntax error at offset ${n.from} near ${snippet(n.from)}`);
        firstSyntaxError = false;
        return false;
      }
      const name = n.type.name;
      if (name === 'QuotedLabelName' || name === 'QuotedLabelMatcher') {
        errors.push(`quoted metric or label names (${JSON.stringify(text.slice(n.from, n.to))}) need Prometheus 3.x`);
      } else if (name === 'DurationExpr' && n.node.getChild('DurationExpr')) {
        errors.push(`duration arithmetic (${JSON.stringify(text.slice(n.from, n.to))}) needs Prometheus 3.x`);
        return false;
      } else if (name === 'OffsetExpr' || name === 'StepInvariantExpr') {
        // Prometheus: the offset and @ modifiers apply to a selector or subquery only (`sum(x) offset 1m` is an error).
        const target = n.node.firstChild?.type.name;
        const allowed = ['VectorSelector', 'MatrixSelector', 'SubqueryExpr', ...(name === 'StepInvariantExpr' ? ['OffsetExpr'] : [])];
        if (!target || !allowed.includes(target)) {
          const modifier = name === 'OffsetExpr' ? 'offset' : '@';
          errors.push(`${modifier} modifier must be preceded by an instant vector selector or range vector selector or a subquery `
            + `(in ${JSON.stringify(text.slice(n.from, n.to))})`);
        }
      } else if (PROMETHEUS_3_ONLY.has(name)) {
        errors.push(`${text.slice(n.from, n.to)}() needs Prometheus 3.x`);
      } else if (name === 'VectorSelector') {
        const node = n.node;
        const ident = node.getChild('Identifier');
        const matchers: PromQLMatcher[] = [];
        const list = node.getChild('LabelMatchers');
        for (const m of list ? list.getChildren('UnquotedLabelMatcher') : []) {
          const ln = m.getChild('LabelName');
          const op = m.getChild('MatchOp');
          const lit = m.getChild('StringLiteral');
          if (ln && op && lit) {
            matchers.push({ name: text.slice(ln.from, ln.to), op: text.slice(op.from, op.to), value: unquote(text.slice(lit.from, lit.to)) });
          }
        }
        const nameMatcher = matchers.find(x => x.name === '__name__' && x.op === '=');
        const metricName = ident ? text.slice(ident.from, ident.to) : nameMatcher?.value;
        const selText = text.slice(n.from, n.to);
        if (!metricName && !matchers.some(x => !matchesEmpty(x))) {
          errors.push(`vector selector ${selText} must contain at least one matcher that does not match the empty string`);
        }
        selectors.push({ metricName, matchers, text: selText });
      }
      return undefined;
    },
  });
  return { parsed: text, errors, selectors, argPlaceholders: sub.args, otherPlaceholders: sub.others };
}

function matchesEmpty(m: PromQLMatcher): boolean {
  switch (m.op) {
    case '=': return m.value === '';
    case '!=': return m.value !== '';
    case '=~': return matcherRegExp(m.value)?.test('') ?? false;
    case '!~': return !(matcherRegExp(m.value)?.test('') ?? true);
    default: return false;
  }
}
