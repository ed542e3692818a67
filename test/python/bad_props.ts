// Bad props run from TypeScript: prints {case: {name, message}} of each error as JSON. bad_props.py runs the same cases from Python
// and asserts that each Python exception carries exactly this message (scripts/python-check.sh).
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CanaryRollout, CanaryStep, ClusterSelector, Fleet, MaxUpdate, MultiClusterAppSet, RollingSyncStep, RolloutWorkload,
  PrometheusServer, ProgressiveDeliveryStack, SuccessRateAnalysis, TrafficRouting,
} from '../../src';

function chart(): Chart {
  return new Chart(new App(), 'bad');
}

function appSet(scope: Chart, extra: { autoSync?: boolean; fleet?: Fleet }): MultiClusterAppSet {
  return new MultiClusterAppSet(scope, 'svc', {
    clusters: ClusterSelector.all(),
    environments: ['canary', 'production'],
    environmentClusterLabel: 'env',
    steps: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1))],
    source: { repoUrl: 'https://github.com/my-org/svc', path: 'k8s/{{.env}}' },
    destinationNamespace: 'svc',
    ...extra,
  });
}

function stack(serviceName = 'my-service'): ProgressiveDeliveryStack {
  return new ProgressiveDeliveryStack({
    outdir: 'dist/gitops',
    serviceName,
    repoUrl: 'https://github.com/my-org/my-service-deploy',
    fleet: new Fleet({ clusters: [{ name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { env: 'canary' } }] }),
    environments: ['canary'],
    waves: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1))],
  });
}

const cases: Record<string, () => unknown> = {
  // a single bad prop of a construct: thrown by its constructor
  'rollout-weight-150': () => {
    const c = chart();
    const web = new kplus.Deployment(c, 'web', { replicas: 0, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    return new CanaryRollout(c, 'rollout', {
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 3,
      trafficRouting: TrafficRouting.istio({ virtualService: 'svc', routes: ['primary'] }),
      steps: [CanaryStep.trafficWeight(150)],
    });
  },
  'appset-auto-sync': () => appSet(chart(), { autoSync: true }),
  // a bad argument of a static factory and of a value class
  'prometheus-address-no-scheme': () => PrometheusServer.fromAddress('prometheus:9090'),
  'fleet-metrics-endpoint': () => new Fleet({ clusters: [{ name: 'seoul-1', server: 'https://seoul-1.example.com', metricsEndpoint: 'http://prom:9090/x' }] }),
  // a rule across objects (no step selects seoul-1-production): checked at synth, reported by cdk8s as `[path] message`
  'synth-unmatched-application': () => {
    const c = chart();
    appSet(c, { fleet: new Fleet({ clusters: [{ name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { env: 'production' } }] }) });
    return (c.node.root as App).synthYaml();
  },
  // the stack: a bad prop (constructor), and the old README layout (the template on the management cluster with a
  // management-cluster *.svc address), a placement rule checked when the tree is synthesized (nothing is written)
  'stack-service-name': () => stack('My_Service'),
  'stack-template-on-management': () => {
    const s = stack();
    const successRate = new SuccessRateAnalysis(s.management, 'success-rate', {
      metadata: { name: 'success-rate' },
      clusterScope: true,
      clusterLabel: 'cluster',
      prometheus: PrometheusServer.fromAddress('http://prometheus-federation.monitoring.svc:9090'),
      threshold: 0.95,
      interval: Duration.minutes(1),
      count: 5,
    });
    const web = new kplus.Deployment(s.service, 'web', { replicas: 0, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    new CanaryRollout(s.service, 'rollout', {
      metadata: { name: 'my-service' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 3,
      trafficRouting: TrafficRouting.istio({ virtualService: 'my-service', routes: ['primary'] }),
      steps: [CanaryStep.trafficWeight(10), CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'my-service' }, argsFrom: { cluster: s.clusterArg } })],
    });
    return s.synthesizeTree();
  },
};

const errors: Record<string, { name: string; message: string }> = {};
for (const [name, run] of Object.entries(cases)) {
  try {
    run();
    throw new Error(`bad_props.ts: case ${name} did not throw`);
  } catch (e) {
    const { name: errorName, message } = e as Error;
    if (message.startsWith('bad_props.ts:')) throw e;
    errors[name] = { name: errorName, message };
  }
}
console.log(JSON.stringify(errors, undefined, 2));
