import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CanaryRollout, CanaryStep, FederatedPrometheus, FederationOutput, Fleet, LabelExpression, MaxUpdate, PrometheusServer,
  ProgressiveDeliveryStack, RollingSyncStep, RolloutWorkload, SuccessRateAnalysis, TrafficRouting,
} from '../../src';

/** The example fleet: 12 clusters in two regions; one canary, two staging, nine production. */
export function exampleFleet(): Fleet {
  const cluster = (name: string, region: string, env: string) => ({
    name, server: `https://${name}.k8s.example.com`, labels: { region, env }, metricsEndpoint: `prometheus.${name}.internal:9090`,
  });
  return new Fleet({
    clusters: [
      cluster('seoul-1', 'ap-northeast-2', 'canary'),
      cluster('seoul-2', 'ap-northeast-2', 'staging'), cluster('frankfurt-1', 'eu-central-1', 'staging'),
      ...[3, 4, 5, 6].map(i => cluster(`seoul-${i}`, 'ap-northeast-2', 'production')),
      ...[2, 3, 4, 5, 6].map(i => cluster(`frankfurt-${i}`, 'eu-central-1', 'production')),
    ],
  });
}

/**
 * The seed's architecture (Examples 1-3) as one stack: the ApplicationSet with RollingSync between clusters (Example 1),
 * the Istio canary gated by a success-rate analysis inside each cluster (Example 2), the federating Prometheus on the
 * management cluster (Example 3) — with the template in every workload cluster, querying the central Prometheus by
 * its external address with this cluster's filter.
 */
export function buildStack(outdir = 'dist/gitops'): ProgressiveDeliveryStack {
  const fleet = exampleFleet();
  const stack = new ProgressiveDeliveryStack({
    outdir,
    serviceName: 'my-service',
    repoUrl: 'https://github.com/my-org/my-service-deploy',
    fleet,
    environments: ['canary', 'staging', 'production'],
    applicationLabels: { region: '{{index .metadata.labels "region"}}' },
    waves: [
      RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
      RollingSyncStep.whereIn('env', ['staging'], MaxUpdate.count(2)),
      RollingSyncStep.matching([LabelExpression.valueIn('env', ['production']), LabelExpression.valueIn('region', ['ap-northeast-2'])], MaxUpdate.count(2)),
      RollingSyncStep.matching([LabelExpression.valueIn('env', ['production']), LabelExpression.valueIn('region', ['eu-central-1'])], MaxUpdate.percent(50)),
    ],
  });

  // Installed in every workload cluster before the service (platform ApplicationSet, sync-wave -1).
  const successRate = new SuccessRateAnalysis(stack.platform, 'success-rate', {
    metadata: { name: 'success-rate' }, clusterScope: true, clusterLabel: 'cluster',
    prometheus: PrometheusServer.fromAddress('https://prometheus.mgmt.example.com'),
    threshold: 0.95, interval: Duration.minutes(1), count: 5, window: Duration.minutes(2), failureLimit: 1,
  });
  // The management cluster's Prometheus federates every cluster, with the series the analysis reads.
  new FederatedPrometheus(stack.management, 'federation', {
    fleet, match: ['{job="my-service"}'], analyses: [successRate], output: FederationOutput.configMap(),
  });

  // What every cluster runs: 10% → this cluster's success rate → 30% → 100%.
  const web = new kplus.Deployment(stack.service, 'web', {
    replicas: 0,
    containers: [{ image: 'ghcr.io/my-org/my-service:1.2.3', portNumber: 8080, securityContext: { ensureNonRoot: false } }],
  });
  new CanaryRollout(stack.service, 'rollout', {
    metadata: { name: 'my-service' },
    workload: RolloutWorkload.fromDeployment(web),
    replicas: 5,
    trafficRouting: TrafficRouting.istio({
      virtualService: 'my-service', routes: ['primary'],
      createVirtualService: { hosts: ['my-service.example.com'], gateways: ['istio-system/public'] },
    }),
    steps: [
      CanaryStep.setWeight(10),
      CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'my-service' }, argsFrom: { cluster: stack.clusterArg } }),
      CanaryStep.pause(Duration.minutes(10)),
      CanaryStep.setWeight(30),
      CanaryStep.pause(Duration.minutes(10)),
      CanaryStep.setWeight(100),
    ],
  });
  return stack;
}
