import { Duration } from 'cdk8s';
import { build } from './build';
import { TestTemplate } from './templates';
import { CanaryStep, TrafficRouting } from '../../src';

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
