/**
 * BlueGreenRollout against Argo Rollouts' own validation (v1.9.1 validation.ValidateRollout +
 * ValidateRolloutReferencedResources, via conformance/rollouts): what the library synthesizes, with its Services and
 * AnalysisTemplates in the same synthesis, is accepted; and the library's output changed (bypassing the library) into
 * what the library rejects is rejected by the controller with the message the library quotes.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import {
  BlueGreenPromotion, BlueGreenRollout, BlueGreenServices, CanaryAntiAffinity, PrometheusServer, RolloutWorkload, SuccessRateAnalysis,
} from '../../src';
import { validateRollouts } from '../harness/conformance';

function synthesized(): any[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc:9090');
  const pre = new SuccessRateAnalysis(chart, 'smoke', { metadata: { name: 'smoke' }, prometheus, threshold: 0.99, interval: Duration.seconds(30), count: 4 });
  const post = new SuccessRateAnalysis(chart, 'success-rate', { metadata: { name: 'success-rate' }, prometheus, threshold: 0.95, interval: Duration.minutes(1), count: 5 });
  new BlueGreenRollout(chart, 'web', {
    metadata: { name: 'web' },
    replicas: 4,
    revisionHistoryLimit: 4,
    workload: RolloutWorkload.fromPodTemplate({ selectorLabels: { app: 'web' }, containers: [{ image: 'ghcr.io/acme/web:1.0.0', portNumber: 8080 }] }),
    services: BlueGreenServices.create({ port: 80 }),
    promotion: BlueGreenPromotion.after(Duration.minutes(5)),
    previewReplicaCount: 2,
    scaleDownDelayRevisionLimit: 2,
    abortScaleDownDelay: Duration.seconds(60),
    prePromotionAnalysis: { templates: [pre], args: { 'service-name': 'web-preview' } },
    postPromotionAnalysis: { templates: [post], args: { 'service-name': 'web-active' } },
    antiAffinity: CanaryAntiAffinity.required(),
    activeMetadata: { labels: { role: 'active' } },
    previewMetadata: { labels: { role: 'preview' } },
  });
  return Testing.synth(chart);
}

const errorsOf = (objs: any[]) => validateRollouts(objs).flatMap(v => v.errors.map(e => e.message));

test('the controller accepts the synthesized Rollout and checks its Services and both analyses\' templates', () => {
  const objs = synthesized();
  const [v] = validateRollouts(objs);
  expect(v.errors).toEqual([]);
  expect(v.unresolved).toEqual([]);
  // active + preview Services, and the templates of the pre- and the post-promotion analysis
  expect(v.referenced).toMatchObject({ services: 2, analysisTemplates: 2 });
});

describe('what the library rejects, the controller rejects with the message the library quotes', () => {
  const mutate = (f: (bg: any, objs: any[]) => void): any[] => {
    const objs = JSON.parse(JSON.stringify(synthesized()));
    f(objs.find((o: any) => o.kind === 'Rollout').spec.strategy.blueGreen, objs);
    return objs;
  };

  test('B1: the same Service as active and preview', () => {
    expect(errorsOf(mutate(bg => { bg.previewService = bg.activeService; }))).toEqual([
      expect.stringContaining('This rollout uses the same service for the active and preview services, but two different services are required.'),
    ]);
  });

  test('B2: scaleDownDelayRevisionLimit above revisionHistoryLimit', () => {
    expect(errorsOf(mutate(bg => { bg.scaleDownDelayRevisionLimit = 5; }))).toEqual([
      expect.stringContaining('This rollout\'s revision history limit can not be smaller than the rollout\'s scale down limit'),
    ]);
  });

  test('R5: a pre-promotion arg the template needs, not passed', () => {
    expect(errorsOf(mutate(bg => { delete bg.prePromotionAnalysis.args; }))).toEqual([expect.stringContaining('args.service-name was not resolved')]);
  });

  test('R8: a post-promotion metric that runs indefinitely', () => {
    expect(errorsOf(mutate((_bg, objs) => {
      const t = objs.find((o: any) => o.kind === 'AnalysisTemplate' && o.metadata.name === 'success-rate');
      delete t.spec.metrics[0].count;
    }))).toEqual([expect.stringContaining('AnalysisTemplate success-rate has metric success-rate which runs indefinitely. Invalid value for count: <nil>')]);
  });

  test('control: B3-B5 are the library\'s own (the controller accepts them silently)', () => {
    expect(errorsOf(mutate(bg => { bg.autoPromotionEnabled = false; }))).toEqual([]); // with autoPromotionSeconds, which it then ignores
    expect(errorsOf(mutate(bg => { bg.previewReplicaCount = 9; }))).toEqual([]);
    expect(errorsOf(mutate(bg => { bg.scaleDownDelaySeconds = 1; }))).toEqual([]);
  });
});
