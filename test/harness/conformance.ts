import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The jest side of the conformance harness: the Go commands under `conformance/` run Argo Rollouts' and Argo CD's own
 * code on synthesized objects. `scripts/conformance-build.sh` builds them once into `.cache/conformance/bin`.
 *
 * Input of every command: newline-delimited JSON, one batch per line, `{ source, objects }`; one batch is one synthesis
 * (references between objects are resolved inside a batch only). Output: one JSON report on stdout.
 */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CONFORMANCE_BIN_DIR = process.env.CDK8S_PD_CONFORMANCE_BIN ?? path.join(REPO_ROOT, '.cache', 'conformance', 'bin');
/** Where the suite-wide collector writes the batches of one jest run (set by the global setup). */
export const COLLECT_DIR_ENV = 'CDK8S_PD_CONFORMANCE_COLLECT_DIR';

export type ConformanceCommand = 'rollouts-validate' | 'rollout-health' | 'appset-render' | 'crd-validate';

/** One synthesis: the objects a chart or app produced, and where they came from. */
export interface ConformanceBatch {
  readonly source: string;
  readonly objects: readonly any[];
  /** appset-render only: the release simulation's scenario (see conformance-appset.ts). */
  readonly scenario?: any;
}

/** Absolute path of a built conformance command; throws with the fix when it is not built. */
export function conformanceCommand(cmd: ConformanceCommand): string {
  const bin = path.join(CONFORMANCE_BIN_DIR, cmd);
  if (!fs.existsSync(bin)) {
    throw new Error(`conformance: ${bin} is not built; run \`npx projen conformance:build\` (needs Go; downloads the Argo modules once)`);
  }
  return bin;
}

/** Whether the given conformance command is built. */
export function conformanceBuilt(cmd: ConformanceCommand): boolean {
  return fs.existsSync(path.join(CONFORMANCE_BIN_DIR, cmd));
}

/** Serializes batches in the commands' input format. */
export function toNdjson(batches: readonly ConformanceBatch[]): string {
  return batches.map(b => JSON.stringify({ source: b.source, objects: b.objects, ...(b.scenario ? { scenario: b.scenario } : {}) })).join('\n') + '\n';
}

/** Flags each command needs (crd-validate: the vendored CRDs). */
function flags(cmd: ConformanceCommand): string[] {
  return cmd === 'crd-validate' ? ['-crds', path.join(REPO_ROOT, 'crds')] : [];
}

/** Runs one conformance command on files of batches and returns its parsed JSON report. */
export function runConformanceFiles(cmd: ConformanceCommand, files: readonly string[]): any {
  const out = execFileSync(conformanceCommand(cmd), [...flags(cmd), ...files], {
    encoding: 'utf-8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, GOMAXPROCS: process.env.GOMAXPROCS ?? '2' },
  });
  return JSON.parse(out);
}

/** Runs one conformance command on the given batches (one process for all of them). */
export function runConformance(cmd: ConformanceCommand, batches: readonly ConformanceBatch[]): any {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-pd-conformance-'));
  try {
    const file = path.join(dir, 'batches.ndjson');
    fs.writeFileSync(file, toNdjson(batches));
    return runConformanceFiles(cmd, [file]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One error the controller's validation returned (see conformance/rollouts/cmd/rollouts-validate). */
export interface RolloutProblem {
  readonly stage: string;
  readonly type?: string;
  readonly field?: string;
  readonly detail?: string;
  readonly message: string;
}

/** The controller's verdict on one Rollout. */
export interface RolloutVerdict {
  readonly source: string;
  readonly namespace: string;
  readonly name: string;
  readonly workloadResolved: boolean;
  readonly referenced: Record<string, number>;
  readonly errors: RolloutProblem[];
  /** References to objects not in the batch (the controller would look them up in the cluster). */
  readonly unresolved: RolloutProblem[];
}

/** Runs Argo Rollouts' ValidateRollout + ValidateRolloutReferencedResources on every Rollout of `objects` (one batch). */
export function validateRollouts(objects: readonly any[], source = 'test'): RolloutVerdict[] {
  return runConformance('rollouts-validate', [{ source, objects }]).results;
}

/** One object's health by Argo CD's Lua health check. */
export interface ObjectHealth {
  readonly kind: string;
  readonly name: string;
  readonly status: string;
  readonly message: string;
  readonly error?: string;
}

/** Argo CD's health of each object and of the Application holding them (the worst of its resources). */
export function argoCdHealth(objects: readonly any[], source = 'test'): { application: string; objects: ObjectHealth[] } {
  const [res] = runConformance('rollout-health', [{ source, objects }]);
  return res;
}

/** The AnalysisRun controller's verdict on one (Cluster)AnalysisTemplate (rollouts-validate, templates.go). */
export interface TemplateVerdict {
  readonly source: string;
  readonly kind: string;
  readonly name: string;
  readonly metrics: number;
  readonly errors: RolloutProblem[];
  /** The request each web metric's provider built (args without a value resolve to "placeholder"). */
  readonly requests: Array<{ metric: string; method: string; url: string; headers: Record<string, string>; body?: string }>;
}

/** Runs the AnalysisRun controller's checks on every (Cluster)AnalysisTemplate of `objects` (one batch). */
export function validateAnalysisTemplates(objects: readonly any[], source = 'test'): TemplateVerdict[] {
  return runConformance('rollouts-validate', [{ source, objects }]).templateResults;
}
