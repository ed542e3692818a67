import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { build } from './build';
import { successRate } from './templates';
import { CanaryServices, CanaryStep, RolloutWorkload, StringMatch, TrafficRouting } from '../../src';

/*
 * Inputs that used to crash with a raw error or to emit an object the API server or controller rejects (issue 10):
 * durations that are not whole milliseconds or NaN, ports outside 1..65535, int32 overflows, invalid names and keys.
 * Each is a ValidationError naming the prop.
 */

const nginx = TrafficRouting.nginx({ stableIngress: 'web' });
const WHOLE = 'expected a whole number of seconds (the controller truncates to seconds). Fix: use Duration.seconds/minutes/hours with whole values';

describe('durations', () => {
  test('NaN and fractional milliseconds are ValidationErrors, not raw conversion errors', () => {
    expect(() => build({ minReady: Duration.seconds(NaN) })).toThrow(`test/web: minReady is NaNms; ${WHOLE}`);
    expect(() => build({ progressDeadline: Duration.millis(0.5) })).toThrow(`test/web: progressDeadline is 0.5ms; ${WHOLE}`);
    expect(() => build({ trafficRouting: TrafficRouting.alb({ ingress: 'a', servicePort: 80, stickiness: Duration.millis(1500.5) }) }))
      .toThrow('test/web: trafficRouting.alb.stickiness is 1500.5ms; expected whole seconds between 1 second and 7 days (the ALB target-group limit)');
    expect(() => build({ trafficRouting: TrafficRouting.alb({ ingress: 'a', servicePort: 80, stickiness: Duration.seconds(NaN) }) }))
      .toThrow('test/web: trafficRouting.alb.stickiness is NaNms; expected whole seconds between 1 second and 7 days');
  });

  test('seconds beyond int32 are rejected (the controller stores them as int32)', () => {
    expect(() => build({ trafficRouting: nginx, scaleDownDelay: Duration.days(1e20) }))
      .toThrow('test/web: scaleDownDelay is 8.64e+24s; expected at most 2147483647 seconds (the field is an int32). Fix: use a shorter duration');
    expect(() => build({ trafficRouting: nginx, steps: [CanaryStep.pause(Duration.seconds(2 ** 31))] }))
      .toThrow('test/web: steps[0].pause.duration is 2147483648s; expected at most 2147483647 seconds (the field is an int32)');
  });
});

describe('ports of the created Services', () => {
  test.each([
    [{ port: 70000 }, 'services.port is 70000'],
    [{ port: 0 }, 'services.port is 0'],
    [{ port: NaN }, 'services.port is NaN'],
    [{ port: 80, targetPort: 100.5 }, 'services.targetPort is 100.5'],
  ])('%j', (options, given) => {
    expect(() => build({ trafficRouting: nginx, services: CanaryServices.create(options) }))
      .toThrow(`test/web: ${given}; expected a port 1..65535. Fix: use a whole TCP port number`);
  });

  test('a container port the Service would copy is checked too', () => {
    const workload = RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', ports: [{ number: 70000 }] }] });
    expect(() => build({ workload, trafficRouting: nginx }))
      .toThrow('test/web: services.port is 70000 (the workload\'s first container port); expected a port 1..65535');
  });
});

describe('int32 fields', () => {
  const INT32 = 'expected at most 2147483647 (the field is an int32). Fix: use a smaller number';
  test.each([
    ['replicas', { replicas: 2 ** 31 }],
    ['maxTrafficWeight', { trafficRouting: nginx, maxTrafficWeight: 2 ** 31 }],
    ['revisionHistoryLimit', { revisionHistoryLimit: 2 ** 31 }],
    ['minPodsPerReplicaSet', { trafficRouting: nginx, minPodsPerReplicaSet: 2 ** 31 }],
    ['maxSurge', { maxSurge: kplus.PercentOrAbsolute.absolute(2 ** 31) }],
    ['backgroundAnalysis.startingStep', { backgroundAnalysis: { templates: [successRate], args: { 'service-name': 'web' }, startingStep: 2 ** 31 } }],
    ['steps[0].setCanaryScale.replicas', { trafficRouting: nginx, steps: [CanaryStep.setCanaryScale({ replicas: 2 ** 31 })] }],
  ])('%s', (prop, props) => {
    expect(() => build(props as any)).toThrow(`test/web: ${prop} is 2147483648; ${INT32}`);
  });
});

describe('names, keys and header values', () => {
  test('the Rollout namespace is a DNS-1123 label (it is copied to the Services and routes)', () => {
    expect(() => build({ metadata: { name: 'web', namespace: 'Not A Namespace' } })).toThrow('test/web: metadata.namespace is "Not A Namespace"; '
      + 'expected a DNS-1123 label: at most 63 lowercase alphanumerics or "-", starting and ending with an alphanumeric. Fix: use a namespace name such as "shop"');
  });

  test('metadata with name: undefined gets the generated name, as rollout.name reports', () => {
    const { chart, r } = build({ metadata: { name: undefined } });
    const ro = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(ro.metadata.name).toBe(r.name);
    expect(r.name).toMatch(/^test-web-/);
  });

  test('canary/stable pod metadata and AnalysisRun labels have valid keys and values', () => {
    expect(() => build({ canaryMetadata: { labels: { 'bad key!': 'x' } } }))
      .toThrow('test/web: canaryMetadata.labels is key "bad key!"; expected a label key: a name of at most 63 alphanumerics');
    expect(() => build({ stableMetadata: { labels: { role: 'not valid!' } } }))
      .toThrow('test/web: stableMetadata.labels["role"] is "not valid!"; expected a label value');
    expect(() => build({ stableMetadata: { annotations: { '<<': 'x' } } }))
      .toThrow('test/web: stableMetadata.annotations is key "<<"; expected an annotation key (label-key syntax)');
    expect(() => build({ steps: [CanaryStep.analysis({ templates: [successRate], analysisRunLabels: { 'a b': 'x' } })] }))
      .toThrow('test/web: steps[0].analysis.analysisRunLabels is key "a b"; expected a label key');
    expect(() => build({ backgroundAnalysis: { templates: [successRate], analysisRunAnnotations: { '': 'x' } } }))
      .toThrow('test/web: backgroundAnalysis.analysisRunAnnotations is key ""; expected an annotation key (label-key syntax)');
  });

  test('names of created routes are object names; HTTPRoute hostnames are Gateway API hostnames', () => {
    expect(() => build({ trafficRouting: TrafficRouting.istio({ virtualService: 'under_score', createVirtualService: { hosts: ['web'] } }) }))
      .toThrow('test/web: trafficRouting.istio.virtualService is "under_score"; expected the name of the created VirtualService, '
        + 'a DNS-1123 subdomain: at most 253 lowercase alphanumerics');
    expect(() => build({
      trafficRouting: TrafficRouting.istio({
        virtualService: 'vs', destinationRule: { name: 'Dr' }, createVirtualService: { hosts: ['web'], subsetHost: 'web' },
      }),
    })).toThrow('test/web: trafficRouting.istio.destinationRule.name is "Dr"; expected the name of the created DestinationRule, a DNS-1123 subdomain');
    expect(() => build({ trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'under_score', createHttpRoute: { parentRefs: [{ name: 'gw' }] } }) }))
      .toThrow('test/web: trafficRouting.gatewayApi.httpRoute is "under_score"; expected the name of the created HTTPRoute, a DNS-1123 subdomain');
    expect(() => build({
      trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'web', createHttpRoute: { parentRefs: [{ name: 'gw' }], hostnames: ['Bad Host!'] } }),
    })).toThrow('test/web: trafficRouting.gatewayApi.createHttpRoute.hostnames[0] is "Bad Host!"; expected a hostname: lowercase DNS labels '
      + 'separated by ".", optionally starting with "*." (Gateway API Hostname), without a port');
  });

  test('header values cannot carry CR, LF or NUL', () => {
    expect(() => build({
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs' }),
      steps: [CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: StringMatch.exact('a\r\nX-Injected: 1') }] })],
    })).toThrow('test/web: steps[0].setHeaderRoute.match[0].headerValue.exact is "a\\r\\nX-Injected: 1"; expected a value without CR, LF or NUL '
      + '(they cannot appear in an HTTP header)');
  });
});

describe('callers without TypeScript (plain JavaScript, or jsii languages passing the wrong shape)', () => {
  // the props struct is checked first (src/core/struct-shape.ts): the value, its type, what is expected and how to make one
  test.each([
    ['steps[0]', { steps: [{ setWeight: 10 }] }, '{"setWeight":10} (an object); expected a CanaryStep. Fix: use CanaryStep.setWeight(20)'],
    ['steps', { steps: CanaryStep.pause() }, 'a CanaryStep; expected an array'],
    ['trafficRouting', { trafficRouting: { istio: { virtualService: 'vs' } } }, '{"istio":{"virtualService":"vs"}} (an object); expected a TrafficRouting. Fix: use TrafficRouting.istio('],
    ['services', { services: { stableName: 'a', canaryName: 'b' } }, '{"stableName":"a","canaryName":"b"} (an object); expected a CanaryServices. Fix: use CanaryServices.create()'],
    ['workload', { workload: { containers: [] } }, '{"containers":[]} (an object); expected a RolloutWorkload. Fix: use RolloutWorkload.fromDeployment(deployment)'],
    ['antiAffinity', { antiAffinity: { weight: 50 } }, '{"weight":50} (an object); expected a CanaryAntiAffinity. Fix: use CanaryAntiAffinity.preferred(50)'],
    ['maxSurge', { maxSurge: 1 }, '1 (a number); expected a PercentOrAbsolute. Fix: use PercentOrAbsolute.percent(25)'],
    ['minReady', { minReady: 30 }, '30 (a number); expected a Duration. Fix: use e.g. Duration.seconds(30)'],
    ['managedRoutes[0]', { trafficRouting: nginx, managedRoutes: [7] }, '7 (a number); expected a string'],
  ])('%s', (prop, props, expected) => {
    expect(() => build(props as any)).toThrow(`test/web: ${prop} is ${expected}`);
  });

  test('addStep with a plain object', () => {
    const { r } = build({ trafficRouting: nginx });
    expect(() => r.addStep({ pause: {} } as any)).toThrow('test/web: steps[0] is a plain value {"pause":{}}; expected a CanaryStep made by its factories');
  });
});

describe('router options of the wrong type (callers without TypeScript)', () => {
  // the router factories check their options struct (src/core/struct-shape.ts) when called
  test.each([
    [() => TrafficRouting.istio({ virtualService: 5 as any }), 'TrafficRouting.istio: virtualService is 5 (a number); expected a string'],
    [() => TrafficRouting.istio({ virtualServices: 'vs' as any }), 'TrafficRouting.istio: virtualServices is "vs" (a string); expected an array'],
    [() => TrafficRouting.nginx({ stableIngresses: [1] as any }), 'TrafficRouting.nginx: stableIngresses[0] is 1 (a number); expected a string'],
    [() => TrafficRouting.alb({ ingress: 'a', servicePort: '80' as any }), 'TrafficRouting.alb: servicePort is "80" (a string); expected a number'],
    [() => TrafficRouting.gatewayApi({ httpRoutes: 'r' as any }), 'TrafficRouting.gatewayApi: httpRoutes is "r" (a string); expected an array'],
    [() => TrafficRouting.gatewayApi({ httpRoute: 'r', disableInProgressLabel: 'yes' as any }),
      'TrafficRouting.gatewayApi: disableInProgressLabel is "yes" (a string); expected true or false'],
    [() => TrafficRouting.istio({ virtualServices: [{ name: 'a', routes: 'primary' }] as any }),
      'TrafficRouting.istio: virtualServices[0].routes is "primary" (a string); expected an array'],
    [() => TrafficRouting.smi({ rootService: {} as any }), 'TrafficRouting.smi: rootService is {} (an object); expected a string'],
  ])('%#', (routing, message) => {
    expect(routing).toThrow(message);
  });

  test.each([
    [CanaryServices.fromNames(5 as any, 'c'), 'services.stableName is 5 (a number); expected a string'],
    [CanaryServices.pingPong('ping', ['pong'] as any), 'services.pongName is ["pong"] (a list); expected a string'],
  ])('Services %#', (services, message) => {
    expect(() => build({ trafficRouting: TrafficRouting.alb({ ingress: 'a', servicePort: 80, rootService: 'a' }), services })).toThrow(`test/web: ${message}`);
  });

  test('CanaryServices.create checks its options when called', () => {
    expect(() => CanaryServices.create({ port: '80' as any })).toThrow('CanaryServices.create: port is "80" (a string); expected a number');
  });
});
