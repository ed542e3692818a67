import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import {
  BlueGreenRollout, BlueGreenRolloutProps, CanaryRollout, CanaryStep, Fleet, IAnalysisTemplate, MaxUpdate, PrometheusServer, ProgressiveDeliveryStack,
  ProgressiveDeliveryStackProps, RollingSyncStep, RolloutWorkload, SuccessRateAnalysis, SuccessRateAnalysisProps, TrafficRouting,
} from '../../src';

/** Three clusters: one canary, two production. */
export function smallFleet(): Fleet {
  return new Fleet({
    clusters: ['canary-1:canary', 'prod-1:production', 'prod-2:production'].map(s => {
      const [name, env] = s.split(':');
      return { name, server: `https://${name}.example.com`, labels: { env }, metricsEndpoint: `prometheus.${name}.internal:9090` };
    }),
  });
}

/** A stack with nothing in its workload places yet. */
export function emptyStack(overrides: Partial<ProgressiveDeliveryStackProps> = {}): ProgressiveDeliveryStack {
  return new ProgressiveDeliveryStack({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'stack-')),
    serviceName: 'shop',
    repoUrl: 'https://github.com/my-org/shop-deploy',
    fleet: smallFleet(),
    environments: ['canary', 'production'],
    waves: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(1))],
    ...overrides,
  });
}

/** A per-cluster success-rate ClusterAnalysisTemplate on the central Prometheus's external address. */
export function centralSuccessRate(scope: any, address = 'https://prometheus.mgmt.example.com',
  overrides: Partial<SuccessRateAnalysisProps> = {}): SuccessRateAnalysis {
  return new SuccessRateAnalysis(scope, 'success-rate', {
    metadata: { name: 'success-rate' },
    clusterScope: true,
    clusterLabel: 'cluster',
    prometheus: PrometheusServer.fromAddress(address),
    threshold: 0.95,
    interval: Duration.minutes(1),
    count: 3,
    failureLimit: 1,
    ...overrides,
  });
}

/** The Istio canary of the service, using `templates` in one analysis step. */
export function istioRollout(stack: ProgressiveDeliveryStack, templates: IAnalysisTemplate[], extra: CanaryStep[] = [],
  perCluster = true): CanaryRollout {
  const web = new kplus.Deployment(stack.service, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/shop:1.0.0', portNumber: 8080 }] });
  return new CanaryRollout(stack.service, 'rollout', {
    metadata: { name: 'shop' },
    workload: RolloutWorkload.fromDeployment(web),
    replicas: 3,
    trafficRouting: TrafficRouting.istio({ virtualService: 'shop', routes: ['primary'], createVirtualService: { hosts: ['shop.example.com'] } }),
    steps: [
      CanaryStep.setWeight(20),
      ...(templates.length > 0 ? [CanaryStep.analysis({
        templates, args: { 'service-name': 'shop' }, ...(perCluster ? { argsFrom: { cluster: stack.clusterArg } } : {}),
      })] : []),
      ...extra,
      CanaryStep.setWeight(100),
    ],
  });
}

/** The blue-green Rollout `shop` of the service (active `shop-active`, preview `shop-preview`), with `props` (analyses, promotion). */
export function blueGreenRollout(stack: ProgressiveDeliveryStack, props: Partial<BlueGreenRolloutProps> = {}, name = 'shop'): BlueGreenRollout {
  const web = new kplus.Deployment(stack.service, `${name}-web`, { replicas: 0, containers: [{ image: `ghcr.io/my-org/${name}:1.0.0`, portNumber: 8080 }] });
  return new BlueGreenRollout(stack.service, `${name}-rollout`, {
    metadata: { name },
    workload: RolloutWorkload.fromDeployment(web),
    replicas: 3,
    ...props,
  });
}

/** The YAML objects of a tree (every file but the kustomizations and the plan). */
export function treeObjects(files: { [path: string]: string }): { path: string; obj: any }[] {
  return Object.entries(files)
    .filter(([p]) => p.endsWith('.yaml') && !p.endsWith('kustomization.yaml'))
    .flatMap(([p, text]) => YAML.parseAllDocuments(text).map(d => ({ path: p, obj: d.toJSON() })));
}

/** The synth-time error of a stack (cdk8s's aggregate), or undefined. */
export function synthError(stack: ProgressiveDeliveryStack): string | undefined {
  try {
    stack.synthesizeTree();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}


/** Six clusters: one canary, five production. */
export const waveFleet = () => new Fleet({
  clusters: ['canary-1:canary', ...[1, 2, 3, 4, 5].map(i => `prod-${i}:production`)].map(s => {
    const [name, env] = s.split(':');
    return { name, server: `https://${name}.example.com`, labels: { env } };
  }),
});

/** The waves of the example: the canary bakes 30 minutes, each production round 15 minutes. */
export const bakedWaves = () => [
  RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)).withBake(Duration.minutes(30)),
  RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(2)).withBake(Duration.minutes(15)),
];

/**
 * The example stack: an Istio canary 20% → pause 10m → 50% → pause 5m → 100%, with a background success-rate analysis
 * (which keeps running through the bake).
 */
export function bakedStack(overrides: Partial<ProgressiveDeliveryStackProps> = {}): { stack: ProgressiveDeliveryStack; rollout: CanaryRollout } {
  const stack = emptyStack({ fleet: waveFleet(), waves: bakedWaves(), ...overrides });
  const template = centralSuccessRate(stack.platform);
  const web = new kplus.Deployment(stack.service, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/shop:1.0.0', portNumber: 8080 }] });
  const rollout = new CanaryRollout(stack.service, 'rollout', {
    metadata: { name: 'shop' },
    workload: RolloutWorkload.fromDeployment(web),
    replicas: 3,
    trafficRouting: TrafficRouting.istio({ virtualService: 'shop', routes: ['primary'], createVirtualService: { hosts: ['shop.example.com'] } }),
    backgroundAnalysis: { templates: [template], args: { 'service-name': 'shop' }, argsFrom: { cluster: stack.clusterArg } },
    steps: [
      CanaryStep.setWeight(20), CanaryStep.pause(Duration.minutes(10)),
      CanaryStep.setWeight(50), CanaryStep.pause(Duration.minutes(5)),
      CanaryStep.setWeight(100),
    ],
  });
  return { stack, rollout };
}

/**
 * The tree written to a fresh temporary directory, and `build(path)`: the real kustomize (installed by
 * scripts/ensure-kustomize.sh on first use) building that path of the tree into objects.
 */
export function kustomizeTree(tree: { [path: string]: string }, prefix: string): (overlay: string) => any[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, content] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  const root = path.resolve(__dirname, '..', '..');
  const kustomize = execFileSync('bash', [path.join(root, 'scripts', 'ensure-kustomize.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return overlay => YAML.parseAllDocuments(execFileSync(kustomize, ['build', path.join(dir, overlay)], { encoding: 'utf8' }))
    .map(d => d.toJSON()).filter(Boolean);
}

