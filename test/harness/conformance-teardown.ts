import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { COLLECT_DIR_ENV, conformanceBuilt, ConformanceCommand, CONFORMANCE_BIN_DIR, REPO_ROOT, runConformanceFiles } from './conformance';
import { compareAppSet } from './conformance-appset';

/**
 * The jest global teardown: what the run synthesized goes to Argo's own code, one Go process per command:
 * - every Rollout: Argo Rollouts' validation (conformance/rollouts/cmd/rollouts-validate);
 * - every MultiClusterAppSet with a fleet: Argo CD's generators, rendering, progressive-sync first round and release
 *   simulation (conformance/argocd/cmd/appset-render), compared with the library's rendering and plan.
 * Any controller error or disagreement fails the run, naming the object and the test that synthesized it. Counts are
 * printed; the reports are kept in .cache/conformance/.
 *
 * When the Go commands are not built, CI fails (CI=true); a local focused run prints how to build them and skips.
 */
export default function globalTeardown(): void {
  const dir = process.env[COLLECT_DIR_ENV];
  if (!dir || !fs.existsSync(dir)) return;
  try {
    const problems = [...rollouts(dir), ...customResources(dir), ...appSets(dir)];
    if (problems.length > 0) throw new Error(problems.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const digest = (x: any) => crypto.createHash('sha256').update(JSON.stringify(x)).digest('hex');

function built(cmd: ConformanceCommand): boolean {
  if (conformanceBuilt(cmd)) return true;
  const msg = `conformance: ${cmd} not built in ${CONFORMANCE_BIN_DIR}; run \`npx projen conformance:build\``;
  if (process.env.CI) throw new Error(msg);
  console.warn(`${msg} (skipped: not CI)`);
  return false;
}

function lines(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir).filter(f => f.endsWith(suffix))
    .flatMap(f => fs.readFileSync(path.join(dir, f), 'utf-8').split('\n')).filter(Boolean);
}

function keep(name: string, report: any): string {
  const out = path.join(REPO_ROOT, '.cache', 'conformance', name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(report, null, 2));
  return path.relative(REPO_ROOT, out);
}

function rollouts(dir: string): string[] {
  const recorded = lines(dir, '.ndjson');
  // The same synthesis is often repeated by many tests: hand each distinct object set to the controller once.
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const line of recorded) {
    const { source, objects } = JSON.parse(line);
    if (!objects.some((o: any) => ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate'].includes(o?.kind))) continue;
    const key = digest(objects);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(JSON.stringify({ source, objects }));
  }
  if (unique.length === 0 || !built('rollouts-validate')) return [];
  const file = path.join(dir, 'unique.batches');
  fs.writeFileSync(file, unique.join('\n') + '\n');
  const started = Date.now();
  const report = runConformanceFiles('rollouts-validate', [file]);
  const r = report.referenced;
  console.log(`\nconformance (Argo Rollouts v1.9.1 validation): ${report.rollouts} Rollouts validated from ${seen.size} distinct `
    + `syntheses (${recorded.length} recorded); workloadRef resolved ${report.workloadRefsResolved}; referenced: ${r.services} Services, `
    + `${r.analysisTemplates} AnalysisTemplates, ${r.clusterAnalysisTemplates} ClusterAnalysisTemplates, ${r.ingresses} Ingresses, `
    + `${r.virtualServices} VirtualServices (${report.unresolvedReferences} references to objects outside the synthesis not checked); `
    + `${report.rolloutsWithErrors} with errors; ${report.templates} (Cluster)AnalysisTemplates checked as the AnalysisRun controller checks a run `
    + `(${report.webRequests} web requests built), ${report.templatesWithErrors} with errors (${Date.now() - started} ms). `
    + `Report: ${keep('suite-rollouts.json', report)}`);
  const bad = report.results.filter((x: any) => x.errors.length > 0);
  const badTemplates = report.templateResults.filter((x: any) => x.errors.length > 0);
  return [
    ...(bad.length === 0 ? [] : [`conformance: Argo Rollouts rejects ${bad.length} synthesized Rollout(s):`, ...bad.slice(0, 20).map((x: any) =>
      `  ${x.namespace}/${x.name} (${x.source}):\n` + x.errors.map((e: any) => `    [${e.stage}] ${e.message}`).join('\n'))]),
    ...(badTemplates.length === 0 ? [] : [`conformance: Argo Rollouts' AnalysisRun checks reject ${badTemplates.length} synthesized template(s):`,
      ...badTemplates.slice(0, 20).map((x: any) => `  ${x.kind} ${x.name} (${x.source}):\n` + x.errors.map((e: any) => `    [${e.stage}] ${e.message}`).join('\n'))]),
  ];
}

function customResources(dir: string): string[] {
  // Each distinct custom resource once (core kinds are the schema harness's; the Go command skips them).
  const seen = new Set<string>();
  const objects: any[] = [];
  const sources: string[] = [];
  for (const line of lines(dir, '.ndjson')) {
    const { source, objects: objs } = JSON.parse(line);
    for (const o of objs) {
      if (!o || typeof o.apiVersion !== 'string' || !o.apiVersion.includes('/')) continue;
      const key = digest(o);
      if (seen.has(key)) continue;
      seen.add(key);
      objects.push(o);
      sources.push(source);
    }
  }
  if (objects.length === 0 || !built('crd-validate')) return [];
  const file = path.join(dir, 'unique.objects');
  fs.writeFileSync(file, objects.map((o, i) => JSON.stringify({ source: sources[i], objects: [o] })).join('\n') + '\n');
  const started = Date.now();
  const report = runConformanceFiles('crd-validate', [file]);
  console.log(`conformance (k8s.io/apiextensions-apiserver v0.34.1, as the API server checks a create): ${report.objectsChecked} `
    + `distinct custom resources checked against ${report.crdVersions} vendored CRD versions (structural schema, pruning, `
    + `defaulting, OpenAPI validation, CEL rules); ${report.objectsWithoutCRD} of a kind without a vendored CRD; `
    + `${report.objectsWithPrunedFields} with fields the API server would prune; ${report.objectsWithErrors} rejected `
    + `(${Date.now() - started} ms). Report: ${keep('suite-crds.json', report)}`);
  const bad = report.results.filter((v: any) => v.errors.length > 0 || v.pruned.length > 0);
  if (bad.length === 0) return [];
  return [`conformance: the API server would reject or prune ${bad.length} synthesized custom resource(s):`, ...bad.slice(0, 20).map((v: any) =>
    `  ${v.kind} ${v.name} (${v.source}):\n` + [...v.errors, ...v.pruned.map((p: string) => `pruned: ${p}`)].map((e: string) => `    ${e}`).join('\n'))];
}

function appSets(dir: string): string[] {
  const seen = new Set<string>();
  const cases: any[] = [];
  for (const line of lines(dir, '.jsonl')) {
    const c = JSON.parse(line);
    const key = digest([c.objects, c.library]);
    if (seen.has(key)) continue;
    seen.add(key);
    cases.push(c);
  }
  if (cases.length === 0 || !built('appset-render')) return [];
  const file = path.join(dir, 'unique.appsets');
  fs.writeFileSync(file, cases.map(c => JSON.stringify({ source: c.source, objects: c.objects })).join('\n') + '\n');
  const started = Date.now();
  const answers: any[] = runConformanceFiles('appset-render', [file]);
  const problems: string[] = [];
  let apps = 0;
  let plans = 0;
  let simulations = 0;
  let rounds = 0;
  let reconciles = 0;
  const stricter: string[] = [];
  answers.forEach((a, i) => {
    const lib = cases[i].library;
    if (lib.error !== undefined && a.error === undefined) {
      stricter.push(`${lib.name} (${cases[i].source}): ${lib.error.split('\n')[0]}`);
      return;
    }
    if (lib.error === undefined && a.error === undefined) {
      apps += a.applications.length;
      if (a.rollingSync) plans++;
      if (a.progression) {
        simulations++;
        rounds += a.progression.rounds.length;
        reconciles += a.progression.reconciles;
      }
    }
    const d = compareAppSet(lib, a);
    if (d.length > 0) problems.push(`  ${lib.name} (${cases[i].source}):\n` + d.map(x => `    ${x}`).join('\n'));
  });
  console.log(`conformance (Argo CD v3.5.1 ApplicationSet): ${cases.length} distinct app sets rendered by Argo CD's generators; `
    + `${apps} Applications compared, ${plans} RollingSync plans compared (steps, first round); ${simulations} releases simulated with the `
    + `progressive-sync Manager (${reconciles} reconciles, ${rounds} rounds compared with the plan's batches); ${stricter.length} app sets the `
    + `library refuses but Argo CD renders; ${problems.length} disagreements (${Date.now() - started} ms). `
    + `Report: ${keep('suite-appsets.json', { answers, stricter })}`);
  return problems.length === 0 ? [] : [`conformance: the library and Argo CD disagree on ${problems.length} ApplicationSet(s):`, ...problems.slice(0, 20)];
}
