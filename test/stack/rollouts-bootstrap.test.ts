import * as kplus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { centralSuccessRate, emptyStack, istioRollout, synthError, treeObjects } from './build';
import { CanaryRollout, CanaryStep, RolloutsBootstrap, RolloutWorkload, TrafficRouting } from '../../src';
import { assertValidObjects } from '../harness/schema';

const appSetsOf = (files: { [p: string]: string }) => treeObjects(files).map(o => o.obj).filter(o => o.kind === 'ApplicationSet');

function gatewayRollout(stack: ReturnType<typeof emptyStack>): CanaryRollout {
  const web = new kplus.Deployment(stack.service, 'web', { replicas: 0, containers: [{ image: 'shop:1', portNumber: 8080 }] });
  return new CanaryRollout(stack.service, 'rollout', {
    metadata: { name: 'shop' },
    workload: RolloutWorkload.fromDeployment(web),
    replicas: 2,
    trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'shop', createHttpRoute: { parentRefs: [{ name: 'public', namespace: 'gateways' }] } }),
    steps: [CanaryStep.setWeight(20), CanaryStep.pause(), CanaryStep.setWeight(100)],
  });
}

describe('bootstrap: Argo Rollouts and the templates reach every target cluster before the service', () => {
  test('by default a pinned argo-rollouts Helm chart (CRDs included) is installed by an ApplicationSet in sync-wave -2', () => {
    const stack = emptyStack();
    istioRollout(stack, [centralSuccessRate(stack.platform)]);
    const files = stack.synthesizeTree();
    assertValidObjects(treeObjects(files).map(o => o.obj));
    const [rollouts, platform, service] = ['argo-rollouts', 'shop-platform', 'shop'].map(n => appSetsOf(files).find(a => a.metadata.name === n)!);
    expect(rollouts.metadata).toEqual({ name: 'argo-rollouts', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-2' } });
    const spec = rollouts.spec.template.spec;
    expect(spec.source).toEqual({
      repoURL: 'https://argoproj.github.io/argo-helm',
      chart: 'argo-rollouts',
      targetRevision: '2.41.0',
      helm: { releaseName: 'argo-rollouts', values: 'installCRDs: true\nkeepCRDs: true\n' },
    });
    expect(spec.destination).toEqual({ server: '{{.server}}', namespace: 'argo-rollouts' });
    expect(spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    // deleting the ApplicationSet leaves the CRDs (and so every Rollout of the cluster) in place
    expect(rollouts.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(platform.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(service.spec.syncPolicy).toBeUndefined();
    // same clusters as the service: every cluster of the fleet gets the controller
    expect(stack.bootstrapAppSet!.generatedApplications().map(a => a.name)).toEqual(['argo-rollouts-canary-1', 'argo-rollouts-prod-1', 'argo-rollouts-prod-2']);
    // the platform (ClusterAnalysisTemplates) syncs in wave -1, the service in wave 0
    expect(platform.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    expect(platform.spec.template.spec.source.path).toBe('platform/shop');
    expect(stack.platformAppSet.generatedApplications().map(a => a.name)).toEqual(['shop-platform-canary-1', 'shop-platform-prod-1', 'shop-platform-prod-2']);
    expect(service.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '0' });
    // prune under RollingSync as the controller reads it: automated.prune with enabled unset
    expect(service.spec.template.spec.syncPolicy.automated).toEqual({ prune: true });
  });

  test('the root Application syncs applicationsets/ on the management cluster, so the sync-waves order the ApplicationSets', () => {
    const stack = emptyStack({ targetRevision: 'main' });
    istioRollout(stack, []);
    const files = stack.synthesizeTree();
    const root = treeObjects(files).find(o => o.obj.kind === 'Application')!;
    expect(root.path).toBe('management/application-shop-gitops.yaml');
    expect(root.obj.metadata).toEqual({ name: 'shop-gitops', namespace: 'argocd' });
    expect(root.obj.spec).toEqual({
      project: 'default',
      source: { repoURL: 'https://github.com/my-org/shop-deploy', targetRevision: 'main', path: 'applicationsets' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    assertValidObjects([root.obj]);
    expect(files['management/kustomization.yaml']).toContain('  - application-shop-gitops.yaml');
  });

  test('opt-out: a fleet that already runs Argo Rollouts gets no bootstrap ApplicationSet', () => {
    const stack = emptyStack({ bootstrap: RolloutsBootstrap.preinstalled() });
    istioRollout(stack, [centralSuccessRate(stack.platform)]);
    expect(stack.bootstrapAppSet).toBeUndefined();
    expect(appSetsOf(stack.synthesizeTree()).map(a => a.metadata.name).sort()).toEqual(['shop', 'shop-platform']);
    expect(stack.releasePlan()).toContain('the platform ApplicationSets (shop-platform)');
  });

  test('a Gateway API Rollout needs the plugin registered: a synth error without it', () => {
    const stack = emptyStack();
    gatewayRollout(stack);
    expect(synthError(stack)).toContain('[shop] bootstrap is RolloutsBootstrap.helmChart() without gatewayApiPlugin, while Rollout "shop" routes through the Gateway API plugin; '
      + 'expected the plugin registered in the argo-rollouts-config ConfigMap (trafficRouterPlugins) and the controller granted RBAC on HTTPRoutes. '
      + 'Fix: RolloutsBootstrap.helmChart({ gatewayApiPlugin: true })');
  });

  test('with gatewayApiPlugin the chart registers the plugin in argo-rollouts-config and grants the HTTPRoute RBAC', () => {
    const stack = emptyStack({ bootstrap: RolloutsBootstrap.helmChart({ gatewayApiPlugin: true }) });
    gatewayRollout(stack);
    const files = stack.synthesizeTree();
    const values = YAML.parse(appSetsOf(files).find(a => a.metadata.name === 'argo-rollouts')!.spec.template.spec.source.helm.values);
    expect(values).toEqual({
      installCRDs: true,
      keepCRDs: true,
      controller: { trafficRouterPlugins: [{ name: 'argoproj-labs/gatewayAPI', location: 'https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.15.0/gatewayapi-plugin-linux-amd64' }] },
      providerRBAC: { enabled: true, providers: { gatewayAPI: true } },
    });
    // Argo CD glue: the weights the plugin rewrites mid-canary, and its in-progress label, unconditionally
    // (the conditional select(...in-progress) form is a permanent OutOfSync on Argo CD 3.x, plugin#208)
    const service = appSetsOf(files).find(a => a.metadata.name === 'shop')!.spec.template.spec;
    expect(service.ignoreDifferences).toEqual([{
      group: 'gateway.networking.k8s.io',
      kind: 'HTTPRoute',
      name: 'shop',
      jqPathExpressions: ['.spec.rules[].backendRefs[].weight', '.metadata.labels["rollouts.argoproj.io/gatewayapi-canary"]', '.metadata | select(.labels == {}) | .labels'],
    }]);
    expect(service.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    assertValidObjects(treeObjects(files).map(o => o.obj));
  });

  test('Istio: the VirtualService weights are ignored, per the Argo Rollouts GitOps docs', () => {
    const stack = emptyStack();
    istioRollout(stack, []);
    const service = appSetsOf(stack.synthesizeTree()).find(a => a.metadata.name === 'shop')!.spec.template.spec;
    expect(service.ignoreDifferences).toEqual([{ group: 'networking.istio.io', kind: 'VirtualService', name: 'shop', jqPathExpressions: ['.spec.http[].route[].weight'] }]);
    expect(service.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'RespectIgnoreDifferences=true']);
  });

  test('bootstrap options are checked', () => {
    expect(() => RolloutsBootstrap.helmChart({ chartVersion: '^2.41.0' })).toThrow('RolloutsBootstrap.helmChart: chartVersion is "^2.41.0"; expected an exact chart version');
    expect(() => RolloutsBootstrap.helmChart({ namespace: 'Argo' })).toThrow('RolloutsBootstrap.helmChart: namespace is "Argo"; expected a DNS-1123 label');
    expect(() => RolloutsBootstrap.helmChart({ gatewayApiPluginLocation: 'gatewayapi-plugin' })).toThrow('gatewayApiPluginLocation is "gatewayapi-plugin"; expected an http(s):// or file:// URL');
  });
});

test('the platform and bootstrap ApplicationSets target the service\'s clusters (never in-cluster) and roll out in its waves', () => {
  const stack = emptyStack();
  istioRollout(stack, []);
  const files = stack.synthesizeTree();
  const service = appSetsOf(files).find(a => a.metadata.name === 'shop')!;
  for (const name of ['argo-rollouts', 'shop-platform']) {
    const appSet = appSetsOf(files).find(a => a.metadata.name === name)!;
    // environments x clusters by their env label: a non-empty selector, which excludes in-cluster (it has no Secret)
    expect(appSet.spec.generators).toEqual(service.spec.generators);
    expect(appSet.spec.strategy).toEqual(service.spec.strategy);
  }
  // so a new chart version or a changed template reaches the canary cluster first, then production one at a time
  expect(stack.bootstrapAppSet!.plan().waves.map(w => w.batches)).toEqual([[['argo-rollouts-canary-1']], [['argo-rollouts-prod-1'], ['argo-rollouts-prod-2']]]);
  expect(stack.platformAppSet.plan().waves.map(w => w.batches)).toEqual([[['shop-platform-canary-1']], [['shop-platform-prod-1'], ['shop-platform-prod-2']]]);
});
