import { Duration, Testing } from 'cdk8s';
import { CanaryRollout, CanaryServices, CanaryStep, RolloutWorkload, StringMatch, TrafficRouting } from '../../../src';
import { synthError } from '../build';

describe('ALB router', () => {
  test('ALB options render as the controller expects', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'a', {
      metadata: { name: 'a' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.alb({ ingresses: ['x'], servicePort: 443, annotationPrefix: 'custom.alb', stickiness: Duration.hours(1) }),
      steps: [CanaryStep.setWeight(10)],
    });
    const objs = Testing.synth(chart);
    const a = objs.find(o => o.kind === 'Rollout' && o.metadata.name === 'a');
    expect(a.spec.strategy.canary.trafficRouting).toEqual({
      alb: { ingresses: ['x'], servicePort: 443, annotationPrefix: 'custom.alb', stickinessConfig: { enabled: true, durationSeconds: 3600 } },
    });
  });

  test('its own rules: exact header matches only, and a root Service with ping-pong', () => {
    const alb = TrafficRouting.alb({ ingress: 'web', servicePort: 80 });
    expect(alb.provider).toBe('alb');
    const err = synthError({
      trafficRouting: alb,
      services: CanaryServices.pingPong('ping', 'pong'),
      steps: [CanaryStep.setCanaryScale({ replicas: 1 }), CanaryStep.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: StringMatch.prefix('a') }] })],
    });
    expect(err).toContain('steps[1].setHeaderRoute.match[0].headerValue is StringMatch.prefix("a"); expected StringMatch.exact '
      + '(controller: SetHeaderRoute match value invalid. ALB supports \'exact\' value only)');
    expect(err).toContain('trafficRouting.alb.rootService is missing with CanaryServices.pingPong(); expected the root Service '
      + '(controller: Root service field is required for the configuration with ALB and ping-pong feature enabled)');
    expect(synthError({
      trafficRouting: TrafficRouting.alb({ ingress: 'web', servicePort: 80, rootService: 'web' }),
      services: CanaryServices.pingPong('ping', 'pong'),
      steps: [CanaryStep.setWeight(10)],
    })).toBe('');
  });
});
