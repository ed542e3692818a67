import { ApiObject, Chart, Testing } from 'cdk8s';
import { Node } from 'constructs';
import { build } from './build';
import { CanaryRollout, CanaryServices, CanaryStep, RolloutWorkload, TrafficRouting, ValidationError } from '../../src';

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

describe('shared-Service rule (R3) cost', () => {
  /** Tree walks (`node.findAll`) during one synth of an app with `n` rollouts in one chart. */
  function treeWalks(n: number): number {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    for (let i = 0; i < n; i++) {
      new CanaryRollout(chart, `r${i}`, {
        metadata: { name: `r${i}` },
        workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
        trafficRouting: TrafficRouting.nginx({ stableIngress: `r${i}` }),
        steps: [CanaryStep.setWeight(10)],
      });
    }
    const spy = jest.spyOn(Node.prototype, 'findAll');
    try {
      app.synthYaml();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  test('does not walk the construct tree per rollout: the walks of a synth do not grow with the number of rollouts', () => {
    expect(treeWalks(12)).toBe(treeWalks(1));
  });

  test('still finds a Service shared across charts of one app, and only in the same namespace', () => {
    const app = Testing.app();
    const mk = (chart: Chart, name: string, services: CanaryServices) => new CanaryRollout(chart, name, {
      metadata: { name },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.nginx({ stableIngress: name }),
      services,
    });
    mk(new Chart(app, 'a', { namespace: 'shop' }), 'one', CanaryServices.fromNames('s', 'c1'));
    mk(new Chart(app, 'b', { namespace: 'shop' }), 'two', CanaryServices.fromNames('s', 'c2'));
    mk(new Chart(app, 'c', { namespace: 'other' }), 'three', CanaryServices.fromNames('s', 'c3'));
    let message = '';
    try {
      app.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[a/one] services is Service "s", also used by Rollout "two" (b/two); expected a Service per Rollout '
      + '(controller: Service "s" is managed by another Rollout)');
    expect(message).toContain('[b/two] services is Service "s", also used by Rollout "one" (a/one)');
    expect(message).not.toContain('three');
  });
});
