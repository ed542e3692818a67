import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AnalysisArgValue, CanaryRollout, CanaryStep, PrometheusServer, RolloutWorkload, SuccessRateAnalysis, TrafficRouting,
} from '../../src';

/**
 * Issue 5's args errors, end to end: the real SuccessRateAnalysis declares its args, the CanaryRollout that references
 * it is checked at synth against them (src/rollout/analysis-args.ts), with the exact messages.
 */
function setup(stepsFor: (t: { successRate: SuccessRateAnalysis; other: SuccessRateAnalysis; payments: SuccessRateAnalysis }) => CanaryStep[]) {
  const chart = Testing.chart();
  const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');
  const successRate = new SuccessRateAnalysis(chart, 'success-rate', {
    prometheus, threshold: 0.95, interval: Duration.minutes(1), count: 5, window: Duration.minutes(2), failureLimit: 3,
  });
  const other = new SuccessRateAnalysis(chart, 'other', {
    prometheus, threshold: 0.99, interval: Duration.minutes(1), count: 5, serviceName: 'checkout',
  });
  const payments = new SuccessRateAnalysis(chart, 'payments', {
    prometheus, threshold: 0.99, interval: Duration.minutes(1), count: 5, serviceName: 'payments', metricName: 'payments-success-rate',
  });
  const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/my-service:1.2.3', portNumber: 8080 }] });
  new CanaryRollout(chart, 'my-service', {
    metadata: { name: 'my-service' },
    workload: RolloutWorkload.fromDeployment(web),
    replicas: 5,
    trafficRouting: TrafficRouting.istio({ virtualService: 'my-service-vsvc', routes: ['primary'] }),
    steps: [CanaryStep.setWeight(10), ...stepsFor({ successRate, other, payments }), CanaryStep.setWeight(100)],
  });
  return chart;
}

describe('analysis args are typed end to end (seed pitfall)', () => {
  test('the template declares what a Rollout must pass', () => {
    const chart = setup(({ successRate }) => [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'my-service' } })]);
    const objs = Testing.synth(chart);
    const template = objs.find(o => o.kind === 'AnalysisTemplate' && o.spec.args.length === 1);
    expect(template.spec.args).toEqual([{ name: 'service-name' }]);
    const rollout = objs.find(o => o.kind === 'Rollout');
    expect(rollout.spec.strategy.canary.steps[1]).toEqual({
      analysis: { templates: [{ templateName: template.metadata.name }], args: [{ name: 'service-name', value: 'my-service' }] },
    });
  });

  test('fails when a required arg is not passed', () => {
    const chart = setup(({ successRate }) => [CanaryStep.analysis({ templates: [successRate] })]);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/my-service\] steps\[1\]\.analysis\.args is missing "service-name" \(required by template\(s\) \["test-success-rate-c8[0-9a-f]+"\]\); expected a value for every arg the templates declare without a default/);
  });

  test('fails when an arg is passed that no referenced template declares (the controller ignores it silently)', () => {
    const chart = setup(({ successRate }) => [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'my-service', 'servce': 'x' } })]);
    expect(() => Testing.synth(chart)).toThrow(/steps\[1\]\.analysis\.args\["servce"\] is "x", but no referenced template declares "servce"; expected one of the declared args \["service-name"\]/);
  });

  test('fails when an arg is passed with an empty value (the controller substitutes "")', () => {
    const chart = setup(({ successRate }) => [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': '' } })]);
    expect(() => Testing.synth(chart)).toThrow(/steps\[1\]\.analysis\.args\["service-name"\] is ""; expected a non-empty value \(the controller substitutes the empty string into \{\{args\.service-name\}\}/);
    const viaArgsFrom = setup(({ successRate }) => [CanaryStep.analysis({ templates: [successRate], argsFrom: { 'service-name': AnalysisArgValue.of('') } })]);
    expect(() => Testing.synth(viaArgsFrom)).toThrow(/steps\[1\]\.analysis\.args\["service-name"\] is ""; expected a non-empty value/);
  });

  test('fails on conflicting defaults and duplicate metric names across merged templates', () => {
    // GIVEN a second template that also defines metric "success-rate" and a default for "service-name"
    const chart = setup(({ successRate, other }) => [CanaryStep.analysis({ templates: [successRate, other], args: { 'service-name': 'my-service' } })]);
    expect(() => Testing.synth(chart)).toThrow(/steps\[1\]\.analysis\.templates is merging templates "test-success-rate-c8[0-9a-f]+" and "test-other-c8[0-9a-f]+" that both define metric "success-rate"; expected unique metric names across the templates of one analysis/);
  });

  test('fails when merged templates declare different defaults for the same arg', () => {
    const chart = setup(({ other, payments }) => [CanaryStep.analysis({ templates: [other, payments] })]);
    expect(() => Testing.synth(chart)).toThrow(/steps\[1\]\.analysis\.templates is merging templates "test-other-c8[0-9a-f]+" and "test-payments-c8[0-9a-f]+" that both declare arg "service-name" with different defaults/);
  });
});

describe('R8 end to end: the real SuccessRateAnalysis without count (the seed template) in a step', () => {
  function rolloutWith(useInStep: boolean, count?: number) {
    const chart = Testing.chart();
    const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');
    // the seed's template: interval 1m, failureLimit 3, no count → runs until the rollout completes
    const seed = new SuccessRateAnalysis(chart, 'success-rate', {
      prometheus, threshold: 0.95, interval: Duration.minutes(1), window: Duration.minutes(2), failureLimit: 3, metadata: { name: 'success-rate' }, count,
    });
    const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/my-service:1.2.3', portNumber: 8080 }] });
    const analysis = { templates: [seed], args: { 'service-name': 'my-service' } };
    new CanaryRollout(chart, 'my-service', {
      metadata: { name: 'my-service' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 5,
      trafficRouting: TrafficRouting.istio({ virtualService: 'my-service-vsvc', routes: ['primary'] }),
      steps: [CanaryStep.setWeight(10), ...(useInStep ? [CanaryStep.analysis(analysis)] : []), CanaryStep.setWeight(100)],
      ...(useInStep ? {} : { backgroundAnalysis: { ...analysis, startingStep: 0 } }),
    });
    return { chart, seed };
  }

  test('is rejected in a step with the controller\'s reason', () => {
    const { chart, seed } = rolloutWith(true);
    expect(seed.openEndedMetricNames).toEqual(['success-rate']);
    expect(() => Testing.synth(chart)).toThrow(
      '[test/my-service] steps[1].analysis.templates[0] is template "success-rate" with metric(s) ["success-rate"] that run indefinitely '
      + '(interval without count); expected metrics that end, because the step waits for the AnalysisRun to complete (controller: '
      + 'AnalysisTemplate success-rate has metric success-rate which runs indefinitely. Invalid value for count: <nil>)');
  });

  test('a count fixes it; without count it is fine as background analysis', () => {
    const withCount = rolloutWith(true, 5);
    const objs = Testing.synth(withCount.chart);
    expect(objs.find(o => o.kind === 'AnalysisTemplate').spec.metrics[0]).toEqual(expect.objectContaining({ count: 5, interval: '1m' }));
    const background = rolloutWith(false);
    const ro = Testing.synth(background.chart).find(o => o.kind === 'Rollout');
    expect(ro.spec.strategy.canary.analysis.templates).toEqual([{ templateName: 'success-rate' }]);
  });

  test('the rollout counts the real template\'s minimum duration in its canary duration', () => {
    // GIVEN an analysis of 5 measurements one minute apart (first one at once) between two 10-minute pauses
    const chart = Testing.chart();
    const successRate = new SuccessRateAnalysis(chart, 'success-rate', {
      prometheus: PrometheusServer.fromAddress('http://prometheus:9090'), threshold: 0.95, interval: Duration.minutes(1), count: 5,
    });
    const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    const rollout = new CanaryRollout(chart, 'web-rollout', {
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 3,
      trafficRouting: TrafficRouting.istio({ virtualService: 'web', routes: ['primary'] }),
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'web' } }),
        CanaryStep.pause(Duration.minutes(10)), CanaryStep.setWeight(50), CanaryStep.pause(Duration.minutes(10)), CanaryStep.setWeight(100)],
    });
    // THEN 20 minutes of pauses + 4 minutes of analysis, and nothing unknown
    expect(successRate.minimumDuration?.toMinutes()).toBe(4);
    const d = rollout.canaryDuration;
    expect([d.timedPauses.toMinutes(), d.analyses.toMinutes(), d.minimum.toMinutes(), d.unknownAnalysisSteps, d.exact])
      .toEqual([20, 4, 24, [], true]);
  });
});

test('fractional-second intervals: the template and the rollout still report their durations', () => {
  const chart = Testing.chart();
  const fast = new SuccessRateAnalysis(chart, 'fast', {
    prometheus: PrometheusServer.fromAddress('http://prometheus:9090'), threshold: 0.95, interval: Duration.millis(1500), count: 3,
  });
  expect(fast.minimumDuration?.toMilliseconds()).toBe(3000);
  const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
  const rollout = new CanaryRollout(chart, 'r', {
    workload: RolloutWorkload.fromDeployment(web),
    replicas: 2,
    trafficRouting: TrafficRouting.istio({ virtualService: 'web', routes: ['primary'] }),
    steps: [CanaryStep.setWeight(50), CanaryStep.analysis({ templates: [fast], args: { 'service-name': 'web' } })],
  });
  expect(rollout.canaryDuration.analyses.toMilliseconds()).toBe(3000);
});
