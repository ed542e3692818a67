// Run by package-smoke.sh inside a scratch project where only the packed library and its peers are installed.
const assert = require('assert');
const os = require('os');
const { App, Chart, Duration } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const lib = require('cdk8s-progressive-delivery');

// the bundled PromQL grammar and the generated L1s load from the package: synthesize one of each gate
const app = new App({ outdir: os.tmpdir() });
const chart = new Chart(app, 'smoke');
const fleet = new lib.Fleet({ clusters: [{ name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { env: 'canary' } }] });
const appSet = new lib.MultiClusterAppSet(chart, 'svc', {
  clusters: lib.ClusterSelector.all(), environments: ['canary'], environmentClusterLabel: 'env',
  steps: [lib.RollingSyncStep.whereIn('env', ['canary'], lib.MaxUpdate.count(1))],
  source: { repoUrl: 'https://github.com/my-org/svc', path: 'k8s/{{.env}}' }, destinationNamespace: 'svc', fleet,
});
const successRate = new lib.SuccessRateAnalysis(chart, 'success-rate', {
  prometheus: lib.PrometheusServer.fromAddress('http://prometheus:9090'), threshold: 0.95, interval: Duration.minutes(1), count: 3,
});
const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
new lib.CanaryRollout(chart, 'rollout', {
  workload: lib.RolloutWorkload.fromDeployment(web), replicas: 3,
  trafficRouting: lib.TrafficRouting.istio({ virtualService: 'svc', routes: ['primary'] }),
  steps: [lib.CanaryStep.setWeight(10), lib.CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'svc' } }), lib.CanaryStep.setWeight(100)],
});
const kinds = app.synthYaml().match(/^kind: .*$/gm).sort();
assert.deepStrictEqual(kinds, ['kind: AnalysisTemplate', 'kind: ApplicationSet', 'kind: Deployment', 'kind: Rollout', 'kind: Service', 'kind: Service']);
assert.deepStrictEqual(appSet.plan().waves[0].applications, ['seoul-1-canary']);
console.log(`package smoke test passed: ${Object.keys(lib).length} exports; synthesized ${kinds.length} objects`);
