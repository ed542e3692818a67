import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { build, synthError } from './build';
import { seedSuccessRateOpenEnded, successRate, TestTemplate } from './templates';
import {
  CanaryAntiAffinity, CanaryRollout, CanaryServices, CanaryStep, RolloutWorkload, StringMatch, TrafficRouting,
} from '../../src';

const istio = TrafficRouting.istio({ virtualService: 'vs' });
const nginx = TrafficRouting.nginx({ stableIngress: 'web' });
const alb = TrafficRouting.alb({ ingress: 'web', servicePort: 80 });
const smi = TrafficRouting.smi();
const gw = TrafficRouting.gatewayApi({ httpRoute: 'web' });
const approx = TrafficRouting.replicaCountApproximation();

describe('single-prop rules (thrown in the constructor / addStep, with construct path and index)', () => {
  test.each([
    [150, 'test/web: steps[1].setWeight is 150; expected an integer 0..100 (controller: SetWeight needs to be between 0 and 100). Fix: use a whole percentage between 0 and 100'],
    [-1, 'steps[1].setWeight is -1; expected an integer 0..100'],
    [12.5, 'steps[1].setWeight is 12.5; expected an integer 0..100'],
  ])('C25 setWeight %p out of 0..100', (w, msg) => {
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setWeight(5), CanaryStep.setWeight(w)] })).toThrow(msg);
  });

  test('C25 with maxTrafficWeight the range is 0..maxTrafficWeight', () => {
    expect(() => build({ trafficRouting: nginx, maxTrafficWeight: 1000, steps: [CanaryStep.setWeight(1001)] }))
      .toThrow('steps[0].setWeight is 1001; expected an integer 0..1000 (maxTrafficWeight) (controller: SetWeight needs to be between 0 and 1000)');
    const { chart } = build({ trafficRouting: nginx, maxTrafficWeight: 1000, steps: [CanaryStep.setWeight(5), CanaryStep.setWeight(150)] });
    const ro = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(ro.spec.strategy.canary.trafficRouting.maxTrafficWeight).toBe(1000);
    expect(ro.spec.strategy.canary.steps).toEqual([{ setWeight: 5 }, { setWeight: 150 }]);
  });

  test('addStep validates with the next index', () => {
    const { r } = build({ trafficRouting: istio, steps: [CanaryStep.setWeight(5)] });
    expect(() => r.addStep(CanaryStep.setWeight(101))).toThrow('test/web: steps[1].setWeight is 101');
  });

  test('C26 pause duration must be whole seconds (the controller truncates)', () => {
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.pause(Duration.millis(1500))] }))
      .toThrow('steps[0].pause.duration is 1500ms; expected a whole number of seconds (the controller truncates to seconds). Fix: use Duration.seconds/minutes/hours with whole values');
    // a fractional millisecond count gets the same message, not a raw Duration error
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.pause(Duration.millis(1.5))] }))
      .toThrow('steps[0].pause.duration is 1.5ms; expected a whole number of seconds');
  });

  test('setCanaryScale needs exactly one of weight, replicas, matchTrafficWeight', () => {
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setCanaryScale({ weight: 10, replicas: 2 })] }))
      .toThrow('steps[0].setCanaryScale is setting weight and replicas; expected exactly one of weight, replicas or matchTrafficWeight: true (replicas would silently win over weight). Fix: keep one of them');
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setCanaryScale({})] })).toThrow('steps[0].setCanaryScale is empty');
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setCanaryScale({ weight: 120 })] }))
      .toThrow('steps[0].setCanaryScale.weight is 120; expected an integer percentage 0..100');
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setCanaryScale({ replicas: -1 })] }))
      .toThrow('steps[0].setCanaryScale.replicas is -1; expected a non-negative integer');
  });

  test('C30/C32 header and mirror matches need a value; names and percentages are checked', () => {
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: undefined as any }] })] }))
      .toThrow('steps[0].setHeaderRoute.match[0].headerValue is missing; expected a StringMatch (controller: StringMatch value missed, match value must have one of the following: exact, regex, prefix)');
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: StringMatch.exact('') }] })] }))
      .toThrow('steps[0].setHeaderRoute.match[0].headerValue.exact is ""; expected a non-empty value to match');
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setHeaderRoute({ name: '', match: [] })] }))
      .toThrow('steps[0].setHeaderRoute.name is ""; expected a managed route name');
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setMirrorRoute({ name: 'm', percentage: 150 })] }))
      .toThrow('steps[0].setMirrorRoute.percentage is 150; expected an integer 0..100');
    expect(() => build({ trafficRouting: istio, steps: [CanaryStep.setMirrorRoute({ name: 'm', match: [{ path: StringMatch.prefix('') }] })] }))
      .toThrow('steps[0].setMirrorRoute.match[0].path.prefix is ""');
  });

  test('C11 maxSurge and maxUnavailable cannot both be zero', () => {
    expect(() => build({ maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.percent(0) }))
      .toThrow('test/web: maxSurge is 0 with maxUnavailable "0%"; expected at least one of them above zero (controller: MaxSurge and MaxUnavailable both can not be zero). Fix: allow one surge pod (PercentOrAbsolute.absolute(1)) or one unavailable pod');
    expect(() => build({ maxSurge: kplus.PercentOrAbsolute.percent(150) })).toThrow('maxSurge is "150%"; expected a non-negative integer or a percentage 0..100');
  });

  test('C39 antiAffinity weight 1..100', () => {
    expect(() => build({ antiAffinity: CanaryAntiAffinity.preferred(0) }))
      .toThrow('antiAffinity.weight is 0; expected an integer 1..100 (controller: AntiAffinity weight must be between 1-100)');
  });

  test('S8 progressDeadline must exceed minReady; S1 replicas non-negative', () => {
    expect(() => build({ progressDeadline: Duration.seconds(30), minReady: Duration.seconds(30) }))
      .toThrow('progressDeadline is 30s with minReady 30s; expected more than minReady (controller: progressDeadlineSeconds must be greater than minReadySeconds)');
    expect(() => build({ minReady: Duration.minutes(11) })).toThrow('progressDeadline is 600s with minReady 660s');
    expect(() => build({ replicas: -1 })).toThrow('test/web: replicas is -1; expected a non-negative integer');
  });

  test('C12 stable and canary Services must differ; names are DNS-1123 labels', () => {
    expect(() => build({ trafficRouting: istio, services: CanaryServices.fromNames('web', 'web') }))
      .toThrow('services is stable and canary both "web"; expected two different Services (controller: This rollout uses the same service for the stable and canary services, but two different services are required.)');
    expect(() => build({ trafficRouting: istio, services: CanaryServices.create({ stableName: 'Web_Stable' }) }))
      .toThrow('services.stableName is "Web_Stable"; expected a Service name: a DNS-1123 label');
  });

  test('R15/R12/R13 router shape: istio, nginx and alb xor rules; Gateway API needs a route', () => {
    expect(() => build({ trafficRouting: TrafficRouting.istio({}) }))
      .toThrow('trafficRouting.istio is neither virtualService nor virtualServices; expected exactly one of them (controller: either VirtualService or VirtualServices must be configured)');
    expect(() => build({ trafficRouting: TrafficRouting.istio({ virtualService: 'a', virtualServices: [{ name: 'b' }] }) }))
      .toThrow('trafficRouting.istio is both virtualService and virtualServices');
    expect(() => build({ trafficRouting: TrafficRouting.nginx({ stableIngress: 'a', stableIngresses: ['b'] }) }))
      .toThrow('trafficRouting.nginx is both stableIngress and stableIngresses; expected exactly one of them (controller: Either StableIngress or StableIngresses must be configured. Both are configured.)');
    expect(() => build({ trafficRouting: TrafficRouting.nginx({}) }))
      .toThrow('(controller: Either StableIngress or StableIngresses must be configured. Neither are configured.)');
    expect(() => build({ trafficRouting: TrafficRouting.alb({ servicePort: 80 }) }))
      .toThrow('trafficRouting.alb is neither ingress nor ingresses; expected exactly one of them (controller: Either Ingress or Ingresses must be configured. Neither are configured.)');
    expect(() => build({ trafficRouting: TrafficRouting.alb({ ingress: 'a', servicePort: 0 }) })).toThrow('trafficRouting.alb.servicePort is 0; expected a port 1..65535');
    expect(() => build({ trafficRouting: TrafficRouting.gatewayApi({}) }))
      .toThrow('trafficRouting.gatewayApi is no route; expected at least one route (plugin: No routes configured.');
    expect(() => build({ trafficRouting: TrafficRouting.istio({ virtualService: 'a', destinationRule: { name: 'dr', canarySubsetName: 's', stableSubsetName: 's' } }) }))
      .toThrow('trafficRouting.istio.destinationRule is canarySubsetName and stableSubsetName both "s"; expected two different subsets');
  });

  test.each([
    [TrafficRouting.istio({ virtualServices: [{ name: 'a' }], routes: ['primary'] }),
      'trafficRouting.istio.routes is ["primary"]; expected routes only together with virtualService. Fix: put the routes into each virtualServices[] entry'],
    [TrafficRouting.istio({ virtualServices: [] }), 'trafficRouting.istio.virtualServices is empty; expected at least one VirtualService'],
    [TrafficRouting.istio({ virtualService: ' ' }), 'trafficRouting.istio.virtualService is " "; expected a VirtualService name'],
    [TrafficRouting.istio({ virtualService: 'a', routes: [''] }), 'trafficRouting.istio.routes is ""; expected HTTP route names'],
    [TrafficRouting.nginx({ stableIngresses: [] }), 'trafficRouting.nginx.stableIngresses is empty; expected at least one Ingress'],
    [TrafficRouting.alb({ ingresses: [], servicePort: 80 }), 'trafficRouting.alb.ingresses is empty; expected at least one Ingress'],
    [TrafficRouting.alb({ ingress: 'a', servicePort: 80, stickiness: Duration.days(8) }),
      'trafficRouting.alb.stickiness is 691200000ms; expected whole seconds between 1 second and 7 days (the ALB target-group limit)'],
    [TrafficRouting.gatewayApi({ httpRoute: 'a', httpRoutes: [{ name: 'b' }] }), 'trafficRouting.gatewayApi is both httpRoute and httpRoutes; expected one of them'],
    [TrafficRouting.gatewayApi({ httpRoute: 'a', createHttpRoute: { parentRefs: [] } }), 'trafficRouting.gatewayApi.createHttpRoute.parentRefs is empty; expected at least one Gateway'],
    [TrafficRouting.gatewayApi({ httpRoute: 'a', createHttpRoute: { parentRefs: [{ name: 'gw' }], port: 70000 } }),
      'trafficRouting.gatewayApi.createHttpRoute.port is 70000; expected a port 1..65535'],
    [TrafficRouting.gatewayApi({ httpRoute: 'a', createHttpRoute: { parentRefs: [{ name: 'gw' }], pathPrefix: 'api' } }),
      'trafficRouting.gatewayApi.createHttpRoute.pathPrefix is "api"; expected a path starting with "/"'],
    [TrafficRouting.smi({ rootService: '' }), 'trafficRouting.smi.rootService is ""; expected a Service name'],
  ])('router option shapes %#', (tr, msg) => {
    expect(() => build({ trafficRouting: tr })).toThrow(msg);
  });

  test('a created HTTPRoute needs a port when the Services are existing ones (never the container port)', () => {
    const existingMsg = 'trafficRouting.gatewayApi.createHttpRoute.port is missing with existing Services (CanaryServices.fromNames); '
      + 'expected the Service port of the backendRefs: the construct does not know the port the existing Services expose '
      + '(the container port is not the Service port). Fix: set createHttpRoute.port';
    expect(() => build({
      services: CanaryServices.fromNames('s', 'c'),
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }] }),
      trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'a', createHttpRoute: { parentRefs: [{ name: 'gw' }] } }),
    })).toThrow(existingMsg);
    // the container exposes 8080 (build's default workload): still required, the container port is not used
    expect(() => build({
      services: CanaryServices.fromNames('s', 'c'),
      trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'a', createHttpRoute: { parentRefs: [{ name: 'gw' }] } }),
    })).toThrow(existingMsg);
    // with the port given, the backendRefs use it
    const { chart } = build({
      services: CanaryServices.fromNames('s', 'c'),
      trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'a', createHttpRoute: { parentRefs: [{ name: 'gw' }], port: 80 } }),
    });
    const route = Testing.synth(chart).find(o => o.kind === 'HTTPRoute');
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 's', port: 80, weight: 100 }, { name: 'c', port: 80, weight: 0 }]);
    // created Services without a port anywhere: the plain message
    expect(() => build({
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }] }),
      services: CanaryServices.create({ port: 80 }),
      trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'a', createHttpRoute: { parentRefs: [{ name: 'gw' }] } }),
    })).not.toThrow();
  });

  test('created routes need what they render', () => {
    expect(() => build({ trafficRouting: TrafficRouting.istio({ virtualServices: [{ name: 'a' }], createVirtualService: { hosts: ['a'] } }) }))
      .toThrow('trafficRouting.istio.createVirtualService is set with virtualServices; expected a single virtualService name to create');
    expect(() => build({ trafficRouting: TrafficRouting.istio({ virtualService: 'a', destinationRule: { name: 'dr' }, createVirtualService: { hosts: ['a'] } }) }))
      .toThrow('trafficRouting.istio.createVirtualService.subsetHost is missing; expected the Service host of the subsets when routing by destinationRule');
    expect(() => build({ trafficRouting: TrafficRouting.gatewayApi({ httpRoutes: [{ name: 'a' }], createHttpRoute: { parentRefs: [{ name: 'gw' }] } }) }))
      .toThrow('trafficRouting.gatewayApi.createHttpRoute is set without httpRoute; expected the name of the HTTPRoute to create in httpRoute');
    expect(() => build({
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }] }),
      trafficRouting: istio,
    })).toThrow('services.port is missing; expected a Service port (the workload\'s containers expose none). Fix: pass CanaryServices.create({ port }) or give the container a portNumber');
  });

  test('background analysis startingStep is a step index', () => {
    expect(() => build({ trafficRouting: istio, backgroundAnalysis: { templates: [], startingStep: 0 } }))
      .toThrow('backgroundAnalysis.templates is empty; expected at least one analysis template');
    const t = { templateName: 't', clusterScope: false, declaredArgs: [], requiredArgs: [], metricNames: ['m'], queriedSeries: [] };
    expect(() => build({ trafficRouting: istio, backgroundAnalysis: { templates: [t], startingStep: -1 } }))
      .toThrow('backgroundAnalysis.startingStep is -1; expected a step index (integer ≥ 0)');
  });

  test('the Rollout name is a DNS-1123 subdomain', () => {
    expect(() => build({ metadata: { name: 'Web' } })).toThrow('test/web: metadata.name is "Web"; expected a DNS-1123 subdomain');
  });
});

describe('cross-object rules (checked at synth, after every addStep)', () => {
  test('seed pitfall: setWeight without a traffic router is an error unless the approximation is chosen explicitly', () => {
    expect(synthError({ steps: [CanaryStep.setWeight(10), CanaryStep.pause()] })).toContain(
      '[test/web] steps[0].setWeight is 10 with no traffic router; expected a traffic router: without one, setWeight only sets the ratio of '
      + 'canary to stable pods and traffic is only roughly proportional to pod counts. Fix: set trafficRouting to '
      + 'TrafficRouting.istio/nginx/gatewayApi/smi/alb(...), or accept the pod-ratio approximation explicitly with TrafficRouting.replicaCountApproximation()');
    expect(synthError({ trafficRouting: approx, replicas: 10, steps: [CanaryStep.setWeight(10), CanaryStep.pause()] })).toBe('');
    // a canary without setWeight (pauses/analysis only) needs no router
    expect(synthError({ steps: [CanaryStep.pause(Duration.seconds(30))] })).toBe('');
  });

  test('the pitfall also catches a setWeight added after construction', () => {
    const { chart, r } = build({});
    r.addStep(CanaryStep.setWeight(50));
    expect(() => Testing.synth(chart)).toThrow('steps[0].setWeight is 50 with no traffic router');
  });

  test.each([[undefined], [approx]])('C27 setCanaryScale requires a traffic router (%#)', (tr) => {
    expect(synthError({ trafficRouting: tr, steps: [CanaryStep.setCanaryScale({ replicas: 1 })] })).toContain(
      'steps[0].setCanaryScale is used with no traffic router; expected a traffic router (controller: SetCanaryScale requires TrafficRouting to be set)');
  });

  test.each([
    ['nginx', nginx], ['smi', smi], ['replicaCount', approx],
  ])('C28 setHeaderRoute needs Istio, ALB or the Gateway API plugin (%s)', (name, tr) => {
    expect(synthError({ trafficRouting: tr, steps: [CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: StringMatch.exact('1') }] })] }))
      .toContain(`steps[0].setHeaderRoute is used with traffic router "${name}"; expected Istio, ALB or the Gateway API plugin (controller: SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix)`);
  });

  test('C28 is accepted with istio, alb and gatewayApi', () => {
    for (const tr of [istio, alb, gw]) {
      expect(synthError({ trafficRouting: tr, steps: [CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: StringMatch.exact('1') }] })] })).toBe('');
    }
  });

  test('C29 ALB header routes match exact values only', () => {
    expect(synthError({ trafficRouting: alb, steps: [CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: StringMatch.prefix('be') }] })] }))
      .toContain('steps[0].setHeaderRoute.match[0].headerValue is StringMatch.prefix("be"); expected StringMatch.exact (controller: SetHeaderRoute match value invalid. ALB supports \'exact\' value only)');
  });

  test.each([['alb', alb], ['gatewayApi', gw], ['nginx', nginx]])('C31 setMirrorRoute is Istio only (%s)', (name, tr) => {
    expect(synthError({ trafficRouting: tr, steps: [CanaryStep.setMirrorRoute({ name: 'm', match: [{ method: StringMatch.exact('POST') }] })] }))
      .toContain(`steps[0].setMirrorRoute is used with traffic router "${name}"; expected Istio (controller: SetMirrorRoute requires TrafficRouting, supports Istio only)`);
  });

  test('C33/C34 explicit managedRoutes must list every route a step uses; by default they are derived in order', () => {
    const steps = [
      CanaryStep.setHeaderRoute({ name: 'header', match: [{ headerName: 'x', headerValue: StringMatch.exact('1') }] }),
      CanaryStep.setMirrorRoute({ name: 'mirror' }),
      CanaryStep.setHeaderRoute({ name: 'header' }),
    ];
    expect(synthError({ trafficRouting: istio, managedRoutes: ['header'], steps })).toContain(
      'steps[1].setMirrorRoute.name is "mirror"; expected one of managedRoutes ["header"] (controller: Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes). Fix: add "mirror" to managedRoutes');
    expect(synthError({ trafficRouting: istio, managedRoutes: [], steps })).toContain(
      'managedRoutes is empty; expected the route of steps[0] (controller: Rollout has missing field \'spec.strategy.canary.trafficRouting.managedRoutes\')');
    const { chart } = build({ trafficRouting: istio, steps });
    const ro = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(ro.spec.strategy.canary.trafficRouting.managedRoutes).toEqual([{ name: 'header' }, { name: 'mirror' }]);
    expect(ro.spec.strategy.canary.steps[2]).toEqual({ setHeaderRoute: { name: 'header' } }); // removes the route
  });

  test('C18 traffic routing needs the stable and canary Services', () => {
    expect(synthError({ trafficRouting: nginx, services: CanaryServices.none() })).toContain(
      'services is CanaryServices.none() with traffic router "nginx"; expected stable and canary Services (controller: Canary service and Stable service must to be set to use Traffic Routing)');
    // the Gateway API plugin needs them too (it locates backendRefs by them), Istio subset routing does not
    expect(synthError({ trafficRouting: gw, services: CanaryServices.none() })).toContain('services is CanaryServices.none() with traffic router "gatewayApi"');
    expect(synthError({ trafficRouting: TrafficRouting.istio({ virtualService: 'vs', destinationRule: { name: 'dr' } }) })).toBe('');
  });

  test('C13-C16 ping-pong Services: ALB (with rootService) or Istio only, two different names', () => {
    const { chart } = build({
      trafficRouting: TrafficRouting.alb({ ingress: 'web', servicePort: 80, rootService: 'web-root' }),
      services: CanaryServices.pingPong('web-ping', 'web-pong'),
      steps: [CanaryStep.setWeight(10)],
    });
    const c = Testing.synth(chart).find(o => o.kind === 'Rollout').spec.strategy.canary;
    expect(c.pingPong).toEqual({ pingService: 'web-ping', pongService: 'web-pong' });
    expect(c.stableService).toBeUndefined();
    expect(c.canaryService).toBeUndefined();
    expect(synthError({ trafficRouting: nginx, services: CanaryServices.pingPong('a', 'b') })).toContain(
      'services is CanaryServices.pingPong() with traffic router "nginx"; expected ALB or Istio (controller: Ping-pong feature works with the ALB and Istio traffic routers only)');
    expect(synthError({ trafficRouting: alb, services: CanaryServices.pingPong('a', 'b') })).toContain(
      'trafficRouting.alb.rootService is missing with CanaryServices.pingPong(); expected the root Service (controller: Root service field is required for the configuration with ALB and ping-pong feature enabled)');
    expect(() => build({ trafficRouting: istio, services: CanaryServices.pingPong('a', 'a') })).toThrow(
      'services is ping and pong both "a"; expected two different Services (controller: This rollout uses the same service for the ping and pong services, but two different services are required.)');
    expect(() => build({ trafficRouting: istio, services: CanaryServices.pingPong('', 'b') })).toThrow(
      'services.pingName is ""; expected a Service name (controller: Ping service and Pong service must to be set to use Ping-Pong feature)');
    expect(synthError({ trafficRouting: istio, services: CanaryServices.pingPong('a', 'b') })).toBe('');
  });

  test('C19/C20/C21 scaleDownDelay and dynamicStableScale', () => {
    expect(synthError({ scaleDownDelay: Duration.seconds(30) })).toContain(
      'scaleDownDelay is set with no traffic router; expected a traffic router (controller: Canary scaleDownDelaySeconds can only be used with traffic routing)');
    expect(synthError({ trafficRouting: approx, dynamicStableScale: true })).toContain(
      'dynamicStableScale is true with no traffic router; expected a traffic router (controller: Canary dynamicStableScale can only be used with traffic routing)');
    expect(synthError({ trafficRouting: istio, dynamicStableScale: true, scaleDownDelay: Duration.seconds(30) })).toContain(
      'dynamicStableScale is true with scaleDownDelay; expected one of them (controller: Canary dynamicStableScale cannot be used with scaleDownDelaySeconds)');
  });

  test('C22 maxTrafficWeight only with NGINX (the Gateway API plugin ignores it)', () => {
    expect(synthError({ trafficRouting: istio, maxTrafficWeight: 1000 })).toContain(
      'maxTrafficWeight is 1000 with traffic router "istio"; expected NGINX (controller: Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins; '
      + 'of the plugins, the Gateway API plugin ignores it). Fix: remove maxTrafficWeight');
    // the plugin computes the stable weight as 100 - setWeight: setWeight 500 of 1000 would give stable -400
    expect(synthError({ trafficRouting: gw, maxTrafficWeight: 1000, steps: [CanaryStep.setWeight(500)] })).toContain(
      'maxTrafficWeight is 1000 with traffic router "gatewayApi"; expected NGINX: the controller accepts maxTrafficWeight with plugins, but the Gateway API plugin '
      + 'ignores it and sets the stable weight to 100 - setWeight, so weights are percentages and a setWeight above 100 gives a negative stable weight. '
      + 'Fix: remove maxTrafficWeight and use setWeight percentages 0..100');
    expect(synthError({ trafficRouting: nginx, maxTrafficWeight: 1000, steps: [CanaryStep.setWeight(500)] })).toBe('');
  });

  test('managedRoutes without a router; startingStep beyond the steps', () => {
    expect(synthError({ managedRoutes: ['h'] })).toContain('managedRoutes is ["h"]; expected a traffic router to manage the routes');
    expect(synthError({
      trafficRouting: istio,
      steps: [CanaryStep.setWeight(10)],
      backgroundAnalysis: { templates: [{ templateName: 't', clusterScope: false, declaredArgs: [], requiredArgs: [], metricNames: ['m'], queriedSeries: [] }], startingStep: 1 },
    })).toContain('backgroundAnalysis.startingStep is 1; expected a step index 0..0 (from a later index the analysis never runs)');
    expect(synthError({
      backgroundAnalysis: { templates: [{ templateName: 't', clusterScope: false, declaredArgs: [], requiredArgs: [], metricNames: ['m'], queriedSeries: [] }], startingStep: 0 },
    })).toContain('backgroundAnalysis.startingStep is 0; expected no startingStep: the canary has no steps');
  });

  test('R3 a canary/stable Service is used by one Rollout only (same namespace)', () => {
    const chart = Testing.chart();
    const workload = () => RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 80 }] });
    new CanaryRollout(chart, 'a', { metadata: { name: 'a' }, workload: workload(), trafficRouting: istio, services: CanaryServices.fromNames('shared', 'a-canary') });
    new CanaryRollout(chart, 'b', { metadata: { name: 'b' }, workload: workload(), trafficRouting: istio, services: CanaryServices.fromNames('shared', 'b-canary') });
    new CanaryRollout(chart, 'c', {
      metadata: { name: 'c', namespace: 'other' }, workload: workload(), trafficRouting: istio, services: CanaryServices.fromNames('shared', 'c-canary'),
    });
    expect(() => Testing.synth(chart)).toThrow(
      '[test/a] services is Service "shared", also used by Rollout "b" (test/b); expected a Service per Rollout (controller: Service "shared" is managed by another Rollout). Fix: give each Rollout its own canary/stable Services');
    expect(() => Testing.synth(chart)).not.toThrow(/Rollout "c"/);
  });

  test('selector labels are valid label keys and values', () => {
    expect(synthError({ workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }], selectorLabels: { app: 'my app' } }) }))
      .toContain('workload.selectorLabels["app"] is "my app"; expected a label value');
  });

  test('a referenced Deployment must select its pods by labels', () => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'dep', { replicas: 0, select: false, containers: [{ image: 'img', portNumber: 80 }] });
    new CanaryRollout(chart, 'web', { workload: RolloutWorkload.fromDeployment(dep), steps: [CanaryStep.pause()] });
    expect(() => Testing.synth(chart)).toThrow(/workload is Deployment "[a-z0-9-]+" without matchLabels; expected a Deployment that selects its pods by labels/);
  });
});

describe('warnings', () => {
  test('are reported on the construct and recorded as metadata at synth', () => {
    const { chart, r } = build({
      trafficRouting: istio,
      maxSurge: kplus.PercentOrAbsolute.absolute(1),
      steps: [CanaryStep.pause(Duration.seconds(10)), CanaryStep.setWeight(10)],
      backgroundAnalysis: { templates: [{ templateName: 't', clusterScope: false, declaredArgs: [], requiredArgs: [], metricNames: ['m'], queriedSeries: [] }] },
    });
    expect(r.warnings).toEqual([
      'maxSurge/maxUnavailable are ignored with a traffic router: the canary is scaled to its weight in one jump (use setCanaryScale steps or dynamicStableScale to limit pod churn)',
      'backgroundAnalysis starts at step 0, before the first setWeight (step 1): it judges a canary without traffic; set startingStep: 1',
    ]);
    Testing.synth(chart);
    expect(r.node.metadata.filter(m => m.type === 'warning').map(m => m.data)).toEqual(r.warnings);
  });

  test('a header or mirror route before the canary has pods', () => {
    const { r } = build({
      trafficRouting: istio,
      steps: [
        CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: StringMatch.exact('1') }] }),
        CanaryStep.setCanaryScale({ replicas: 1 }),
        CanaryStep.setMirrorRoute({ name: 'm', match: [{ path: StringMatch.prefix('/') }] }),
      ],
    });
    expect(r.warnings).toEqual([
      'steps[0].setHeaderRoute sends requests to the canary before any step gives it pods: add CanaryStep.canaryScale({ replicas: 1 }) '
      + '(setCanaryScale in TypeScript), or a CanaryStep.trafficWeight step (setWeight in TypeScript), before it',
    ]);
  });

  test('settings ignored without a router', () => {
    const { r } = build({ abortScaleDownDelay: Duration.seconds(0), minPodsPerReplicaSet: 2 });
    expect(r.warnings).toEqual(['abortScaleDownDelay is ignored without a traffic router', 'minPodsPerReplicaSet is ignored without a traffic router']);
  });
});

describe('R8: a step analysis must end (no metric with interval but no count)', () => {
  const openMsg = 'steps[1].analysis.templates[0] is template "success-rate" with metric(s) ["success-rate"] that run indefinitely '
    + '(interval without count); expected metrics that end, because the step waits for the AnalysisRun to complete '
    + '(controller: AnalysisTemplate success-rate has metric success-rate which runs indefinitely. Invalid value for count: <nil>). '
    + 'Fix: give each metric a count (e.g. count: 5 with interval 1m), or run the template as backgroundAnalysis, where open-ended metrics are allowed';

  test('rejects an open-ended template in a step, names the template index', () => {
    expect(synthError({
      trafficRouting: istio,
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [seedSuccessRateOpenEnded], args: { 'service-name': 'web' } })],
    })).toContain(openMsg);
    // second template of a merged analysis
    const other = new TestTemplate('latency', [], ['p99'], false, [], undefined, ['p99']);
    expect(synthError({
      trafficRouting: istio,
      steps: [CanaryStep.analysis({ templates: [successRate, other], args: { 'service-name': 'web' } })],
    })).toContain('steps[0].analysis.templates[1] is template "latency" with metric(s) ["p99"] that run indefinitely');
  });

  test('allows it in the background analysis, and a template with count (or no interval information) in a step', () => {
    expect(synthError({
      trafficRouting: istio,
      steps: [CanaryStep.setWeight(10), CanaryStep.pause(Duration.minutes(5))],
      backgroundAnalysis: { templates: [seedSuccessRateOpenEnded], args: { 'service-name': 'web' }, startingStep: 0 },
    })).toBe('');
    expect(synthError({
      trafficRouting: istio,
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'web' } })],
    })).toBe('');
    const unknown = new TestTemplate('elsewhere', [], ['m']);
    expect(synthError({ trafficRouting: istio, steps: [CanaryStep.analysis({ templates: [unknown] })] })).toBe('');
  });
});

describe('R3 compares the resolved namespace (chart namespaces included)', () => {
  test('Rollouts "web" in charts with namespaces staging and prod do not share Services', () => {
    const app = new App();
    for (const ns of ['staging', 'prod']) {
      const chart = new Chart(app, ns, { namespace: ns });
      new CanaryRollout(chart, 'web', {
        metadata: { name: 'web' },
        workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
        trafficRouting: istio,
      });
    }
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('a chart namespace and an explicit metadata.namespace that agree still conflict', () => {
    const app = new App();
    const a = new Chart(app, 'a', { namespace: 'prod' });
    const b = new Chart(app, 'b');
    for (const [chart, meta] of [[a, { name: 'web' }], [b, { name: 'web', namespace: 'prod' }]] as const) {
      new CanaryRollout(chart, 'web', {
        metadata: meta,
        workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
        trafficRouting: istio,
      });
    }
    expect(() => app.synthYaml()).toThrow('[a/web] services is Service "web-stable", also used by Rollout "web" (b/web); '
      + 'expected a Service per Rollout (controller: Service "web-stable" is managed by another Rollout)');
  });
});
