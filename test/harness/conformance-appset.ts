import { IConstruct } from 'constructs';
import { Fleet, MultiClusterAppSet, RolloutPlan } from '../../src';

/**
 * The ApplicationSet side of the conformance harness: what `appset-render` (Argo CD v3.5.1's generators, template
 * rendering and progressive-sync Manager) needs for one `MultiClusterAppSet`, and the comparison of its answer with
 * the library's static rendering (`generatedApplications()`) and plan (`plan()`).
 */

/** The cluster Secrets Argo CD would hold for the fleet (declarative cluster Secrets in the Argo CD namespace). */
export function clusterSecrets(fleet: Fleet, namespace: string): any[] {
  const b64 = (s: string) => Buffer.from(s, 'utf-8').toString('base64');
  return fleet.clusters.map((c, i) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `cluster-${i}-${Fleet.normalizeClusterName(c.name)}`.slice(0, 253).replace(/[-.]+$/, ''), // unique, whatever the names
      namespace,
      labels: { ...(c.labels ?? {}), 'argocd.argoproj.io/secret-type': 'cluster' },
    },
    type: 'Opaque',
    data: { name: b64(c.name), server: b64(c.server), config: b64('{}') },
  }));
}

/** The library's answer for one app set: its rendering and plan, or the error it raises. */
export interface LibraryAppSetAnswer {
  readonly name: string;
  readonly error?: string;
  readonly applications?: Array<{
    name: string;
    labels: Record<string, string>;
    destinationServer?: string;
    destinationName?: string;
    destinationNamespace: string;
    sourcePath?: string;
  }>;
  /** Step (1-based) of each Application; -1 when no step selects it (Argo CD's status.applicationStatus[].step). */
  readonly steps?: Record<string, number>;
  /** The Applications the plan says sync first (the first non-empty wave's first batch). */
  readonly firstRound?: string[];
  /** The plan as release rounds when every Application is Healthy right after its sync (`planRounds`). */
  readonly rounds?: string[][];
  /** The plan stops at a manual gate (a non-empty wave with maxUpdate 0, every wave when frozen): the release stalls there. */
  readonly stopsAtManualGate?: boolean;
  /** Each rendered Application's annotations and whole spec (templatePatch applied), by name. */
  readonly specs?: Record<string, { annotations?: Record<string, string>; spec: any }>;
  /** The plan is frozen (every step maxUpdate 0). */
  readonly frozen?: boolean;
}

/**
 * The plan as the rounds of a release in which every Application is Healthy right after its sync: the batches of the
 * waves in order (each batch's Applications sorted), up to the first non-empty manual gate (Argo CD syncs nothing
 * there; the release stalls until a person syncs them), and the step of each round.
 */
export function planRounds(plan: RolloutPlan): { rounds: string[][]; steps: number[]; stopsAtManualGate: boolean } {
  const rounds: string[][] = [];
  const steps: number[] = [];
  for (const w of plan.waves) {
    if (w.applications.length === 0) continue;
    if (w.manualGate) return { rounds, steps, stopsAtManualGate: true };
    for (const b of w.batches) {
      rounds.push([...b].sort());
      steps.push(w.step);
    }
  }
  return { rounds, steps, stopsAtManualGate: false };
}

/** One app set's input for appset-render plus the library's answer. */
export interface AppSetCase {
  readonly source: string;
  readonly objects: any[];
  readonly library: LibraryAppSetAnswer;
}

/** Every `MultiClusterAppSet` with a fleet under `scope`, as conformance cases (`kube`: the synthesized object). */
export function appSetCases(scope: IConstruct, synthesized: readonly any[], source: string): AppSetCase[] {
  const out: AppSetCase[] = [];
  for (const c of scope.node.findAll()) {
    if (!(c instanceof MultiClusterAppSet) || !c.fleet) continue;
    const kube = synthesized.find(o => o?.kind === 'ApplicationSet' && o.metadata?.name === c.name
      && (o.metadata?.namespace ?? undefined) === (c.apiObject.metadata.namespace ?? undefined));
    if (!kube) continue;
    out.push({ source, objects: [kube, ...clusterSecrets(c.fleet, kube.metadata.namespace ?? 'argocd')], library: libraryAnswer(c) });
  }
  return out;
}

/** The library's rendering and plan of one app set. */
export function libraryAnswer(c: MultiClusterAppSet): LibraryAppSetAnswer {
  try {
    const apps = c.generatedApplications();
    const plan = c.plan();
    const steps: Record<string, number> = {};
    for (const a of apps) steps[a.name] = -1;
    for (const w of plan.waves) for (const a of w.applications) steps[a] = w.step;
    let firstRound: string[] = [];
    for (const w of plan.waves) {
      if (w.applications.length === 0) continue;
      firstRound = w.manualGate ? [] : [...(w.batches[0] ?? [])];
      break;
    }
    const { rounds, stopsAtManualGate } = planRounds(plan);
    const specs: Record<string, { annotations?: Record<string, string>; spec: any }> = {};
    for (const o of c._renderedObjects() ?? []) specs[o.metadata.name] = { annotations: o.metadata.annotations, spec: o.spec };
    return {
      name: c.name,
      rounds,
      stopsAtManualGate,
      specs,
      frozen: plan.frozen,
      applications: apps.map(a => ({
        name: a.name,
        labels: { ...(a.labels ?? {}) },
        destinationServer: a.destinationServer,
        destinationName: a.destinationName,
        destinationNamespace: a.destinationNamespace,
        sourcePath: a.sourcePath,
      })),
      steps,
      firstRound: firstRound.sort(),
    };
  } catch (e) {
    return { name: c.name, error: (e as Error).message };
  }
}

/**
 * A JSON value as Go's encoding/json writes it with `omitempty`: empty strings, false, 0, null, empty objects and
 * empty lists dropped (recursively), so the library's rendering and Argo CD's marshalled ApplicationSpec compare.
 */
export function normalizeGo(v: any): any {
  if (Array.isArray(v)) return v.map(normalizeGo);
  if (v && typeof v === 'object') {
    const out: any = {};
    for (const k of Object.keys(v).sort()) {
      const x = normalizeGo(v[k]);
      const empty = x === undefined || x === null || x === '' || x === false || x === 0
        || (Array.isArray(x) && x.length === 0) || (typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0);
      if (!empty) out[k] = x;
    }
    return out;
  }
  return v;
}

/** The first path where two JSON values differ, with both values, or undefined when equal. */
export function firstDifference(a: any, b: any, at: string): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(Math.max(a.length, b.length)).keys()].map(String)
      : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference(a[k as any], b[k as any], Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`);
      if (d) return d;
    }
  }
  return `${at}: library ${JSON.stringify(a)}, Argo CD ${JSON.stringify(b)}`;
}

/** How Applications behave after their sync in appset-render's release simulation. */
export interface ProgressionScenario {
  /** Health reported at each reconcile after the Application's sync; the last entry stays (e.g. `['Suspended']`). */
  readonly health?: Record<string, string[]>;
  /** The health sequence of every other Application (default `['Healthy']`). */
  readonly default?: string[];
  /** The order the Applications are handed to the Manager (the informer's order): `name` (default) or `reverse`. */
  readonly informerOrder?: 'name' | 'reverse';
  readonly maxReconciles?: number;
}

/** The release simulation: Argo CD's progressive-sync Manager driven reconcile after reconcile. */
export interface ArgoProgression {
  readonly reconciles: number;
  /** Each reconcile in which the controller put a sync operation on Applications for the first time. */
  readonly rounds: Array<{ reconcile: number; applications: string[] }>;
  /** The last reconcile changed nothing and an Application some step selects is not Healthy (progressive status). */
  readonly stalled: boolean;
  /** status.applicationStatus[].status of each Application at the end. */
  readonly final: Record<string, string>;
  readonly syncedAt: Record<string, number>;
  readonly healthyAt: Record<string, number>;
  readonly retriggered: number;
  readonly error?: string;
}

/** Argo CD's answer for one app set (appset-render's JSON). */
export interface ArgoAppSetAnswer {
  readonly source: string;
  readonly name: string;
  readonly error?: string;
  readonly reason?: string;
  readonly rollingSync: boolean;
  readonly applications: Array<{
    name: string;
    namespace: string;
    labels: Record<string, string>;
    project: string;
    destinationServer?: string;
    destinationName?: string;
    destinationNamespace: string;
    source?: any;
    sources?: any[];
    annotations?: Record<string, string>;
    /** The whole generated spec (templatePatch applied). */
    spec?: any;
    /** The application controller cannot build the normalizer of spec.ignoreDifferences. */
    ignoreDifferencesError?: string;
    step: number;
    syncFirstRound: boolean;
    progressiveStatus?: string;
  }>;
  /** The release simulation (RollingSync with steps only), under the batch's scenario. */
  readonly progression?: ArgoProgression;
  /** The controller cannot build the diff config of spec.ignoreApplicationDifferences. */
  readonly ignoreApplicationDifferencesError?: string;
}

/**
 * The differences between the library's answer and Argo CD's: Application names, the labels the library reports,
 * destinations, source paths, the step of each Application, the first round of syncs and, when Argo CD's release
 * simulation ran under the default scenario (every Application Healthy right after its sync), every round. An app set the library
 * refuses to render must be one Argo CD fails on too (e.g. `missingkey=error`).
 */
export function compareAppSet(lib: LibraryAppSetAnswer, argo: ArgoAppSetAnswer): string[] {
  const d: string[] = [];
  if (lib.error !== undefined || argo.error !== undefined) {
    if (lib.error === undefined) d.push(`Argo CD fails (${argo.reason}: ${argo.error}) but the library renders ${lib.applications?.length} Applications`);
    // the library refusing what Argo CD renders is reported by the caller (libraryStricter), not a rendering mismatch
    return d;
  }
  if (argo.ignoreApplicationDifferencesError) d.push(`Argo CD cannot use ignoreApplicationDifferences: ${argo.ignoreApplicationDifferencesError}`);
  for (const a of argo.applications) {
    if (a.ignoreDifferencesError) d.push(`${a.name}: Argo CD cannot use spec.ignoreDifferences: ${a.ignoreDifferencesError}`);
  }
  const libApps = new Map(lib.applications!.map(a => [a.name, a]));
  const argoApps = new Map(argo.applications.map(a => [a.name, a]));
  for (const n of libApps.keys()) if (!argoApps.has(n)) d.push(`the library renders Application ${n}, Argo CD does not`);
  for (const n of argoApps.keys()) if (!libApps.has(n)) d.push(`Argo CD renders Application ${n}, the library does not`);
  for (const [n, l] of libApps) {
    const a = argoApps.get(n);
    if (!a) continue;
    for (const [k, v] of Object.entries(l.labels)) {
      if (a.labels[k] !== v) d.push(`${n}: label ${k}: library ${JSON.stringify(v)}, Argo CD ${JSON.stringify(a.labels[k])}`);
    }
    const same = (what: string, x: any, y: any) => { if ((x ?? '') !== (y ?? '')) d.push(`${n}: ${what}: library ${JSON.stringify(x)}, Argo CD ${JSON.stringify(y)}`); };
    same('destination.server', l.destinationServer, a.destinationServer);
    same('destination.name', l.destinationName, a.destinationName);
    same('destination.namespace', l.destinationNamespace, a.destinationNamespace);
    const argoPath = a.source?.path ?? a.sources?.[0]?.path;
    if (l.sourcePath !== undefined) same('source.path', l.sourcePath, argoPath);
    if (argo.rollingSync) same('RollingSync step', lib.steps![n], a.step);
    const libSpec = lib.specs?.[n];
    if (libSpec && a.spec !== undefined) {
      const diff = firstDifference(normalizeGo(libSpec.spec), normalizeGo(a.spec), 'spec');
      if (diff) d.push(`${n}: ${diff}`);
      const annotations = firstDifference(normalizeGo(libSpec.annotations ?? {}), normalizeGo(a.annotations ?? {}), 'metadata.annotations');
      if (annotations) d.push(`${n}: ${annotations}`);
    }
  }
  if (argo.rollingSync) {
    const argoFirst = argo.applications.filter(a => a.syncFirstRound).map(a => a.name).sort();
    if (JSON.stringify(argoFirst) !== JSON.stringify(lib.firstRound)) {
      d.push(`first round of syncs: library plan ${JSON.stringify(lib.firstRound)}, Argo CD ${JSON.stringify(argoFirst)}`);
    }
  }
  const p = argo.progression;
  if (p && lib.rounds) {
    if (p.error) d.push(`release simulation: ${p.error}`);
    const argoRounds = p.rounds.map(r => r.applications);
    if (JSON.stringify(argoRounds) !== JSON.stringify(lib.rounds)) {
      d.push(`release rounds (every Application Healthy after its sync): library plan ${JSON.stringify(lib.rounds)}, Argo CD ${JSON.stringify(argoRounds)}`);
    }
    if (p.stalled !== lib.stopsAtManualGate) {
      d.push(`release ${p.stalled ? 'stalls' : 'completes'} in Argo CD, but the library plan ${lib.stopsAtManualGate ? 'stops at a manual gate' : 'completes'}`);
    }
  }
  return d;
}
