import { Duration } from 'cdk8s';
import { blueGreenRollout, centralSuccessRate, emptyStack, istioRollout, kustomizeTree, treeObjects } from './build';
import {
  BlueGreenPromotion, CanaryStep, JobAnalysis, NoDataPolicy, ProgressiveDeliveryStack, ReleaseEstimate, TemplateArgument, WebAnalysis,
} from '../../src';
import { conformanceBuilt, validateAnalysisTemplates, validateRollouts } from '../harness/conformance';
import { assertValidObjects } from '../harness/schema';

/**
 * A stack whose service is a BlueGreenRollout, or a canary and a blue-green Rollout gated by web and job analyses: the
 * release plan, the tree, and where the templates land.
 */

const go = conformanceBuilt('rollouts-validate') ? test : test.skip;

/** A namespaced web smoke test: 3 requests 30 s apart (a minimum of (3 - 1) × 30 s = 1m), never Inconclusive. */
function smoke(stack: ProgressiveDeliveryStack, count = 3): WebAnalysis {
  return new WebAnalysis(stack.service, 'smoke', {
    metadata: { name: 'smoke' },
    url: 'http://{{args.service-name}}-preview.shop.svc:8080/healthz',
    args: [TemplateArgument.required('service-name')],
    jsonPath: '{$.status}',
    successCondition: 'result == "ok"',
    count,
    interval: Duration.seconds(30),
  });
}

/** The blue-green service of the plan tests: success rate before the switch, a web smoke test after it. */
function blueGreenStack(promotion: BlueGreenPromotion) {
  const stack = emptyStack({ podStartup: Duration.minutes(1) });
  // count 3 at 1m: a minimum of (3 - 1) × 1m = 2m; Failed (not Inconclusive) on NaN and on an empty result
  const rate = centralSuccessRate(stack.platform, undefined, { failureLimit: undefined, onNaN: NoDataPolicy.FAIL, onEmptyResult: NoDataPolicy.FAIL });
  const rollout = blueGreenRollout(stack, {
    promotion,
    prePromotionAnalysis: { templates: [rate], args: { 'service-name': 'shop' }, argsFrom: { cluster: stack.clusterArg } },
    postPromotionAnalysis: { templates: [smoke(stack)], args: { 'service-name': 'shop' } },
  });
  return { stack, rollout };
}

describe('the release plan of a blue-green service, by hand', () => {
  test('promotion after 5m: the update is the pre-promotion analysis, the delay and the post-promotion analysis', () => {
    const { stack, rollout } = blueGreenStack(BlueGreenPromotion.after(Duration.minutes(5)));
    // Update: pre-promotion success rate 2m + promotion delay 5m + post-promotion smoke test (3 - 1) × 30s = 1m -> 8m.
    // Per Application: 8m + pod start-up 1m = 9m = 540s.
    // Wave 1 (canary): canary-1, maxUpdate 1 -> 1 round = 540s.  Wave 2 (production): prod-1, prod-2, maxUpdate 1 -> 2 rounds = 1080s.
    // Total: 540s + 1080s = 1620s = 27m, exact: no manual gate, no analysis that can end Inconclusive, every duration known.
    const d = stack.releaseDuration();
    expect(d.perApplication.toSeconds()).toBe(540);
    expect(d.waves.map(w => w.toSeconds())).toEqual([540, 1080]);
    expect(d.total.toSeconds()).toBe(1620);
    expect(d.lowerBound).toBe(false);
    // the Rollout's own facts give the same estimate
    expect(ReleaseEstimate.forRollout(stack.plan(), rollout, Duration.minutes(1)).minimum.toSeconds()).toBe(1620);

    const md = stack.releasePlan();
    expect(md).toContain('**Total: 27m** over 2 wave(s) and 3 Application(s).');
    expect(md).toContain('Per Application: 9m = blue-green update 8m (pre-promotion analysis 2m + promotion delay 5m + post-promotion analysis 1m) '
      + 'of Rollout "shop" + pod start-up 1m.');
    expect(md).not.toContain('canary steps');
    expect(md).toContain('| 2 | env In [production] | 1 | 2 | 1: prod-1-production<br>2: prod-2-production | 2 × 9m = 18m |');
    expect(md).toContain('- None: the release runs without a person when every analysis passes.');
    expect(md).toContain('Suspended (any canary pause, a blue-green Rollout waiting for its promotion)');
  });

  test('manual promotion: the promotion is named as a gate, not counted, and the total is a lower bound', () => {
    const { stack } = blueGreenStack(BlueGreenPromotion.manual());
    // Update: 2m + (manual promotion, not counted) + 1m = 3m; per Application 3m + 1m = 4m = 240s.
    // Rounds 1 + 2 = 3 -> 3 × 240s = 720s = 12m, at least: the Rollout waits at the switch for a person.
    const d = stack.releaseDuration();
    expect([d.perApplication.toSeconds(), ...d.waves.map(w => w.toSeconds()), d.total.toSeconds(), d.lowerBound]).toEqual([240, 240, 480, 720, true]);
    const md = stack.releasePlan();
    expect(md).toContain('**Total: ≥ 12m** over 2 wave(s) and 3 Application(s) — a lower bound: the gates listed below can hold a wave until a person acts.');
    expect(md).toContain('Per Application: 4m = blue-green update 3m (pre-promotion analysis 2m + manual promotion (a gate: `kubectl argo rollouts promote`, '
      + 'not counted) + post-promotion analysis 1m) of Rollout "shop" + pod start-up 1m.');
    expect(md).toContain('- Rollout "shop" blueGreen promotion (BlueGreenPromotion.manual(), autoPromotionEnabled: false): indefinite pause. '
      + 'The Application stays Suspended until `kubectl argo rollouts promote`');
  });
});

describe('a canary gated by a web smoke test and a blue-green Rollout gated by a Job, in one stack', () => {
  const stack = emptyStack();
  const web = smoke(stack);
  const job = new JobAnalysis(stack.service, 'load', {
    metadata: { name: 'load' },
    metricName: 'load',
    containers: [{ name: 'k6', image: 'grafana/k6:0.54.0', args: ['run', '/scripts/{{args.service-name}}.js'] }],
    args: [TemplateArgument.required('service-name')],
    activeDeadline: Duration.minutes(5),
  });
  // shop: setWeight 20, smoke test, pause 5m, setWeight 100
  istioRollout(stack, [web], [CanaryStep.pause(Duration.minutes(5))], false);
  blueGreenRollout(stack, {
    promotion: BlueGreenPromotion.after(Duration.minutes(2)),
    prePromotionAnalysis: { templates: [job], args: { 'service-name': 'admin' } },
  }, 'admin');
  const tree = stack.synthesizeTree();
  const objs = treeObjects(tree);

  test('the tree is strictly schema-valid; both templates land in k8s/base, synced before the Rollouts (sync-wave -1)', () => {
    assertValidObjects(objs.map(o => o.obj));
    const templates = objs.filter(o => o.obj.kind === 'AnalysisTemplate');
    expect(templates.map(t => t.path).sort()).toEqual(['k8s/base/analysistemplate-load.yaml', 'k8s/base/analysistemplate-smoke.yaml']);
    for (const t of templates) expect(t.obj.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(objs.filter(o => o.obj.kind === 'Rollout').map(o => [o.path.split('/')[0], o.obj.metadata.name, Object.keys(o.obj.spec.strategy)[0]]).sort())
      .toEqual([['k8s', 'admin', 'blueGreen'], ['k8s', 'shop', 'canary']]);
    // the Job is the template's spec, never an object of the tree; nothing of the service reaches the platform
    expect(objs.some(o => o.obj.kind === 'Job')).toBe(false);
    expect(objs.filter(o => o.path.startsWith('platform/'))).toEqual([]);
  });

  const build = kustomizeTree(tree, 'bg-web-job-');

  test('kustomize builds every Application path into schema-valid objects with both templates and both Rollouts', () => {
    expect(stack.overlays).toEqual(['k8s/overlays/canary/canary-1', 'k8s/overlays/production/prod-1', 'k8s/overlays/production/prod-2']);
    for (const overlay of [...stack.overlays, 'platform/shop']) {
      const built = build(overlay);
      assertValidObjects(built);
      if (overlay.startsWith('platform/')) continue;
      expect(built.filter(o => o.kind === 'AnalysisTemplate').map(o => o.metadata.name).sort()).toEqual(['load', 'smoke']);
      const cluster = overlay.split('/').pop();
      for (const r of built.filter(o => o.kind === 'Rollout')) {
        expect(r.metadata.annotations['progressive-delivery.cdk8s.io/cluster']).toBe(cluster);
      }
      const admin = built.find(o => o.kind === 'Rollout' && o.metadata.name === 'admin');
      expect(admin.spec.strategy.blueGreen.prePromotionAnalysis).toEqual({ templates: [{ templateName: 'load' }], args: [{ name: 'service-name', value: 'admin' }] });
      const shop = built.find(o => o.kind === 'Rollout' && o.metadata.name === 'shop');
      expect(shop.spec.strategy.canary.steps[1].analysis.templates).toEqual([{ templateName: 'smoke' }]);
    }
  });

  go('Argo Rollouts accepts both Rollouts of a built overlay with their templates (ValidateRollout, references, AnalysisRun checks)', () => {
    const built = build('k8s/overlays/production/prod-1');
    const rollouts = validateRollouts(built, 'web + job stack').map(v => [v.name, v.errors, v.unresolved, v.referenced.services, v.referenced.analysisTemplates]);
    // each Rollout resolves its two Services and its one template in the built overlay
    expect(rollouts.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([['admin', [], [], 2, 1], ['shop', [], [], 2, 1]]);
    const templates = validateAnalysisTemplates(built, 'web + job stack').map(v => [v.name, v.errors]);
    expect(templates.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([['load', []], ['smoke', []]]);
  });

  test('the plan counts the smoke test and says the Job\'s run time is not counted (a lower bound)', () => {
    // shop: pause 5m + smoke test (3 - 1) × 30s = 1m -> 6m; admin: Job count 1 -> 0s + promotion delay 2m -> 2m. The longer: 6m.
    // Per Application: 6m + pod start-up 2m = 8m; rounds 1 + 2 = 3 -> 24m, at least: the Job's run time is unknown.
    const d = stack.releaseDuration();
    expect([d.perApplication.toMinutes(), d.total.toMinutes(), d.lowerBound]).toEqual([8, 24, true]);
    const md = tree['ROLLOUT-PLAN.md'];
    expect(md).toContain('**Total: ≥ 24m** over 2 wave(s) and 3 Application(s) — a lower bound: the durations listed below as not counted add to it.');
    expect(md).toContain('Per Application: 8m = canary steps 6m (timed pauses 5m + the analyses\' minimum durations 1m) of Rollout "shop", '
      + 'the longest of the service\'s 2 Rollouts + pod start-up 2m.');
    expect(md).toContain('- Rollout "admin" prePromotionAnalysis: template "load" metric "load": runs a Job per measurement; the Job\'s run time is not counted');
    expect(md).not.toContain('template "smoke" metric "smoke": runs a Job');
  });

  test('an expectedDuration counts the Job, and the plan is exact again', () => {
    const s = emptyStack();
    const j = new JobAnalysis(s.service, 'load', {
      metadata: { name: 'load' },
      metricName: 'load',
      containers: [{ name: 'k6', image: 'grafana/k6:0.54.0', args: ['run', '/scripts/admin.js'] }],
      activeDeadline: Duration.minutes(5),
    });
    blueGreenRollout(s, { prePromotionAnalysis: { templates: [j], expectedDuration: Duration.minutes(4) } });
    // 4m (expected) + automatic promotion 0s + pod start-up 2m = 6m; 3 rounds = 18m
    const d = s.releaseDuration();
    expect([d.perApplication.toMinutes(), d.total.toMinutes(), d.lowerBound]).toEqual([6, 18, false]);
    expect(s.releasePlan()).not.toContain('runs a Job per measurement');
  });
});
