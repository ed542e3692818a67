import { Duration, Yaml } from 'cdk8s';
import { toGoDuration } from '../core/duration';

/**
 * One overlay directory an Application of the service points to: one cluster of one environment.
 *
 * @internal
 */
export interface ClusterOverlay {
  readonly env: string;
  /** The normalized cluster name (`{{.nameNormalized}}`), also the value of the cluster annotation. */
  readonly cluster: string;
  /** The bake of the wave this cluster's Application syncs in: appended to each canary Rollout's steps. */
  readonly bake?: Duration;
}

/**
 * The objects of each place, rendered, plus what the overlays need.
 *
 * @internal
 */
export interface TreeInput {
  readonly service: string;
  readonly applicationSets: any[];
  readonly managementObjects: any[];
  readonly platformObjects: any[];
  readonly serviceObjects: any[];
  readonly overlays: ClusterOverlay[];
  readonly clusterAnnotation: string;
  readonly plan: string;
}

/** @internal */
export const KUSTOMIZATION_HEADER = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';

function fileName(obj: any, used: Set<string>): string {
  const base = `${String(obj.kind).toLowerCase()}-${String(obj.metadata?.name ?? 'unnamed')}`.replace(/[^a-z0-9.-]/g, '-');
  let name = `${base}.yaml`;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}.yaml`;
  used.add(name);
  return name;
}

function directory(files: Map<string, string>, dir: string, objects: any[]): void {
  const used = new Set<string>();
  const names: string[] = [];
  for (const obj of objects) {
    const name = fileName(obj, used);
    files.set(`${dir}/${name}`, Yaml.stringify(obj));
    names.push(name);
  }
  files.set(`${dir}/kustomization.yaml`, KUSTOMIZATION_HEADER + (names.length > 0 ? `resources:\n${names.map(n => `  - ${n}\n`).join('')}` : 'resources: []\n'));
}

/** The path of a cluster overlay, as the service ApplicationSet renders `k8s/overlays/{{.env}}/{{.nameNormalized}}`. @internal */
export function overlayPath(o: ClusterOverlay): string {
  return `k8s/overlays/${o.env}/${o.cluster}`;
}

/** The platform path of a service. @internal */
export function platformPath(service: string): string {
  return `platform/${service}`;
}

/**
 * The bake of a wave in one cluster: a JSON 6902 patch of the Rollout that appends full weight (unless the canary
 * already ends there) and a timed pause to its canary steps. While the pause runs the Rollout has a pause condition,
 * Argo CD's Rollout health check reports Suspended, and the Application keeps its RollingSync slot; background
 * analysis keeps running until the Rollout completes.
 *
 * @internal
 */
export function bakePatch(r: { name: string; namespace?: string; canary: any }, bake: Duration): string {
  const full = r.canary.trafficRouting?.maxTrafficWeight ?? 100;
  const steps: any[] = r.canary.steps ?? [];
  const last = steps[steps.length - 1];
  const add: any[] = [...(last?.setWeight === full ? [] : [{ setWeight: full }]), { pause: { duration: toGoDuration(bake) } }];
  const ops = steps.length > 0
    ? add.map(v => ({ op: 'add', path: '/spec/strategy/canary/steps/-', value: v }))
    : [{ op: 'add', path: '/spec/strategy/canary/steps', value: add }];
  return [
    '  - target:',
    '      group: argoproj.io',
    '      version: v1alpha1',
    '      kind: Rollout',
    `      name: ${JSON.stringify(r.name)}`,
    ...(r.namespace ? [`      namespace: ${JSON.stringify(r.namespace)}`] : []),
    '    patch: |-',
    ...ops.map(op => `      - ${JSON.stringify(op)}`),
  ].join('\n');
}

/**
 * The GitOps tree, as `path → content`:
 *
 * - `applicationsets/`: the ApplicationSets (management cluster, Argo CD namespace), with a kustomization for a root
 *   Application; their sync-waves order bootstrap (-2), platform (-1) and service (0);
 * - `management/`: the other management-cluster objects, applied once with `kubectl apply -k`: the root Application that
 *   syncs `applicationsets/`, and the central Prometheus config;
 * - `platform/<service>/`: cluster-wide objects every target cluster needs before the service (ClusterAnalysisTemplates);
 * - `k8s/base/`: what every cluster runs (Rollout, Services, routes, namespaced AnalysisTemplates);
 * - `k8s/overlays/<env>/<cluster>/`: one plain Kustomize overlay per generated Application: the base plus the cluster
 *   annotation on each Rollout, which per-cluster analysis args read with a fieldRef;
 * - `ROLLOUT-PLAN.md`.
 *
 * @internal
 */
export function buildTree(input: TreeInput): Map<string, string> {
  const files = new Map<string, string>();
  directory(files, 'applicationsets', input.applicationSets);
  if (input.managementObjects.length > 0) directory(files, 'management', input.managementObjects);
  directory(files, platformPath(input.service), input.platformObjects);
  directory(files, 'k8s/base', input.serviceObjects);
  const rollouts = input.serviceObjects.filter(o => o.kind === 'Rollout').map(o => ({
    name: String(o.metadata.name), namespace: o.metadata.namespace, canary: o.spec?.strategy?.canary,
  }));
  for (const o of input.overlays) {
    const bakes = o.bake ? rollouts.filter(r => r.canary).map(r => bakePatch(r, o.bake!)) : [];
    const patches = rollouts.map(({ name, namespace }) => [
      '  - patch: |-',
      '      apiVersion: argoproj.io/v1alpha1',
      '      kind: Rollout',
      '      metadata:',
      `        name: ${JSON.stringify(name)}`,
      ...(namespace ? [`        namespace: ${JSON.stringify(namespace)}`] : []),
      '        annotations:',
      `          ${JSON.stringify(input.clusterAnnotation)}: ${JSON.stringify(o.cluster)}`,
    ].join('\n'));
    files.set(`${overlayPath(o)}/kustomization.yaml`, KUSTOMIZATION_HEADER
      + 'resources:\n  - ../../../base\n'
      + (patches.length + bakes.length > 0 ? `patches:\n${[...patches, ...bakes].join('\n')}\n` : ''));
  }
  files.set('ROLLOUT-PLAN.md', input.plan);
  return files;
}
