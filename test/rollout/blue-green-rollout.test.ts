import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { seedSuccessRateOpenEnded, successRate, TestTemplate } from './templates';
import {
  AnalysisArgValue, BlueGreenPromotion, BlueGreenRollout, BlueGreenRolloutProps, BlueGreenServices, CanaryAntiAffinity, CanaryRollout,
  CanaryServices, PodTemplateHash, RolloutWorkload, TrafficRouting, CanaryStep,
} from '../../src';

/** A blue-green rollout `web` (pod template on port 8080) in a fresh chart; throws constructor (single-prop) errors. */
function build(props: Partial<BlueGreenRolloutProps> = {}) {
  const chart = Testing.chart();
  const r = new BlueGreenRollout(chart, 'web', {
    metadata: { name: 'web' },
    workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
    ...props,
  });
  return { chart, r };
}

/** The synthesized Rollout's `spec.strategy.blueGreen`. */
function blueGreen(props: Partial<BlueGreenRolloutProps> = {}): any {
  const { chart } = build(props);
  return Testing.synth(chart).find(o => o.kind === 'Rollout').spec.strategy.blueGreen;
}

/** The synth-time (cross-object) error text, or '' when synth passes. */
function synthError(props: Partial<BlueGreenRolloutProps>): string {
  const { chart } = build(props);
  try {
    Testing.synth(chart);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

const serviceArgs = { 'service-name': 'web' };

describe('BlueGreenRollout renders', () => {
  test('defaults: created active and preview Services on the container port, the controller defaults left out', () => {
    const { chart, r } = build();
    const objs = Testing.synth(chart);
    const ro = objs.find(o => o.kind === 'Rollout');
    expect(ro.spec.strategy).toEqual({ blueGreen: { activeService: 'web-active', previewService: 'web-preview' } });
    expect(ro.spec.replicas).toBe(1);
    expect(ro.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    const services = objs.filter(o => o.kind === 'Service');
    expect(services.map(s => [s.metadata.name, s.spec.selector, s.spec.ports[0].port, s.spec.ports[0].targetPort])).toEqual([
      ['web-active', { app: 'web' }, 8080, 8080],
      ['web-preview', { app: 'web' }, 8080, 8080],
    ]);
    expect([r.activeServiceName, r.previewServiceName, r.activeService?.name, r.previewService?.name]).toEqual(['web-active', 'web-preview', 'web-active', 'web-preview']);
    expect(r.blocksRollingSyncWave).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  test('every option in its field, durations in whole seconds', () => {
    const pre = new TestTemplate('smoke', [{ name: 'service-name' }], ['smoke'], false, [], undefined, []);
    const bg = blueGreen({
      replicas: 4,
      revisionHistoryLimit: 5,
      promotion: BlueGreenPromotion.after(Duration.minutes(2)),
      previewReplicaCount: 1,
      scaleDownDelay: Duration.minutes(1),
      scaleDownDelayRevisionLimit: 2,
      abortScaleDownDelay: Duration.seconds(0),
      prePromotionAnalysis: { templates: [pre], args: serviceArgs },
      postPromotionAnalysis: {
        templates: [successRate],
        argsFrom: { 'service-name': AnalysisArgValue.fieldRef('metadata.labels[\'app\']') },
        analysisRunLabels: { phase: 'post' },
      },
      antiAffinity: CanaryAntiAffinity.preferred(50),
      activeMetadata: { labels: { role: 'active' } },
      previewMetadata: { annotations: { 'example.com/preview': 'yes' } },
    });
    expect(bg).toEqual({
      activeService: 'web-active',
      previewService: 'web-preview',
      autoPromotionSeconds: 120,
      previewReplicaCount: 1,
      scaleDownDelaySeconds: 60,
      scaleDownDelayRevisionLimit: 2,
      abortScaleDownDelaySeconds: 0,
      prePromotionAnalysis: { templates: [{ templateName: 'smoke' }], args: [{ name: 'service-name', value: 'web' }] },
      postPromotionAnalysis: {
        templates: [{ templateName: 'success-rate' }],
        args: [{ name: 'service-name', valueFrom: { fieldRef: { fieldPath: 'metadata.labels[\'app\']' } } }],
        analysisRunMetadata: { labels: { phase: 'post' } },
      },
      antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } },
      activeMetadata: { labels: { role: 'active' } },
      previewMetadata: { annotations: { 'example.com/preview': 'yes' } },
    });
  });

  test('manual promotion renders autoPromotionEnabled: false; automatic() renders nothing (the controller default)', () => {
    expect(blueGreen({ promotion: BlueGreenPromotion.manual() }).autoPromotionEnabled).toBe(false);
    const auto = blueGreen({ promotion: BlueGreenPromotion.automatic() });
    expect(auto.autoPromotionEnabled).toBeUndefined();
    expect(auto.autoPromotionSeconds).toBeUndefined();
  });

  test('existing Services by name, with or without a preview; a created active Service only', () => {
    const named = build({ services: BlueGreenServices.fromNames('shop', 'shop-next') });
    const objs = Testing.synth(named.chart);
    expect(objs.filter(o => o.kind === 'Service')).toEqual([]);
    expect(objs.find(o => o.kind === 'Rollout').spec.strategy.blueGreen).toEqual({ activeService: 'shop', previewService: 'shop-next' });
    expect(blueGreen({ services: BlueGreenServices.fromNames('shop') })).toEqual({ activeService: 'shop' });
    const { chart } = build({ services: BlueGreenServices.create({ preview: false, port: 80 }) });
    const created = Testing.synth(chart);
    expect(created.find(o => o.kind === 'Rollout').spec.strategy.blueGreen).toEqual({ activeService: 'web-active' });
    expect(created.filter(o => o.kind === 'Service').map(s => [s.metadata.name, s.spec.ports[0].port, s.spec.ports[0].targetPort])).toEqual([['web-active', 80, 8080]]);
  });

  test('a workloadRef to a Deployment, in the Deployment\'s namespace', () => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'dep', { metadata: { namespace: 'shop' }, replicas: 0, containers: [{ image: 'img', portNumber: 8080 }] });
    new BlueGreenRollout(chart, 'web', { metadata: { name: 'web', namespace: 'shop' }, workload: RolloutWorkload.fromDeployment(dep) });
    const ro = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(ro.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.name });
    expect(ro.spec.selector.matchLabels).toEqual(dep.matchLabels);
  });

  test('a scale-down delay under the controller\'s recommended 30 s is a warning', () => {
    const { r } = build({ scaleDownDelay: Duration.seconds(10) });
    expect(r.warnings).toEqual([expect.stringContaining('scaleDownDelay 10s is below the 30 s the controller recommends')]);
  });
});

describe('BlueGreenRollout rejects in the constructor', () => {
  test('B1: the same Service as active and preview (created or by name)', () => {
    const msg = 'expected two different Services (controller: This rollout uses the same service for the active and preview services, '
      + 'but two different services are required.)';
    expect(() => build({ services: BlueGreenServices.create({ activeName: 'web', previewName: 'web' }) })).toThrow(msg);
    expect(() => build({ services: BlueGreenServices.fromNames('web', 'web') })).toThrow(msg);
  });

  test('B2: scaleDownDelayRevisionLimit above revisionHistoryLimit (given, or the default 10)', () => {
    expect(() => build({ scaleDownDelayRevisionLimit: 3, revisionHistoryLimit: 2 })).toThrow(
      'scaleDownDelayRevisionLimit is 3 with revisionHistoryLimit 2; expected at most revisionHistoryLimit (controller: This rollout\'s revision '
      + 'history limit can not be smaller than the rollout\'s scale down limit). Fix: lower scaleDownDelayRevisionLimit to 2 or less, or raise revisionHistoryLimit');
    expect(() => build({ scaleDownDelayRevisionLimit: 11 })).toThrow('scaleDownDelayRevisionLimit is 11 with revisionHistoryLimit 10 (the controller\'s default)');
    expect(() => build({ scaleDownDelayRevisionLimit: 10 })).not.toThrow();
    expect(() => build({ scaleDownDelayRevisionLimit: -1 })).toThrow('scaleDownDelayRevisionLimit is -1; expected a non-negative integer');
  });

  test('B4: previewReplicaCount outside 1..replicas', () => {
    expect(() => build({ replicas: 3, previewReplicaCount: 4 })).toThrow('previewReplicaCount is 4 with replicas 3; expected a whole pod count 1..3 (replicas)');
    expect(() => build({ replicas: 3, previewReplicaCount: 0 })).toThrow('previewReplicaCount is 0 with replicas 3; expected a whole pod count 1..3');
    expect(() => build({ replicas: 3, previewReplicaCount: 1.5 })).toThrow('previewReplicaCount is 1.5 with replicas 3');
    expect(() => build({ replicas: 3, previewReplicaCount: 3 })).not.toThrow();
  });

  test('a promotion delay that is not at least one whole second', () => {
    expect(() => build({ promotion: BlueGreenPromotion.after(Duration.seconds(0)) })).toThrow(
      'promotion.delay is 0s; expected at least 1 second (the controller reads autoPromotionSeconds 0 as no delay). '
      + 'Fix: use BlueGreenPromotion.automatic() to switch at once');
    expect(() => build({ promotion: BlueGreenPromotion.after(Duration.millis(1500)) })).toThrow(
      'promotion.delay is 1500ms; expected a whole number of seconds (the controller truncates to seconds)');
  });

  test('C39: an anti-affinity weight outside 1..100', () => {
    expect(() => build({ antiAffinity: CanaryAntiAffinity.preferred(0) })).toThrow('(controller: AntiAffinity weight must be between 1-100)');
  });

  test('S8 and whole seconds: the progress deadline and the delays', () => {
    expect(() => build({ progressDeadline: Duration.seconds(30), minReady: Duration.seconds(30) })).toThrow(
      '(controller: progressDeadlineSeconds must be greater than minReadySeconds)');
    expect(() => build({ scaleDownDelay: Duration.millis(2500) })).toThrow('scaleDownDelay is 2500ms; expected a whole number of seconds');
    expect(() => build({ abortScaleDownDelay: Duration.millis(100) })).toThrow('abortScaleDownDelay is 100ms; expected a whole number of seconds');
  });

  test('bad names: the Rollout, the Services, a preview name without a preview', () => {
    expect(() => build({ metadata: { name: 'Web' } })).toThrow('metadata.name is "Web"');
    expect(() => build({ services: BlueGreenServices.create({ activeName: 'Shop_Active' }) })).toThrow('services.activeName is "Shop_Active"; expected a Service name');
    expect(() => build({ services: BlueGreenServices.fromNames('shop', 'Shop.Next') })).toThrow('services.previewName is "Shop.Next"; expected a Service name');
    expect(() => build({ services: BlueGreenServices.create({ preview: false, previewName: 'web-next' }) })).toThrow(
      'services.previewName is "web-next" with preview: false; expected no preview name when no preview Service is created');
  });

  test('a created Service without a port', () => {
    const chart = Testing.chart();
    expect(() => new BlueGreenRollout(chart, 'web', {
      metadata: { name: 'web' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }] }),
    })).toThrow('services.port is missing; expected a Service port (the workload\'s containers expose none). Fix: pass BlueGreenServices.create({ port })');
  });

  test('analysis options without templates or with a bad dry-run rule', () => {
    expect(() => build({ prePromotionAnalysis: { templates: [] } })).toThrow('prePromotionAnalysis.templates is empty; expected at least one analysis template');
    expect(() => build({ postPromotionAnalysis: { templates: [successRate], args: serviceArgs, dryRunMetrics: ['*'] } })).toThrow(
      'postPromotionAnalysis.dryRunMetrics[0] is "*"');
  });

  test('plain-JavaScript callers passing the wrong types get a ValidationError', () => {
    const chart = Testing.chart();
    const workload = RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] });
    const make = (props: any) => () => new BlueGreenRollout(chart, `r${Math.random().toString(36).slice(2, 8)}`, props);
    expect(make(undefined)).toThrow('props is missing; expected an object');
    expect(make({ metadata: { name: 'a' } })).toThrow('workload is missing; expected a RolloutWorkload. Fix: set workload (it is required)');
    expect(make({ workload, promotion: { autoPromotionEnabled: false } })).toThrow('promotion is {"autoPromotionEnabled":false} (an object); expected a BlueGreenPromotion. Fix: use BlueGreenPromotion.manual()');
    expect(make({ workload, services: 'web-active' })).toThrow('services is "web-active" (a string); expected a BlueGreenServices. Fix: use BlueGreenServices.create()');
    expect(make({ workload, scaleDownDelay: 30 })).toThrow('scaleDownDelay is 30 (a number); expected a Duration');
    expect(make({ workload, prePromotionAnalysis: 'smoke' })).toThrow('prePromotionAnalysis is "smoke" (a string); expected an object');
    expect(make({ workload, postPromotionAnalysis: { templates: successRate } })).toThrow('postPromotionAnalysis.templates is');
    expect(make({ workload, prePromotionAnalysis: { templates: [successRate], argz: {} } })).toThrow('prePromotionAnalysis.argz is an unknown option ({} (an object)); expected one of the documented options: templates, args');
    expect(make({ workload, previewReplicaCont: 1 })).toThrow('previewReplicaCont is an unknown option (1 (a number)); expected one of the documented options: metadata, workload,');
    expect(make({ workload, previewReplicaCont: 1 })).toThrow('Fix: did you mean "previewReplicaCount"?');
    // the factories check their arguments when called (the error names the factory, not the rollout using it)
    expect(() => BlueGreenPromotion.after(300 as any)).toThrow('BlueGreenPromotion.after: delay is 300 (a number); expected a Duration');
    expect(() => BlueGreenServices.create({ port: '80' as any })).toThrow('BlueGreenServices.create: port is "80" (a string); expected a number');
    expect(() => BlueGreenServices.create({ activName: 'web' } as any)).toThrow('BlueGreenServices.create: activName is an unknown option ("web" (a string)); expected one of the documented options: activeName, previewName, preview, port, targetPort. Fix: did you mean "activeName"?');
    expect(() => BlueGreenServices.fromNames(undefined as any)).toThrow('BlueGreenServices.fromNames: activeName is missing; expected a string');
    expect(() => BlueGreenServices.fromNames('web', 5 as any)).toThrow('BlueGreenServices.fromNames: previewName is 5 (a number); expected a string');
  });
});

describe('BlueGreenRollout rejects at synth', () => {
  test('R5: an arg a pre-promotion template needs and the Rollout does not pass', () => {
    expect(synthError({ prePromotionAnalysis: { templates: [successRate] } })).toContain(
      'prePromotionAnalysis.args is missing "service-name" (required by template(s) ["success-rate"]); expected a value for every arg the templates declare '
      + 'without a default (the controller marks the Rollout InvalidSpec/Degraded: args.service-name was not resolved)');
  });

  test('an arg no post-promotion template declares', () => {
    expect(synthError({ postPromotionAnalysis: { templates: [successRate], args: { ...serviceArgs, 'servce-name': 'web' } } })).toContain(
      'postPromotionAnalysis.args["servce-name"] is "web", but no referenced template declares "servce-name"');
  });

  test('R8: a pre- or post-promotion metric that runs indefinitely (only background analyses may)', () => {
    for (const prop of ['prePromotionAnalysis', 'postPromotionAnalysis'] as const) {
      expect(synthError({ [prop]: { templates: [seedSuccessRateOpenEnded], args: serviceArgs } })).toContain(
        `${prop}.templates[0] is template "success-rate" with metric(s) ["success-rate"] that run indefinitely (interval without count); `
        + 'expected metrics that end, because the step waits for the AnalysisRun to complete (controller: AnalysisTemplate success-rate has metric '
        + 'success-rate which runs indefinitely. Invalid value for count: <nil>)');
    }
  });

  test('R6 and R7: merged templates that disagree on an arg default or share a metric name', () => {
    const a = new TestTemplate('a', [{ name: 'window', defaultValue: '5m' }], ['rate'], false, [], undefined, []);
    const b = new TestTemplate('b', [{ name: 'window', defaultValue: '1m' }], ['rate'], false, [], undefined, []);
    const err = synthError({ prePromotionAnalysis: { templates: [a, b] } });
    expect(err).toContain('Argument `window` specified multiple times with different values: \'5m\', \'1m\'');
    expect(err).toContain('two metrics have the same name \'rate\'');
  });

  test('C37: a fieldRef into metadata the downward API cannot resolve', () => {
    expect(synthError({
      postPromotionAnalysis: { templates: [successRate], argsFrom: { 'service-name': AnalysisArgValue.fieldRef('metadata.generateName') } },
    })).toContain('(controller: Analyses arguments must refer to valid object metadata supported by downwardAPI)');
  });

  test('A13: a dry-run rule matching no metric', () => {
    expect(synthError({ prePromotionAnalysis: { templates: [successRate], args: serviceArgs, dryRunMetrics: ['latency'] } })).toContain(
      'prePromotionAnalysis.dryRunMetrics[0] is "latency"; expected a regex matching one of the metrics ["success-rate"] '
      + '(the AnalysisRun errors: Rule didn\'t match any metric name(s))');
  });

  test('B5: an explicit scale-down delay shorter than the post-promotion analysis', () => {
    const post = { templates: [successRate], args: serviceArgs, expectedDuration: Duration.minutes(10) };
    expect(synthError({ scaleDownDelay: Duration.minutes(5), postPromotionAnalysis: post })).toContain(
      'scaleDownDelay is 300s, shorter than the post-promotion analysis (at least 600s); expected a delay that outlasts the post-promotion analysis');
    // without a delay the controller waits for the analysis; a long enough delay is fine
    expect(synthError({ postPromotionAnalysis: post })).toBe('');
    expect(synthError({ scaleDownDelay: Duration.minutes(10), postPromotionAnalysis: post })).toBe('');
  });

  test('R3: a Service another Rollout of the namespace already pins (canary or blue-green)', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'shop', {
      metadata: { name: 'shop' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      services: CanaryServices.fromNames('shop', 'shop-canary'),
      trafficRouting: TrafficRouting.nginx({ stableIngress: 'shop' }),
      steps: [CanaryStep.setWeight(50)],
    });
    new BlueGreenRollout(chart, 'web', {
      metadata: { name: 'web' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      services: BlueGreenServices.fromNames('shop', 'web-preview'),
    });
    expect(() => Testing.synth(chart)).toThrow(
      'services is Service "shop", also used by Rollout "shop" (test/shop); expected a Service per Rollout (controller: Service "shop" is managed by '
      + 'another Rollout). Fix: give each Rollout its own active/preview Services');
  });

  test('the workload\'s own rules (a Deployment in another namespace)', () => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'dep', { metadata: { namespace: 'other' }, replicas: 0, containers: [{ image: 'img', portNumber: 8080 }] });
    new BlueGreenRollout(chart, 'web', { metadata: { name: 'web', namespace: 'shop' }, workload: RolloutWorkload.fromDeployment(dep) });
    expect(() => Testing.synth(chart)).toThrow('workload');
  });

  test('a valid pre- and post-promotion analysis passes, with a hash-scoped arg', () => {
    const hashed = new TestTemplate('smoke', [{ name: 'hash' }], ['smoke'], false, [], undefined, []);
    expect(synthError({
      prePromotionAnalysis: { templates: [hashed], argsFrom: { hash: AnalysisArgValue.podTemplateHash(PodTemplateHash.LATEST) } },
      postPromotionAnalysis: { templates: [successRate], args: serviceArgs },
    })).toBe('');
  });
});
