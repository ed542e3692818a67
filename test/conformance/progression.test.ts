import { Testing } from 'cdk8s';
import { buildStack } from '../../examples/stack/app';
import {
  ClusterSelector, Fleet, MaxUpdate, MultiClusterAppSet, ReleaseEstimate, RollingSyncStep,
} from '../../src';
import { runConformance } from '../harness/conformance';
import {
  appSetCases, AppSetCase, ArgoAppSetAnswer, ArgoProgression, compareAppSet, planRounds, ProgressionScenario,
} from '../harness/conformance-appset';
import { bakedStack, treeObjects } from '../stack/build';

/**
 * The release simulation: Argo CD v3.5.1's progressive-sync Manager driven reconcile after reconcile
 * (conformance/argocd/cmd/appset-render, progress.go), with the Applications' health after their sync given by a
 * scenario. Every scenario of this file goes to the Go command in one call (beforeAll).
 *
 * A round is a reconcile in which the controller puts a sync operation on Applications for the first time.
 */

const stack = buildStack('/tmp/unused');
const stackObjects = treeObjects(stack.synthesizeTree()).map(o => o.obj);
const [stackCase] = appSetCases(stack.management, stackObjects, 'example stack').filter(c => c.library.name === 'my-service');

/** The seed's Example 1: 4 clusters × canary/production; canary maxUpdate 1, production 50%. */
function seedExample(): AppSetCase {
  const chart = Testing.chart();
  new MultiClusterAppSet(chart, 'shop', {
    metadata: { name: 'shop' },
    fleet: new Fleet({
      clusters: ['seoul-1', 'seoul-2', 'seoul-3', 'seoul-4'].map(n => ({ name: n, server: `https://${n}.example.com`, labels: { region: 'ap-northeast-2' } })),
    }),
    clusters: ClusterSelector.matchLabels({ region: 'ap-northeast-2' }),
    environments: ['canary', 'production'],
    steps: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(50))],
    source: { repoUrl: 'https://github.com/acme/shop', path: 'deploy/{{.env}}' },
    destinationNamespace: 'shop-{{.env}}',
  });
  const [c] = appSetCases(chart, Testing.synth(chart), 'seed example 1');
  return c;
}
const seedCase = seedExample();

/** The stack with bakes (canary 30m, production 15m per round; test/stack/build.ts), and the same stack frozen. */
const baked = bakedStack().stack;
const [bakedCase] = appSetCases(baked.management, treeObjects(baked.synthesizeTree()).map(o => o.obj), 'baked stack').filter(c => c.library.name === 'shop');
const frozen = bakedStack({ frozen: true }).stack;
const [frozenCase] = appSetCases(frozen.management, treeObjects(frozen.synthesizeTree()).map(o => o.obj), 'frozen stack').filter(c => c.library.name === 'shop');
/** A bake as the Application controller reports it: Suspended for `n` reconciles after the sync (the Rollout paused at the bake step), then Healthy. */
const bakeFor = (n: number) => [...Array(n).fill('Suspended'), 'Healthy'];

const SCENARIOS: Record<string, { case: AppSetCase; scenario?: ProgressionScenario }> = {
  'stack: every Application Healthy after its sync': { case: stackCase },
  'stack: the informer lists the Applications in reverse name order': { case: stackCase, scenario: { informerOrder: 'reverse' } },
  'stack: the canary stays Suspended': { case: stackCase, scenario: { health: { 'seoul-1-canary': ['Suspended'] } } },
  'stack: a production canary in a maxUpdate 2 wave stays Degraded': { case: stackCase, scenario: { health: { 'seoul-3-production': ['Degraded'] } } },
  'stack: a production canary in a maxUpdate 2 wave is slow (Progressing for 6 reconciles)': {
    case: stackCase, scenario: { health: { 'seoul-3-production': ['Progressing', 'Progressing', 'Progressing', 'Progressing', 'Progressing', 'Progressing', 'Healthy'] } },
  },
  'baked stack: no bake (every Application Healthy after its sync)': { case: bakedCase },
  'baked stack: the canary bakes 4 reconciles, each production Application 2': {
    case: bakedCase, scenario: { health: { 'canary-1-canary': bakeFor(4) }, default: bakeFor(2) },
  },
  'frozen stack: a new revision to roll out': { case: frozenCase },
  'seed: every Application Healthy after its sync': { case: seedCase },
  'seed: the first canary stays Suspended': { case: seedCase, scenario: { health: { 'seoul-1-canary': ['Suspended'] } } },
  'seed: the first canary is Suspended for 5 reconciles, then promoted': {
    case: seedCase, scenario: { health: { 'seoul-1-canary': ['Suspended', 'Suspended', 'Suspended', 'Suspended', 'Suspended', 'Healthy'] } },
  },
  'seed: the first canary stays Degraded': { case: seedCase, scenario: { health: { 'seoul-1-canary': ['Degraded'] } } },
  'seed: the first canary is Degraded for 4 reconciles, then fixed': {
    case: seedCase, scenario: { health: { 'seoul-1-canary': ['Degraded', 'Degraded', 'Degraded', 'Degraded', 'Healthy'] } },
  },
};

let answers: Record<string, ArgoAppSetAnswer>;
beforeAll(() => {
  const titles = Object.keys(SCENARIOS);
  const out: ArgoAppSetAnswer[] = runConformance('appset-render', titles.map(t => ({ source: t, objects: SCENARIOS[t].case.objects, scenario: SCENARIOS[t].scenario })));
  answers = Object.fromEntries(out.map((a, i) => [titles[i], a]));
});

const progression = (title: string): ArgoProgression => {
  const a = answers[title];
  expect({ source: a.source, error: a.error, simulated: a.progression !== undefined, simError: a.progression?.error })
    .toEqual({ source: title, error: undefined, simulated: true, simError: undefined });
  return a.progression!;
};
const bakedPlan = () => baked.plan();
const stackPerApp = () => baked.releaseDuration().perApplication;
const rounds = (p: ArgoProgression) => p.rounds.map(r => r.applications);
/** The Applications the controller synced, in the order of their rounds. */
const synced = (p: ArgoProgression) => p.rounds.flatMap(r => r.applications);

describe('every Application Healthy after its sync: the rounds are the library\'s plan', () => {
  test('the example stack: rounds = stack.plan() batches, wave by wave; rounds per wave = ReleaseEstimate = ROLLOUT-PLAN.md', () => {
    const p = progression('stack: every Application Healthy after its sync');
    const plan = stack.plan();
    const lib = planRounds(plan);
    expect(rounds(p)).toEqual(lib.rounds);
    expect(p.stalled).toBe(false);
    expect(compareAppSet(stackCase.library, answers['stack: every Application Healthy after its sync'])).toEqual([]);
    expect(rounds(p)).toEqual([
      ['seoul-1-canary'],
      ['frankfurt-1-staging', 'seoul-2-staging'],
      ['seoul-3-production', 'seoul-4-production'],
      ['seoul-5-production', 'seoul-6-production'],
      ['frankfurt-2-production', 'frankfurt-3-production'],
      ['frankfurt-4-production', 'frankfurt-5-production'],
      ['frankfurt-6-production'],
    ]);
    // rounds per wave: Argo CD's (each round's step, from status.applicationStatus[].step) = the library's counts
    const stepOf = new Map(answers['stack: every Application Healthy after its sync'].applications.map(a => [a.name, a.step]));
    const argoPerWave = plan.waves.map(w => p.rounds.filter(r => r.applications.every(n => stepOf.get(n) === w.step)).length);
    expect(p.rounds.every(r => new Set(r.applications.map(n => stepOf.get(n))).size === 1)).toBe(true);
    expect(argoPerWave).toEqual([1, 1, 2, 3]);
    const estimate = ReleaseEstimate.of(plan, { update: { minimum: stack.releaseDuration().perApplication } });
    expect(estimate.waves.map(w => w.rounds)).toEqual(argoPerWave);
    // ROLLOUT-PLAN.md's Duration column: `≥ N × per = total` per wave
    const md = stack.releasePlan();
    const mdRounds = md.split('\n').filter(l => /^\| \d+ \|/.test(l)).map(l => Number(/\| (?:≥ )?(\d+) × /.exec(l)![1]));
    expect(mdRounds).toEqual(argoPerWave);
    // the whole release: 3 reconciles per round (Pending, sync triggered, Progressing → Healthy with the next Pending)
    expect(Object.keys(p.healthyAt).sort()).toEqual(plan.waves.flatMap(w => w.applications).sort());
  });

  test('the seed\'s Example 1: canary one at a time, then production two at a time', () => {
    const p = progression('seed: every Application Healthy after its sync');
    expect(rounds(p)).toEqual(seedCase.library.rounds);
    expect(rounds(p)).toEqual([
      ['seoul-1-canary'], ['seoul-2-canary'], ['seoul-3-canary'], ['seoul-4-canary'],
      ['seoul-1-production', 'seoul-2-production'], ['seoul-3-production', 'seoul-4-production'],
    ]);
    expect(compareAppSet(seedCase.library, answers['seed: every Application Healthy after its sync'])).toEqual([]);
  });

  test('the order the informer lists the Applications in does not matter: the controller keeps the statuses in name order', () => {
    const p = progression('stack: the informer lists the Applications in reverse name order');
    expect(rounds(p)).toEqual(planRounds(stack.plan()).rounds);
  });
});

describe('a Suspended Application (a paused canary) keeps its maxUpdate slot', () => {
  test('the library documents it', () => {
    expect(stack.releasePlan()).toContain('Progressing, Suspended (any canary pause, a blue-green Rollout waiting for its promotion) and Degraded (an aborted update) all keep it.');
    expect(stack.plan().toMarkdown()).toContain('holds its slot, and with maxUpdate 1 the rest of its wave, until a person acts');
  });

  test('stack: the only canary stays Suspended: nothing else ever syncs (the next wave does not start)', () => {
    const p = progression('stack: the canary stays Suspended');
    expect(rounds(p)).toEqual([['seoul-1-canary']]);
    expect(p.stalled).toBe(true);
    expect(p.final['seoul-1-canary']).toBe('Progressing');
    expect(Object.entries(p.final).filter(([n]) => n !== 'seoul-1-canary').every(([, s]) => s === 'Waiting')).toBe(true);
  });

  test('seed, maxUpdate 1: the rest of the wave does not sync and the next wave does not start', () => {
    const p = progression('seed: the first canary stays Suspended');
    expect(rounds(p)).toEqual([['seoul-1-canary']]);
    expect(p.stalled).toBe(true);
    expect(p.final).toEqual({
      'seoul-1-canary': 'Progressing',
      'seoul-2-canary': 'Waiting',
      'seoul-3-canary': 'Waiting',
      'seoul-4-canary': 'Waiting',
      'seoul-1-production': 'Waiting',
      'seoul-2-production': 'Waiting',
      'seoul-3-production': 'Waiting',
      'seoul-4-production': 'Waiting',
    });
  });

  test('seed, maxUpdate 1: once promoted (Healthy) the wave goes on, in the plan\'s order', () => {
    const p = progression('seed: the first canary is Suspended for 5 reconciles, then promoted');
    expect(rounds(p)).toEqual(seedCase.library.rounds);
    expect(p.stalled).toBe(false);
    // the next canary syncs only after the suspended one is Healthy (progressive status), later than without the pause
    expect(p.syncedAt['seoul-2-canary']).toBeGreaterThan(p.healthyAt['seoul-1-canary']);
    const fast = progression('seed: every Application Healthy after its sync');
    expect(p.healthyAt['seoul-1-canary'] - p.syncedAt['seoul-1-canary']).toBeGreaterThan(fast.healthyAt['seoul-1-canary'] - fast.syncedAt['seoul-1-canary']);
    expect(p.syncedAt['seoul-2-canary']).toBeGreaterThan(fast.syncedAt['seoul-2-canary']);
  });
});

describe('a Degraded Application (an aborted canary) keeps its maxUpdate slot', () => {
  test('seed, maxUpdate 1: the rest of the wave does not sync and the next wave does not start', () => {
    const p = progression('seed: the first canary stays Degraded');
    expect(rounds(p)).toEqual([['seoul-1-canary']]);
    expect(p.stalled).toBe(true);
    expect(p.final['seoul-1-canary']).toBe('Progressing');
    expect(Object.keys(p.syncedAt)).toEqual(['seoul-1-canary']);
  });

  test('seed, maxUpdate 1: once fixed (Healthy) the release completes in the plan\'s rounds', () => {
    const p = progression('seed: the first canary is Degraded for 4 reconciles, then fixed');
    expect(rounds(p)).toEqual(seedCase.library.rounds);
    expect(p.syncedAt['seoul-2-canary']).toBeGreaterThan(p.healthyAt['seoul-1-canary']);
  });

  test('stack, maxUpdate 2: the Degraded one holds one slot; the other slot goes on one at a time; the next wave never starts', () => {
    const p = progression('stack: a production canary in a maxUpdate 2 wave stays Degraded');
    expect(rounds(p)).toEqual([
      ['seoul-1-canary'],
      ['frankfurt-1-staging', 'seoul-2-staging'],
      ['seoul-3-production', 'seoul-4-production'],
      ['seoul-5-production'],
      ['seoul-6-production'],
    ]);
    expect(p.stalled).toBe(true);
    expect(p.final['seoul-3-production']).toBe('Progressing');
    expect(synced(p).some(n => n.startsWith('frankfurt-') && n.endsWith('-production'))).toBe(false);
  });
});

test('a slow Application: Argo CD starts the next one as soon as a slot frees, so the plan\'s batches are an upper bound of what runs together', () => {
  const p = progression('stack: a production canary in a maxUpdate 2 wave is slow (Progressing for 6 reconciles)');
  // the plan's wave 3 batches are [seoul-3, seoul-4], [seoul-5, seoul-6]; with seoul-3 slow, seoul-5 and seoul-6 each
  // take seoul-4's freed slot in turn, and the next wave starts only when seoul-3 is Healthy too
  expect(rounds(p).slice(2, 5)).toEqual([['seoul-3-production', 'seoul-4-production'], ['seoul-5-production'], ['seoul-6-production']]);
  expect(p.syncedAt['seoul-6-production']).toBeLessThan(p.healthyAt['seoul-3-production']);
  expect(p.syncedAt['frankfurt-2-production']).toBeGreaterThan(p.healthyAt['seoul-3-production']);
  expect(new Set(synced(p))).toEqual(new Set(stack.plan().waves.flatMap(w => w.applications)));
  expect(p.stalled).toBe(false);
});

describe('bake: the Rollout paused at full weight (Suspended) holds its slot and the next wave, once per round', () => {
  test('the rounds are the plan\'s batches; the next wave starts only after the baked canary is Healthy', () => {
    const p = progression('baked stack: the canary bakes 4 reconciles, each production Application 2');
    expect(bakedPlan().waves.map(w => w.bake?.toMinutes())).toEqual([30, 15]);
    expect(rounds(p)).toEqual(planRounds(bakedPlan()).rounds);
    expect(p.stalled).toBe(false);
    expect(p.syncedAt['prod-1-production']).toBeGreaterThan(p.healthyAt['canary-1-canary']);
    // inside the production wave (maxUpdate 2) the third Application waits for a baked slot to free
    expect(p.syncedAt['prod-3-production']).toBeGreaterThan(Math.min(p.healthyAt['prod-1-production'], p.healthyAt['prod-2-production']));
  });

  test('the bake delays the release by the bake once per round, as ReleaseEstimate counts it: 1 × 4 + 3 × 2 reconciles', () => {
    const p = progression('baked stack: the canary bakes 4 reconciles, each production Application 2');
    const fast = progression('baked stack: no bake (every Application Healthy after its sync)');
    // the canary wave: 1 round × 4 Suspended reconciles
    expect(p.syncedAt['prod-1-production'] - fast.syncedAt['prod-1-production']).toBe(4);
    // the production wave: 3 rounds (ceil(5 / 2)) × 2 Suspended reconciles on top
    const last = (x: ArgoProgression) => Math.max(...Object.values(x.healthyAt));
    expect(last(p) - last(fast)).toBe(1 * 4 + 3 * 2);
    expect(ReleaseEstimate.forRollout(bakedPlan(), { updateFacts: { minimum: stackPerApp() } }).waves.map(w => w.rounds)).toEqual([1, 3]);
  });
});

describe('frozen: maxUpdate 0 on every step', () => {
  test('Argo CD syncs nothing: no round, every Application Waiting, the release stalls — as the plan says', () => {
    const p = progression('frozen stack: a new revision to roll out');
    expect(rounds(p)).toEqual([]);
    expect(p.stalled).toBe(true);
    expect(Object.values(p.final)).toEqual(Array(6).fill('Waiting'));
    expect(frozenCase.library).toMatchObject({ frozen: true, rounds: [], stopsAtManualGate: true });
    expect(compareAppSet(frozenCase.library, answers['frozen stack: a new revision to roll out'])).toEqual([]);
    expect(frozen.plan().waves.every(w => w.manualGate && w.batches.length === 0)).toBe(true);
  });
});

test('the comparison the teardown runs fails on a release that does not follow the plan (a stalled one)', () => {
  const d = compareAppSet(seedCase.library, answers['seed: the first canary stays Suspended']);
  expect(d).toEqual([
    expect.stringMatching(/^release rounds \(every Application Healthy after its sync\): library plan \[\["seoul-1-canary"\],\["seoul-2-canary"\].*Argo CD \[\["seoul-1-canary"\]\]$/),
    'release stalls in Argo CD, but the library plan completes',
  ]);
});
