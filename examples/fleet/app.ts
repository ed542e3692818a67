import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AnalysisArgValue, CanaryRollout, CanaryStep, ClusterSelector, FederatedPrometheus, FederationOutput, Fleet, MaxUpdate,
  MultiClusterAppSet, PrometheusServer, ReleaseEstimate, RollingSyncStep, RolloutWorkload, SuccessRateAnalysis, TrafficRouting,
} from '../../src';

/** The annotation Argo CD stamps on every resource of a cluster's Application (kustomize commonAnnotations). */
export const CLUSTER_ANNOTATION = 'progressive-delivery.example.com/cluster';

/** The example fleet: one canary cluster, five production clusters in three regions. */
export function exampleFleet(): Fleet {
  const cluster = (name: string, region: string, env: string) => ({
    name, server: `https://${name}.k8s.example.com`, labels: { region, env }, metricsEndpoint: `prometheus.${name}.internal:9090`,
  });
  return new Fleet({
    clusters: [
      cluster('seoul-1', 'ap-northeast-2', 'canary'),
      cluster('seoul-2', 'ap-northeast-2', 'production'),
      cluster('seoul-3', 'ap-northeast-2', 'production'),
      cluster('tokyo-1', 'ap-northeast-1', 'production'),
      cluster('tokyo-2', 'ap-northeast-1', 'production'),
      cluster('frankfurt-1', 'eu-central-1', 'production'),
    ],
  });
}

/** What the example builds, for main.ts and the tests. */
export interface ExampleFleetApp {
  readonly app: App;
  readonly appSet: MultiClusterAppSet;
  readonly rollout: CanaryRollout;
  readonly federation: FederatedPrometheus;
  readonly successRate: SuccessRateAnalysis;
}

/**
 * Builds the example: a management chart (the ApplicationSet, the per-cluster ClusterAnalysisTemplate and the
 * federating Prometheus's config) and the workload chart every cluster runs (Deployment, canary Rollout, Services,
 * Istio VirtualService).
 */
export function buildApp(outdir = 'dist/examples'): ExampleFleetApp {
  const app = new App({ outdir });
  const fleet = exampleFleet();

  // ---- management cluster -------------------------------------------------------------------------------------
  const management = new Chart(app, 'management');
  // One ClusterAnalysisTemplate on the central Prometheus judges every cluster separately (per-cluster mode).
  const successRate = new SuccessRateAnalysis(management, 'success-rate', {
    templateName: 'success-rate',
    clusterScope: true,
    clusterLabel: 'cluster',
    prometheus: PrometheusServer.fromAddress('http://prometheus-federation.monitoring.svc.cluster.local:9090'),
    threshold: 0.95, interval: Duration.minutes(1), count: 5, window: Duration.minutes(2), failureLimit: 1,
  });
  // The central Prometheus federates every cluster; the series the analysis queries are added to match[] for us.
  const federation = new FederatedPrometheus(management, 'federation', {
    fleet,
    match: ['{job="my-service"}'],
    analyses: [successRate],
    output: FederationOutput.configMap(),
  });
  // Between clusters: canary cluster first, then production 2 at a time.
  const appSet = new MultiClusterAppSet(management, 'my-service', {
    metadata: { name: 'my-service' },
    clusters: ClusterSelector.all(),
    environments: ['canary', 'production'],
    environmentClusterLabel: 'env',
    steps: [
      RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
      RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(2)),
    ],
    source: {
      repoUrl: 'https://github.com/my-org/my-service',
      targetRevision: 'HEAD',
      path: 'k8s/overlays/{{.env}}',
      kustomize: { commonAnnotations: { [CLUSTER_ANNOTATION]: '{{.nameNormalized}}' } },
    },
    destinationNamespace: 'my-service',
    fleet,
  });

  // ---- every workload cluster ---------------------------------------------------------------------------------
  const workload = new Chart(app, 'my-service');
  const web = new kplus.Deployment(workload, 'web', {
    replicas: 0,
    containers: [{ image: 'ghcr.io/my-org/my-service:1.2.3', portNumber: 8080, securityContext: { ensureNonRoot: false } }],
  });
  // Inside each cluster: 10% → analysis of this cluster's success rate → 30% → 100%.
  const rollout = new CanaryRollout(workload, 'rollout', {
    metadata: { name: 'my-service' },
    workload: RolloutWorkload.fromDeployment(web),
    replicas: 5,
    trafficRouting: TrafficRouting.istio({
      virtualService: 'my-service', routes: ['primary'],
      createVirtualService: { hosts: ['my-service.example.com'], gateways: ['istio-system/public'] },
    }),
    steps: [
      CanaryStep.setWeight(10),
      CanaryStep.analysis({
        templates: [successRate],
        args: { 'service-name': 'my-service' },
        argsFrom: { cluster: AnalysisArgValue.fieldRef(`metadata.annotations['${CLUSTER_ANNOTATION}']`) },
      }),
      CanaryStep.pause(Duration.minutes(10)),
      CanaryStep.setWeight(30),
      CanaryStep.pause(Duration.minutes(10)),
      CanaryStep.setWeight(100),
    ],
  });
  return { app, appSet, rollout, federation, successRate };
}

/** The report main.ts prints: the wave plan, how long the release takes, the federation targets. */
export function describePlan(built: ExampleFleetApp, podStartup = Duration.minutes(2)): string {
  const plan = built.appSet.plan();
  const canary = built.rollout.canaryDuration;
  const perApplication = Duration.seconds(canary.minimum.toSeconds() + podStartup.toSeconds());
  const update = { minimum: canary.minimum, exact: canary.exact, manualGates: built.rollout.manualGates.length };
  const estimate = ReleaseEstimate.of(plan, { update, startup: podStartup });
  return [
    '## Rollout plan (Argo CD RollingSync)',
    '',
    plan.toMarkdown(),
    `## Release estimate (${perApplication.toMinutes()} min per cluster: canary steps ${canary.minimum.toMinutes()} min + pod start-up ${podStartup.toMinutes()} min)`,
    '',
    estimate.describe(),
    '## Federation targets',
    '',
    ...built.federation.targets.map(t => `- ${t.cluster}: ${t.endpoint}`),
    '',
  ].join('\n');
}
