/**
 * A static evaluator for the two ApplicationSet templating engines, enough to render the Applications a fleet
 * produces at synth time and to reject templates the controller would fail on.
 *
 * - Go text/template (`goTemplate: true`): actions made of field chains (`.a.b`), variables (`$`, `$x`, `$x.a`),
 *   string/number literals and the functions listed in FUNCTIONS, chained with `|`; `if`/`else`/`end` and
 *   `range [$k,] [$v :=] pipeline`/`else`/`end` (Go's truth and map key order). Other control structures (`with`,
 *   `else if`, `define`, ...) and other sprig functions are valid for Argo CD but cannot be evaluated here: they give
 *   an `unsupported` failure.
 * - fasttemplate (`goTemplate: false`): `{{key}}` replaced by a flat string param; unknown keys stay verbatim.
 *
 * Nothing here throws for a template: every function returns a `TemplateResult`, either the value or why it failed.
 *
 * @internal
 */
import { normalize } from '../core/names';

/**
 * Why a template could not be evaluated: `invalid` when the controller would reject it too, `unsupported` when it is
 * valid for Argo CD but beyond this evaluator (the Applications cannot be rendered at synth time).
 *
 * @internal
 */
export interface TemplateFailure {
  readonly kind: 'invalid' | 'unsupported';
  readonly message: string;
}

/** @internal The value, or why there is none. */
export type TemplateResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: TemplateFailure };

/** @internal */
export function ok<T>(value: T): TemplateResult<T> {
  return { ok: true, value };
}

/** @internal A template the controller would reject. */
export function invalid<T = never>(message: string): TemplateResult<T> {
  return { ok: false, failure: { kind: 'invalid', message } };
}

/** @internal A valid template this evaluator cannot render. */
export function unsupported<T = never>(message: string): TemplateResult<T> {
  return { ok: false, failure: { kind: 'unsupported', message } };
}

/** @internal */
export interface TemplateOptions {
  readonly goTemplate: boolean;
  /** `missingkey=error` */
  readonly missingKeyError: boolean;
}

const ACTION = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
const CONTROL = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

/** Go template truth: false, 0, nil, and empty strings, lists and maps are false. */
function truth(v: any): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

type Fn = (args: any[]) => TemplateResult<any>;
const FUNCTIONS: { [name: string]: Fn } = {
  index: ([obj, ...keys]) => {
    let cur = obj;
    for (const k of keys) {
      if (cur === undefined || cur === null) return invalid('error calling index: index of untyped nil');
      cur = cur[k];
    }
    return ok(cur);
  },
  lower: ([s]) => ok(str(s).toLowerCase()),
  upper: ([s]) => ok(str(s).toUpperCase()),
  trim: ([s]) => ok(str(s).trim()),
  trunc: ([n, s]) => ok(n >= 0 ? str(s).slice(0, n) : str(s).slice(n)),
  replace: ([from, to, s]) => ok(str(s).split(str(from)).join(str(to))),
  default: ([d, v]) => ok(v === undefined || v === null || v === '' ? d : v),
  quote: ([s]) => ok(JSON.stringify(str(s))),
  normalize: ([s]) => ok(normalize(str(s))),
  eq: ([a, ...bs]) => (bs.length === 0 ? invalid('error calling eq: missing argument for comparison') : ok(bs.some(b => b === a))),
  ne: ([a, b]) => ok(a !== b),
  not: ([a]) => ok(!truth(a)),
  and: (args) => ok(args.find(a => !truth(a)) ?? args[args.length - 1]),
  or: (args) => ok(args.find(a => truth(a)) ?? args[args.length - 1]),
  printf: ([fmt, ...args]) => {
    let i = 0;
    return ok(str(fmt).replace(/%[sdv]/g, () => str(args[i++])));
  },
};

function str(v: any): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'object') return Array.isArray(v) ? `[${v.map(str).join(' ')}]` : `map[${Object.keys(v).sort().map(k => `${k}:${str(v[k])}`).join(' ')}]`;
  return String(v);
}

/** @internal One parsed command of a pipeline. */
interface Command {
  readonly args: Operand[];
}
type Operand = { kind: 'field'; path: string[] } | { kind: 'literal'; value: any } | { kind: 'fn'; name: string } | { kind: 'dot' }
  | { kind: 'var'; name: string; path: string[] };

function tokenize(src: string): TemplateResult<string[]> {
  const tokens: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) return invalid('unterminated quoted string');
      tokens.push(src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) return invalid('unterminated raw quoted string');
      tokens.push(src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '|' || c === '(' || c === ')') { tokens.push(c); i++; continue; }
    let j = i;
    while (j < src.length && !/[\s|()"`]/.test(src[j])) j++;
    tokens.push(src.slice(i, j));
    i = j;
  }
  return ok(tokens);
}

/** A Go interpreted string literal (JSON-compatible escapes), or undefined when malformed. */
function unquote(tok: string): string | undefined {
  if (!/^"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"$/.test(tok)) return undefined;
  return JSON.parse(tok);
}

function parseOperand(tok: string, knownKeys: Set<string> | undefined): TemplateResult<Operand> {
  if (tok.startsWith('"')) {
    const value = unquote(tok);
    return value === undefined ? invalid(`bad quoted string ${tok}`) : ok({ kind: 'literal', value });
  }
  if (tok.startsWith('`')) return ok({ kind: 'literal', value: tok.slice(1, -1) });
  if (/^-?[0-9]+$/.test(tok)) return ok({ kind: 'literal', value: Number(tok) });
  if (tok === 'true' || tok === 'false') return ok({ kind: 'literal', value: tok === 'true' });
  if (tok === '.') return ok({ kind: 'dot' });
  if (tok.startsWith('.')) {
    const path = tok.slice(1).split('.');
    if (path.some(p => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
      return invalid(`bad field chain "${tok}" (keys with "-", "/" or "." need index, e.g. {{index .metadata.labels "my-key"}})`);
    }
    return ok({ kind: 'field', path });
  }
  if (tok.startsWith('$')) {
    const [name, ...path] = tok.split('.');
    if (!/^\$[A-Za-z0-9_]*$/.test(name) || path.some(p => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return invalid(`bad variable "${tok}"`);
    return ok({ kind: 'var', name, path });
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tok)) return invalid(`unexpected "${tok}"`);
  if (CONTROL.has(tok)) return unsupported(`control structure "${tok}"`);
  if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, tok)) {
    if (knownKeys?.has(tok)) {
      return invalid(`function "${tok}" not defined (Go templates read params with a leading dot: {{.${tok}}}; {{${tok}}} is fasttemplate syntax)`);
    }
    return unsupported(`function "${tok}"`);
  }
  return ok({ kind: 'fn', name: tok });
}

/** @internal Parses the pipeline of one Go template action. */
export function parseAction(src: string, knownKeys?: Set<string>): TemplateResult<Command[]> {
  const tokenized = tokenize(src);
  if (!tokenized.ok) return tokenized;
  const tokens = tokenized.value;
  if (tokens.length === 0) return invalid('missing value for command');
  if (tokens.includes('(') || tokens.includes(')')) return unsupported('parenthesized pipeline');
  const commands: Command[] = [];
  let cur: Operand[] = [];
  for (const t of tokens) {
    if (t === '|') {
      if (cur.length === 0) return invalid('missing command before "|"');
      commands.push({ args: cur });
      cur = [];
    } else {
      const operand = parseOperand(t, knownKeys);
      if (!operand.ok) return operand;
      cur.push(operand.value);
    }
  }
  if (cur.length === 0) return invalid('missing command after "|"');
  commands.push({ args: cur });
  for (const [i, c] of commands.entries()) {
    if (c.args.length > 1 && c.args[0].kind !== 'fn') return invalid('can\'t give argument to non-function');
    if (i > 0 && c.args[0].kind !== 'fn') return invalid('non executable command in pipeline stage');
  }
  return ok(commands);
}

/**
 * The field chains (`.a.b`) a Go template string reads, as paths. Actions this evaluator does not support are
 * skipped (they cannot be checked); a syntax error is an `invalid` failure.
 *
 * @internal
 */
export function fieldReferences(template: string, knownKeys?: Set<string>): TemplateResult<string[][]> {
  const braces = checkBraces(template);
  if (!braces.ok) return braces;
  const out: string[][] = [];
  /** The open control structures; inside a range body dot is the element, so its fields are not params. */
  const open: string[] = [];
  for (const p of pieces(template)) {
    if (!('action' in p)) continue;
    let src = p.action.trim();
    const keyword = /^([a-z]+)\b/.exec(src)?.[1];
    const inRange = open.includes('range') || open.includes('with');
    if (keyword === 'end') { open.pop(); continue; }
    if (keyword === 'else') continue;
    if (keyword === 'if' || keyword === 'range' || keyword === 'with') {
      open.push(keyword);
      src = src.slice(keyword.length);
      if (keyword === 'range') {
        const h = rangeHeader(src);
        if (h.ok) src = h.value.pipeline;
      }
    }
    if (inRange) continue;
    const parsed = parseAction(src, knownKeys);
    if (!parsed.ok) {
      if (parsed.failure.kind === 'unsupported') continue;
      return parsed;
    }
    for (const c of parsed.value) {
      for (const a of c.args) if (a.kind === 'field') out.push(a.path);
    }
  }
  return ok(out);
}

function checkBraces(template: string): TemplateResult<true> {
  const stripped = template.replace(ACTION, '');
  return stripped.includes('{{') ? invalid('unclosed action: "{{" without "}}"') : ok(true);
}

function lookup(data: any, path: string[], opts: TemplateOptions): TemplateResult<any> {
  let cur = data;
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    if (cur === undefined || cur === null) return invalid(`nil pointer evaluating interface {}.${k}`);
    if (typeof cur !== 'object') return invalid(`can't evaluate field ${k} in type ${typeof cur}`);
    if (!Object.prototype.hasOwnProperty.call(cur, k)) {
      if (opts.missingKeyError) return invalid(`map has no entry for key "${k}"`);
      cur = undefined;
      if (i < path.length - 1) return ok(undefined);
      continue;
    }
    cur = cur[k];
  }
  return ok(cur);
}

/** What a template action evaluates against: dot, and the variables in scope (`$` is the params). */
interface Scope {
  readonly dot: any;
  readonly vars: ReadonlyMap<string, any>;
}

/** The scope of a whole template: `.` and `$` are the params; the variables map is made when first read. */
class RootScope implements Scope {
  private variables?: ReadonlyMap<string, any>;
  public constructor(readonly dot: any) {}
  public get vars(): ReadonlyMap<string, any> {
    return (this.variables ??= new Map([['$', this.dot]]));
  }
}

function evalOperand(o: Operand, scope: Scope, opts: TemplateOptions): TemplateResult<any> {
  switch (o.kind) {
    case 'literal': return ok(o.value);
    case 'dot': return ok(scope.dot);
    case 'field': return lookup(scope.dot, o.path, opts);
    case 'var':
      if (!scope.vars.has(o.name)) return invalid(`undefined variable "${o.name}"`);
      return lookup(scope.vars.get(o.name), o.path, opts);
    default: return unsupported(`function "${o.name}" as an argument`);
  }
}

function evalCommand(c: Command, scope: Scope, opts: TemplateOptions, piped: any[]): TemplateResult<any> {
  const head = c.args[0];
  if (head.kind !== 'fn') return evalOperand(head, scope, opts);
  if ((head.name === 'and' || head.name === 'or') && piped.length === 0) {
    // Go 1.18+: and/or evaluate their arguments only until the result is known
    let last: any;
    for (const o of c.args.slice(1)) {
      const v = evalOperand(o, scope, opts);
      if (!v.ok) return v;
      last = v.value;
      if (truth(last) === (head.name === 'or')) return ok(last);
    }
    return c.args.length > 1 ? ok(last) : invalid(`wrong number of args for ${head.name}: want at least 1 got 0`);
  }
  const args: any[] = [];
  for (const o of c.args.slice(1)) {
    const v = evalOperand(o, scope, opts);
    if (!v.ok) return v;
    args.push(v.value);
  }
  return FUNCTIONS[head.name]([...args, ...piped]);
}

function evalPipeline(commands: Command[], scope: Scope, opts: TemplateOptions): TemplateResult<any> {
  let piped: any[] = [];
  for (const c of commands) {
    const v = evalCommand(c, scope, opts, piped);
    if (!v.ok) return v;
    piped = [v.value];
  }
  return ok(piped[0]);
}

/** A node of a parsed Go template: literal text, an action, or a control structure with its branches. */
type Node = string
  | { readonly kind: 'action'; readonly commands: Command[] }
  | { readonly kind: 'if'; readonly cond: Command[]; readonly then: Node[]; readonly otherwise: Node[] }
  | { readonly kind: 'range'; readonly over: Command[]; readonly keyVar?: string; readonly valueVar?: string; readonly body: Node[]; readonly otherwise: Node[] };

/** A Go template parsed once, rendered for every param set. */
type Compiled = ReadonlyArray<Node>;
const COMPILED = new Map<string, TemplateResult<Compiled>>();
const COMPILED_MAX = 10_000;

function compile(template: string): TemplateResult<Compiled> {
  const cached = COMPILED.get(template);
  if (cached) return cached;
  const result = compileUncached(template);
  if (COMPILED.size >= COMPILED_MAX) COMPILED.clear();
  COMPILED.set(template, result);
  return result;
}

/** The action's source split into text pieces and actions (with `{{-`/`-}}` trimming applied), in order. */
function pieces(template: string): Array<{ text: string } | { action: string }> {
  const out: Array<{ text: string } | { action: string }> = [];
  let last = 0;
  for (const m of template.matchAll(ACTION)) {
    let before = template.slice(last, m.index);
    if (m[1]) before = before.replace(/\s+$/, '');
    if (before) out.push({ text: before });
    last = m.index! + m[0].length;
    if (m[3]) {
      const rest = template.slice(last);
      last += rest.length - rest.replace(/^\s+/, '').length;
    }
    if (m[2].trim().startsWith('/*')) continue;
    out.push({ action: m[2] });
  }
  const tail = template.slice(last);
  if (tail) out.push({ text: tail });
  return out;
}

/** `range $k, $v := pipeline` / `range $v := pipeline` / `range pipeline`: the variables and the pipeline's source. */
function rangeHeader(src: string): TemplateResult<{ keyVar?: string; valueVar?: string; pipeline: string }> {
  const m = /^\s*(\$[A-Za-z0-9_]*)\s*(?:,\s*(\$[A-Za-z0-9_]*)\s*)?:=([\s\S]*)$/.exec(src);
  if (!m) return ok({ pipeline: src });
  return ok(m[2] ? { keyVar: m[1], valueVar: m[2], pipeline: m[3] } : { valueVar: m[1], pipeline: m[3] });
}

function compileUncached(template: string): TemplateResult<Compiled> {
  const braces = checkBraces(template);
  if (!braces.ok) return braces;
  type Open = { kind: 'if' | 'range'; cond: Command[]; keyVar?: string; valueVar?: string; then: Node[]; otherwise: Node[]; inElse: boolean };
  const root: Node[] = [];
  const stack: Open[] = [];
  const current = (): Node[] => {
    const top = stack[stack.length - 1];
    return top ? (top.inElse ? top.otherwise : top.then) : root;
  };
  for (const p of pieces(template)) {
    if ('text' in p) {
      current().push(p.text);
      continue;
    }
    const src = p.action.trim();
    const keyword = /^([a-z]+)\b/.exec(src)?.[1];
    if (keyword === 'if' || keyword === 'range') {
      let body = src.slice(keyword.length);
      let vars: { keyVar?: string; valueVar?: string } = {};
      if (keyword === 'range') {
        const h = rangeHeader(body);
        if (!h.ok) return h;
        vars = { keyVar: h.value.keyVar, valueVar: h.value.valueVar };
        body = h.value.pipeline;
      }
      const cond = parseAction(body);
      if (!cond.ok) return cond.failure.message === 'missing value for command' ? invalid(`missing value for ${keyword}`) : cond;
      stack.push({ kind: keyword, cond: cond.value, ...vars, then: [], otherwise: [], inElse: false });
      continue;
    }
    if (keyword === 'else') {
      const top = stack[stack.length - 1];
      if (!top) return invalid('unexpected {{else}}');
      if (src !== 'else') return unsupported(`control structure "${src.split(/\s+/).slice(0, 2).join(' ')}"`);
      if (top.inElse) return invalid('expected end; found {{else}}');
      top.inElse = true;
      continue;
    }
    if (keyword === 'end') {
      const top = stack.pop();
      if (!top) return invalid('unexpected {{end}}');
      const node: Node = top.kind === 'if'
        ? { kind: 'if', cond: top.cond, then: top.then, otherwise: top.otherwise }
        : { kind: 'range', over: top.cond, keyVar: top.keyVar, valueVar: top.valueVar, body: top.then, otherwise: top.otherwise };
      current().push(node);
      continue;
    }
    const commands = parseAction(p.action);
    if (!commands.ok) return commands;
    current().push({ kind: 'action', commands: commands.value });
  }
  if (stack.length > 0) return invalid(`unexpected EOF: {{${stack[stack.length - 1].kind}}} without {{end}}`);
  return ok(root);
}

function renderNodes(nodes: readonly Node[], scope: Scope, opts: TemplateOptions): TemplateResult<string> {
  let out = '';
  for (const node of nodes) {
    if (typeof node === 'string') {
      out += node;
    } else if (node.kind === 'action') {
      const v = evalPipeline(node.commands, scope, opts);
      if (!v.ok) return v;
      out += str(v.value);
    } else if (node.kind === 'if') {
      const c = evalPipeline(node.cond, scope, opts);
      if (!c.ok) return c;
      const r = renderNodes(truth(c.value) ? node.then : node.otherwise, scope, opts);
      if (!r.ok) return r;
      out += r.value;
    } else {
      const over = evalPipeline(node.over, scope, opts);
      if (!over.ok) return over;
      const v = over.value;
      let entries: Array<[any, any]>;
      if (v === undefined || v === null) entries = [];
      else if (Array.isArray(v)) entries = v.map((x, i) => [i, x]);
      else if (typeof v === 'object') entries = Object.keys(v).sort().map(k => [k, v[k]]);
      else return unsupported(`range over ${typeof v}`);
      if (entries.length === 0) {
        const r = renderNodes(node.otherwise, scope, opts);
        if (!r.ok) return r;
        out += r.value;
        continue;
      }
      for (const [k, x] of entries) {
        const vars = new Map(scope.vars);
        if (node.keyVar) vars.set(node.keyVar, k);
        if (node.valueVar) vars.set(node.valueVar, x);
        const r = renderNodes(node.body, { dot: x, vars }, opts);
        if (!r.ok) return r;
        out += r.value;
      }
    }
  }
  return ok(out);
}

/** @internal Renders one string with the given params. */
export function renderString(template: string, params: any, opts: TemplateOptions): TemplateResult<string> {
  if (!opts.goTemplate) {
    return ok(template.replace(/\{\{([^{}]*)\}\}/g, (whole, key: string) => {
      const v = params[key.trim()];
      return typeof v === 'string' ? v : whole;
    }));
  }
  if (!template.includes('{{')) return ok(template);
  const compiled = compile(template);
  if (!compiled.ok) return compiled;
  return renderNodes(compiled.value, { dot: params, vars: new Map([['$', params]]) }, opts);
}

/**
 * A failure while rendering a JSON value, with the string that failed.
 *
 * @internal
 */
export interface DeepTemplateFailure extends TemplateFailure {
  /** The template string (a value or a map key) that failed. */
  readonly template: string;
}

/** @internal The rendered JSON value, or the failure with the string that failed. */
export type DeepTemplateResult = { readonly ok: true; readonly value: any } | { readonly ok: false; readonly failure: DeepTemplateFailure };

/** Whether a JSON object or array holds no template action in any string or key, memoized per object. */
const STATIC = new WeakMap<object, boolean>();

function isStatic(value: any): boolean {
  if (typeof value === 'string') return !value.includes('{{');
  if (!value || typeof value !== 'object') return true;
  let known = STATIC.get(value);
  if (known === undefined) {
    known = Array.isArray(value) ? value.every(isStatic) : Object.entries(value).every(([k, v]) => isStatic(k) && isStatic(v));
    STATIC.set(value, known);
  }
  return known;
}

/**
 * Renders every string and map key of a JSON value. A subtree without any template action renders to itself: it is
 * returned as is (shared, not copied), so callers must not modify the result.
 *
 * @internal
 */
export function renderDeep(value: any, params: any, opts: TemplateOptions): DeepTemplateResult {
  if (value && typeof value === 'object' && isStatic(value)) return { ok: true, value };
  if (typeof value === 'string') {
    const r = renderString(value, params, opts);
    return r.ok ? r : { ok: false, failure: { ...r.failure, template: value } };
  }
  if (Array.isArray(value)) {
    const out: any[] = [];
    for (const v of value) {
      const r = renderDeep(v, params, opts);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (value && typeof value === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      const key = renderString(k, params, opts);
      if (!key.ok) return { ok: false, failure: { ...key.failure, template: k } };
      const r = renderDeep(v, params, opts);
      if (!r.ok) return r;
      out[key.value] = r.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value };
}

/**
 * A JSON value compiled for rendering with many param sets: `renderDeep(value, params, opts)` without walking the
 * static parts again. Static subtrees are shared (returned as is, like `renderDeep` does), each template string is
 * parsed once, and the scope of a param set is built once for all its strings rather than once per string.
 *
 * @internal
 */
export type DeepRenderer = (params: any) => DeepTemplateResult;

/** One compiled part of a JSON value, rendered with the scope of one param set. */
type DeepPart = (params: any, scope: Scope) => DeepTemplateResult;

/**
 * Compiles a JSON value for `renderDeep` with the same options: the renderer returns what `renderDeep(value, params,
 * opts)` returns (the same values, the same shared static subtrees, the same first failure), for any params. The
 * value must not change afterwards.
 *
 * @internal
 */
export function compileDeep(value: any, opts: TemplateOptions): DeepRenderer {
  const { part } = compilePart(value, opts);
  return params => part(params, new RootScope(params));
}

function constant(value: any): DeepPart {
  const result: DeepTemplateResult = { ok: true, value };
  return () => result;
}

/**
 * The compiled part of a value and whether it is static (`isStatic`: no string or key holds "{{"), decided bottom-up
 * in one pass rather than through the per-object memo (a template compiled once per simulation is a fresh object).
 */
function compilePart(value: any, opts: TemplateOptions): { part: DeepPart; static: boolean } {
  if (typeof value === 'string') {
    return value.includes('{{') ? { part: compileStringPart(value, opts), static: false } : { part: constant(value), static: true };
  }
  if (Array.isArray(value)) {
    const items = value.map(v => compilePart(v, opts));
    if (items.every(i => i.static)) return { part: constant(value), static: true };
    const parts = items.map(i => i.part);
    return {
      static: false,
      part: (params, scope) => {
        const out: any[] = [];
        for (const item of parts) {
          const r = item(params, scope);
          if (!r.ok) return r;
          out.push(r.value);
        }
        return { ok: true, value: out };
      },
    };
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compilePart(v, opts)] as const);
    if (entries.every(([k, v]) => !k.includes('{{') && v.static)) return { part: constant(value), static: true };
    // a key without "{{" renders to itself in both template modes: kept as the string, not a part to call
    const keys = entries.map(([k]) => (k.includes('{{') ? compileStringPart(k, opts) : k));
    const values = entries.map(([, v]) => v.part);
    return {
      static: false,
      part: (params, scope) => {
        const out: any = {};
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          let k: string;
          if (typeof key === 'string') {
            k = key;
          } else {
            const rk = key(params, scope);
            if (!rk.ok) return rk;
            k = rk.value;
          }
          const r = values[i](params, scope);
          if (!r.ok) return r;
          out[k] = r.value;
        }
        return { ok: true, value: out };
      },
    };
  }
  return { part: constant(value), static: true };
}

/** A string compiled as `renderString` renders it, failures carrying the string (as `renderDeep` reports them). */
function compileStringPart(template: string, opts: TemplateOptions): DeepPart {
  const fail = (r: { readonly ok: false; readonly failure: TemplateFailure }): DeepTemplateResult =>
    ({ ok: false, failure: { ...r.failure, template } });
  if (!opts.goTemplate) {
    if (!/\{\{[^{}]*\}\}/.test(template)) return constant(template);
    return params => {
      const r = renderString(template, params, opts);
      return r.ok ? r : fail(r);
    };
  }
  if (!template.includes('{{')) return constant(template);
  const compiled = compile(template);
  if (!compiled.ok) {
    const failure = fail(compiled);
    return () => failure;
  }
  const nodes = compiled.value;
  const segments = simpleSegments(nodes);
  if (segments) {
    // text and {{.a.b}} only (the usual template string): the lookups without a result object per step
    return (_params, scope) => {
      let out = '';
      for (const seg of segments) {
        if (typeof seg === 'string') {
          out += seg;
          continue;
        }
        let cur = scope.dot;
        for (let i = 0; i < seg.length; i++) {
          if (cur === undefined || cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg[i])) {
            // off the happy path: lookup() decides (a missing key, nil, a non-map) exactly as renderNodes does
            const v = lookup(scope.dot, seg, opts);
            if (!v.ok) return fail(v);
            cur = v.value;
            break;
          }
          cur = cur[seg[i]];
        }
        out += str(cur);
      }
      return { ok: true, value: out };
    };
  }
  return (_params, scope) => {
    const r = renderNodes(nodes, scope, opts);
    return r.ok ? r : fail(r);
  };
}

/** The text and field paths of a template made only of text and single field actions (`{{.a.b}}`), or undefined. */
function simpleSegments(nodes: Compiled): Array<string | string[]> | undefined {
  const out: Array<string | string[]> = [];
  for (const node of nodes) {
    if (typeof node === 'string') {
      out.push(node);
    } else if (node.kind === 'action' && node.commands.length === 1 && node.commands[0].args.length === 1 && node.commands[0].args[0].kind === 'field') {
      out.push(node.commands[0].args[0].path);
    } else {
      return undefined;
    }
  }
  return out;
}

/** @internal Every string of a JSON value (keys included). */
export function allStrings(value: any, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
  } else if (Array.isArray(value)) {
    value.forEach(v => allStrings(v, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { out.push(k); allStrings(v, out); }
  }
  return out;
}
