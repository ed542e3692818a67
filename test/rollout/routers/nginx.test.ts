import { Testing } from 'cdk8s';
import { CanaryRollout, CanaryStep, RolloutWorkload, TrafficRouting } from '../../../src';
import { synthError } from '../build';

describe('NGINX router', () => {
  test('NGINX options render as the controller expects', () => {
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
    const objs = Testing.synth(chart);
    const n = objs.find(o => o.kind === 'Rollout' && o.metadata.name === 'n');
    expect(n.spec.strategy.canary.trafficRouting).toEqual({
      nginx: {
        stableIngresses: ['a', 'b'],
        annotationPrefix: 'custom.nginx.org',
        additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' },
        canaryIngressAnnotations: { 'my-org/owner': 'shop' },
      },
    });
  });

  test('is the router that honours maxTrafficWeight (rendered next to the nginx key)', () => {
    const nginx = TrafficRouting.nginx({ stableIngress: 'web' });
    expect(nginx.provider).toBe('nginx');
    expect(synthError({ trafficRouting: nginx, maxTrafficWeight: 1000, steps: [CanaryStep.setWeight(5)] })).toBe('');
    const chart = Testing.chart();
    new CanaryRollout(chart, 'w', {
      metadata: { name: 'w' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: nginx,
      maxTrafficWeight: 1000,
      steps: [CanaryStep.setWeight(5)],
    });
    const tr = Testing.synth(chart).find(o => o.kind === 'Rollout').spec.strategy.canary.trafficRouting;
    expect(tr).toEqual({ maxTrafficWeight: 1000, nginx: { stableIngress: 'web' } });
  });
});
