/**
 * `promtool test rules` (Prometheus 2.x, Debian package `prometheus`) as an offline PromQL evaluator.
 *
 * Two modes, both one promtool process for many cases:
 * - `assertPromtool(cases)`: every query with its expected samples; promtool compares (exactly: wrap ratios in
 *   `round(expr, 0.001)`; NaN never equals NaN in 2.42, so assert NaN with `count(q != q)`). Returns promtool's
 *   verdict and output.
 * - `evaluateWithPromtool(cases)`: every query is given an impossible expectation (a sample labelled
 *   `__probe__="1"`, which no query over the input series can return), so promtool reports what it got for each;
 *   the `got:` lines are parsed into samples (NaN and ±Inf included, no series = empty list).
 *
 * - `regexErrorsWithPromtool(values)`: what Prometheus says about each value as a `=~` matcher (`promtool check rules`).
 *
 * The test file is written as JSON (JSON is YAML). promtool must be on PATH (`bash scripts/ensure-test-tools.sh`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One input series in promtool's expanding notation, e.g. `0+85x20`. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** A sample: labels and value. */
export interface Sample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** A query evaluated at one time. */
export interface QueryAt {
  readonly expr: string;
  /** @default '4m' */
  readonly evalTime?: string;
  /** Only for `assertPromtool`: the expected samples, labels in PromQL notation (`{}` for none). */
  readonly expected?: Array<{ labels: string; value: number }>;
}

/** A group of input series with the queries to evaluate over it. */
export interface PromtoolCase {
  readonly name: string;
  /** Sample spacing of the input series. @default '15s' */
  readonly interval?: string;
  readonly series: InputSeries[];
  readonly queries: QueryAt[];
}

export function promtoolPath(): string {
  const r = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  if (r.status !== 0 || p.length === 0) {
    throw new Error('promtool not found on PATH; run `bash scripts/ensure-test-tools.sh` (installs Debian\'s prometheus package)');
  }
  return p;
}

function run(cases: PromtoolCase[], probe: boolean): { ok: boolean; output: string } {
  const testFile = {
    evaluation_interval: '15s',
    tests: cases.map(c => ({
      name: c.name,
      interval: c.interval ?? '15s',
      input_series: c.series.map(s => ({ series: s.series, values: s.values })),
      promql_expr_test: c.queries.map(q => ({
        expr: q.expr,
        eval_time: q.evalTime ?? '4m',
        exp_samples: probe ? [{ labels: '{__probe__="1"}', value: -1 }] : (q.expected ?? []),
      })),
    })),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  try {
    const file = path.join(dir, 'test.json');
    fs.writeFileSync(file, JSON.stringify(testFile, undefined, 1));
    const r = spawnSync(promtoolPath(), ['test', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
    if (r.error) throw r.error;
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the cases with their expected samples; promtool decides. */
export function assertPromtool(cases: PromtoolCase[]): { ok: boolean; output: string } {
  return run(cases, false);
}

/**
 * Evaluates every query of every case; result[c][q] is the list of samples query q of case c returned.
 * Throws when promtool reports anything but the probe failures (e.g. a parse error), with its output.
 */
export function evaluateWithPromtool(cases: PromtoolCase[]): Sample[][][] {
  const { ok, output } = run(cases, true);
  const total = cases.reduce((n, c) => n + c.queries.length, 0);
  const blocks = [...output.matchAll(/^\s*expr: (".*"), time: (\S+),\n\s*exp: .*\n\s*got: (.*)$/gm)];
  if (ok || blocks.length !== total) {
    throw new Error(`promtool did not evaluate all ${total} queries (parsed ${blocks.length}):\n${output}`);
  }
  const results: Sample[][][] = [];
  let b = 0;
  for (const c of cases) {
    const perQuery: Sample[][] = [];
    for (const q of c.queries) {
      const [, exprLit, , got] = blocks[b++];
      const printed = JSON.parse(exprLit) as string;
      if (printed !== q.expr) {
        throw new Error(`promtool output out of order: expected ${JSON.stringify(q.expr)}, got ${exprLit}`);
      }
      perQuery.push(parseGot(got));
    }
    results.push(perQuery);
  }
  return results;
}

/** Parses promtool's `got:` text: `nil`, or `{a="x", b="y"} 1E+00, {} NaN`. */
export function parseGot(text: string): Sample[] {
  const s = text.trim();
  if (s === 'nil' || s === '') return [];
  const samples: Sample[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '{') throw new Error(`cannot parse promtool samples at ${i}: ${s}`);
    i++;
    const labels: Record<string, string> = {};
    while (s[i] !== '}') {
      const eq = s.indexOf('=', i);
      const name = s.slice(i, eq).trim();
      i = eq + 1;
      if (s[i] !== '"') throw new Error(`cannot parse label value at ${i}: ${s}`);
      let j = i + 1;
      while (s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      labels[name] = JSON.parse(s.slice(i, j + 1));
      i = j + 1;
      if (s.startsWith(', ', i)) i += 2;
    }
    i++; // '}'
    const rest = /^ (\S+?)(, |$)/.exec(s.slice(i));
    if (!rest) throw new Error(`cannot parse sample value at ${i}: ${s}`);
    samples.push({ labels, value: parseValue(rest[1]) });
    i += rest[0].length;
  }
  return samples;
}

function parseValue(v: string): number {
  if (v === 'NaN') return NaN;
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  const n = Number(v);
  if (Number.isNaN(n)) throw new Error(`not a number: ${v}`);
  return n;
}

/**
 * Prometheus' verdict on regex matcher values: for each value, the regexp error promtool reports for
 * `up{job=~"<value>"}` (e.g. ``error parsing regexp: invalid or unsupported Perl syntax: `(?!` ``), or undefined when
 * the matcher parses. One `promtool check rules` run: every value is the expr of its own recording rule.
 */
export function regexErrorsWithPromtool(values: string[]): Array<string | undefined> {
  const rules = {
    groups: [{
      name: 'regex-matchers',
      // JSON.stringify gives a double-quoted string PromQL reads back exactly (Go escapes).
      rules: values.map((v, i) => ({ record: `check:regex${i}`, expr: `up{job=~${JSON.stringify(v)}}` })),
    }],
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  try {
    const file = path.join(dir, 'rules.json');
    fs.writeFileSync(file, JSON.stringify(rules, undefined, 1));
    const r = spawnSync(promtoolPath(), ['check', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
    if (r.error) throw r.error;
    const output = `${r.stdout}${r.stderr}`;
    const errors: Array<string | undefined> = values.map(() => undefined);
    let seen = 0;
    for (const m of output.matchAll(/"check:regex(\d+)": could not parse expression: [^\n]*?parse error: (.*)$/gm)) {
      errors[Number(m[1])] = m[2];
      seen++;
    }
    const failed = /FAILED/.test(output);
    if (failed !== seen > 0 || (r.status === 0) === seen > 0) {
      throw new Error(`unexpected promtool output (status ${r.status}, ${seen} parse errors):\n${output}`);
    }
    return errors;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
