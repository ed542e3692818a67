import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryRollout, CanaryStep, RolloutWorkload, TrafficRouting } from '../../src';
import { approximateCanaryStable, resolveMaxSurge } from '../../src/rollout/replica-approximation';

/**
 * The table of shared/notes/argo-rollouts.md §3 (computed there with a port of the controller function that
 * reproduces the upstream unit test TestApproximateWeightedNewStableReplicaCounts): canary/stable per weight.
 */
const WEIGHTS = [5, 10, 20, 25, 33, 50, 75, 90];
const TABLE: Array<[number, number, string]> = [
  [1, 0, '0/1 0/1 0/1 0/1 0/1 1/0 1/0 1/0'],
  [1, 1, '1/1 1/1 1/1 1/1 1/1 1/1 1/1 1/1'],
  [2, 0, '1/1 1/1 1/1 1/1 1/1 1/1 0/2 1/1'],
  [2, 1, '1/2 1/2 1/2 1/2 1/2 1/1 2/1 2/1'],
  [3, 1, '1/3 1/3 1/3 1/3 1/2 2/2 3/1 3/1'],
  [4, 1, '1/4 1/4 1/4 1/3 2/3 2/2 3/1 4/1'],
  [5, 0, '1/4 1/4 1/4 1/4 2/3 3/2 4/1 0/5'],
  [5, 2, '1/5 1/5 1/4 1/4 2/4 3/3 4/1 5/1'],
  [10, 0, '1/9 1/9 2/8 3/7 3/7 5/5 8/2 9/1'],
  [10, 3, '1/10 1/9 2/8 3/8 3/7 5/5 8/3 9/1'],
];

describe('replica-count approximation (port of approximateWeightedCanaryStableReplicaCounts)', () => {
  test.each(TABLE)('replicas %i, maxSurge %i', (replicas, surge, row) => {
    const got = WEIGHTS.map(w => approximateCanaryStable(replicas, w, surge).join('/')).join(' ');
    expect(got).toBe(row);
  });

  test('edges: 0 replicas, weights 0 and 100', () => {
    expect(approximateCanaryStable(0, 50, 1)).toEqual([0, 0]);
    expect(approximateCanaryStable(5, 0, 2)).toEqual([0, 5]);
    expect(approximateCanaryStable(5, 100, 2)).toEqual([5, 0]);
  });

  test('maxSurge percentages round up like the controller', () => {
    expect(resolveMaxSurge(5, '25%')).toBe(2);
    expect(resolveMaxSurge(10, '25%')).toBe(3);
    expect(resolveMaxSurge(4, 1)).toBe(1);
  });
});

describe('CanaryRollout with TrafficRouting.replicaCountApproximation()', () => {
  test('reports the pod counts per setWeight and warns where a weight cannot be approximated', () => {
    // GIVEN the seed ladder on 5 replicas with maxSurge 0 and no traffic router (explicit opt-in)
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      metadata: { name: 'web' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      replicas: 5,
      maxSurge: kplus.PercentOrAbsolute.absolute(0),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(1),
      trafficRouting: TrafficRouting.replicaCountApproximation(),
      steps: [
        CanaryStep.setWeight(10),
        CanaryStep.pause(Duration.minutes(10)),
        CanaryStep.setWeight(30),
        CanaryStep.setWeight(90),
        CanaryStep.setWeight(100),
      ],
    });

    // THEN the report lists what each weight really gives
    // (10 → 20 % doubles the canary traffic and 30 → 40 % is a third more: not approximations; the tolerance is
    // 25 % of the weight)
    expect(r.replicaCountApproximation).toEqual([
      { stepIndex: 0, weight: 10, canaryPods: 1, stablePods: 4, effectiveWeight: 20, approximated: false },
      { stepIndex: 2, weight: 30, canaryPods: 2, stablePods: 3, effectiveWeight: 40, approximated: false },
      { stepIndex: 3, weight: 90, canaryPods: 0, stablePods: 5, effectiveWeight: 0, approximated: false },
      { stepIndex: 4, weight: 100, canaryPods: 5, stablePods: 0, effectiveWeight: 100, approximated: true },
    ]);
    // AND a warning names each step that cannot be approximated
    expect(r.warnings).toEqual([
      'steps[0].setWeight 10 cannot be approximated with 5 replicas: 1 canary / 4 stable pods (20% canary). Use more replicas or a traffic router',
      'steps[2].setWeight 30 cannot be approximated with 5 replicas: 2 canary / 3 stable pods (40% canary). Use more replicas or a traffic router',
      'steps[3].setWeight 90 cannot be approximated with 5 replicas: 0 canary / 5 stable pods (0% canary). Use more replicas or a traffic router',
    ]);
    // AND the Rollout is a basic canary (no trafficRouting), valid against the CRD, maxSurge as a number
    const ro = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(ro.spec.strategy.canary.trafficRouting).toBeUndefined();
    expect(ro.spec.strategy.canary.maxSurge).toBe(0);
    expect(ro.spec.strategy.canary.maxUnavailable).toBe(1);
    expect(r.node.metadata.filter(m => m.type === 'warning').map(m => m.data)).toEqual(r.warnings);
  });

  test('approximated means within 25 % of the weight (relative), not within a fixed number of points', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }] }),
      replicas: 10,
      maxSurge: kplus.PercentOrAbsolute.absolute(0),
      trafficRouting: TrafficRouting.replicaCountApproximation(),
      // 10 replicas, no surge: 25 → 3/7 (30 %, 20 % off), 33 → 3/7 (30 %, 9 % off), 5 → 1/9 (10 %, 100 % off)
      steps: [CanaryStep.setWeight(25), CanaryStep.setWeight(33), CanaryStep.setWeight(5), CanaryStep.setWeight(0)],
    });
    expect(r.replicaCountApproximation.map(a => [a.weight, a.effectiveWeight, a.approximated])).toEqual([
      [25, 30, true],
      [33, 30, true],
      [5, 10, false],
      [0, 0, true],
    ]);
  });

  test('warns when a weight is far off with few replicas (default maxSurge 25%)', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }] }),
      replicas: 2,
      trafficRouting: TrafficRouting.replicaCountApproximation(),
      steps: [CanaryStep.setWeight(10), CanaryStep.setWeight(50)],
    });
    expect(r.replicaCountApproximation.map(a => [a.canaryPods, a.stablePods, a.effectiveWeight, a.approximated])).toEqual([
      [1, 2, 33.3, false],
      [1, 1, 50, true],
    ]);
    expect(r.warnings).toEqual([
      'steps[0].setWeight 10 cannot be approximated with 2 replicas: 1 canary / 2 stable pods (33.3% canary). Use more replicas or a traffic router',
    ]);
  });

  test('is empty with a real traffic router', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 80 }] }),
      trafficRouting: TrafficRouting.smi(),
      steps: [CanaryStep.setWeight(10)],
    });
    expect(r.replicaCountApproximation).toEqual([]);
    expect(r.trafficRouting?.routesTraffic).toBe(true);
  });
});
