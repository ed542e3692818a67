import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CanaryRollout, CanaryStep, FederatedPrometheus, FederationOutput, Fleet, MaxUpdate, PrometheusServer, ProgressiveDeliveryStack,
  RollingSyncStep, RolloutWorkload, SuccessRateAnalysis, TrafficRouting,
} from '../../src';

const fleet = new Fleet({ clusters: [
  { name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { env: 'canary' }, metricsEndpoint: 'prometheus.seoul-1.internal:9090' },
  { name: 'seoul-2', server: 'https://seoul-2.example.com', labels: { env: 'production' }, metricsEndpoint: 'prometheus.seoul-2.internal:9090' },
] });
const stack = new ProgressiveDeliveryStack({
  outdir: 'dist/gitops', serviceName: 'my-service', repoUrl: 'https://github.com/my-org/my-service-deploy', fleet,
  environments: ['canary', 'production'],
  waves: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(25))],
});

// Every workload cluster runs the analysis (the Rollouts controller looks templates up in its own cluster), against the
// central Prometheus's external address, filtered to its own cluster.
const successRate = new SuccessRateAnalysis(stack.platform, 'success-rate', {
  metadata: { name: 'success-rate' }, clusterScope: true, clusterLabel: 'cluster',
  prometheus: PrometheusServer.fromAddress('https://prometheus.mgmt.example.com'),
  threshold: 0.95, interval: Duration.minutes(1), count: 5, window: Duration.minutes(2), failureLimit: 1,
});
new FederatedPrometheus(stack.management, 'federation', { fleet, match: ['{job="my-service"}'], analyses: [successRate],
  output: FederationOutput.configMap() });

const web = new kplus.Deployment(stack.service, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/my-service:1.2.3', portNumber: 8080 }] });
new CanaryRollout(stack.service, 'rollout', {
  metadata: { name: 'my-service' }, workload: RolloutWorkload.fromDeployment(web), replicas: 5,
  trafficRouting: TrafficRouting.istio({ virtualService: 'my-service', routes: ['primary'] }),
  steps: [
    CanaryStep.setWeight(10),
    CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'my-service' }, argsFrom: { cluster: stack.clusterArg } }),
    CanaryStep.pause(Duration.minutes(10)),
    CanaryStep.setWeight(30),
    CanaryStep.pause(Duration.minutes(10)),
    CanaryStep.setWeight(100),
  ],
});

stack.synth();                      // checks placement, writes the GitOps tree and ROLLOUT-PLAN.md
console.log(stack.releasePlan());   // waves, batches, durations, gates, Mermaid gantt
