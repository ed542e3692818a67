import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AnalysisArgValue, CanaryRollout, CanaryStep, ClusterSelector, FederatedPrometheus, FederationOutput, Fleet,
  MaxUpdate, MultiClusterAppSet, PrometheusServer, ReleaseEstimate, RollingSyncStep, RolloutWorkload,
  SuccessRateAnalysis, TrafficRouting,
} from '../../src';

const app = new App();
const fleet = new Fleet({ clusters: [
  { name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { env: 'canary' }, metricsEndpoint: 'prometheus.seoul-1.internal:9090' },
  { name: 'seoul-2', server: 'https://seoul-2.example.com', labels: { env: 'production' }, metricsEndpoint: 'prometheus.seoul-2.internal:9090' },
] });

// Management cluster: one ClusterAnalysisTemplate judges each cluster through the federated Prometheus.
const mgmt = new Chart(app, 'management');
const successRate = new SuccessRateAnalysis(mgmt, 'success-rate', {
  clusterScope: true, clusterLabel: 'cluster',
  prometheus: PrometheusServer.fromAddress('http://prometheus-federation.monitoring.svc:9090'),
  threshold: 0.95, interval: Duration.minutes(1), count: 5, window: Duration.minutes(2), failureLimit: 1,
});
new FederatedPrometheus(mgmt, 'federation', { fleet, match: ['{job="my-service"}'], analyses: [successRate],
  output: FederationOutput.configMap() });              // the series the analysis queries are added to match[]
const appSet = new MultiClusterAppSet(mgmt, 'my-service', {
  clusters: ClusterSelector.all(), environments: ['canary', 'production'], environmentClusterLabel: 'env',
  steps: [
    RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
    RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(25)),
  ],
  source: { repoUrl: 'https://github.com/my-org/my-service', targetRevision: 'HEAD', path: 'k8s/overlays/{{.env}}',
    kustomize: { commonAnnotations: { 'example.com/cluster': '{{.nameNormalized}}' } } },
  destinationNamespace: 'my-service',
  fleet,
});

// Every workload cluster: canary 10% → analysis of this cluster → 30% → 100%.
const workload = new Chart(app, 'my-service');
const web = new kplus.Deployment(workload, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/my-service:1.2.3', portNumber: 8080 }] });
const rollout = new CanaryRollout(workload, 'rollout', {
  metadata: { name: 'my-service' },
  workload: RolloutWorkload.fromDeployment(web),
  replicas: 5,
  trafficRouting: TrafficRouting.istio({ virtualService: 'my-service', routes: ['primary'] }),
  steps: [
    CanaryStep.setWeight(10),
    CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'my-service' },
      argsFrom: { cluster: AnalysisArgValue.fieldRef("metadata.annotations['example.com/cluster']") } }),
    CanaryStep.pause(Duration.minutes(10)),
    CanaryStep.setWeight(30),
    CanaryStep.pause(Duration.minutes(10)),
    CanaryStep.setWeight(100),
  ],
});

app.synth();
const plan = appSet.plan();                   // waves → batches → Application names, plus the unmatched
console.log(plan.toMarkdown());               // or plan.toMermaid()
console.log(ReleaseEstimate.of(plan, { update: { minimum: rollout.canaryDuration.minimum } }).describe());
