import { Duration } from 'cdk8s';
import { centralSuccessRate, emptyStack, istioRollout } from './build';
import { buildStack } from '../../examples/stack/app';
import { CanaryStep, MaxUpdate, NoDataPolicy, ReleaseEstimate, RollingSyncStep } from '../../src';

describe('the release plan (ROLLOUT-PLAN.md)', () => {
  test('the example fleet, checked by hand', () => {
    const stack = buildStack('/tmp/unused');
    const plan = stack.plan();
    // 12 clusters: canary seoul-1; staging seoul-2, frankfurt-1; production seoul-3..6 (ap-northeast-2), frankfurt-2..6 (eu-central-1)
    expect(plan.waves.map(w => w.applications.length)).toEqual([1, 2, 4, 5]);
    // maxUpdate 1, 2, 2 and 50% of 5 = floor(2.5) = 2
    expect(plan.waves.map(w => w.concurrency)).toEqual([1, 2, 2, 2]);
    expect(plan.waves.map(w => w.batches)).toEqual([
      [['seoul-1-canary']],
      [['frankfurt-1-staging', 'seoul-2-staging']],
      [['seoul-3-production', 'seoul-4-production'], ['seoul-5-production', 'seoul-6-production']],
      [['frankfurt-2-production', 'frankfurt-3-production'], ['frankfurt-4-production', 'frankfurt-5-production'], ['frankfurt-6-production']],
    ]);
    // per cluster: pauses 10m + 10m, analysis count 5 at 1m = (5 - 1) x 1m = 4m, pod start-up 2m -> 26m
    const d = stack.releaseDuration();
    expect(d.perApplication.toMinutes()).toBe(26);
    // rounds 1 + 1 + 2 + 3 = 7 -> 7 x 26m = 182m
    expect(d.waves.map(w => w.toMinutes())).toEqual([26, 26, 52, 78]);
    expect(d.total.toMinutes()).toBe(182);
    // the plan folder's ReleaseEstimate agrees on the same plan and per-cluster time
    expect(ReleaseEstimate.of(plan, { update: { minimum: d.perApplication } }).minimum.toMinutes()).toBe(182);
    // the success rate is Inconclusive on NaN (no traffic) with inconclusiveLimit 0: a person may have to act
    expect(d.lowerBound).toBe(true);
    const md = stack.releasePlan();
    expect(md).toContain('**Total: ≥ 3h2m** over 4 wave(s) and 12 Application(s)');
    expect(md).toContain('Per Application: 26m = canary steps 24m (timed pauses 20m + the analyses\' minimum durations 4m) of Rollout "my-service" '
      + '+ pod start-up 2m.');
    expect(md).toContain('| 4 | env In [production] AND region In [eu-central-1] | 50% | 5 | 1: frankfurt-2-production, frankfurt-3-production<br>2: frankfurt-4-production, '
      + 'frankfurt-5-production<br>3: frankfurt-6-production | ≥ 3 × 26m = 1h18m |');
    expect(md).toContain('- template "success-rate" metric "success-rate": can end Inconclusive');
    expect(md).toContain('Suspended (any canary pause, a blue-green Rollout waiting for its promotion) and Degraded (an aborted update) all keep it');
    expect(md).toContain('The next wave starts only when every Application of the step is Healthy and Synced.');
    // the gantt: 7 sequential batches of 1560 s
    const gantt = md.slice(md.indexOf('```mermaid'));
    expect(gantt.match(/:w\d+b\d+, (0|after w\d+b\d+), 1560s$/gm)).toHaveLength(7);
    expect(gantt).toContain('frankfurt-6-production :w4b3, after w4b2, 1560s');
  });

  test('an exact plan when no analysis can pause and there is no manual gate', () => {
    const stack = emptyStack({ podStartup: Duration.minutes(1) });
    const t = centralSuccessRate(stack.platform, undefined, { failureLimit: undefined, onNaN: NoDataPolicy.FAIL, onEmptyResult: NoDataPolicy.FAIL });
    istioRollout(stack, [t], [CanaryStep.pause(Duration.minutes(5))]);
    // shop: canary-1 (1 round), prod-1 + prod-2 with maxUpdate 1 (2 rounds); per cluster 5m pause + 2m analysis + 1m = 8m
    const d = stack.releaseDuration();
    expect([d.perApplication.toMinutes(), ...d.waves.map(w => w.toMinutes()), d.total.toMinutes(), d.lowerBound]).toEqual([8, 8, 16, 24, false]);
    expect(stack.releasePlan()).toContain('**Total: 24m** over 2 wave(s)');
    expect(stack.releasePlan()).toContain('- None: the release runs without a person');
  });

  test('a manual gate in the canary makes the total a lower bound and says who waits', () => {
    const stack = emptyStack({ podStartup: Duration.minutes(1) });
    istioRollout(stack, [centralSuccessRate(stack.platform)], [CanaryStep.pause(Duration.minutes(5)), CanaryStep.pause()]);
    const d = stack.releaseDuration();
    // the indefinite pause adds nothing to the minimum: 5m + analysis (3 at 1m = 2m) + 1m = 8m; 3 rounds
    expect([d.perApplication.toMinutes(), d.total.toMinutes(), d.lowerBound]).toEqual([8, 24, true]);
    const md = stack.releasePlan();
    expect(md).toContain('**Total: ≥ 24m**');
    expect(md).toContain('- Rollout "shop" steps[3]: indefinite pause. The Application stays Suspended until `kubectl argo rollouts promote`; it keeps its maxUpdate slot, '
      + 'so with maxUpdate 1 the rest of its wave waits, and the next wave waits for it.');
  });

  test('a manual wave (maxUpdate 0) is a gate in the table and the gantt', () => {
    const stack = emptyStack({
      podStartup: Duration.minutes(1),
      waves: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['production'], MaxUpdate.manual())],
    });
    istioRollout(stack, [], [CanaryStep.pause(Duration.minutes(4))]);
    const d = stack.releaseDuration();
    expect([d.perApplication.toMinutes(), ...d.waves.map(w => w.toMinutes()), d.lowerBound]).toEqual([5, 5, 0, true]);
    const md = stack.releasePlan();
    expect(md).toContain('| 2 | env In [production] | 0 (manual) | 2 | manual gate (maxUpdate 0): sync each by hand | until synced by hand |');
    expect(md).toContain('manual sync prod-1-production, prod-2-production :milestone, w2gate, after w1b1, 0s');
  });
});
