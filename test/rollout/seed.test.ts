import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { seedSuccessRateOpenEnded, successRate, TestTemplate } from './templates';
import { CanaryRollout, CanaryStep, ICanaryRolloutFacts, RolloutWorkload, TrafficRouting } from '../../src';

const SEED = YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'rollout', 'seed-rollout.yaml'), 'utf8'));

function seedSteps(): CanaryStep[] {
  return [
    CanaryStep.setWeight(10),
    CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'my-service' } }),
    CanaryStep.pause(Duration.minutes(10)),
    CanaryStep.setWeight(30),
    CanaryStep.pause(Duration.minutes(10)),
    CanaryStep.setWeight(100),
  ];
}

describe('the seed Rollout (Istio, 10 → analysis → pause → 30 → pause → 100)', () => {
  test('is synthesized from a few lines, valid against the strict CRD schema, with consistent Services and selectors', () => {
    // GIVEN the contract
    const chart = Testing.chart();
    const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/my-service:1.2.3', portNumber: 8080 }] });
    const rollout = new CanaryRollout(chart, 'my-service', {
      metadata: { name: 'my-service' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 5,
      trafficRouting: TrafficRouting.istio({ virtualService: 'my-service-vsvc', routes: ['primary'] }),
      steps: seedSteps(),
    });

    // WHEN synthesizing (the harness validates every object against the CRD / core schemas)
    const objs = Testing.synth(chart);

    // THEN the Rollout's steps and router equal the seed's, plus what the controller needs to run it
    const ro = objs.find(o => o.kind === 'Rollout');
    expect(ro.metadata.name).toBe('my-service');
    expect(ro.spec.strategy.canary.steps).toEqual(SEED.spec.strategy.canary.steps);
    expect(ro.spec.strategy.canary.trafficRouting).toEqual({
      // the seed omits routes (then the VirtualService must have exactly one HTTP route); the contract names it
      istio: { virtualService: { ...SEED.spec.strategy.canary.trafficRouting.istio.virtualService, routes: ['primary'] } },
    });
    // the seed omits the Services, but Istio host-split routing requires them (controller rule C18)
    expect(ro.spec.strategy.canary.stableService).toBe('my-service-stable');
    expect(ro.spec.strategy.canary.canaryService).toBe('my-service-canary');
    expect(ro.spec.replicas).toBe(5);

    // the workload is referenced, not copied; the Rollout selects the Deployment's pod labels
    const dep = objs.find(o => o.kind === 'Deployment');
    expect(ro.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name });
    expect(ro.spec.template).toBeUndefined();
    expect(ro.spec.selector.matchLabels).toEqual(dep.spec.selector.matchLabels);
    expect(dep.spec.template.metadata.labels).toEqual(expect.objectContaining(ro.spec.selector.matchLabels));

    // both Services exist, differ, select exactly the pod labels and target the container port
    const services = objs.filter(o => o.kind === 'Service');
    expect(services.map(s => s.metadata.name).sort()).toEqual(['my-service-canary', 'my-service-stable']);
    for (const s of services) {
      expect(s.spec.selector).toEqual(ro.spec.selector.matchLabels);
      expect(s.spec.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: 8080 })]);
    }
    expect(rollout.stableService?.name).toBe('my-service-stable');

    // facts for the stack: no manual gate; 20 minutes of timed pauses, the analysis duration is unknown
    expect(rollout.manualGates).toEqual([]);
    expect(rollout.blocksRollingSyncWave).toBe(false);
    const d = rollout.canaryDuration;
    expect(d.minimum.toMinutes()).toBe(20);
    expect(d.unknownAnalysisSteps).toEqual([1]);
    expect(d.exact).toBe(false);
    expect(rollout.analysisTemplates.map(t => t.templateName)).toEqual(['success-rate']);
  });

  test('the contract without a metadata name gets a generated name and matching Service names', () => {
    const chart = Testing.chart();
    const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/my-service:1.2.3', portNumber: 8080 }] });
    const rollout = new CanaryRollout(chart, 'my-service', {
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 5,
      trafficRouting: TrafficRouting.istio({ virtualService: 'my-service-vsvc', routes: ['primary'] }),
      steps: seedSteps(),
    });
    const ro = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(ro.metadata.name).toBe(rollout.name);
    expect(ro.spec.strategy.canary.stableService).toBe(`${rollout.name}-stable`);
  });

  test('the seed\'s own AnalysisTemplate (interval 1m, no count) is rejected in the analysis step; a count fixes it', () => {
    // GIVEN the seed's template as written: its metric runs until the rollout completes
    const chart = Testing.chart();
    const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'img', portNumber: 8080 }] });
    new CanaryRollout(chart, 'my-service', {
      metadata: { name: 'my-service' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 5,
      trafficRouting: TrafficRouting.istio({ virtualService: 'my-service-vsvc', routes: ['primary'] }),
      steps: [
        CanaryStep.setWeight(10),
        CanaryStep.analysis({ templates: [seedSuccessRateOpenEnded], args: { 'service-name': 'my-service' } }),
        CanaryStep.pause(Duration.minutes(10)),
      ],
    });
    // THEN synth fails with the controller's InvalidSpec reason (argo-rollouts#2691)
    expect(() => Testing.synth(chart)).toThrow(
      '[test/my-service] steps[1].analysis.templates[0] is template "success-rate" with metric(s) ["success-rate"] that run indefinitely '
      + '(interval without count); expected metrics that end, because the step waits for the AnalysisRun to complete (controller: '
      + 'AnalysisTemplate success-rate has metric success-rate which runs indefinitely. Invalid value for count: <nil>). '
      + 'Fix: give each metric a count (e.g. count: 5 with interval 1m), or run the template as backgroundAnalysis');
    // AND the same template with a count (successRate: no open-ended metric) is what the seed tests above use and pass
    expect(successRate.openEndedMetricNames).toEqual([]);
  });

  test('fails at synth when the seed analysis omits the arg (the seed\'s "common mistake")', () => {
    const chart = Testing.chart();
    const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'img', portNumber: 8080 }] });
    new CanaryRollout(chart, 'my-service', {
      workload: RolloutWorkload.fromDeployment(web),
      trafficRouting: TrafficRouting.istio({ virtualService: 'my-service-vsvc' }),
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [successRate] })],
    });
    expect(() => Testing.synth(chart)).toThrow(
      'steps[1].analysis.args is missing "service-name" (required by template(s) ["success-rate"]); expected a value for every arg the templates '
      + 'declare without a default (the controller marks the Rollout InvalidSpec/Degraded: args.service-name was not resolved). '
      + 'Fix: pass args: { \'service-name\': \'<value>\' }');
  });

  test('creates the VirtualService it routes through, valid against the Istio CRD', () => {
    const chart = Testing.chart();
    // the referenced Deployment lives in the Rollout's namespace (workloadRef has no namespace)
    const web = new kplus.Deployment(chart, 'web', { metadata: { namespace: 'shop' }, replicas: 0, containers: [{ image: 'img', portNumber: 8080 }] });
    const rollout = new CanaryRollout(chart, 'my-service', {
      metadata: { name: 'my-service', namespace: 'shop' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 5,
      trafficRouting: TrafficRouting.istio({
        virtualService: 'my-service-vsvc',
        createVirtualService: { hosts: ['my-service.example.com'], gateways: ['istio-system/public'], port: 8080 },
      }),
      steps: seedSteps(),
    });
    const objs = Testing.synth(chart);
    const vs = objs.find(o => o.kind === 'VirtualService');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.metadata).toEqual({ name: 'my-service-vsvc', namespace: 'shop' });
    expect(vs.spec).toEqual({
      hosts: ['my-service.example.com'],
      gateways: ['istio-system/public'],
      http: [{
        name: 'primary',
        route: [
          { destination: { host: 'my-service-stable', port: { number: 8080 } }, weight: 100 },
          { destination: { host: 'my-service-canary', port: { number: 8080 } }, weight: 0 },
        ],
      }],
    });
    // the Rollout patches exactly the route the construct created
    const ro = objs.find(o => o.kind === 'Rollout');
    expect(ro.spec.strategy.canary.trafficRouting.istio.virtualService).toEqual({ name: 'my-service-vsvc', routes: ['primary'] });
    expect(objs.filter(o => o.kind === 'Service').every(s => s.metadata.namespace === 'shop')).toBe(true);
    expect(rollout.route?.name).toBe('my-service-vsvc');
  });

  test('counts analysis time when the templates expose their minimum duration', () => {
    const chart = Testing.chart();
    const timed = new TestTemplate('success-rate', [{ name: 'service-name' }], ['success-rate'], false, [], Duration.minutes(5));
    const rollout = new CanaryRollout(chart, 'r', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs' }),
      steps: [
        CanaryStep.setWeight(10),
        CanaryStep.analysis({ templates: [timed], args: { 'service-name': 'x' } }),
        CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'x' }, expectedDuration: Duration.minutes(3) }),
        CanaryStep.pause(Duration.seconds(90)),
        CanaryStep.pause(),
      ],
    });
    const d = rollout.canaryDuration;
    expect(d.timedPauses.toSeconds()).toBe(90);
    expect(d.analyses.toSeconds()).toBe(8 * 60);
    expect(d.minimum.toSeconds()).toBe(90 + 8 * 60);
    expect(d.unknownAnalysisSteps).toEqual([]);
    expect(d.waitsForPromotion).toBe(true);
    expect(d.exact).toBe(false);
    // the stack sees the facts through ICanaryRolloutFacts
    const facts: ICanaryRolloutFacts = rollout;
    expect(facts.manualGates).toEqual([{ stepIndex: 4, description: expect.stringContaining('blocks the next ApplicationSet RollingSync wave') }]);
    expect(facts.blocksRollingSyncWave).toBe(true);
    expect(facts.analysisTemplates.map(t => t.templateName)).toEqual(['success-rate']);
  });
});
