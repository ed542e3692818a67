import { ApiObject, Testing } from 'cdk8s';
import { build } from './build';
import { CanaryServices, CanaryStep, TrafficRouting, ValidationError } from '../../src';

describe('CanaryRollout wiring', () => {
  test('exposes the Rollout L1 and what it created; the names follow the Rollout name', () => {
    const { r } = build({
      trafficRouting: TrafficRouting.istio({ virtualService: 'web', createVirtualService: { hosts: ['web'] } }),
      steps: [CanaryStep.setWeight(10)],
    });
    expect(r.apiObject).toBeInstanceOf(ApiObject);
    expect(r.apiObject.kind).toBe('Rollout');
    expect(r.name).toBe('web');
    expect([r.stableServiceName, r.canaryServiceName]).toEqual(['web-stable', 'web-canary']);
    expect([r.stableService?.name, r.canaryService?.name]).toEqual(['web-stable', 'web-canary']);
    expect(r.route?.kind).toBe('VirtualService');
    expect(r.destinationRule).toBeUndefined();
    expect(r.selectorLabels).toEqual({ app: 'web' });
    expect(r.podTemplate).toBeDefined();
  });

  test('steps added later are validated with their index, rendered, and returned as a copy', () => {
    const { chart, r } = build({ trafficRouting: TrafficRouting.nginx({ stableIngress: 'web' }), steps: [CanaryStep.setWeight(10)] });
    r.addStep(CanaryStep.pause());
    r.steps.pop();
    expect(r.steps.map(s => s.type)).toEqual(['setWeight', 'pause']);
    expect(Testing.synth(chart).find(o => o.kind === 'Rollout').spec.strategy.canary.steps).toEqual([{ setWeight: 10 }, { pause: {} }]);
    let err: unknown;
    try {
      r.addStep(CanaryStep.setWeight(101));
    } catch (e) {
      err = e;
    }
    expect(ValidationError.isValidationError(err)).toBe(true);
    expect((err as ValidationError).problem.prop).toBe('steps[2].setWeight');
  });

  test('ping-pong Services are named but not created', () => {
    const { chart, r } = build({
      trafficRouting: TrafficRouting.alb({ ingress: 'web', servicePort: 80, rootService: 'web' }),
      services: CanaryServices.pingPong('ping', 'pong'),
      steps: [CanaryStep.setWeight(10)],
    });
    expect([r.pingServiceName, r.pongServiceName, r.stableServiceName, r.stableService]).toEqual(['ping', 'pong', undefined, undefined]);
    const ro = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(ro.spec.strategy.canary.pingPong).toEqual({ pingService: 'ping', pongService: 'pong' });
  });
});
