import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { bakedStack, bakedWaves, blueGreenRollout, emptyStack, kustomizeTree, synthError, treeObjects, waveFleet as fleet } from './build';
import {
  BlueGreenPromotion, CanaryRollout, CanaryStep, MaxUpdate, ReleaseEstimate, RollingSyncStep, RolloutWorkload, TrafficRouting,
} from '../../src';
import { argoCdHealth, validateRollouts } from '../harness/conformance';
import { assertValidObjects } from '../harness/schema';

/**
 * Wave controls on the stack: a bake per wave (rendered into each cluster's overlay and counted in the plan),
 * frozen, per-environment pinned revisions, and the template passthroughs of the service's ApplicationSet.
 */


describe('the plan of a stack with bake times, and of the same stack frozen, by hand', () => {
  test('bakes: each round of a wave takes the canary, the pod start-up and the wave\'s bake', () => {
    const { stack, rollout } = bakedStack();
    // Per Application: timed pauses 10m + 5m = 15m (canary), + pod start-up 2m (default) = 17m = 1020s.
    // Wave 1 (canary): 1 Application, maxUpdate 1 -> ceil(1 / 1) = 1 round;  1 × (17m + bake 30m) = 47m = 2820s.
    // Wave 2 (production): 5 Applications, maxUpdate 2 -> ceil(5 / 2) = 3 rounds; 3 × (17m + bake 15m) = 96m = 5760s.
    // Total: 47m + 96m = 143m = 2h23m = 8580s. A lower bound: the success-rate metric can end Inconclusive (NaN).
    const d = stack.releaseDuration();
    expect(d.perApplication.toSeconds()).toBe(1020);
    expect(d.bakes.map(b => b.toSeconds())).toEqual([1800, 900]);
    expect(d.waves.map(w => w.toSeconds())).toEqual([2820, 5760]);
    expect(d.total.toSeconds()).toBe(8580);
    expect({ lowerBound: d.lowerBound, frozen: d.frozen }).toEqual({ lowerBound: true, frozen: false });

    const plan = stack.plan();
    expect(plan.waves.map(w => [w.batches, w.bake?.toMinutes()])).toEqual([
      [[['canary-1-canary']], 30],
      [[['prod-1-production', 'prod-2-production'], ['prod-3-production', 'prod-4-production'], ['prod-5-production']], 15],
    ]);
    // ReleaseEstimate from the Rollout's own facts gives the same numbers
    const estimate = ReleaseEstimate.forRollout(plan, rollout, Duration.minutes(2));
    expect(estimate.waves.map(w => [w.rounds, w.bake.toSeconds(), w.duration.toSeconds()])).toEqual([[1, 1800, 2820], [3, 900, 5760]]);
    expect(estimate.minimum.toSeconds()).toBe(8580);
    expect(estimate.describe().split('\n')[0]).toBe('wave 1: 1 application(s) in 1 round(s), 47m (each round bakes 30m)');

    const md = stack.releasePlan();
    expect(md).toContain('**Total: ≥ 2h23m** over 2 wave(s) and 6 Application(s)');
    expect(md).toContain('| 1 | env In [canary] | 1 | 1 | 1: canary-1-canary | ≥ 1 × (17m + bake 30m) = 47m |');
    expect(md).toContain('| ≥ 3 × (17m + bake 15m) = 1h36m |');
    expect(md).toContain('The background analysis keeps running through the bake and aborts the Rollout (Degraded, holding the wave) if it fails.');
    // the gantt bars: 17m + 30m = 2820s, 17m + 15m = 1920s
    expect(md).toContain('canary-1-canary :w1b1, 0, 2820s');
    expect(md).toContain('prod-5-production :w2b3, after w2b2, 1920s');
  });

  test('frozen: every step of every ApplicationSet of the stack has maxUpdate 0; the plan says no wave proceeds instead of a duration', () => {
    const { stack, rollout } = bakedStack({ frozen: true });
    const tree = stack.synthesizeTree();
    assertValidObjects(treeObjects(tree).map(o => o.obj));
    const appSets = treeObjects(tree).map(o => o.obj).filter(o => o.kind === 'ApplicationSet');
    expect(appSets.map(a => a.metadata.name).sort()).toEqual(['argo-rollouts', 'shop', 'shop-platform']);
    for (const a of appSets) expect(a.spec.strategy.rollingSync.steps.map((s: any) => s.maxUpdate)).toEqual([0, 0]);
    const d = stack.releaseDuration();
    // Frozen: nothing is promoted, so there is no duration to add up: 0, flagged frozen (and a lower bound).
    expect({ frozen: d.frozen, total: d.total.toSeconds(), lowerBound: d.lowerBound }).toEqual({ frozen: true, total: 0, lowerBound: true });
    // no wave has a round while frozen (Argo CD promotes nothing), so no wave has a duration
    expect(d.waves.map(w => w.toSeconds())).toEqual([0, 0]);
    const md = tree['ROLLOUT-PLAN.md'];
    expect(md).toContain('**Frozen: no wave proceeds.** Every RollingSync step is rendered with maxUpdate 0, so Argo CD starts no sync of the 6 Application(s)');
    expect(md).not.toContain('**Total:');
    expect(md).toContain('| 2 | env In [production] | 0 (frozen; 2 when unfrozen) | 5 | frozen: prod-1-production, prod-2-production, prod-3-production, prod-4-production, prod-5-production wait | frozen |');
    expect(md).toContain('- Frozen: every step has maxUpdate 0 (Argo CD promotes nothing); the release waits until the stack is unfrozen.');
    const estimate = ReleaseEstimate.forRollout(stack.plan(), rollout, Duration.minutes(2));
    expect({ frozen: estimate.frozen, minimum: estimate.minimum.toSeconds(), automatic: estimate.automatic })
      .toEqual({ frozen: true, minimum: 0, automatic: false });
  });
});

describe('the bake is rendered per wave, in each cluster\'s overlay', () => {
  const { stack } = bakedStack();
  const tree = stack.synthesizeTree();
  assertValidObjects(treeObjects(tree).map(o => o.obj));
  const build = kustomizeTree(tree, 'bake-');

  test('kustomize builds each overlay into the base Rollout plus the wave\'s final pause (the base already ends at full weight)', () => {
    const base = treeObjects(tree).map(o => o.obj).find(o => o.kind === 'Rollout');
    expect(base.spec.strategy.canary.steps).toHaveLength(5);
    const canary = build('k8s/overlays/canary/canary-1');
    assertValidObjects(canary);
    const rollout = canary.find(o => o.kind === 'Rollout');
    expect(rollout.spec.strategy.canary.steps).toEqual([...base.spec.strategy.canary.steps, { pause: { duration: '30m' } }]);
    expect(rollout.spec.strategy.canary.analysis.templates).toEqual([{ templateName: 'success-rate', clusterScope: true }]);
    const prod = build('k8s/overlays/production/prod-3').find(o => o.kind === 'Rollout');
    expect(prod.spec.strategy.canary.steps.slice(5)).toEqual([{ pause: { duration: '15m' } }]);
  });

  test('Argo Rollouts accepts the baked Rollout (ValidateRollout and references), and Argo CD reports it Suspended during the bake', () => {
    const objects = [...build('k8s/overlays/canary/canary-1'), ...build('platform/shop')];
    const verdicts = validateRollouts(objects, 'baked canary overlay');
    expect(verdicts.map(v => [v.name, v.errors])).toEqual([['shop', []]]);
    const rollout = objects.find(o => o.kind === 'Rollout');
    const bakeStep = rollout.spec.strategy.canary.steps.length - 1;
    const status = (extra: any) => ({
      ...rollout,
      metadata: { ...rollout.metadata, generation: 1 },
      status: {
        observedGeneration: '1',
        currentPodHash: 'abc',
        stableRS: 'old',
        replicas: 3,
        updatedReplicas: 3,
        availableReplicas: 3,
        readyReplicas: 3,
        conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }],
        ...extra,
      },
    });
    // the controller pauses at the bake step: a pause condition, Argo CD's Rollout health check says Suspended
    const baking = argoCdHealth([status({
      currentStepIndex: bakeStep,
      phase: 'Paused',
      message: 'CanaryPauseStep',
      controllerPause: true,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-11-30T12:00:00Z' }],
    })]);
    expect(baking.application).toBe('Suspended');
    // after the bake the steps are done and the canary is the stable ReplicaSet: Healthy, the slot frees
    expect(argoCdHealth([status({ currentStepIndex: bakeStep + 1, phase: 'Healthy', message: '', stableRS: 'abc' })]).application).toBe('Healthy');
  });

  test('a canary that does not end at full weight gets setWeight 100 before the pause; only the baked wave\'s overlays change', () => {
    const s = emptyStack({ fleet: fleet(), waves: [bakedWaves()[0], RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(2))] });
    const web = new kplus.Deployment(s.service, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/shop:1.0.0', portNumber: 8080 }] });
    new CanaryRollout(s.service, 'rollout', {
      metadata: { name: 'shop' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 3,
      trafficRouting: TrafficRouting.istio({ virtualService: 'shop', routes: ['primary'], createVirtualService: { hosts: ['shop.example.com'] } }),
      steps: [CanaryStep.setWeight(20), CanaryStep.pause(Duration.minutes(10))],
    });
    const t = s.synthesizeTree();
    expect(t['k8s/overlays/canary/canary-1/kustomization.yaml']).toContain(
      '      - {"op":"add","path":"/spec/strategy/canary/steps/-","value":{"setWeight":100}}\n'
      + '      - {"op":"add","path":"/spec/strategy/canary/steps/-","value":{"pause":{"duration":"30m"}}}');
    expect(t['k8s/overlays/production/prod-1/kustomization.yaml']).not.toContain('"op"');
    expect(t['ROLLOUT-PLAN.md']).toContain('Rollout `shop` has no background analysis: its bake only waits (nothing aborts it automatically).');
  });

  test('the platform and the Argo Rollouts ApplicationSets roll out in the same waves without a bake', () => {
    expect(stack.platformAppSet.steps.map(w => w.bake)).toEqual([undefined, undefined]);
    expect(stack.bootstrapAppSet!.steps.map(w => w.bake)).toEqual([undefined, undefined]);
    expect(stack.appSet.steps.map(w => w.bake?.toMinutes())).toEqual([30, 15]);
  });
});

test('a bake on a stack without a Rollout is a synth error (nothing would wait)', () => {
  expect(synthError(emptyStack({ fleet: fleet(), waves: bakedWaves() }))).toContain(
    'waves[0] is a bake of 1800s, but stack.service has no Rollout; expected a canary Rollout in stack.service');
});

test('a bake on a stack whose Rollout is not a canary is a synth error naming the alternative', () => {
  const stack = emptyStack({ fleet: fleet(), waves: bakedWaves() });
  new ApiObject(stack.service, 'bg', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'shop' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'shop' } },
      template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'web', image: 'ghcr.io/my-org/shop:1.0.0' }] } },
      strategy: { blueGreen: { activeService: 'shop-active' } },
    },
  });
  expect(synthError(stack)).toContain('waves[0] is a bake of 1800s, but Rollout "shop" (shop/bg) is not a canary (strategy ["blueGreen"]); '
    + 'expected only canary Rollouts in a stack whose waves bake');
  expect(synthError(stack)).toContain('Fix: for a blue-green Rollout hold the wave in the Rollout itself: BlueGreenRollout promotion BlueGreenPromotion.after(<bake>)');
});

test('a bake on a stack whose Rollout is a BlueGreenRollout is a synth error naming BlueGreenPromotion.after() as the alternative', () => {
  const stack = emptyStack({ fleet: fleet(), waves: bakedWaves() });
  blueGreenRollout(stack, { promotion: BlueGreenPromotion.automatic() });
  const err = synthError(stack)!;
  expect(err).toContain('[shop] waves[0] is a bake of 1800s, but Rollout "shop" (shop/shop-rollout/Resource) is not a canary (strategy ["blueGreen"]); '
    + 'expected only canary Rollouts in a stack whose waves bake');
  expect(err).toContain('Fix: for a blue-green Rollout hold the wave in the Rollout itself: BlueGreenRollout promotion BlueGreenPromotion.after(<bake>) '
    + '(autoPromotionSeconds) with a pre-promotion analysis keeps it Suspended until it promotes; drop withBake() from the waves; or use a CanaryRollout');
  // the alternative it names synthesizes: the same stack without the bake, the Rollout holding the wave itself
  const fixed = emptyStack({
    fleet: fleet(),
    waves: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(2))],
  });
  blueGreenRollout(fixed, { promotion: BlueGreenPromotion.after(Duration.minutes(30)) });
  expect(synthError(fixed)).toBeUndefined();
});

describe('environmentRevisions on the stack', () => {
  test('the service and platform Applications track their environment\'s revision; the root keeps targetRevision; the plan lists them', () => {
    const { stack } = bakedStack({ environmentRevisions: { canary: 'v1.5.0', production: 'v1.4.2' } });
    const tree = stack.synthesizeTree();
    const objs = treeObjects(tree).map(o => o.obj);
    assertValidObjects(objs);
    const byName = (n: string) => objs.find(o => o.kind === 'ApplicationSet' && o.metadata.name === n);
    for (const n of ['shop', 'shop-platform']) {
      expect(byName(n).spec.template.spec.source.targetRevision).toBe('{{.revision}}');
      expect(byName(n).spec.generators[0].matrix.generators[0].list.elements).toEqual([
        { env: 'canary', revision: 'v1.5.0' }, { env: 'production', revision: 'v1.4.2' },
      ]);
    }
    expect(objs.find(o => o.kind === 'Application').spec.source.targetRevision).toBe('HEAD');
    expect(stack.appSet.generatedApplications().map(a => `${a.name}@${a.targetRevision}`)).toEqual([
      'canary-1-canary@v1.5.0', ...[1, 2, 3, 4, 5].map(i => `prod-${i}-production@v1.4.2`),
    ]);
    const md = tree['ROLLOUT-PLAN.md'];
    expect(md).toContain('One release = one environment\'s new pinned revision (environmentRevisions)');
    expect(md).toContain('| Environment | Revision |\n| --- | --- |\n| canary | v1.5.0 |\n| production | v1.4.2 |');
  });

  test('rejected when an environment has no revision', () => {
    expect(() => bakedStack({ environmentRevisions: { canary: 'v1.5.0' } }))
      .toThrow('environmentRevisions is {"canary":"v1.5.0"}; expected a revision for every environment; environments[1] "production" has none');
  });
});

describe('template passthroughs through the stack', () => {
  test('ignoreDifferences joins the router\'s; ignoreApplicationDifferences and templatePatch reach the service ApplicationSet', () => {
    const { stack } = bakedStack({
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      ignoreApplicationDifferences: [{ jsonPointers: ['/spec/syncPolicy/retry'] }],
      templatePatch: 'metadata:\n  annotations:\n    example.com/env: "{{.env}}"\n',
    });
    const objs = treeObjects(stack.synthesizeTree()).map(o => o.obj);
    assertValidObjects(objs);
    const service = objs.find(o => o.kind === 'ApplicationSet' && o.metadata.name === 'shop');
    expect(service.spec.template.spec.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'shop', jqPathExpressions: ['.spec.http[].route[].weight'] },
    ]);
    expect(service.spec.ignoreApplicationDifferences).toEqual([{ jsonPointers: ['/spec/syncPolicy/retry'] }]);
    expect(service.spec.templatePatch).toBe('metadata:\n  annotations:\n    example.com/env: "{{.env}}"\n');
    expect(stack.appSet._renderedObjects()!.map(o => o.metadata.annotations['example.com/env'])).toEqual(['canary', ...Array(5).fill('production')]);
  });
});
