/**
 * A static evaluator for the two ApplicationSet templating engines, enough to render the Applications a fleet
 * produces at synth time and to reject templates the controller would fail on.
 *
 * - Go text/template (`goTemplate: true`): actions made of field chains (`.a.b`), string/number literals and the
 *   functions listed in FUNCTIONS, chained with `|`. Control structures (`if`, `range`, `with`, variables) and other
 *   sprig functions are valid for Argo CD but cannot be evaluated here: they raise `TemplateUnsupportedError`.
 * - fasttemplate (`goTemplate: false`): `{{key}}` replaced by a flat string param; unknown keys stay verbatim.
 *
 * @internal
 */
import { normalize } from '../core/names';

/** @internal A template the controller would reject. */
export class TemplateError extends Error {}
/** @internal A valid template this evaluator cannot render. */
export class TemplateUnsupportedError extends Error {}

/** @internal */
export interface TemplateOptions {
  readonly goTemplate: boolean;
  /** `missingkey=error` */
  readonly missingKeyError: boolean;
}

const ACTION = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
const CONTROL = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

type Fn = (args: any[]) => any;
const FUNCTIONS: { [name: string]: Fn } = {
  index: ([obj, ...keys]) => {
    let cur = obj;
    for (const k of keys) {
      if (cur === undefined || cur === null) throw new TemplateError('error calling index: index of untyped nil');
      cur = cur[k];
    }
    return cur;
  },
  lower: ([s]) => str(s).toLowerCase(),
  upper: ([s]) => str(s).toUpperCase(),
  trim: ([s]) => str(s).trim(),
  trunc: ([n, s]) => (n >= 0 ? str(s).slice(0, n) : str(s).slice(n)),
  replace: ([from, to, s]) => str(s).split(str(from)).join(str(to)),
  default: ([d, v]) => (v === undefined || v === null || v === '' ? d : v),
  quote: ([s]) => JSON.stringify(str(s)),
  normalize: ([s]) => normalize(str(s)),
  printf: ([fmt, ...args]) => {
    let i = 0;
    return str(fmt).replace(/%[sdv]/g, () => str(args[i++]));
  },
};


function str(v: any): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'object') return Array.isArray(v) ? `[${v.map(str).join(' ')}]` : `map[${Object.keys(v).sort().map(k => `${k}:${str(v[k])}`).join(' ')}]`;
  return String(v);
}

/** @internal One parsed action. */
interface Command {
  readonly args: Operand[];
}
type Operand = { kind: 'field'; path: string[] } | { kind: 'literal'; value: any } | { kind: 'fn'; name: string } | { kind: 'dot' };

function tokenize(src: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new TemplateError('unterminated quoted string');
      tokens.push(src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new TemplateError('unterminated raw quoted string');
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
  return tokens;
}

function parseOperand(tok: string, knownKeys: Set<string> | undefined): Operand {
  if (tok.startsWith('"')) return { kind: 'literal', value: JSON.parse(tok) };
  if (tok.startsWith('`')) return { kind: 'literal', value: tok.slice(1, -1) };
  if (/^-?[0-9]+$/.test(tok)) return { kind: 'literal', value: Number(tok) };
  if (tok === 'true' || tok === 'false') return { kind: 'literal', value: tok === 'true' };
  if (tok === '.') return { kind: 'dot' };
  if (tok.startsWith('.')) {
    const path = tok.slice(1).split('.');
    if (path.some(p => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
      throw new TemplateError(`bad field chain "${tok}" (keys with "-", "/" or "." need index, e.g. {{index .metadata.labels "my-key"}})`);
    }
    return { kind: 'field', path };
  }
  if (tok.startsWith('$')) throw new TemplateUnsupportedError(`variable ${tok}`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tok)) throw new TemplateError(`unexpected "${tok}"`);
  if (CONTROL.has(tok)) throw new TemplateUnsupportedError(`control structure "${tok}"`);
  if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, tok)) {
    if (knownKeys?.has(tok)) {
      throw new TemplateError(`function "${tok}" not defined (Go templates read params with a leading dot: {{.${tok}}}; {{${tok}}} is fasttemplate syntax)`);
    }
    throw new TemplateUnsupportedError(`function "${tok}"`);
  }
  return { kind: 'fn', name: tok };
}

/** @internal Parses the pipeline of one Go template action. */
export function parseAction(src: string, knownKeys?: Set<string>): Command[] {
  const tokens = tokenize(src);
  if (tokens.length === 0) throw new TemplateError('missing value for command');
  if (tokens.includes('(') || tokens.includes(')')) throw new TemplateUnsupportedError('parenthesized pipeline');
  const commands: Command[] = [];
  let cur: Operand[] = [];
  for (const t of tokens) {
    if (t === '|') {
      if (cur.length === 0) throw new TemplateError('missing command before "|"');
      commands.push({ args: cur });
      cur = [];
    } else {
      cur.push(parseOperand(t, knownKeys));
    }
  }
  if (cur.length === 0) throw new TemplateError('missing command after "|"');
  commands.push({ args: cur });
  commands.forEach((c, i) => {
    if (c.args.length > 1 && c.args[0].kind !== 'fn') throw new TemplateError('can\'t give argument to non-function');
    if (i > 0 && c.args[0].kind !== 'fn') throw new TemplateError('non executable command in pipeline stage');
  });
  return commands;
}

/** @internal The field chains (`.a.b`) a Go template string reads, as dotted paths. Throws TemplateError on bad syntax. */
export function fieldReferences(template: string, knownKeys?: Set<string>): string[][] {
  checkBraces(template);
  const out: string[][] = [];
  for (const m of template.matchAll(ACTION)) {
    if (m[2].trim().startsWith('/*')) continue;
    try {
      for (const c of parseAction(m[2], knownKeys)) {
        for (const a of c.args) if (a.kind === 'field') out.push(a.path);
      }
    } catch (e) {
      if (e instanceof TemplateUnsupportedError) continue;
      throw e;
    }
  }
  return out;
}

function checkBraces(template: string): void {
  const stripped = template.replace(ACTION, '');
  if (stripped.includes('{{')) throw new TemplateError('unclosed action: "{{" without "}}"');
}

function lookup(data: any, path: string[], opts: TemplateOptions): any {
  let cur = data;
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    if (cur === undefined || cur === null) {
      throw new TemplateError(`nil pointer evaluating interface {}.${k}`);
    }
    if (typeof cur !== 'object') throw new TemplateError(`can't evaluate field ${k} in type ${typeof cur}`);
    if (!Object.prototype.hasOwnProperty.call(cur, k)) {
      if (opts.missingKeyError) throw new TemplateError(`map has no entry for key "${k}"`);
      cur = undefined;
      if (i < path.length - 1) return undefined;
      continue;
    }
    cur = cur[k];
  }
  return cur;
}

function evalCommand(c: Command, data: any, opts: TemplateOptions, piped: any[]): any {
  const values = (ops: Operand[]) => ops.map(o => {
    switch (o.kind) {
      case 'literal': return o.value;
      case 'dot': return data;
      case 'field': return lookup(data, o.path, opts);
      default: throw new TemplateUnsupportedError(`function "${o.name}" as an argument`);
    }
  });
  const head = c.args[0];
  if (head.kind === 'fn') return FUNCTIONS[head.name]([...values(c.args.slice(1)), ...piped]);
  return values([head])[0];
}

/** @internal Renders one string with the given params. */
export function renderString(template: string, params: any, opts: TemplateOptions): string {
  if (!opts.goTemplate) {
    return template.replace(/\{\{([^{}]*)\}\}/g, (whole, key: string) => {
      const v = params[key.trim()];
      return typeof v === 'string' ? v : whole;
    });
  }
  checkBraces(template);
  let out = '';
  let last = 0;
  for (const m of template.matchAll(ACTION)) {
    let before = template.slice(last, m.index);
    if (m[1]) before = before.replace(/\s+$/, '');
    out += before;
    last = m.index! + m[0].length;
    if (m[3]) {
      const rest = template.slice(last);
      last += rest.length - rest.replace(/^\s+/, '').length;
    }
    if (m[2].trim().startsWith('/*')) continue;
    let piped: any[] = [];
    for (const c of parseAction(m[2])) {
      piped = [evalCommand(c, params, opts, piped)];
    }
    out += str(piped[0]);
  }
  return out + template.slice(last);
}

/** @internal Renders every string and map key of a JSON value. */
export function renderDeep(value: any, params: any, opts: TemplateOptions): any {
  if (typeof value === 'string') return renderString(value, params, opts);
  if (Array.isArray(value)) return value.map(v => renderDeep(v, params, opts));
  if (value && typeof value === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) out[renderString(k, params, opts)] = renderDeep(v, params, opts);
    return out;
  }
  return value;
}

/** @internal Every string of a JSON value (keys included). */
export function allStrings(value: any, out: string[] = []): string[] {
  if (typeof value === 'string') {out.push(value);} else if (Array.isArray(value)) {value.forEach(v => allStrings(v, out));} else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { out.push(k); allStrings(v, out); }
  }
  return out;
}
