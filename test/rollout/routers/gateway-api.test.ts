import { Testing } from 'cdk8s';
import { CanaryRollout, CanaryServices, CanaryStep, GATEWAY_API_PLUGIN, RolloutWorkload, StringMatch, TrafficRouting, ValidationError } from '../../../src';
import { build } from '../build';

function rolloutOf(objs: any[]): any {
  return objs.find(o => o.kind === 'Rollout');
}

describe('Gateway API plugin router', () => {
  test('Gateway API plugin: plugin config and a created HTTPRoute valid against the Gateway API CRD', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      metadata: { name: 'web', namespace: 'shop' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      replicas: 4,
      trafficRouting: TrafficRouting.gatewayApi({
        httpRoute: 'web-route',
        disableInProgressLabel: true,
        createHttpRoute: { parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }], hostnames: ['web.example.com'] },
      }),
      steps: [
        CanaryStep.setCanaryScale({ replicas: 1 }),
        CanaryStep.setHeaderRoute({ name: 'beta', match: [{ headerName: 'x-beta', headerValue: StringMatch.exact('1') }] }),
        CanaryStep.setWeight(50),
        CanaryStep.setHeaderRoute({ name: 'beta' }),
      ],
    });
    const objs = Testing.synth(chart);
    const ro = rolloutOf(objs);
    expect(ro.spec.strategy.canary.trafficRouting).toEqual({
      managedRoutes: [{ name: 'beta' }],
      plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route', disableInProgressLabel: true } },
    });
    expect(GATEWAY_API_PLUGIN).toBe('argoproj-labs/gatewayAPI');
    const route = objs.find(o => o.kind === 'HTTPRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata).toEqual({ name: 'web-route', namespace: 'shop' });
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }],
      hostnames: ['web.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ name: 'web-stable', port: 8080, weight: 100 }, { name: 'web-canary', port: 8080, weight: 0 }],
      }],
    });
    // the plugin locates backendRefs by the Rollout's canary/stable Services: they are the ones created
    expect(ro.spec.strategy.canary.stableService).toBe('web-stable');
    expect(ro.spec.strategy.canary.canaryService).toBe('web-canary');
    expect(r.route?.name).toBe('web-route');
  });

  test('Gateway API plugin referencing existing routes', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      services: CanaryServices.fromNames('web-stable', 'web-canary'),
      trafficRouting: TrafficRouting.gatewayApi({ httpRoutes: [{ name: 'a', useHeaderRoutes: true }, { name: 'b' }], grpcRoute: 'g', namespace: 'edge' }),
      steps: [CanaryStep.setWeight(10)],
    });
    const objs = Testing.synth(chart);
    expect(rolloutOf(objs).spec.strategy.canary.trafficRouting.plugins).toEqual({
      'argoproj-labs/gatewayAPI': {
        httpRoutes: [{ name: 'a', useHeaderRoutes: true }, { name: 'b' }], grpcRoute: 'g', namespace: 'edge', disableInProgressLabel: true,
      },
    });
    expect(objs.filter(o => o.kind === 'HTTPRoute' || o.kind === 'Service')).toEqual([]);
  });

  test('Gateway API in-progress label and the useHeaderRoutes warning', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.gatewayApi({
        httpRoutes: [{ name: 'a' }], disableInProgressLabel: false, inProgressLabelKey: 'rollout', inProgressLabelValue: 'running',
      }),
      steps: [
        CanaryStep.setCanaryScale({ replicas: 1 }),
        CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: StringMatch.exact('1') }] }),
      ],
    });
    expect(rolloutOf(Testing.synth(chart)).spec.strategy.canary.trafficRouting.plugins[GATEWAY_API_PLUGIN]).toEqual({
      httpRoutes: [{ name: 'a' }], disableInProgressLabel: false, inProgressLabelKey: 'rollout', inProgressLabelValue: 'running',
    });
    expect(r.warnings).toEqual([
      'setHeaderRoute steps with trafficRouting.gatewayApi.httpRoutes, but no route has useHeaderRoutes: true: the plugin adds header routes only to routes marked so',
    ]);
  });

  test('the in-progress label is off unless asked for (it only feeds a conditional ignoreDifferences that Argo CD 3.x reports OutOfSync on)', () => {
    const plugin = (routing: TrafficRouting) => rolloutOf(Testing.synth(build({ trafficRouting: routing, steps: [CanaryStep.setWeight(10)] }).chart))
      .spec.strategy.canary.trafficRouting.plugins[GATEWAY_API_PLUGIN];
    expect(plugin(TrafficRouting.gatewayApi({ httpRoute: 'web' }))).toEqual({ httpRoute: 'web', disableInProgressLabel: true });
    expect(plugin(TrafficRouting.gatewayApi({ httpRoute: 'web', disableInProgressLabel: false })))
      .toEqual({ httpRoute: 'web', disableInProgressLabel: false });
    expect(() => build({ trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'web', inProgressLabelKey: 'canary' }) })).toThrow(
      'test/web: trafficRouting.gatewayApi.inProgressLabelKey is "canary" with the in-progress label disabled (disableInProgressLabel defaults to true); '
      + 'expected no label key or value while the label is off. Fix: set disableInProgressLabel: false to have the plugin stamp the label, '
      + 'or remove inProgressLabelKey');
  });
});

describe('the routes\' namespace', () => {
  // fuzz finding (seed 1614458036): a namespace that is not a DNS-1123 label synthesized, and the created HTTPRoute
  // carried it — the API server rejects the route, and the plugin looks the routes up in a namespace that cannot exist
  const rollout = (namespace: string, create: boolean) => () => new CanaryRollout(Testing.chart(), 'web', {
    metadata: { name: 'web', namespace: 'shop' },
    workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
    trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'web', namespace, ...(create ? { createHttpRoute: { parentRefs: [{ name: 'shop' }] } } : {}) }),
    steps: [CanaryStep.setWeight(10)],
  });

  test.each([
    ['{{ args.service-name }}', true],
    ['{{ args.service-name }}', false],
    ['Shop', false],
    ['', true],
    ['a'.repeat(64), false],
  ])('namespace %j (creating the route: %s) is refused', (namespace, create) => {
    expect(rollout(namespace, create)).toThrow(ValidationError);
    expect(rollout(namespace, create)).toThrow(`trafficRouting.gatewayApi.namespace is ${JSON.stringify(namespace)}; expected the namespace of the routes, a DNS-1123 label`);
  });

  test('a created route\'s parentRefs are checked as the Gateway API CRD checks them (the API server refused the route)', () => {
    const withParent = (ref: any) => () => new CanaryRollout(Testing.chart(), 'web', {
      metadata: { name: 'web', namespace: 'shop' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'web', createHttpRoute: { parentRefs: [ref] } }),
      steps: [CanaryStep.setWeight(10)],
    });
    for (const bad of [{ name: 'public', namespace: 'Bad NS' }, { name: 'public', sectionName: 'x y' }, { name: '' }, { namespace: 'gateways' }]) {
      expect(withParent(bad)).toThrow(ValidationError);
    }
    expect(withParent({ name: 'public', namespace: 'Bad NS' }))
      .toThrow('web: trafficRouting.gatewayApi.createHttpRoute.parentRefs[0].namespace is "Bad NS"; expected the Gateway\'s namespace, a DNS-1123 label');
    expect(withParent({ name: 'public', sectionName: 'x y' }))
      .toThrow('web: trafficRouting.gatewayApi.createHttpRoute.parentRefs[0].sectionName is "x y"; expected a listener name, a DNS-1123 subdomain');
    expect(withParent({ name: '' })).toThrow('web: trafficRouting.gatewayApi.createHttpRoute.parentRefs[0].name is ""; expected the Gateway\'s name (1 to 253 characters)');
    // a plain-JS caller leaving the name out gets the same error, not a TypeError
    expect(withParent({ namespace: 'gateways' })).toThrow('TrafficRouting.gatewayApi: createHttpRoute.parentRefs[0].name is missing; expected a string');
    expect(withParent({ name: 'public', namespace: 'gateways', sectionName: 'https.web' })).not.toThrow();
    // an empty namespace or sectionName is left out of the route, as before
    const chart = Testing.chart();
    new CanaryRollout(chart, 'web', {
      metadata: { name: 'web', namespace: 'shop' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'web', createHttpRoute: { parentRefs: [{ name: 'gw', namespace: '', sectionName: '' }] } }),
      steps: [CanaryStep.setWeight(10)],
    });
    expect(Testing.synth(chart).find(o => o.kind === 'HTTPRoute').spec.parentRefs).toEqual([{ name: 'gw' }]);
  });

  test('a valid namespace is rendered into the plugin config and the created route', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'web', {
      metadata: { name: 'web', namespace: 'shop' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'web', namespace: 'edge', createHttpRoute: { parentRefs: [{ name: 'shop' }] } }),
      steps: [CanaryStep.setWeight(10)],
    });
    const objs = Testing.synth(chart);
    expect(rolloutOf(objs).spec.strategy.canary.trafficRouting.plugins[GATEWAY_API_PLUGIN].namespace).toBe('edge');
    expect(objs.find(o => o.kind === 'HTTPRoute').metadata.namespace).toBe('edge');
  });
});

describe('metadata of the created HTTPRoute', () => {
  test('labels and annotations go to the HTTPRoute; name and namespace come from the router', () => {
    const { chart } = build({
      trafficRouting: TrafficRouting.gatewayApi({
        httpRoute: 'web-route', namespace: 'edge', createHttpRoute: { parentRefs: [{ name: 'gw' }], metadata: { labels: { team: 'checkout' } } },
      }),
    });
    const route = Testing.synth(chart).find(o => o.kind === 'HTTPRoute');
    expect(route.metadata).toEqual({ name: 'web-route', namespace: 'edge', labels: { team: 'checkout' } });
    expect(() => build({
      trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'web-route', createHttpRoute: { parentRefs: [{ name: 'gw' }], metadata: { namespace: 'x' } } }),
    })).toThrow('test/web: trafficRouting.gatewayApi.createHttpRoute.metadata.namespace is "x"; expected no namespace: the HTTPRoute is named by '
      + 'httpRoute and lives in namespace (default: the Rollout\'s). Fix: remove metadata.namespace (and metadata.name)');
  });
});
