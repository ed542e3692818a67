import { Duration, Testing } from 'cdk8s';
import { build } from './build';
import { TestTemplate } from './templates';
import {
  CanaryStep, MaxUpdate, NoDataPolicy, PrometheusServer, ReleaseEstimate, RollingSyncStep, RolloutPlan, SuccessRateAnalysis, TrafficRouting,
} from '../../src';

const istio = TrafficRouting.istio({ virtualService: 'vs' });

describe('analysis duration through the typed IAnalysisTemplate.minimumDuration', () => {
  test('the longest template of a step counts; one unknown template makes the step unknown', () => {
    const five = new TestTemplate('a', [], ['a'], false, [], Duration.minutes(5), []);
    const two = new TestTemplate('b', [], ['b'], false, [], Duration.minutes(2), []);
    const { r } = build({
      trafficRouting: istio,
      steps: [
        CanaryStep.analysis({ templates: [five, two] }),
        CanaryStep.analysis({ templates: [two, new TestTemplate('c', [], ['c'])] }),
      ],
    });
    expect(r.canaryDuration.analyses.toMinutes()).toBe(5);
    expect(r.canaryDuration.unknownAnalysisSteps).toEqual([1]);
  });
});

describe('manual gates, duration and templates of the steps', () => {
  test('an indefinite pause is a manual gate that blocks the RollingSync wave and makes the duration a lower bound', () => {
    const { r } = build({
      trafficRouting: istio,
      steps: [
        CanaryStep.setWeight(10), CanaryStep.pause(Duration.minutes(2)), CanaryStep.pause(), CanaryStep.setWeight(50),
        CanaryStep.pause(Duration.seconds(30)),
      ],
    });
    expect(r.manualGates.map(g => g.stepIndex)).toEqual([2]);
    expect(r.manualGates[0].description).toContain('waits for `kubectl argo rollouts promote`');
    expect(r.blocksRollingSyncWave).toBe(true);
    expect(r.canaryDuration.timedPauses.toSeconds()).toBe(150);
    expect(r.canaryDuration.minimum.toSeconds()).toBe(150);
    expect(r.canaryDuration.waitsForPromotion).toBe(true);
    expect(r.canaryDuration.exact).toBe(false);
  });

  test('timed pauses and known analyses only: exact; expectedDuration wins over the templates', () => {
    const five = new TestTemplate('a', [], ['a'], false, [], Duration.minutes(5), []);
    const { r } = build({
      trafficRouting: istio,
      steps: [
        CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [five], expectedDuration: Duration.minutes(7) }),
        CanaryStep.pause(Duration.minutes(1)),
      ],
    });
    expect(r.manualGates).toEqual([]);
    expect(r.blocksRollingSyncWave).toBe(false);
    expect(r.canaryDuration.analyses.toMinutes()).toBe(7);
    expect(r.canaryDuration.minimum.toMinutes()).toBe(8);
    expect(r.canaryDuration.exact).toBe(true);
  });

  test('analysisTemplates lists step templates then background ones, each (scope, name) once', () => {
    const a = new TestTemplate('a');
    const clusterA = new TestTemplate('a', [], ['a'], true);
    const b = new TestTemplate('b');
    const { r } = build({
      trafficRouting: istio,
      steps: [CanaryStep.analysis({ templates: [a] }), CanaryStep.analysis({ templates: [clusterA, a] })],
      backgroundAnalysis: { templates: [b, a] },
    });
    expect(r.analysisTemplates.map(t => `${t.clusterScope}/${t.templateName}`)).toEqual(['false/a', 'true/a', 'false/b']);
  });
});

describe('updateFacts: what a release estimate needs from the rollout (issue 11 item 4)', () => {
  // One production wave of 4 Applications, 2 at a time: 2 rounds.
  const plan = RolloutPlan.compute([RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(2))],
    ['a', 'b', 'c', 'd'].map(name => ({ name, labels: { env: 'production' } })));

  test('timed pauses only: an exact estimate', () => {
    const steps = [CanaryStep.setWeight(10), CanaryStep.pause(Duration.minutes(10)), CanaryStep.setWeight(100)];
    const { r } = build({ trafficRouting: istio, steps });
    expect(r.updateFacts).toEqual({ minimum: expect.anything(), exact: true, manualGates: 0, inconclusivePauses: 0 });
    const e = ReleaseEstimate.forRollout(plan, r, Duration.minutes(2));
    expect(e.minimum.toMinutes()).toBe(24); // 2 rounds x (10m + 2m)
    expect(e.exact).toBe(true);
    expect(e.describe()).toContain('total: 24m');
  });

  test('an indefinite pause (as the README once used it) makes the total a lower bound, even with a 0 s minimum', () => {
    const { r } = build({ trafficRouting: istio, steps: [CanaryStep.setWeight(10), CanaryStep.pause(), CanaryStep.setWeight(100)] });
    expect(r.updateFacts.manualGates).toBe(1);
    expect(r.updateFacts.minimum.toSeconds()).toBe(0);
    const e = ReleaseEstimate.forRollout(plan, r);
    expect(e.automatic).toBe(false);
    expect(e.exact).toBe(false);
    expect(e.describe()).toContain('total: at least 0s (every rollout also waits for a manual promotion');
    expect(e.describe()).toContain('keeps its maxUpdate slot');
  });

  test('a success-rate analysis that is Inconclusive on NaN (no traffic) counts as a possible manual gate', () => {
    const chart = Testing.chart();
    const successRate = new SuccessRateAnalysis(chart, 'sr', {
      prometheus: PrometheusServer.fromAddress('https://prometheus.example.com'),
      threshold: 0.95,
      interval: Duration.minutes(1),
      count: 3,
    });
    expect(successRate.inconclusiveMetricNames).toEqual(successRate.metricNames);
    const failOnNaN = new SuccessRateAnalysis(chart, 'strict', {
      metadata: { name: 'strict' },
      prometheus: PrometheusServer.fromAddress('https://prometheus.example.com'),
      threshold: 0.95,
      interval: Duration.minutes(1),
      count: 3,
      onNaN: NoDataPolicy.FAIL,
    });
    expect(failOnNaN.inconclusiveMetricNames).toEqual([]);
    const { r } = build({
      trafficRouting: istio,
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'web' } }), CanaryStep.setWeight(100)],
    });
    expect(r.updateFacts).toMatchObject({ exact: true, manualGates: 0, inconclusivePauses: 1 });
    expect(r.updateFacts.minimum.toMinutes()).toBe(2); // (3 - 1) x 1m
    const e = ReleaseEstimate.forRollout(plan, r);
    expect(e.exact).toBe(false);
    expect(e.describe()).toContain('total: at least 4m (a rollout may pause for a person when an analysis is Inconclusive');
  });
});
