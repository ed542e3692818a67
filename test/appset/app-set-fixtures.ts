import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ClusterSelector, Fleet, MaxUpdate, MultiClusterAppSet, MultiClusterAppSetProps, RollingSyncStep } from '../../src';

/** Shared fixtures of the MultiClusterAppSet tests: the seed's Example 1, the contract's fleet, synth helpers. */

export const seed = YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'appset', 'seed-example-1.yaml'), 'utf8'));

/** The fleet of the contract: two Seoul clusters (one canary), one Tokyo cluster. */
export const fleet = () => new Fleet({
  clusters: [
    { name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { region: 'ap-northeast-2', env: 'canary' }, metricsEndpoint: 'prometheus.seoul-1.internal:9090' },
    { name: 'seoul-2', server: 'https://seoul-2.example.com', labels: { region: 'ap-northeast-2', env: 'production' } },
    { name: 'seoul-3', server: 'https://seoul-3.example.com', labels: { region: 'ap-northeast-2', env: 'production' } },
    { name: 'tokyo-1', server: 'https://tokyo-1.example.com', labels: { region: 'ap-northeast-1', env: 'production' } },
  ],
});

export const seedSteps = () => [
  RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
  RollingSyncStep.whereIn('env', ['production']),
];

/** The seed's Example 1 in a few lines. */
export const example1 = (extra: Partial<MultiClusterAppSetProps> = {}): MultiClusterAppSetProps => ({
  metadata: { name: 'my-service-appset' },
  clusters: ClusterSelector.matchLabels({ region: 'ap-northeast-2' }),
  environments: ['canary', 'production'],
  steps: seedSteps(),
  source: { repoUrl: 'https://github.com/my-org/my-service', path: 'k8s/overlays/{{.env}}' },
  destinationNamespace: 'my-service',
  ...extra,
});

export function synthAppSet(props: MultiClusterAppSetProps): any {
  const chart = Testing.chart();
  new MultiClusterAppSet(chart, 'my-service', props);
  const objs = Testing.synth(chart); // schema-checked (strict) by the harness
  expect(objs).toHaveLength(1);
  return objs[0];
}

export function synthErrors(build: (chart: Chart) => void): string {
  const chart = Testing.chart();
  build(chart);
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth succeeded');
}

/** Real-world cluster names: an EKS ARN and a GKE context. */
export const eks = 'arn:aws:eks:ap-northeast-2:123456789012:cluster/seoul-prod';
export const gke = 'gke_my-project_asia-northeast3_seoul_canary';
export const realFleet = () => new Fleet({
  clusters: [
    { name: gke, server: 'https://gke.example.com', labels: { region: 'ap-northeast-2', env: 'canary' } },
    { name: eks, server: 'https://eks.example.com', labels: { region: 'ap-northeast-2', env: 'production' } },
  ],
});

