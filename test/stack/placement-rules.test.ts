import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { blueGreenRollout, centralSuccessRate, emptyStack, istioRollout, synthError, treeObjects } from './build';
import {
  AnalysisTemplateRef, CanaryRollout, CanaryStep, MaxUpdate, MultiClusterAppSet, PrometheusServer, RollingSyncStep, RolloutWorkload,
  SuccessRateAnalysis, TrafficRouting, ClusterSelector, AnalysisArgValue, FederatedPrometheus, FederationOutput, TemplateArgument,
} from '../../src';
import { assertValidObjects } from '../harness/schema';

describe('placement: every object on the cluster that reads it', () => {
  test('the seed\'s layout (ClusterAnalysisTemplate on the management cluster, *.svc address) is a synth error naming the fix', () => {
    // GIVEN the README's old layout: the template next to the ApplicationSet, on the federating Prometheus's Service name
    const stack = emptyStack();
    const template = centralSuccessRate(stack.management, 'http://prometheus-federation.monitoring.svc.cluster.local:9090');
    istioRollout(stack, [template]);
    // THEN synth fails on the management chart, saying where it must go and which address to use
    const err = synthError(stack)!;
    expect(err).toContain('[shop-management] ClusterAnalysisTemplate "success-rate" (shop-management/success-rate) is placed on the management cluster, '
      + 'querying the management-cluster address http://prometheus-federation.monitoring.svc.cluster.local:9090; expected it in the workload clusters where Rollout "shop" run');
    expect(err).toContain('"ClusterAnalysisTemplate \'%s\' not found"');
    expect(err).toContain('a *.svc address of the management cluster does not resolve there');
    expect(err).toContain('Fix: create it in stack.platform');
    expect(err).toContain('PrometheusServer.fromAddress("https://prometheus.mgmt.example.com")');
    expect(err).toContain('argsFrom: { cluster: stack.clusterArg }');
    // and it is reported once, not again as "not deployed"
    expect(err).not.toContain('that nothing deploys where the Rollout runs');
  });

  test('the fixed layout synthesizes: template in the platform place, external address, per-cluster arg', () => {
    const stack = emptyStack();
    istioRollout(stack, [centralSuccessRate(stack.platform)]);
    const files = stack.synthesizeTree();
    const objs = treeObjects(files);
    assertValidObjects(objs.map(o => o.obj));
    const where = (kind: string) => objs.filter(o => o.obj.kind === kind).map(o => o.path.split('/').slice(0, -1).join('/'));
    expect(where('ClusterAnalysisTemplate')).toEqual(['platform/shop']);
    expect(where('Rollout')).toEqual(['k8s/base']);
    expect(where('ApplicationSet')).toEqual(['applicationsets', 'applicationsets', 'applicationsets']);
    // templates sync before the Rollouts that use them (argo-rollouts#3504)
    const cat = objs.find(o => o.obj.kind === 'ClusterAnalysisTemplate')!.obj;
    expect(cat.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  });

  test('a namespaced AnalysisTemplate in the service place syncs before the Rollout in the same Application', () => {
    const stack = emptyStack();
    const local = new SuccessRateAnalysis(stack.service, 'local-success-rate', {
      metadata: { name: 'local-success-rate' },
      prometheus: PrometheusServer.fromAddress('http://prometheus.monitoring.svc:9090'), // each cluster's own Prometheus: fine
      threshold: 0.95,
      interval: Duration.minutes(1),
      count: 3,
    });
    istioRollout(stack, [local], [], false);
    const objs = treeObjects(stack.synthesizeTree());
    const t = objs.find(o => o.obj.kind === 'AnalysisTemplate')!;
    expect(t.path).toBe('k8s/base/analysistemplate-local-success-rate.yaml');
    expect(t.obj.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(objs.find(o => o.obj.kind === 'Rollout')!.obj.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBeUndefined();
  });

  test('a referenced template nothing deploys where the Rollout runs is an error; preinstalledTemplates accepts it', () => {
    const ref = AnalysisTemplateRef.fromName('error-rate', { clusterScope: true, args: [{ name: 'service-name' }] });
    const stack = emptyStack();
    istioRollout(stack, [ref], [], false);
    expect(synthError(stack)).toContain('[shop] shop/rollout: templates "error-rate" is a ClusterAnalysisTemplate that nothing deploys where the Rollout runs; '
      + 'expected the template in every cluster where Rollout "shop" runs');
    expect(synthError(stack)).toContain('Fix: create it in stack.platform, or list "error-rate" in preinstalledTemplates');

    const ok = emptyStack({ preinstalledTemplates: ['error-rate'] });
    istioRollout(ok, [ref], [], false);
    expect(synthError(ok)).toBeUndefined();
  });

  test('one template deployed by both the service and the platform Application is an error', () => {
    const stack = emptyStack();
    const t = centralSuccessRate(stack.platform);
    new ApiObject(stack.service, 'copy', { apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterAnalysisTemplate', metadata: { name: 'success-rate' }, spec: { metrics: [] } });
    istioRollout(stack, [t]);
    expect(synthError(stack)).toContain('[shop] ClusterAnalysisTemplate "success-rate" is deployed both by the service Application (stack.service) '
      + 'and by the platform Application (stack.platform); expected each object in one Application');
  });

  test('a namespaced AnalysisTemplate in the platform place is an error (the controller looks it up in the Rollout\'s namespace)', () => {
    const stack = emptyStack();
    const t = new SuccessRateAnalysis(stack.platform, 'ns', {
      metadata: { name: 'ns-rate' }, prometheus: PrometheusServer.fromAddress('http://prometheus.monitoring.svc:9090'), threshold: 0.9, interval: Duration.minutes(1), count: 2,
    });
    istioRollout(stack, [t], [], false);
    const err = synthError(stack)!;
    expect(err).toContain('AnalysisTemplate "ns-rate" (shop-platform/ns/Resource) is placed in the platform Application');
    expect(err).toContain('Fix: create it in stack.service, or make it a ClusterAnalysisTemplate');
    // and the Rollout still misses it where it runs
    expect(err).toContain('templates "ns-rate" is a AnalysisTemplate that nothing deploys');
  });

  test('a per-cluster template in a workload place on a cluster-local *.svc address is an error with both fixes', () => {
    const stack = emptyStack();
    istioRollout(stack, [centralSuccessRate(stack.platform, 'http://prometheus-federation.monitoring.svc:9090')]);
    const err = synthError(stack)!;
    expect(err).toContain('shop-platform/success-rate: prometheus is "http://prometheus-federation.monitoring.svc:9090" with the per-cluster filter cluster="{{args.…}}"');
    expect(err).toContain('the central (federating) Prometheus by its external address');
    expect(err).toContain('or each cluster\'s own Prometheus');
  });

  test('the per-cluster arg must come from the cluster annotation, not a literal', () => {
    const stack = emptyStack();
    const t = centralSuccessRate(stack.platform);
    const web = new kplus.Deployment(stack.service, 'web', { replicas: 0, containers: [{ image: 'shop:1', portNumber: 8080 }] });
    new CanaryRollout(stack.service, 'rollout', {
      metadata: { name: 'shop' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 2,
      trafficRouting: TrafficRouting.istio({ virtualService: 'shop', routes: ['primary'] }),
      steps: [CanaryStep.setWeight(20), CanaryStep.analysis({ templates: [t], args: { 'service-name': 'shop', 'cluster': 'prod-1' } })],
    });
    const err = synthError(stack)!;
    expect(err).toContain('shop/rollout: steps[1].analysis.args.cluster is the literal "prod-1"; expected a value per cluster');
    expect(err).toContain('Fix: pass argsFrom: { cluster: stack.clusterArg } (fieldRef metadata.annotations[\'progressive-delivery.cdk8s.io/cluster\'])');
  });

  test('a per-cluster template\'s defaulted cluster arg is reported: the default is the same in every cluster', () => {
    const stack = emptyStack();
    const t = centralSuccessRate(stack.platform, undefined, { failureLimit: undefined, args: [TemplateArgument.withDefault('cluster', 'prod-1')] });
    istioRollout(stack, [t], [], false);
    expect(synthError(stack)).toContain('shop/rollout: steps[1].analysis.args.cluster is not passed (the template\'s default "prod-1" applies); '
      + 'expected a value per cluster');
  });

  test('the per-cluster arg of a blue-green Rollout\'s pre- and post-promotion analyses is checked the same way', () => {
    const stack = emptyStack();
    const t = centralSuccessRate(stack.platform, undefined, { failureLimit: undefined });
    blueGreenRollout(stack, {
      prePromotionAnalysis: { templates: [t], args: { 'service-name': 'shop' }, argsFrom: { cluster: stack.clusterArg } },
      postPromotionAnalysis: { templates: [t], args: { 'service-name': 'shop', 'cluster': 'prod-1' } },
    });
    const err = synthError(stack)!;
    expect(err).toContain('shop/shop-rollout: postPromotionAnalysis.args.cluster is the literal "prod-1"; expected a value per cluster');
    expect(err).not.toContain('prePromotionAnalysis.args.cluster');
  });

  test('a fieldRef to another annotation is reported too', () => {
    const stack = emptyStack();
    const t = centralSuccessRate(stack.platform);
    const web = new kplus.Deployment(stack.service, 'web', { replicas: 0, containers: [{ image: 'shop:1', portNumber: 8080 }] });
    new CanaryRollout(stack.service, 'rollout', {
      metadata: { name: 'shop' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 2,
      trafficRouting: TrafficRouting.istio({ virtualService: 'shop', routes: ['primary'] }),
      steps: [CanaryStep.setWeight(20), CanaryStep.analysis({
        templates: [t], args: { 'service-name': 'shop' }, argsFrom: { cluster: AnalysisArgValue.fieldRef("metadata.annotations['example.com/cluster']") },
      })],
    });
    expect(synthError(stack)).toContain('steps[1].analysis.args.cluster is valueFrom {"fieldRef":{"fieldPath":"metadata.annotations[\'example.com/cluster\']"}}');
  });

  test('the overlay of each cluster sets the annotation the per-cluster arg reads (no Argo CD kustomize option)', () => {
    const stack = emptyStack();
    istioRollout(stack, [centralSuccessRate(stack.platform)]);
    const files = stack.synthesizeTree();
    expect(Object.keys(files).filter(f => f.startsWith('k8s/overlays/')).sort()).toEqual([
      'k8s/overlays/canary/canary-1/kustomization.yaml', 'k8s/overlays/production/prod-1/kustomization.yaml', 'k8s/overlays/production/prod-2/kustomization.yaml',
    ]);
    expect(files['k8s/overlays/production/prod-2/kustomization.yaml']).toContain('"progressive-delivery.cdk8s.io/cluster": "prod-2"');
    const appSet = treeObjects(files).find(o => o.obj.metadata.name === 'shop')!.obj;
    expect(appSet.spec.template.spec.source).toEqual({ repoURL: 'https://github.com/my-org/shop-deploy', targetRevision: 'HEAD', path: 'k8s/overlays/{{.env}}/{{.nameNormalized}}' });
    expect(appSet.spec.template.spec.source.kustomize).toBeUndefined();
  });

  test('Rollouts on the management cluster and ApplicationSets in a workload place are errors', () => {
    const stack = emptyStack();
    istioRollout(stack, []);
    new ApiObject(stack.management, 'stray-rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'stray' } });
    new ApiObject(stack.service, 'stray-appset', { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'stray' } });
    const err = synthError(stack)!;
    expect(err).toContain('[shop-management] Rollout "stray" (shop-management/stray-rollout) is placed on the management cluster; expected Rollout objects in the workload clusters');
    expect(err).toContain('[shop] ApplicationSet "stray" (shop/stray-appset) is placed in the workload clusters; expected Argo CD objects on the management cluster');
  });

  test('the workload in the platform place is an error: it would reach every cluster at once, outside the waves', () => {
    const stack = emptyStack();
    new kplus.Deployment(stack.platform, 'web', { replicas: 1, containers: [{ image: 'shop:1', portNumber: 8080 }] });
    expect(synthError(stack)).toMatch(/Deployment "shop-platform-web-[0-9a-f]+" \(shop-platform\/web\/Resource\) is placed in the platform Application; expected the service's workload in stack.service: the platform ApplicationSet syncs every cluster at once, outside the RollingSync waves/);
  });

  test('the central Prometheus config in a workload place is an error', () => {
    const stack = emptyStack();
    const t = centralSuccessRate(stack.platform);
    istioRollout(stack, [t]);
    new FederatedPrometheus(stack.service, 'federation', { fleet: stack.fleet, analyses: [t], output: FederationOutput.configMap() });
    expect(synthError(stack)).toContain('[shop] FederatedPrometheus (shop/federation) is placed in the workload clusters; '
      + 'expected the central Prometheus config on the management cluster');
  });

  test('a chart nested in a place belongs to that place', () => {
    const stack = emptyStack();
    istioRollout(stack, []);
    const { Chart } = jest.requireActual('cdk8s');
    new kplus.ConfigMap(new Chart(stack.service, 'extras'), 'settings', { metadata: { name: 'shop-settings' }, data: { a: 'b' } });
    const files = stack.synthesizeTree();
    expect(files['k8s/base/configmap-shop-settings.yaml']).toContain('name: shop-settings');
    expect(files['k8s/base/kustomization.yaml']).toContain('  - configmap-shop-settings.yaml');
  });

  test('a chart outside the stack\'s places is an error', () => {
    const stack = emptyStack();
    istioRollout(stack, []);
    const { Chart } = jest.requireActual('cdk8s');
    const own = new Chart(stack, 'my-own');
    new kplus.ConfigMap(own, 'cm', { data: { a: 'b' } });
    expect(synthError(stack)).toContain('chart "my-own" is a chart outside the stack\'s places, with 1 object(s); expected every object in exactly one place');
  });

  test('an ApplicationSet pointing at a path of the repository the stack does not produce is an error', () => {
    const stack = emptyStack();
    istioRollout(stack, []);
    new MultiClusterAppSet(stack.management, 'legacy', {
      metadata: { name: 'legacy' },
      clusters: ClusterSelector.all(),
      environments: ['canary', 'production'],
      environmentClusterLabel: 'env',
      applicationName: 'legacy-{{.nameNormalized}}-{{.env}}',
      steps: [RollingSyncStep.everything(MaxUpdate.count(1))],
      source: { repoUrl: 'https://github.com/my-org/shop-deploy', path: 'k8s/overlays/{{.env}}' },
      destinationNamespace: 'legacy',
      fleet: stack.fleet,
    });
    const err = synthError(stack)!;
    expect(err).toContain('shop-management/legacy: source.path is "k8s/overlays/{{.env}}", rendering k8s/overlays/canary, k8s/overlays/production; '
      + 'expected paths of https://github.com/my-org/shop-deploy that this stack produces');
    expect(err).toContain('Fix: point the ApplicationSet at a directory the stack writes');
  });
});
