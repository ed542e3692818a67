import { Duration } from 'cdk8s';
import { IUpdateFactsProvider, MaxUpdate, ReleaseEstimate, RollingSyncStep, RolloutPlan } from '../../src';
import { formatDuration } from '../../src/plan/release-estimate';

const apps = (env: string, n: number) => Array.from({ length: n }, (_, i) => ({ name: `${env}-${String(i).padStart(2, '0')}`, labels: { env } }));

describe('ReleaseEstimate', () => {
  test('waves add up; inside a wave ceil(n / maxUpdate) rounds of perApplication', () => {
    // GIVEN 1 canary app (maxUpdate 1) and 8 production apps at 25% (2 at a time)
    const plan = RolloutPlan.compute([
      RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
      RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(25)),
    ], [...apps('canary', 1), ...apps('production', 8)]);
    // WHEN every app takes 20 minutes
    const e = ReleaseEstimate.of(plan, { update: { minimum: Duration.minutes(20) } });
    // THEN 1 + 4 rounds = 100 minutes, no person needed
    expect(e.waves.map(w => [w.step, w.applications, w.rounds, w.duration.toMinutes()])).toEqual([[1, 1, 1, 20], [2, 8, 4, 80]]);
    expect(e.minimum.toMinutes()).toBe(100);
    expect(e.automatic).toBe(true);
    expect(e.describe()).toBe('wave 1: 1 application(s) in 1 round(s), 20m\nwave 2: 8 application(s) in 4 round(s), 1h20m\ntotal: 1h40m\n');
  });

  test('10% of 3 still syncs one at a time; unset maxUpdate syncs a wave in one round', () => {
    const plan = RolloutPlan.compute([
      RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.percent(10)),
      RollingSyncStep.whereIn('env', ['production']),
    ], [...apps('canary', 3), ...apps('production', 5)]);
    const e = ReleaseEstimate.of(plan, { update: { minimum: Duration.minutes(10) } });
    expect(e.waves.map(w => w.rounds)).toEqual([3, 1]);
    expect(e.minimum.toMinutes()).toBe(40);
  });

  test('a manual gate or a rollout waiting for promotion makes the total a lower bound', () => {
    const plan = RolloutPlan.compute([
      RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
      RollingSyncStep.whereIn('env', ['production'], MaxUpdate.manual()),
    ], [...apps('canary', 2), ...apps('production', 2), { name: 'stray', labels: { env: 'dev' } }]);
    const e = ReleaseEstimate.of(plan, { update: { minimum: Duration.minutes(15) } });
    expect(e.automatic).toBe(false);
    expect(e.minimum.toMinutes()).toBe(30);
    expect(e.describe().split('\n').slice(1)).toEqual([
      'wave 2: 2 application(s) behind a manual gate (maxUpdate 0): sync each by hand',
      'total: at least 30m (plus the manual-gate waves; 1 application(s) are never synced)', '',
    ]);
    const promoted = ReleaseEstimate.of(plan, { update: { minimum: Duration.minutes(15), manualGates: 1 } });
    expect(promoted.describe()).toMatch(/total: at least 30m \(every rollout also waits for a manual promotion; plus the manual-gate waves/);
  });

  test('fails on a zero per-application duration', () => {
    const plan = RolloutPlan.compute([RollingSyncStep.everything()], apps('x', 1));
    expect(() => ReleaseEstimate.of(plan, { update: { minimum: Duration.seconds(0) } }))
      .toThrow('ReleaseEstimate.of: update.minimum is 0s; expected a positive duration (an update that needs no person takes some time). '
        + 'Fix: pass how long one Application takes');
  });

  test('durations read like 1h20m', () => {
    expect([Duration.seconds(0), Duration.seconds(30), Duration.minutes(45), Duration.seconds(4830)].map(formatDuration))
      .toEqual(['0s', '30s', '45m', '1h20m30s']);
  });
});

test('sub-second durations are estimated, not rejected by Duration rounding', () => {
  const plan = RolloutPlan.compute([RollingSyncStep.everything(MaxUpdate.count(1))], apps('x', 2));
  expect(ReleaseEstimate.of(plan, { update: { minimum: Duration.millis(1500) } }).minimum.toMilliseconds()).toBe(3000);
});

describe('ReleaseEstimate from the update\'s facts (issue 11 item 4)', () => {
  const plan = () => RolloutPlan.compute([
    RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
    RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(2)),
  ], [...apps('canary', 1), ...apps('production', 4)]);

  test('an indefinite pause makes the total a lower bound and says the paused Application holds its slot', () => {
    const e = ReleaseEstimate.of(plan(), { update: { minimum: Duration.minutes(20), manualGates: 1 } });
    expect(e.automatic).toBe(false);
    expect(e.exact).toBe(false);
    expect(e.describe().split('\n').slice(-2)).toEqual([
      'total: at least 1h (every rollout also waits for a manual promotion; a paused (Suspended) or failed (Degraded) Application keeps its maxUpdate slot, '
      + 'so it holds the rest of its wave until a person acts)', '',
    ]);
  });

  test('a 0 s minimum with only manual gates is a lower bound of 0s, not an error', () => {
    const e = ReleaseEstimate.of(plan(), { update: { minimum: Duration.seconds(0), manualGates: 2 } });
    expect(e.minimum.toSeconds()).toBe(0);
    expect(e.describe()).toMatch(/total: at least 0s \(every rollout also waits for a manual promotion;/);
  });

  test('an analysis that can pause on Inconclusive is a possible manual gate', () => {
    const e = ReleaseEstimate.of(plan(), { update: { minimum: Duration.minutes(10), inconclusivePauses: 1 } });
    expect(e.automatic).toBe(false);
    expect(e.describe()).toContain('total: at least 30m (a rollout may pause for a person when an analysis is Inconclusive (e.g. no traffic);');
  });

  test('analyses of unknown duration: automatic but a lower bound; startup is added per Application', () => {
    const e = ReleaseEstimate.of(plan(), { update: { minimum: Duration.minutes(10), exact: false }, startup: Duration.minutes(2) });
    expect(e.automatic).toBe(true);
    expect(e.exact).toBe(false);
    expect(e.minimum.toMinutes()).toBe(36);
    expect(e.describe()).toContain('total: at least 36m (analyses of unknown duration not counted)');
  });

  test('wrong inputs are ValidationErrors', () => {
    expect(() => ReleaseEstimate.of(plan(), { update: { minimum: Duration.minutes(1), manualGates: -1 } }))
      .toThrow('ReleaseEstimate.of: update.manualGates is -1; expected a whole number >= 0');
    expect(() => ReleaseEstimate.of(plan(), { perApplication: Duration.minutes(1) } as any))
      .toThrow('ReleaseEstimate.of: perApplication is an unknown option (a Duration); expected one of the documented options: update, startup');
    expect(() => ReleaseEstimate.of(plan(), {} as any)).toThrow('ReleaseEstimate.of: update is missing; expected an object');
    expect(() => ReleaseEstimate.of(plan(), { update: { minimum: 60 } } as any)).toThrow('ReleaseEstimate.of: update.minimum is 60 (a number); expected a Duration');
  });
});

test('forRollout reads the facts from a rollout that provides them (what CanaryRollout can implement)', () => {
  const rollout: IUpdateFactsProvider = { updateFacts: { minimum: Duration.minutes(20), manualGates: 1 } };
  const plan = RolloutPlan.compute([RollingSyncStep.everything(MaxUpdate.count(1))], apps('x', 2));
  const e = ReleaseEstimate.forRollout(plan, rollout, Duration.minutes(5));
  expect(e.minimum.toMinutes()).toBe(50);
  expect(e.automatic).toBe(false);
  expect(() => ReleaseEstimate.forRollout(plan, undefined as any)).toThrow('ReleaseEstimate.forRollout: rollout is missing; expected an object');
});

describe('bakes and frozen', () => {
  const planned = ['a-canary', 'b-canary', 'c-prod', 'd-prod', 'e-prod'].map(name => ({ name, labels: { env: name.split('-')[1] } }));
  const steps = () => [
    RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)).withBake(Duration.minutes(20)),
    RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.count(2)),
  ];

  test('a bake is counted once per round of its wave, by hand', () => {
    const plan = RolloutPlan.compute(steps(), planned);
    // per Application 10m + 1m start-up = 11m. Wave 1: 2 canaries, maxUpdate 1 -> 2 rounds × (11m + 20m bake) = 62m.
    // Wave 2: 3 prods, maxUpdate 2 -> 2 rounds × 11m = 22m (no bake). Total 84m = 5040s.
    const e = ReleaseEstimate.of(plan, { update: { minimum: Duration.minutes(10) }, startup: Duration.minutes(1) });
    expect(e.waves.map(w => [w.rounds, w.bake.toSeconds(), w.duration.toSeconds()])).toEqual([[2, 1200, 3720], [2, 0, 1320]]);
    expect(e.minimum.toSeconds()).toBe(5040);
    expect(e.exact).toBe(true);
    expect(e.describe()).toBe('wave 1: 2 application(s) in 2 round(s), 1h2m (each round bakes 20m)\nwave 2: 3 application(s) in 2 round(s), 22m\ntotal: 1h24m\n');
    expect(plan.toMarkdown()).toContain('| 1 | env In [canary] | 1 | 2 | 1: a-canary<br>2: b-canary; then each bakes 20m |');
  });

  test('frozen: no batches, every wave a gate, no duration; a plain-JS frozen of the wrong type is rejected', () => {
    const plan = RolloutPlan.compute(steps(), planned, { frozen: true });
    expect(plan.frozen).toBe(true);
    expect(plan.batchCount).toBe(0);
    expect(plan.manualGates).toEqual([1, 2]);
    const e = ReleaseEstimate.of(plan, { update: { minimum: Duration.minutes(10) } });
    expect([e.frozen, e.minimum.toSeconds(), e.automatic, e.exact]).toEqual([true, 0, false, false]);
    expect(e.describe()).toContain('frozen: every RollingSync step has maxUpdate 0, so no wave proceeds (5 application(s) in 2 wave(s) wait;');
    expect(RolloutPlan.compute(steps(), planned).frozen).toBe(false);
    expect(() => RolloutPlan.compute(steps(), planned, { frozen: 1 as any })).toThrow('RolloutPlan.compute: frozen is 1 (a number); expected true or false');
  });
});
