import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryAntiAffinity, CanaryRollout, CanaryStep, RolloutWorkload, TrafficRouting } from '../../src';

function rolloutOf(objs: any[]): any {
  return objs.find(o => o.kind === 'Rollout');
}

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
