import { IConstruct } from 'constructs';
import { Fleet, MultiClusterAppSet } from '../../src';

/**
 * The ApplicationSet side of the conformance harness: what `appset-render` (Argo CD v3.5.1's generators, template
 * rendering and progressive-sync Manager) needs for one `MultiClusterAppSet`, and the comparison of its answer with
 * the library's static rendering (`generatedApplications()`) and plan (`plan()`).
 */

/** The cluster Secrets Argo CD would hold for the fleet (declarative cluster Secrets in the Argo CD namespace). */
export function clusterSecrets(fleet: Fleet, namespace: string): any[] {
  const b64 = (s: string) => Buffer.from(s, 'utf-8').toString('base64');
  return fleet.clusters.map(c => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `cluster-${Fleet.normalizeClusterName(c.name)}`,
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
    return {
      name: c.name,
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
    step: number;
    syncFirstRound: boolean;
    progressiveStatus?: string;
  }>;
}

/**
 * The differences between the library's answer and Argo CD's: Application names, the labels the library reports,
 * destinations, source paths, the step of each Application and the first round of syncs. An app set the library
 * refuses to render must be one Argo CD fails on too (e.g. `missingkey=error`).
 */
export function compareAppSet(lib: LibraryAppSetAnswer, argo: ArgoAppSetAnswer): string[] {
  const d: string[] = [];
  if (lib.error !== undefined || argo.error !== undefined) {
    if (lib.error === undefined) d.push(`Argo CD fails (${argo.reason}: ${argo.error}) but the library renders ${lib.applications?.length} Applications`);
    // the library refusing what Argo CD renders is reported by the caller (libraryStricter), not a rendering mismatch
    return d;
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
  }
  if (argo.rollingSync) {
    const argoFirst = argo.applications.filter(a => a.syncFirstRound).map(a => a.name).sort();
    if (JSON.stringify(argoFirst) !== JSON.stringify(lib.firstRound)) {
      d.push(`first round of syncs: library plan ${JSON.stringify(lib.firstRound)}, Argo CD ${JSON.stringify(argoFirst)}`);
    }
  }
  return d;
}
