import { LabelExpression, MaxUpdate, RollingSyncStep, RolloutPlan } from '../../src';

const apps = (n: number, labels: { [k: string]: string }, prefix = 'app') =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${String(i).padStart(2, '0')}`, labels }));

describe('RolloutPlan.compute', () => {
  test('an application takes the first matching step; later matches are reported', () => {
    // GIVEN a catch-all step after an env step
    const steps = [RollingSyncStep.whereIn('env', ['canary']), RollingSyncStep.everything()];
    // WHEN
    const plan = RolloutPlan.compute(steps, [{ name: 'b', labels: { env: 'canary' } }, { name: 'a', labels: { env: 'prod' } }]);
    // THEN
    expect(plan.waves[0].applications).toEqual(['b']);
    expect(plan.waves[1].applications).toEqual(['a']);
    expect(plan.waves[1].alsoMatched).toEqual(['b']);
    expect(plan.multiMatched).toEqual([{ application: 'b', steps: [1, 2] }]);
    expect(plan.stepOf('b')).toBe(1);
  });

  test('expressions are ANDed, values ORed', () => {
    const step = RollingSyncStep.matching([LabelExpression.valueIn('env', ['prod', 'stage']), LabelExpression.valueNotIn('region', ['us-west-2'])]);
    const plan = RolloutPlan.compute([step], [
      { name: 'a', labels: { env: 'prod', region: 'eu-west-1' } },
      { name: 'b', labels: { env: 'stage' } },
      { name: 'c', labels: { env: 'prod', region: 'us-west-2' } },
      { name: 'd', labels: { env: 'dev' } },
    ]);
    expect(plan.waves[0].applications).toEqual(['a', 'b']);
    expect(plan.unmatched).toEqual(['c', 'd']);
  });

  test('NotIn matches an application without the label; In does not', () => {
    const plan = RolloutPlan.compute(
      [RollingSyncStep.whereIn('tier', ['critical']), RollingSyncStep.whereNotIn('tier', ['critical'])],
      [{ name: 'no-label' }, { name: 'crit', labels: { tier: 'critical' } }, { name: 'web', labels: { tier: 'web' } }],
    );
    expect(plan.waves.map(w => w.applications)).toEqual([['crit'], ['no-label', 'web']]);
    expect(plan.unmatched).toEqual([]);
  });

  test('an empty step stays in the plan with no batches', () => {
    const plan = RolloutPlan.compute(
      [RollingSyncStep.whereIn('env', ['canary']), RollingSyncStep.whereIn('env', ['staging']), RollingSyncStep.whereIn('env', ['prod'])],
      [{ name: 'a', labels: { env: 'canary' } }, { name: 'b', labels: { env: 'prod' } }],
    );
    expect(plan.waves[1]).toMatchObject({ step: 2, applications: [], batches: [], concurrency: 0, manualGate: false });
    expect(plan.waveCount).toBe(3);
    expect(plan.batchCount).toBe(2);
    expect(plan.toMarkdown()).toContain('| 2 | env In [staging] | all | 0 | empty (completes at once) |');
  });

  test('unmatched applications are listed and get step -1', () => {
    const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'])], [{ name: 'x', labels: { env: 'dev' } }, { name: 'a' }]);
    expect(plan.unmatched).toEqual(['a', 'x']);
    expect(plan.stepOf('x')).toBe(-1);
    expect(plan.toMarkdown()).toContain('**Never synced by Argo CD (no step selects them):** a, x');
    expect(plan.toMermaid()).toContain('unmatched[["never synced: a, x"]]');
  });

  test('maxUpdate 1 syncs one at a time, in name order', () => {
    const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1))],
      [{ name: 'c', labels: { env: 'canary' } }, { name: 'a', labels: { env: 'canary' } }, { name: 'b', labels: { env: 'canary' } }]);
    expect(plan.waves[0].applications).toEqual(['a', 'b', 'c']);
    expect(plan.waves[0].batches).toEqual([['a'], ['b'], ['c']]);
    expect(plan.waves[0].concurrency).toBe(1);
  });

  test('25% of 20 is 5 at a time', () => {
    const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.percent(25))], apps(20, { env: 'prod' }));
    expect(plan.waves[0].concurrency).toBe(5);
    expect(plan.waves[0].batches.map(b => b.length)).toEqual([5, 5, 5, 5]);
    expect(plan.waves[0].batches[0]).toEqual(['app-00', 'app-01', 'app-02', 'app-03', 'app-04']);
  });

  test('10% of 3 floors to 0 and is raised to 1', () => {
    const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.percent(10))], apps(3, { env: 'prod' }));
    expect(plan.waves[0].concurrency).toBe(1);
    expect(plan.waves[0].batches).toEqual([['app-00'], ['app-01'], ['app-02']]);
  });

  test('50% of 3 floors to 1', () => {
    const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.percent(50))], apps(3, { env: 'prod' }));
    expect(plan.waves[0].concurrency).toBe(1);
  });

  test('maxUpdate 0 is a manual gate: no batches', () => {
    const plan = RolloutPlan.compute(
      [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.manual())],
      [...apps(1, { env: 'canary' }, 'c'), ...apps(2, { env: 'prod' }, 'p')],
    );
    expect(plan.waves[1]).toMatchObject({ applications: ['p-00', 'p-01'], batches: [], concurrency: 0, manualGate: true, maxUpdate: '0 (manual)' });
    expect(plan.manualGates).toEqual([2]);
    expect(plan.toMarkdown()).toContain('| 2 | env In [prod] | 0 (manual) | 2 | manual gate: sync each by hand |');
    expect(plan.toMermaid()).toContain('wave2_manual["manual gate: p-00, p-01"]');
  });

  test('"0%" is a manual gate too (exempt from the raise-to-1 rule): no batches, emitted as 0', () => {
    const zero = MaxUpdate.fromString('0%');
    const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'], zero)], apps(20, { env: 'prod' }));
    expect(plan.waves[0]).toMatchObject({ applications: apps(20, {}).map(a => a.name), concurrency: 0, batches: [], manualGate: true, maxUpdate: '0 (manual)' });
    expect(plan.manualGates).toEqual([1]);
    expect(plan.batchCount).toBe(0);
    expect(RollingSyncStep.whereIn('env', ['prod'], zero)._toKube().maxUpdate).toBe(0);
    // a percentage that floors to 0 is raised to 1; only exactly 0% is not
    expect(RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.fromString('1%'))], apps(20, { env: 'prod' })).waves[0].concurrency).toBe(1);
  });

  test('a quoted number is rejected by the planner (Argo CD would sync 1 at a time)', () => {
    expect(() => RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.fromString('5'))], []))
      .toThrow('RolloutPlan.compute: steps[0].maxUpdate is "5" (a quoted number); expected an integer or a percentage string such as "25%"');
  });

  test('100% and unset maxUpdate sync the whole step at once', () => {
    for (const m of [MaxUpdate.percent(100), MaxUpdate.all(), undefined]) {
      const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'], m)], apps(7, { env: 'prod' }));
      expect(plan.waves[0].batches).toHaveLength(1);
      expect(plan.waves[0].batches[0]).toHaveLength(7);
    }
  });

  test('a count above the step size is the step size', () => {
    const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.count(10))], apps(3, { env: 'prod' }));
    expect(plan.waves[0].concurrency).toBe(3);
  });

  test('step 1 percentages count the unmatched applications too (controller quirk: no step maps to index 0)', () => {
    // 20 matched + 4 unmatched: floor(25% of 24) = 6, not 5
    const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.percent(25))],
      [...apps(20, { env: 'prod' }), ...apps(4, { env: 'dev' }, 'dev')]);
    expect(plan.waves[0].concurrency).toBe(6);
    expect(plan.unmatched).toHaveLength(4);
  });

  test('orders by byte order like Go, not by locale', () => {
    const plan = RolloutPlan.compute([RollingSyncStep.everything()], ['b', 'a-2', 'a-10', 'A', 'a'].map(name => ({ name })));
    expect(plan.waves[0].applications).toEqual(['A', 'a', 'a-10', 'a-2', 'b']);
  });

  test('renders a Markdown table and a Mermaid flowchart', () => {
    const plan = RolloutPlan.compute(
      [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.percent(50))],
      [{ name: 'c1', labels: { env: 'canary' } }, ...apps(4, { env: 'prod' }, 'p')],
    );
    expect(plan.toMarkdown()).toBe([
      '| Wave | Selects | maxUpdate | Applications | Batches |',
      '| --- | --- | --- | --- | --- |',
      '| 1 | env In [canary] | 1 | 1 | 1: c1 |',
      '| 2 | env In [prod] | 50% | 4 | 1: p-00, p-01<br>2: p-02, p-03 |',
      '',
      'A batch starts as slots free up. An Application keeps its maxUpdate slot until it is Healthy and Synced: one that is Suspended '
      + '(a paused rollout) or Degraded (a failed one) holds its slot, and with maxUpdate 1 the rest of its wave, until a person acts.',
      '',
    ].join('\n'));
    expect(plan.toMermaid()).toBe([
      'flowchart TD',
      '  subgraph wave1["Wave 1: env In [canary] (maxUpdate 1)"]',
      '    wave1_b1["c1"]',
      '  end',
      '  subgraph wave2["Wave 2: env In [prod] (maxUpdate 50%)"]',
      '    wave2_b1["p-00, p-01"]',
      '    wave2_b2["p-02, p-03"]',
      '    wave2_b1 --> wave2_b2',
      '  end',
      '  wave1 --> wave2',
      '',
    ].join('\n'));
  });

  test('plans 10,000 applications correctly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      name: `svc-${(i * 7919) % 10_000}`,
      labels: { env: i % 100 === 0 ? 'canary' : 'prod', region: i % 2 ? 'eu' : 'us' },
    }));
    const plan = RolloutPlan.compute([
      RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
      RollingSyncStep.matching([LabelExpression.valueIn('env', ['prod']), LabelExpression.valueIn('region', ['us'])], MaxUpdate.percent(10)),
      RollingSyncStep.whereIn('env', ['prod'], MaxUpdate.percent(25)),
    ], many);
    expect(plan.waves.map(w => w.applications.length)).toEqual([100, 4900, 5000]);
    expect(plan.waves.map(w => w.concurrency)).toEqual([1, 490, 1250]);
    expect(plan.waves.map(w => w.batches.length)).toEqual([100, 10, 4]);
    const all = plan.waves.flatMap(w => w.applications);
    expect(new Set(all).size).toBe(10_000);
    const w2 = plan.waves[1].applications;
    expect(w2.every((n, i) => i === 0 || w2[i - 1] < n)).toBe(true);
    expect(plan.waves[2].alsoMatched).toHaveLength(4900);
  });

  test.each([
    [[RollingSyncStep.whereIn('env', [])], 'RolloutPlan.compute: steps[0].matchExpressions[0].values is []; expected at least one value'],
    [[RollingSyncStep.whereIn('env', ['a'], MaxUpdate.percent(150))], 'RolloutPlan.compute: steps[0].maxUpdate is 150%; expected MaxUpdate.percent(p) with an integer p in 1..100'],
    [[RollingSyncStep.matching([LabelExpression.exists('env')])], 'RolloutPlan.compute: steps[0].matchExpressions[0].operator is "Exists"; expected "In" or "NotIn"'],
  ])('fails on an invalid step %#', (steps, msg) => {
    expect(() => RolloutPlan.compute(steps, [])).toThrow(msg);
  });

  test('fails on a duplicate application name', () => {
    expect(() => RolloutPlan.compute([RollingSyncStep.everything()], [{ name: 'a' }, { name: 'a' }]))
      .toThrow('RolloutPlan.compute: applications[1].name is "a"; expected a name not used by another Application');
  });
});

describe('RolloutPlan.compute from plain JavaScript', () => {
  test('wrong types are ValidationErrors naming the argument', () => {
    expect(() => RolloutPlan.compute(undefined as any, [])).toThrow('RolloutPlan.compute: steps is missing; expected an array');
    expect(() => RolloutPlan.compute([2 as any], [])).toThrow('RolloutPlan.compute: steps[0] is 2 (a number); expected a RollingSyncStep');
    expect(() => RolloutPlan.compute([], [{ name: 3 } as any])).toThrow('RolloutPlan.compute: applications[0].name is 3 (a number); expected a string');
    expect(() => RolloutPlan.compute([], ['a' as any])).toThrow('RolloutPlan.compute: applications[0] is "a" (a string); expected an object');
  });
});

test('the plan says a Suspended or Degraded Application keeps its maxUpdate slot, when a wave is batched (issue 11 item 4)', () => {
  const batched = RolloutPlan.compute([RollingSyncStep.everything(MaxUpdate.count(1))], apps(2, {}, 'a'));
  expect(batched.toMarkdown()).toContain('An Application keeps its maxUpdate slot until it is Healthy and Synced: one that is Suspended (a paused rollout) '
    + 'or Degraded (a failed one) holds its slot');
  const oneRound = RolloutPlan.compute([RollingSyncStep.everything()], apps(2, {}, 'a'));
  expect(oneRound.toMarkdown()).not.toContain('maxUpdate slot');
});
