/**
 * The fuzz runner: draws prop sets for one construct from its generator (fast-check, seeded), builds and synthesizes
 * each, and checks the properties of issue 10 on every case:
 *
 * - `error-shape`: any throw (constructor or synth) is a ValidationError, or cdk8s's aggregate whose every line is
 *   `[path] <prop> is <given>; expected <expected>. Fix: <fix>` — never a TypeError/RangeError/internal error;
 * - `schema`: every synthesized object passes the strict schema check (test/harness/schema.ts) and its metadata the
 *   API server's label and annotation key rules;
 * - `promtool`: every query and Prometheus configuration passes promtool (batched, after the run);
 * - `time`: no case takes longer than `timeBoundMs`;
 * - `structure`: a user value never changes the output's structure (the YAML round-trips; the construct's own
 *   structural check, e.g. the PromQL still parses to the intended selectors);
 * - `determinism`: the same props build identical YAML.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { ValidationError } from '../../src';
import { checkLabelKey, checkLabelValue } from '../../src/core/names';
import { analyzePromQL } from '../../src/core/promql';
import { runConformance } from '../harness/conformance';
import { CDK8S_AGGREGATE } from '../harness/error-kind';
import { validateObjects } from '../harness/schema';

export const PROPERTIES = ['error-shape', 'schema', 'promtool', 'argo', 'time', 'structure', 'determinism'] as const;
export type Property = typeof PROPERTIES[number];

/** What one case built. */
export interface Built {
  /** The synthesized YAML (all documents). */
  readonly yaml: string;
  /** PromQL queries of the output, placeholders substituted as the controller would (for promtool). */
  readonly queries?: readonly string[];
  /** prometheus.yml texts of the output (for promtool check config). */
  readonly prometheusConfigs?: readonly string[];
  /** Whether the YAML holds Kubernetes objects (schema-checked); false for plans and fleets rendered as data. */
  readonly kubernetes?: boolean;
  /** The construct's own structural problems (e.g. a selector the user value added). */
  readonly structure?: readonly string[];
}

/** One public construct under fuzz. */
export interface FuzzTarget<T = any> {
  readonly name: string;
  readonly props: fc.Arbitrary<T>;
  /** Builds and synthesizes; throws what the library throws. */
  readonly build: (props: T) => Built;
  /** Cases per run in CI (the fixed-seed jest run); default 1,000. */
  readonly ciRuns?: number;
}

export interface Violation {
  readonly property: Property;
  readonly detail: string;
  readonly props: unknown;
}

export interface TargetReport {
  readonly name: string;
  cases: number;
  passed: number;
  rejected: number;
  readonly violations: Record<Property, number>;
  readonly examples: Violation[];
  maxMs: number;
  totalMs: number;
}

const OUR_LINE = /^\[[^\]]*\] .+ is .+; expected .+\. Fix: .+$/s;

/** Why `err` is not an acceptable rejection (a ValidationError or cdk8s's aggregate of lines in our shape). */
export function rejectionProblem(err: unknown): string | undefined {
  if (ValidationError.isValidationError(err)) return undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (message.startsWith(CDK8S_AGGREGATE)) {
    const lines = message.slice(message.indexOf('\n') + 1).split(/\n  (?=\[)/).map(l => l.trim());
    const bad = lines.find(l => !OUR_LINE.test(l));
    return bad === undefined ? undefined : `an aggregated synth error line not in the one shape: ${bad.slice(0, 300)}`;
  }
  const kind = err instanceof Error ? err.constructor.name : typeof err;
  const stack = err instanceof Error ? (err.stack ?? '').split('\n').slice(1, 4).join(' | ') : '';
  return `${kind}: ${message.slice(0, 300)} ${stack}`;
}

/** The API server's metadata rules the CRD schemas leave out: label keys and values, annotation keys. */
function metadataProblems(objs: readonly any[]): string[] {
  const out: string[] = [];
  for (const o of objs) {
    const where = `${o?.kind}/${o?.metadata?.name}`;
    for (const [k, v] of Object.entries<any>(o?.metadata?.labels ?? {})) {
      const e = checkLabelKey(k) ?? (typeof v === 'string' ? checkLabelValue(v) : 'a string');
      if (e) out.push(`${where}: label ${JSON.stringify(k)}=${JSON.stringify(v)}: ${e}`);
    }
    for (const k of Object.keys(o?.metadata?.annotations ?? {})) {
      const e = checkLabelKey(k);
      if (e) out.push(`${where}: annotation key ${JSON.stringify(k)}: ${e}`);
    }
    const ns = o?.metadata?.namespace;
    if (ns !== undefined && (typeof ns !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) || ns.length > 63)) {
      out.push(`${where}: namespace ${JSON.stringify(ns)} is not a DNS-1123 label`);
    }
  }
  return out;
}

/** The YAML documents of a text, as JSON. */
export function docs(yaml: string): any[] {
  return YAML.parseAllDocuments(yaml).map(d => {
    if (d.errors.length > 0) throw new Error(`YAML does not parse: ${d.errors[0].message}`);
    return d.toJSON();
  }).filter(d => d !== null && d !== undefined);
}

/** Every prometheus query of the AnalysisTemplates among `objs`, with args as the controller substitutes them. */
export function analysisQueries(objs: readonly any[]): string[] {
  const out: string[] = [];
  for (const o of objs) {
    if (!/AnalysisTemplate$/.test(o?.kind ?? '')) continue;
    const values: Record<string, string> = {};
    for (const a of o.spec?.args ?? []) if (typeof a.value === 'string') values[a.name] = a.value;
    for (const m of o.spec?.metrics ?? []) {
      const q = m.provider?.prometheus?.query;
      if (typeof q === 'string') out.push(analyzePromQL(q, values).parsed);
    }
  }
  return out;
}

/** A structural summary of a query: its selectors' metric names and matcher names and operators. */
export function selectorSkeleton(query: string, values: Record<string, string> = {}): string {
  const a = analyzePromQL(query, values);
  if (a.errors.length > 0) return `errors: ${a.errors.join('; ')}`;
  return a.selectors.map(s => `${s.metricName ?? ''}{${s.matchers.map(m => `${m.name}${m.op}`).sort().join(',')}}`).join(' ');
}

/**
 * Argo Rollouts substitutes the args a Rollout passes (literal values) and the template defaults into the query as raw
 * text: the query must keep the structure it has with harmless values. Returns one problem per query whose selectors
 * change.
 */
export function argInjectionProblems(objs: readonly any[]): string[] {
  const templates = new Map<string, any>();
  for (const o of objs) if (/AnalysisTemplate$/.test(o?.kind ?? '')) templates.set(`${o.kind}/${o.metadata?.name}`, o);
  const out: string[] = [];
  const check = (t: any, values: Record<string, string>) => {
    for (const m of t.spec?.metrics ?? []) {
      const q = m.provider?.prometheus?.query;
      if (typeof q !== 'string') continue;
      const harmless = Object.fromEntries(Object.keys(values).map(k => [k, 'x']));
      const want = selectorSkeleton(q, harmless);
      const got = selectorSkeleton(q, values);
      if (want !== got) out.push(`${t.metadata?.name}/${m.name}: args ${JSON.stringify(values)} turn ${want} into ${got}`);
    }
  };
  for (const t of templates.values()) {
    const defaults: Record<string, string> = {};
    for (const a of t.spec?.args ?? []) if (typeof a.value === 'string') defaults[a.name] = a.value;
    check(t, defaults);
  }
  for (const o of objs) {
    if (o?.kind !== 'Rollout') continue;
    for (const step of o.spec?.strategy?.canary?.steps ?? []) {
      const analysis = step.analysis;
      if (!analysis) continue;
      const values: Record<string, string> = {};
      for (const a of analysis.args ?? []) if (typeof a.value === 'string') values[a.name] = a.value;
      for (const ref of analysis.templates ?? []) {
        const t = templates.get(`${ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'}/${ref.templateName}`);
        if (!t) continue;
        const defaults: Record<string, string> = {};
        for (const a of t.spec?.args ?? []) if (typeof a.value === 'string') defaults[a.name] = a.value;
        check(t, { ...defaults, ...values });
      }
    }
  }
  return out;
}

interface Pending {
  readonly report: TargetReport;
  readonly props: unknown;
}

/** Cases per construct and the bound on one case, for one run. */
export interface RunOptions {
  readonly seed: number;
  readonly numRuns: number;
  readonly timeBoundMs: number;
  /** Keep at most this many example violations per target. */
  readonly examples?: number;
  /** Skip promtool (when it is not installed). */
  readonly skipPromtool?: boolean;
  /**
   * Run Argo Rollouts' own checks (the conformance harness's rollouts-validate: ValidateRollout and the AnalysisRun
   * checks of every template) on every accepted case, batched at the end (`argo`). Under jest the suite-wide teardown
   * does this for every synthesis already, so the runner leaves it to the script (`npx projen fuzz`).
   */
  readonly argo?: boolean;
}

/** Runs one target's cases (promtool batched at the end) and returns its counts. */
export function runTarget(target: FuzzTarget, options: RunOptions): TargetReport {
  const report: TargetReport = {
    name: target.name,
    cases: 0,
    passed: 0,
    rejected: 0,
    violations: Object.fromEntries(PROPERTIES.map(p => [p, 0])) as Record<Property, number>,
    examples: [],
    maxMs: 0,
    totalMs: 0,
  };
  const violate = (property: Property, detail: string, props: unknown) => {
    report.violations[property]++;
    if (report.examples.length < (options.examples ?? 5)) report.examples.push({ property, detail, props });
  };
  const queries: Array<{ expr: string; pending: Pending }> = [];
  const configs: Array<{ text: string; pending: Pending }> = [];
  const argoBatches: Array<{ objs: any[]; pending: Pending }> = [];
  const samples = fc.sample(target.props, { seed: options.seed, numRuns: options.numRuns });
  // untimed, uncounted warm-up up to the first accepted case: lazy loading (the schema validators a synth loads on first
  // use under jest, the RE2 wasm module, the PromQL parser) is not a case's time
  for (const props of samples.slice(0, 200)) {
    try {
      target.build(props);
      break;
    } catch {
      // counted below
    }
  }
  for (const props of samples) {
    report.cases++;
    const start = performance.now();
    let built: Built | undefined;
    let error: unknown;
    try {
      built = target.build(props);
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - start;
    report.totalMs += ms;
    report.maxMs = Math.max(report.maxMs, ms);
    if (ms > options.timeBoundMs) violate('time', `${ms.toFixed(0)} ms (bound ${options.timeBoundMs} ms)`, props);
    if (!built) {
      const message = error instanceof Error ? error.message : String(error);
      // under jest, test/harness/setup.ts makes every synth schema-check its objects and throw
      const problem = /^schema validation failed/i.test(message) ? undefined : rejectionProblem(error);
      if (/^schema validation failed/i.test(message)) violate('schema', message.slice(0, 400), props);
      else if (problem) violate('error-shape', problem, props);
      else report.rejected++;
      // the same props must be rejected the same way
      try {
        target.build(props);
        violate('determinism', 'rejected once, accepted the second time', props);
      } catch (e2) {
        const m1 = error instanceof Error ? error.message : String(error);
        const m2 = e2 instanceof Error ? e2.message : String(e2);
        if (m1 !== m2 && !problemIsConstructCounter(m1, m2)) violate('determinism', `rejected differently: ${m1.slice(0, 200)} / ${m2.slice(0, 200)}`, props);
      }
      continue;
    }
    report.passed++;
    let objs: any[] = [];
    try {
      objs = docs(built.yaml);
    } catch (e) {
      violate('structure', (e as Error).message, props);
    }
    const schema = built.kubernetes === false ? [] : [...validateObjects(objs), ...metadataProblems(objs)];
    if (schema.length > 0) violate('schema', schema.slice(0, 3).join('; '), props);
    const structure = [...(built.structure ?? []), ...argInjectionProblems(objs)];
    if (structure.length > 0) violate('structure', structure.slice(0, 3).join('; '), props);
    try {
      const again = target.build(props);
      if (again.yaml !== built.yaml) violate('determinism', 'the same props built different YAML', props);
    } catch (e) {
      violate('determinism', `accepted once, rejected the second time: ${(e as Error).message}`, props);
    }
    const pending = { report, props };
    if (options.argo && objs.some(o => o?.kind === 'Rollout' || /AnalysisTemplate$/.test(o?.kind ?? ''))) argoBatches.push({ objs, pending });
    for (const expr of built.queries ?? analysisQueries(objs)) queries.push({ expr, pending });
    for (const text of built.prometheusConfigs ?? []) configs.push({ text, pending });
  }
  if (!options.skipPromtool) {
    const failed = new Set<Pending>();
    const details = new Map<Pending, string>();
    const exprs = [...new Map(queries.map(q => [q.expr, q])).values()];
    const exprErrors = promtoolExpressionErrors(exprs.map(q => q.expr));
    exprs.forEach((q, i) => {
      const err = exprErrors[i];
      if (err) {
        for (const same of queries.filter(x => x.expr === q.expr)) {
          failed.add(same.pending);
          details.set(same.pending, `promtool rejects ${JSON.stringify(q.expr)}: ${err}`);
        }
      }
    });
    const distinct = [...new Map(configs.map(c => [c.text, c])).values()];
    for (const c of distinct) {
      const err = promtoolConfigError(c.text);
      if (err) {
        for (const same of configs.filter(x => x.text === c.text)) {
          failed.add(same.pending);
          details.set(same.pending, `promtool check config: ${err}`);
        }
      }
    }
    for (const p of failed) violate('promtool', details.get(p)!, p.props);
  }
  if (argoBatches.length > 0) {
    const verdicts = runConformance('rollouts-validate', argoBatches.map((b, i) => ({ source: `case-${i}`, objects: b.objs })));
    for (const v of [...(verdicts.results ?? []), ...(verdicts.templateResults ?? [])]) {
      if (!v.errors || v.errors.length === 0) continue;
      const b = argoBatches[Number(String(v.source).slice('case-'.length))];
      violate('argo', `Argo Rollouts rejects ${v.kind ?? 'Rollout'} ${v.name}: ${v.errors.map((e: any) => e.message).join('; ').slice(0, 300)}`, b.pending.props);
    }
  }
  return report;
}

/** Two rejections that differ only in a generated construct id (a fresh App per build) are the same rejection. */
function problemIsConstructCounter(a: string, b: string): boolean {
  return a.replace(/\d+/g, '#') === b.replace(/\d+/g, '#');
}

/** promtool's parse error for each expression (one `promtool check rules` run for all), or undefined. */
export function promtoolExpressionErrors(exprs: readonly string[]): Array<string | undefined> {
  if (exprs.length === 0) return [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-promtool-'));
  try {
    const file = path.join(dir, 'rules.json');
    fs.writeFileSync(file, JSON.stringify({ groups: [{ name: 'fuzz', rules: exprs.map((expr, i) => ({ record: `fuzz:q${i}`, expr })) }] }));
    const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    const output = `${r.stdout}${r.stderr}`;
    const errors: Array<string | undefined> = exprs.map(() => undefined);
    let seen = 0;
    for (const m of output.matchAll(/"fuzz:q(\d+)": could not parse expression: (.*)$/gm)) {
      errors[Number(m[1])] = m[2];
      seen++;
    }
    if (r.status !== 0 && seen === 0) throw new Error(`promtool check rules failed without a parse error:\n${output.slice(0, 2000)}`);
    return errors;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** promtool check config --syntax-only's error for a prometheus.yml text, or undefined. */
export function promtoolConfigError(text: string): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-promtool-'));
  try {
    const file = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(file, text);
    const r = spawnSync('promtool', ['check', 'config', '--syntax-only', file], { encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw r.error;
    return r.status === 0 ? undefined : `${r.stdout}${r.stderr}`.trim().split('\n').slice(-3).join(' ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The table of counts per construct per property. */
export function formatTable(reports: readonly TargetReport[]): string {
  const head = ['construct', 'cases', 'passed', 'rejected (ValidationError)', ...PROPERTIES.map(p => `${p} violations`), 'max ms/case'];
  const rows = reports.map(r => [r.name, r.cases, r.passed, r.rejected, ...PROPERTIES.map(p => r.violations[p]), r.maxMs.toFixed(0)].map(String));
  const total = ['total', ...[1, 2, 3].map(i => String(rows.reduce((n, row) => n + Number(row[i]), 0))),
    ...PROPERTIES.map((_, j) => String(rows.reduce((n, row) => n + Number(row[4 + j]), 0))),
    String(Math.max(0, ...reports.map(r => r.maxMs)).toFixed(0))];
  const all = [head, ...rows, total];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...all.slice(1).map(line)].join('\n');
}

/** Renders a case's props for a report (functions, Durations and class instances by name). */
export function showProps(props: unknown): string {
  try {
    return fc.stringify(props).slice(0, 600);
  } catch {
    return String(props);
  }
}
