import type { SyntaxNode, Tree } from '@lezer/common';
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

/** @internal An Argo Rollouts placeholder found in a text: `{{ inner }}` from `from` to `to`, `inner` trimmed. */
export interface Placeholder {
  readonly from: number;
  readonly to: number;
  readonly inner: string;
}

/**
 * The `{{ … }}` placeholders of a text, as the controller's template engine reads them: `{{`, then no brace, then
 * `}}`; the inner text trimmed. One pass (each character is looked at a bounded number of times): a regex such as
 * `\{\{\s*([^{}]*?)\s*\}\}` backtracks cubically on `{{` followed by thousands of spaces.
 *
 * @internal
 */
export function scanPlaceholders(text: string): Placeholder[] {
  const out: Placeholder[] = [];
  let start = text.indexOf('{{');
  while (start >= 0) {
    let j = start + 2;
    while (j < text.length && text[j] !== '{' && text[j] !== '}') j++;
    if (text[j] === '}' && text[j + 1] === '}') {
      out.push({ from: start, to: j + 2, inner: text.slice(start + 2, j).trim() });
      start = text.indexOf('{{', j + 2);
    } else {
      // no placeholder starts here; the next candidate is the next `{{` (at most one character back: `{{{`)
      start = text.indexOf('{{', Math.max(start + 1, j - 1));
    }
  }
  return out;
}

/**
 * The `{{args.NAME}}` placeholders of a query that stand inside a string literal, with the literal's quote: the
 * controller substitutes args as raw text, so a value with that quote, a backslash or a line break there changes the
 * query's structure (`x",job=~".+` adds a matcher). One pass over the query.
 *
 * @internal
 */
export function quotedArgPlaceholders(query: string): Array<{ name: string; quote: string }> {
  const out: Array<{ name: string; quote: string }> = [];
  const placeholders = scanPlaceholders(query);
  let next = 0;
  let quote: string | undefined;
  for (let i = 0; i < query.length; i++) {
    const p = placeholders[next];
    if (p && i === p.from) {
      const m = /^args\.([A-Za-z0-9_.-]+)$/.exec(p.inner);
      if (m && quote !== undefined) out.push({ name: m[1], quote });
      i = p.to - 1;
      next++;
      continue;
    }
    const c = query[i];
    if (quote !== undefined) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '\'' || c === '`') {
      quote = c;
    } else if (c === '#') {
      while (i + 1 < query.length && query[i + 1] !== '\n') i++;
    }
  }
  return out;
}

/**
 * Replaces each placeholder of a text by what `replace` returns for it.
 *
 * @internal
 */
export function replacePlaceholders(text: string, replace: (p: Placeholder) => string): string {
  let out = '';
  let last = 0;
  for (const p of scanPlaceholders(text)) {
    out += text.slice(last, p.from) + replace(p);
    last = p.to;
  }
  return out + text.slice(last);
}

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
  // quotes before each placeholder, counted in one pass over the query
  let quotes = 0;
  let counted = 0;
  const text = replacePlaceholders(query, ({ from, inner }) => {
    for (; counted < from; counted++) {
      if (query[counted] === '"' && query[counted - 1] !== '\\') quotes++;
    }
    const m = /^args\.([A-Za-z0-9_.-]+)$/.exec(inner);
    if (!m) {
      if (!others.includes(inner)) others.push(inner);
    } else if (!args.includes(m[1])) {
      args.push(m[1]);
    }
    const known = m ? values[m[1]] : undefined;
    if (known !== undefined) return known;
    if (quotes % 2 === 1) return 'x';
    let k = from - 1; // the text before the placeholder, whitespace skipped (each run is skipped once)
    while (k >= 0 && /\s/.test(query[k])) k--;
    if (query[k] === '[' || query[k] === ':' || query.slice(k - 5, k + 1) === 'offset') return '1m';
    return '1';
  });
  return { text, args, others };
}

/**
 * Reads a PromQL string literal as Prometheus's lexer does (`"…"` and `'…'` with Go escapes, raw `` `…` `` without):
 * its value, or the escape Prometheus rejects (`"a\d"`: "unknown escape sequence").
 *
 * @internal
 */
export function readStringLiteral(literal: string): { value: string; error?: string } {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`' || !body.includes('\\')) return { value: body };
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { 'a': '\x07', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\' };
    if (e in simple) {
      value += simple[e];
    } else if (e === quote) {
      value += e;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const digits = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) return { value, error: `unknown escape sequence \\${digits}` };
      value += String.fromCodePoint(parseInt(digits, 8));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = body.slice(i + 1, i + 1 + n);
      const code = parseInt(digits, 16);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits) || code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) {
        return { value, error: `unknown escape sequence \\${e}${digits}` };
      }
      value += String.fromCodePoint(code);
      i += n;
    } else {
      return { value, error: `unknown escape sequence \\${e ?? ''}` };
    }
  }
  return { value };
}

/**
 * The value of a PromQL string literal (`"…"`, `'…'` or a raw `` `…` ``).
 *
 * @internal
 */
export function unquote(literal: string): string {
  return readStringLiteral(literal).value;
}

/** Prometheus 2.x function and aggregation names, from the grammar's node types (`HistogramQuantile` → `histogram_quantile`). */
const KNOWN_FUNCTIONS: string[] = (() => {
  const names = parser.nodeSet.types.map(t => t.name);
  const from = names.indexOf('FunctionIdentifier');
  const to = names.indexOf('MatrixSelector');
  const fns = names.slice(from + 1, to).filter(n => n !== 'Identifier');
  const aggregations = names.slice(names.indexOf('Avg'), names.indexOf('By')).concat(['Count', 'CountValues']);
  const snake = (n: string) => n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return [...new Set([...fns, ...aggregations].map(snake))];
})();

/** Levenshtein distance, for "did you mean" (both strings are short names). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

const BRACKETS: Record<string, { close: string; name: string }> = {
  '(': { close: ')', name: 'parenthesis' },
  '[': { close: ']', name: 'bracket' },
  '{': { close: '}', name: 'brace' },
};

/** Prometheus's lexer message for an unbalanced bracket (outside string literals), if any. */
function bracketProblem(text: string): string | undefined {
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === '\'' || c === '`') {
      quote = c;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c in BRACKETS) {
      stack.push(c);
    } else if (c === ')' || c === ']' || c === '}') {
      const open = stack.pop();
      if (open === undefined || BRACKETS[open].close !== c) {
        const name = Object.values(BRACKETS).find(b => b.close === c)!.name;
        return open === undefined ? `unexpected right ${name} ${JSON.stringify(c)}`
          : `unclosed left ${BRACKETS[open].name} (expected ${JSON.stringify(BRACKETS[open].close)}, found ${JSON.stringify(c)})`;
      }
    }
  }
  const open = stack.pop();
  return open === undefined ? undefined : `unclosed left ${BRACKETS[open].name} (expected ${JSON.stringify(BRACKETS[open].close)})`;
}

/**
 * What Prometheus would say about a syntax error the grammar found at `from`: an unknown function (`rat(x[5m])`:
 * "unknown function with name "rat"", with the nearest known name), an unbalanced bracket, or nothing more.
 */
function syntaxDetail(text: string, tree: Tree, from: number): string | undefined {
  let unknown: string | undefined;
  tree.iterate({
    enter: (n) => {
      if (unknown !== undefined) return false;
      if (n.type.name === 'Identifier' && n.to <= from && /^\s*\($/.test(text.slice(n.to, from + 1))) {
        const name = text.slice(n.from, n.to);
        if (!KNOWN_FUNCTIONS.includes(name)) unknown = name;
      }
      return undefined;
    },
  });
  if (unknown !== undefined) {
    const near = KNOWN_FUNCTIONS.map(f => ({ f, d: editDistance(unknown!, f) })).filter(x => x.d <= 2)
      // nearest first; on a tie, a name the typed one begins (`rat` → `rate` before `rad`)
      .sort((a, b) => a.d - b.d || Number(b.f.startsWith(unknown!)) - Number(a.f.startsWith(unknown!)))[0];
    return `unknown function with name ${JSON.stringify(unknown)}${near ? ` (did you mean ${JSON.stringify(near.f)}?)` : ''}`;
  }
  return bracketProblem(text);
}

/**
 * A pure function of a query's text, computed once per text (a bounded cache): the same query is checked for every
 * template that uses it. Results are shared: callers must not modify them.
 *
 * @internal
 */
export function memoizedByQuery<T>(fn: (query: string) => T): (query: string) => T {
  const cache = new Map<string, T>();
  return (query: string) => {
    if (cache.has(query)) return cache.get(query)!;
    const result = fn(query);
    if (cache.size > 2000) cache.clear();
    cache.set(query, result);
    return result;
  };
}

/** Parse trees by query text: each query is parsed once, however many checks read it. */
const trees = new Map<string, Tree>();

/**
 * The grammar's parse tree of a (placeholder-substituted) query, cached by text.
 *
 * @internal
 */
export function parsePromQL(text: string): Tree {
  let tree = trees.get(text);
  if (tree === undefined) {
    tree = parser.parse(text);
    if (trees.size > 2000) trees.clear();
    trees.set(text, tree);
  }
  return tree;
}

/**
 * The top expression node of a query that parses without an error node, or undefined when it does not parse.
 *
 * @internal
 */
export function parsedTopNode(text: string): SyntaxNode | undefined {
  const tree = parsePromQL(text);
  let broken = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) broken = true;
      return !broken;
    },
  });
  return broken ? undefined : tree.topNode.firstChild ?? undefined;
}

const analyses = new Map<string, PromQLAnalysis>();

/**
 * Parses a query with the Prometheus project's own grammar (`@prometheus-io/lezer-promql`) and reports syntax
 * errors, Prometheus-3-only syntax (the Debian/2.x servers and promtool reject it), selectors without a non-empty
 * matcher, and the vector selectors it uses. Cached by query and values: validation passes re-read it for free.
 *
 * @internal
 */
export function analyzePromQL(query: string, values: Record<string, string> = {}): PromQLAnalysis {
  // without values (the usual call) "\u0000" + the query; else a JSON array of the query and the values by name (it
  // starts with "[", so the two forms never meet)
  const names = Object.keys(values);
  const key = names.length === 0 ? `\u0000${query}` : JSON.stringify([query, names.sort().map(n => [n, values[n]])]);
  let result = analyses.get(key);
  if (result === undefined) {
    result = analyze(query, values);
    if (analyses.size > 2000) analyses.clear();
    analyses.set(key, result);
  }
  return { ...result, errors: [...result.errors], selectors: [...result.selectors] };
}

function analyze(query: string, values: Record<string, string>): PromQLAnalysis {
  const sub = substitutePlaceholders(query, values);
  const text = sub.text;
  const errors: string[] = [];
  const selectors: PromQLSelector[] = [];
  if (text.trim().length === 0) {
    return { parsed: text, errors: ['the query is empty'], selectors, argPlaceholders: sub.args, otherPlaceholders: sub.others };
  }
  const tree = parsePromQL(text);
  const snippet = (from: number) => JSON.stringify(text.slice(Math.max(0, from - 10), from + 10));
  let firstSyntaxError = true;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) {
        if (firstSyntaxError) {
          const detail = syntaxDetail(text, tree, n.from);
          errors.push(`syntax error at offset ${n.from} near ${snippet(n.from)}${detail ? `: ${detail}` : ''}`);
        }
        firstSyntaxError = false;
        return false;
      }
      const name = n.type.name;
      if (name === 'StringLiteral') {
        const error = readStringLiteral(text.slice(n.from, n.to)).error;
        // Prometheus's lexer: `"a\d"` is "unknown escape sequence U+0064 'd'"
        if (error) errors.push(`string ${text.slice(n.from, n.to)}: ${error} (Prometheus rejects the query; escape a backslash as \\\\)`);
      } else if (name === 'QuotedLabelName' || name === 'QuotedLabelMatcher') {
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
