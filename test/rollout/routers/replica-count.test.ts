import { Testing } from 'cdk8s';
import { CanaryStep, TrafficRouting } from '../../../src';
import { build, synthError } from '../build';

describe('replica-count approximation (no router)', () => {
  test('renders no trafficRouting and creates no Services', () => {
    const { chart } = build({ trafficRouting: TrafficRouting.replicaCountApproximation(), replicas: 10, steps: [CanaryStep.setWeight(20)] });
    const objs = Testing.synth(chart);
    expect(objs.map(o => o.kind)).toEqual(['Rollout']);
    expect(objs[0].spec.strategy.canary.trafficRouting).toBeUndefined();
    expect(objs[0].spec.strategy.canary.steps).toEqual([{ setWeight: 20 }]);
  });

  test('is the explicit opt-in for setWeight without a router, and still no router for the features that need one', () => {
    expect(synthError({ trafficRouting: TrafficRouting.replicaCountApproximation(), replicas: 10, steps: [CanaryStep.setWeight(20)] })).toBe('');
    expect(synthError({ trafficRouting: TrafficRouting.replicaCountApproximation(), steps: [CanaryStep.setCanaryScale({ replicas: 1 })] }))
      .toContain('steps[0].setCanaryScale is used with no traffic router; expected a traffic router (controller: SetCanaryScale requires TrafficRouting to be set)');
  });
});
