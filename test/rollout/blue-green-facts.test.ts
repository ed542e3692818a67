import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { TestTemplate } from './templates';
import {
  BlueGreenPromotion, BlueGreenRollout, BlueGreenRolloutProps, Fleet, MaxUpdate, PrometheusServer, ProgressiveDeliveryStack, ReleaseEstimate,
  RollingSyncStep, RolloutPlan, RolloutWorkload, SuccessRateAnalysis,
} from '../../src';
import { treeObjects } from '../stack/build';

function build(props: Partial<BlueGreenRolloutProps> = {}): BlueGreenRollout {
  return new BlueGreenRollout(Testing.chart(), 'web', {
    metadata: { name: 'web' },
    workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
    ...props,
  });
}

/** A template whose metrics take at least `minutes` (e.g. count 4 at a 1m interval: 3 minutes). */
const timed = (name: string, minutes: number) => new TestTemplate(name, [], [name], false, [], Duration.minutes(minutes), []);
/** A template of unknown duration. */
const untimed = new TestTemplate('smoke', [], ['smoke'], false, [], undefined, []);

/** 1 canary cluster (maxUpdate 1), then 4 production clusters 2 at a time. */
function plan(): RolloutPlan {
  const apps = (env: string, n: number) => Array.from({ length: n }, (_, i) => ({ name: `${env}-${i}`, labels: { env } }));
  return RolloutPlan.compute([
    RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
    RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(2)),
  ], [...apps('canary', 1), ...apps('production', 4)]);
}

describe('BlueGreenRollout facts', () => {
  test('timed auto-promotion: pre-promotion analysis + delay + post-promotion analysis, exact', () => {
    const r = build({
      promotion: BlueGreenPromotion.after(Duration.minutes(5)),
      prePromotionAnalysis: { templates: [untimed], expectedDuration: Duration.minutes(2) },
      postPromotionAnalysis: { templates: [timed('errors', 3), timed('latency', 4)] },
      scaleDownDelay: Duration.minutes(10),
    });
    const d = r.duration;
    // 2m (expectedDuration) + 5m (autoPromotionSeconds) + 4m (the longer of the two merged templates: they run in one AnalysisRun)
    expect(d.minimum.toSeconds()).toBe(660);
    expect([d.promotionDelay.toSeconds(), d.analyses.toSeconds(), d.unknownAnalyses, d.waitsForPromotion, d.exact])
      .toEqual([300, 360, [], false, true]);
    // the old version's 10 minutes after the switch are reported, not counted (the Rollout is Healthy by then)
    expect(d.scaleDownDelay.toSeconds()).toBe(600);
    expect(r.blocksRollingSyncWave).toBe(false);
    expect(r.updateFacts).toEqual({ minimum: d.minimum, exact: true, manualGates: 0, inconclusivePauses: 0 });

    // the estimate: per cluster 11m + 1m start-up = 12m; rounds 1 (canary) + 2 (4 production, 2 at a time) = 3 -> 36m
    const e = ReleaseEstimate.forRollout(plan(), r, Duration.minutes(1));
    expect(e.waves.map(w => [w.rounds, w.duration.toMinutes()])).toEqual([[1, 12], [2, 24]]);
    expect(e.minimum.toMinutes()).toBe(36);
    expect([e.automatic, e.exact]).toEqual([true, true]);
    expect(e.describe()).toBe('wave 1: 1 application(s) in 1 round(s), 12m\nwave 2: 4 application(s) in 2 round(s), 24m\ntotal: 36m\n');
  });

  test('manual promotion: a manual gate, the estimate a lower bound that says so', () => {
    const r = build({
      promotion: BlueGreenPromotion.manual(),
      prePromotionAnalysis: { templates: [timed('smoke', 2)] },
    });
    const d = r.duration;
    // the wait for a person adds nothing to the minimum: 2m of analysis
    expect([d.minimum.toSeconds(), d.promotionDelay.toSeconds(), d.waitsForPromotion, d.exact]).toEqual([120, 0, true, false]);
    expect(d.scaleDownDelay.toSeconds()).toBe(30); // the controller's default
    expect(r.blocksRollingSyncWave).toBe(true);
    expect(r.updateFacts).toEqual({ minimum: d.minimum, exact: true, manualGates: 1, inconclusivePauses: 0 });

    // 3 rounds x (2m + 1m start-up) = 9m, at least
    const e = ReleaseEstimate.forRollout(plan(), r, Duration.minutes(1));
    expect(e.minimum.toMinutes()).toBe(9);
    expect([e.automatic, e.exact]).toEqual([false, false]);
    expect(e.describe()).toContain('total: at least 9m (every rollout also waits for a manual promotion;');
  });

  test('immediate promotion without analyses takes no time of its own; an analysis of unknown duration is not counted', () => {
    const plain = build().duration;
    expect([plain.minimum.toSeconds(), plain.exact, plain.waitsForPromotion]).toEqual([0, true, false]);
    const d = build({ prePromotionAnalysis: { templates: [untimed] }, postPromotionAnalysis: { templates: [timed('errors', 3)] } }).duration;
    expect([d.minimum.toSeconds(), d.unknownAnalyses, d.exact]).toEqual([180, ['prePromotionAnalysis'], false]);
  });

  test('a template that can end Inconclusive can pause the rollout for a person', () => {
    const nan = Object.assign(timed('rate', 3), { inconclusiveMetricNames: ['rate'] });
    const r = build({ postPromotionAnalysis: { templates: [nan] } });
    expect(r.updateFacts.inconclusivePauses).toBe(1);
    expect(r.analysisTemplates.map(t => t.templateName)).toEqual(['rate']);
  });

  test('in a stack: the templates are placed where the Rollout runs, and ROLLOUT-PLAN.md names the manual promotion', () => {
    const stack = new ProgressiveDeliveryStack({
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'stack-')),
      serviceName: 'shop',
      repoUrl: 'https://github.com/my-org/shop-deploy',
      fleet: new Fleet({
        clusters: ['canary-1:canary', 'prod-1:production', 'prod-2:production'].map(s => {
          const [name, env] = s.split(':');
          return { name, server: `https://${name}.example.com`, labels: { env } };
        }),
      }),
      environments: ['canary', 'production'],
      waves: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(1))],
      podStartup: Duration.minutes(1),
    });
    // the cluster's own Prometheus; count 3 at 1m: at least 2 minutes
    const t = new SuccessRateAnalysis(stack.service, 'success-rate', {
      metadata: { name: 'success-rate' },
      prometheus: PrometheusServer.fromAddress('http://prometheus.monitoring.svc:9090'),
      threshold: 0.95,
      interval: Duration.minutes(1),
      count: 3,
    });
    const web = new kplus.Deployment(stack.service, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/shop:1.0.0', portNumber: 8080 }] });
    new BlueGreenRollout(stack.service, 'rollout', {
      metadata: { name: 'shop' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 3,
      promotion: BlueGreenPromotion.manual(),
      prePromotionAnalysis: { templates: [t], args: { 'service-name': 'shop' } },
    });
    // per cluster 2m analysis + 1m start-up = 3m; 3 rounds (1 canary, 2 production one at a time) = 9m, a lower bound
    const d = stack.releaseDuration();
    expect([d.perApplication.toMinutes(), d.total.toMinutes(), d.lowerBound]).toEqual([3, 9, true]);
    const md = stack.releasePlan();
    expect(md).toContain('**Total: ≥ 9m** over 2 wave(s) and 3 Application(s)');
    expect(md).toContain('- Rollout "shop" blueGreen promotion (BlueGreenPromotion.manual(), autoPromotionEnabled: false): indefinite pause. '
      + 'The Application stays Suspended until `kubectl argo rollouts promote`');
    // the stack asks for no traffic router and the tree synthesizes (the template is in the service's own Application)
    const objs = treeObjects(stack.synthesizeTree()).map(x => x.obj);
    const ro = objs.find(o => o?.kind === 'Rollout');
    expect(ro.spec.strategy.blueGreen).toEqual({
      activeService: 'shop-active',
      previewService: 'shop-preview',
      autoPromotionEnabled: false,
      prePromotionAnalysis: { templates: [{ templateName: 'success-rate' }], args: [{ name: 'service-name', value: 'shop' }] },
    });
    expect(objs.filter(o => o?.kind === 'AnalysisTemplate').map(o => o.metadata.name)).toEqual(['success-rate']);
  });

  test('in a stack: a template nothing deploys where the blue-green Rollout runs is reported', () => {
    const stack = new ProgressiveDeliveryStack({
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'stack-')),
      serviceName: 'shop',
      repoUrl: 'https://github.com/my-org/shop-deploy',
      fleet: new Fleet({ clusters: [{ name: 'canary-1', server: 'https://canary-1.example.com', labels: { env: 'canary' } }] }),
      environments: ['canary'],
      waves: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1))],
    });
    new BlueGreenRollout(stack.service, 'rollout', {
      metadata: { name: 'shop' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'ghcr.io/my-org/shop:1.0.0', portNumber: 8080 }] }),
      postPromotionAnalysis: { templates: [timed('errors', 3)] },
    });
    expect(() => stack.synthesizeTree()).toThrow('templates "errors" is a AnalysisTemplate that nothing deploys where the Rollout runs');
  });
});
