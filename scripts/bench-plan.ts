/**
 * Benchmark of RolloutPlan.compute: plans 10,000 Applications over three RollingSync steps and compares with two
 * baselines measured in the same run: sorting the same 10,000 names (the planner's unavoidable cost) and planning
 * 100 Applications. Not a unit test: timings depend on the machine.
 *
 *   npx ts-node -T scripts/bench-plan.ts
 */
import { performance } from 'perf_hooks';
import { LabelExpression, MaxUpdate, RollingSyncStep, RolloutPlan } from '../src';

const steps = [
  RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
  RollingSyncStep.matching([LabelExpression.valueIn('env', ['production']), LabelExpression.valueIn('region', ['us'])], MaxUpdate.percent(10)),
  RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(25)),
  RollingSyncStep.whereNotIn('tier', ['critical'], MaxUpdate.manual()),
];

function apps(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    name: `svc-${String((i * 7919) % n).padStart(5, '0')}-${i % 7}`,
    labels: { env: i % 100 === 0 ? 'canary' : i % 97 === 0 ? 'dev' : 'production', region: i % 2 ? 'eu' : 'us', ...(i % 50 === 0 ? { tier: 'critical' } : {}) },
  }));
}

/** Median of `runs` timings (ms) of fn, after `warmup` untimed runs. */
function measure(fn: () => unknown, runs = 15, warmup = 5): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    t.push(performance.now() - start);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

const big = apps(10_000);
const small = apps(100);
const names = big.map(a => a.name);

const sortMs = measure(() => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
const small100Ms = measure(() => RolloutPlan.compute(steps, small));
const big10kMs = measure(() => RolloutPlan.compute(steps, big));
const plan = RolloutPlan.compute(steps, big);

console.log(`node ${process.version}, median of 15 runs after 5 warm-up runs`);
console.log(`baseline: sort 10,000 names          ${sortMs.toFixed(2)} ms`);
console.log(`baseline: plan 100 applications       ${small100Ms.toFixed(2)} ms`);
console.log(`plan 10,000 applications (4 steps)    ${big10kMs.toFixed(2)} ms  (${(big10kMs / sortMs).toFixed(1)}x the sort, ${(big10kMs / small100Ms).toFixed(0)}x 100 apps)`);
console.log(`result: waves ${plan.waves.map(w => `${w.step}:${w.applications.length}apps/${w.batches.length}batches`).join(' ')}, `
  + `unmatched ${plan.unmatched.length}, multi-matched ${plan.multiMatched.length}, manual gates [${plan.manualGates.join(', ')}]`);
if (big10kMs > 1000) {
  console.error('FAIL: planning 10,000 applications took more than a second');
  process.exitCode = 1;
}
