import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CanaryAntiAffinity, CanaryRollout, CanaryServices, CanaryStep, GATEWAY_API_PLUGIN, RolloutWorkload, StringMatch, TrafficRouting, WorkloadScaleDown,
} from '../../src';

function rolloutOf(objs: any[]): any {
  return objs.find(o => o.kind === 'Rollout');
}

describe('RolloutWorkload.fromPodTemplate (cdk8s-plus containers)', () => {
  test('keeps int-or-string values (probe ports) that the generated Rollout mappers would drop', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      metadata: { name: 'web' },
      workload: RolloutWorkload.fromPodTemplate({
        containers: [{
          name: 'app',
          image: 'ghcr.io/my-org/web:1.0.0',
          portNumber: 8080,
          readiness: kplus.Probe.fromTcpSocket({ port: 8080 }),
          liveness: kplus.Probe.fromHttpGet('/healthz', { port: 9090 }),
        }],
      }),
      trafficRouting: TrafficRouting.nginx({ stableIngress: 'web' }),
      steps: [CanaryStep.setWeight(10)],
    });
    const ro = rolloutOf(Testing.synth(chart));
    const c = ro.spec.template.spec.containers[0];
    expect(c.readinessProbe.tcpSocket.port).toBe(8080);
    expect(c.livenessProbe.httpGet).toEqual(expect.objectContaining({ path: '/healthz', port: 9090 }));
    expect(c.ports).toEqual([{ containerPort: 8080 }]);
    // the selector is { app: <rollout name> } by default, on the pods and on both Services
    expect(ro.spec.selector.matchLabels).toEqual({ app: 'web' });
    expect(ro.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(r.selectorLabels).toEqual({ app: 'web' });
    expect(r.canaryService?.name).toBe('web-canary');
  });

  test('renders lazily: steps, env and containers added after construction land in the Rollout', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      metadata: { name: 'web' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 80 }], selectorLabels: { 'app.kubernetes.io/name': 'web' } }),
      steps: [CanaryStep.pause(Duration.seconds(30))],
    });
    r.addStep(CanaryStep.pause());
    r.podTemplate!.containers[0].env.addVariable('FEATURE', kplus.EnvValue.fromValue('on'));
    r.podTemplate!.addContainer({ name: 'sidecar', image: 'sidecar:1', portNumber: 9000 });
    const ro = rolloutOf(Testing.synth(chart));
    expect(ro.spec.template.spec.containers[0].env).toEqual([{ name: 'FEATURE', value: 'on' }]);
    expect(ro.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main', 'sidecar']);
    expect(ro.spec.strategy.canary.steps).toEqual([{ pause: { duration: '30s' } }, { pause: {} }]);
    expect(ro.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web' });
    // no router and no setWeight: no Services are needed or created
    expect(Testing.synth(chart).filter(o => o.kind === 'Service')).toEqual([]);
  });

  test('fails on pod labels that contradict the selector', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }], selectorLabels: { app: 'web' }, podMetadata: { labels: { app: 'other' } } }),
    });
    expect(() => Testing.synth(chart)).toThrow('workload.podMetadata.labels["app"] is "other"; expected the selector label value "web"');
  });
});

describe('RolloutWorkload.fromDeployment (workloadRef)', () => {
  test('renders the scale-down mode and no template', () => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'dep', { replicas: 3, containers: [{ image: 'img', portNumber: 80 }] });
    const r = new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromDeployment(dep, { scaleDown: WorkloadScaleDown.PROGRESSIVELY }),
      trafficRouting: TrafficRouting.smi(),
      steps: [CanaryStep.setWeight(10)],
    });
    const ro = rolloutOf(Testing.synth(chart));
    expect(ro.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.name, scaleDown: 'progressively' });
    expect(ro.spec.template).toBeUndefined();
    expect(r.warnings).toEqual([]);
  });

  test('warns when the Deployment keeps running pods next to the Rollout', () => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'dep', { containers: [{ image: 'img', portNumber: 80 }] });
    const r = new CanaryRollout(chart, 'web', { workload: RolloutWorkload.fromDeployment(dep) });
    expect(r.warnings).toEqual([
      `workload: Deployment "${dep.name}" runs 2 replicas next to the Rollout, so both run pods. Set the Deployment's replicas to 0 or pass scaleDown (WorkloadScaleDown.PROGRESSIVELY) to RolloutWorkload.fromDeployment`,
    ]);
  });
});

describe('traffic routers', () => {
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
      'argoproj-labs/gatewayAPI': { httpRoutes: [{ name: 'a', useHeaderRoutes: true }, { name: 'b' }], grpcRoute: 'g', namespace: 'edge' },
    });
    expect(objs.filter(o => o.kind === 'HTTPRoute' || o.kind === 'Service')).toEqual([]);
  });

  test('Gateway API in-progress label and the useHeaderRoutes warning', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.gatewayApi({ httpRoutes: [{ name: 'a' }], inProgressLabelKey: 'rollout', inProgressLabelValue: 'running' }),
      steps: [
        CanaryStep.setCanaryScale({ replicas: 1 }),
        CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: StringMatch.exact('1') }] }),
      ],
    });
    expect(rolloutOf(Testing.synth(chart)).spec.strategy.canary.trafficRouting.plugins[GATEWAY_API_PLUGIN]).toEqual({
      httpRoutes: [{ name: 'a' }], inProgressLabelKey: 'rollout', inProgressLabelValue: 'running',
    });
    expect(r.warnings).toEqual([
      'setHeaderRoute steps with trafficRouting.gatewayApi.httpRoutes, but no route has useHeaderRoutes: true: the plugin adds header routes only to routes marked so',
    ]);
  });

  test('NGINX options and ALB options render as the controller expects', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'n', {
      metadata: { name: 'n' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.nginx({
        stableIngresses: ['a', 'b'],
        annotationPrefix: 'custom.nginx.org',
        additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' },
        canaryIngressAnnotations: { 'my-org/owner': 'shop' },
      }),
      steps: [CanaryStep.setWeight(10)],
    });
    new CanaryRollout(chart, 'a', {
      metadata: { name: 'a' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.alb({ ingresses: ['x'], servicePort: 443, annotationPrefix: 'custom.alb', stickiness: Duration.hours(1) }),
      steps: [CanaryStep.setWeight(10)],
    });
    const objs = Testing.synth(chart);
    const n = objs.find(o => o.kind === 'Rollout' && o.metadata.name === 'n');
    const a = objs.find(o => o.kind === 'Rollout' && o.metadata.name === 'a');
    expect(n.spec.strategy.canary.trafficRouting).toEqual({
      nginx: {
        stableIngresses: ['a', 'b'],
        annotationPrefix: 'custom.nginx.org',
        additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' },
        canaryIngressAnnotations: { 'my-org/owner': 'shop' },
      },
    });
    expect(a.spec.strategy.canary.trafficRouting).toEqual({
      alb: { ingresses: ['x'], servicePort: 443, annotationPrefix: 'custom.alb', stickinessConfig: { enabled: true, durationSeconds: 3600 } },
    });
  });

  test('Istio with several VirtualServices, TLS and TCP routes', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'i', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.istio({
        virtualServices: [
          { name: 'internal', routes: ['http'], tcpRoutePorts: [5432] },
          { name: 'public.edge', tlsRoutes: [{ port: 443, sniHosts: ['web.example.com'] }] },
        ],
      }),
      steps: [CanaryStep.setWeight(10)],
    });
    expect(rolloutOf(Testing.synth(chart)).spec.strategy.canary.trafficRouting).toEqual({
      istio: {
        virtualServices: [
          { name: 'internal', routes: ['http'], tcpRoutes: [{ port: 5432 }] },
          { name: 'public.edge', tlsRoutes: [{ port: 443, sniHosts: ['web.example.com'] }] },
        ],
      },
    });
    expect(() => new CanaryRollout(Testing.chart(), 'x', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs', tcpRoutePorts: [0] }),
    })).toThrow('trafficRouting.istio is route port 0; expected ports 1..65535');
  });

  test('the jsii names of the steps equal the TypeScript setXxx aliases', () => {
    const m = [{ headerName: 'x', headerValue: StringMatch.regex('^a') }];
    expect(CanaryStep.trafficWeight(5)._toKube()).toEqual(CanaryStep.setWeight(5)._toKube());
    expect(CanaryStep.canaryScale({ weight: 5 })._toKube()).toEqual(CanaryStep.setCanaryScale({ weight: 5 })._toKube());
    expect(CanaryStep.headerRoute({ name: 'h', match: m })._toKube()).toEqual({ setHeaderRoute: { name: 'h', match: [{ headerName: 'x', headerValue: { regex: '^a' } }] } });
    expect(CanaryStep.mirrorRoute({ name: 'm' })._toKube()).toEqual(CanaryStep.setMirrorRoute({ name: 'm' })._toKube());
  });
});

describe('canary options', () => {
  test('render with the controller field names and units', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'web', {
      metadata: { name: 'web' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      replicas: 10,
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs' }),
      steps: [CanaryStep.setWeight(10), CanaryStep.setCanaryScale({ matchTrafficWeight: true })],
      dynamicStableScale: true,
      abortScaleDownDelay: Duration.seconds(0),
      minPodsPerReplicaSet: 2,
      antiAffinity: CanaryAntiAffinity.preferred(50),
      canaryMetadata: { labels: { role: 'canary' } },
      stableMetadata: { annotations: { role: 'stable' } },
      progressDeadline: Duration.minutes(15),
      progressDeadlineAbort: true,
      minReady: Duration.seconds(10),
      revisionHistoryLimit: 3,
    });
    const ro = rolloutOf(Testing.synth(chart));
    expect(ro.spec).toEqual(expect.objectContaining({
      replicas: 10,
      minReadySeconds: 10,
      revisionHistoryLimit: 3,
      progressDeadlineSeconds: 900,
      progressDeadlineAbort: true,
    }));
    const c = ro.spec.strategy.canary;
    expect(c).toEqual(expect.objectContaining({
      dynamicStableScale: true,
      abortScaleDownDelaySeconds: 0,
      minPodsPerReplicaSet: 2,
      antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } },
      canaryMetadata: { labels: { role: 'canary' } },
      stableMetadata: { annotations: { role: 'stable' } },
    }));
    expect(c.steps[1]).toEqual({ setCanaryScale: { matchTrafficWeight: true } });
  });

  test('required anti-affinity, scaleDownDelay and percentage maxSurge', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs' }),
      antiAffinity: CanaryAntiAffinity.required(),
      scaleDownDelay: Duration.minutes(1),
      maxSurge: kplus.PercentOrAbsolute.percent(50),
    });
    const c = rolloutOf(Testing.synth(chart)).spec.strategy.canary;
    expect(c.antiAffinity).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: {} });
    expect(c.scaleDownDelaySeconds).toBe(60);
    expect(c.maxSurge).toBe('50%');
    expect(c.steps).toBeUndefined();
  });
});
