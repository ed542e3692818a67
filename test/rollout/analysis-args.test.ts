import { Testing } from 'cdk8s';
import { successRate, TestTemplate } from './templates';
import {
  AnalysisArgValue, CanaryRollout, CanaryStep, PodTemplateHash, RolloutWorkload, TrafficRouting,
} from '../../src';
import { formatProblem } from '../../src/core/problem';
import { analysisArgsProblems, PassedAnalysisArg } from '../../src/rollout/analysis-args';

function args(o: { [k: string]: string }): PassedAnalysisArg[] {
  return Object.entries(o).map(([name, v]) => ({ name, value: AnalysisArgValue.of(v) }));
}
function messages(...a: Parameters<typeof analysisArgsProblems>): string[] {
  return analysisArgsProblems(...a).map(formatProblem);
}

const latency = new TestTemplate('latency', [{ name: 'service-name' }, { name: 'quantile', defaultValue: '0.99' }], ['p99-latency']);
const errorsFromSecret = new TestTemplate('errors', [{ name: 'api-token', fromSecret: true }, { name: 'service-name', defaultValue: 'web' }], ['error-rate']);
const clusterPass = new TestTemplate('always-pass', [], ['always-pass'], true);

describe('analysisArgsProblems (pure)', () => {
  test('accepts the seed wiring and valueFrom args', () => {
    expect(messages('steps[1].analysis', [successRate], args({ 'service-name': 'my-service' }))).toEqual([]);
    expect(messages('steps[1].analysis', [successRate], [{ name: 'service-name', value: AnalysisArgValue.fieldRef("metadata.labels['app']") }])).toEqual([]);
    expect(messages('x', [successRate], [{ name: 'service-name', value: AnalysisArgValue.podTemplateHash(PodTemplateHash.LATEST) }])).toEqual([]);
    expect(messages('x', [successRate], [{ name: 'service-name', value: AnalysisArgValue.fieldRef('status.alb.canaryTargetGroup.name') }])).toEqual([]);
  });

  test('fails on a required arg that is not passed (controller: args.X was not resolved)', () => {
    expect(messages('steps[1].analysis', [successRate, latency], [])).toEqual([
      'steps[1].analysis.args is missing "service-name" (required by template(s) ["success-rate","latency"]); expected a value for every arg '
      + 'the templates declare without a default (the controller marks the Rollout InvalidSpec/Degraded: args.service-name was not resolved). '
      + 'Fix: pass args: { \'service-name\': \'<value>\' }',
    ]);
  });

  test('a default in another merged template resolves a required arg (controller merge semantics)', () => {
    expect(messages('a', [successRate, errorsFromSecret], [])).toEqual([]);
  });

  test('fails on an arg no template declares (the controller silently ignores it)', () => {
    expect(messages('steps[1].analysis', [successRate], args({ 'service-name': 'a', 'servce-name': 'b' }))).toEqual([
      'steps[1].analysis.args["servce-name"] is "b", but no referenced template declares "servce-name"; expected one of the declared args '
      + '["service-name"] (the controller silently ignores an undeclared arg). Fix: fix the arg name or remove it',
    ]);
    expect(messages('a', [clusterPass], args({ x: 'y' }))[0]).toContain('expected one of the declared args (the templates declare none)');
  });

  test('fails on an empty value (the controller substitutes "")', () => {
    expect(messages('backgroundAnalysis', [successRate], args({ 'service-name': ' ' }))).toEqual([
      'backgroundAnalysis.args["service-name"] is " "; expected a non-empty value (the controller substitutes the empty string into '
      + '{{args.service-name}}, overriding any template default, and the query silently matches the wrong series or none). '
      + 'Fix: pass the real value, or remove the arg to use the template default',
    ]);
  });

  test('fails on conflicting defaults across merged templates (controller: specified multiple times with different values)', () => {
    const a = new TestTemplate('a', [{ name: 'interval', defaultValue: '1m' }], ['m-a']);
    const b = new TestTemplate('b', [{ name: 'interval', defaultValue: '5m' }], ['m-b']);
    const c = new TestTemplate('c', [{ name: 'interval', defaultValue: '1m' }], ['m-c']);
    expect(messages('steps[0].analysis', [a, b], [])).toEqual([
      'steps[0].analysis.templates is merging templates "a" and "b" that both declare arg "interval" with different defaults "1m" and "5m"; '
      + 'expected templates merged into one analysis to agree on arg defaults (the controller fails the merge: Argument `interval` specified '
      + 'multiple times with different values: \'1m\', \'5m\'). Fix: give "interval" the same default in both templates, drop one default, '
      + 'or run the templates in separate analysis steps',
    ]);
    expect(messages('x', [a, c], [])).toEqual([]);
  });

  test('fails on duplicate metric names across merged templates and on a template referenced twice', () => {
    const other = new TestTemplate('other-success', [], ['success-rate']);
    expect(messages('steps[3].analysis', [successRate, other], args({ 'service-name': 's' }))).toEqual([
      'steps[3].analysis.templates is merging templates "success-rate" and "other-success" that both define metric "success-rate"; '
      + 'expected unique metric names across the templates of one analysis (the controller fails: two metrics have the same name '
      + '\'success-rate\'). Fix: rename one of the metrics, or run the templates in separate analysis steps',
    ]);
    expect(messages('s', [successRate, successRate], args({ 'service-name': 's' }))[0]).toBe(
      's.templates[1] is AnalysisTemplate "success-rate" again; expected each template referenced once per analysis (the controller would '
      + 'fail with "two metrics have the same name"). Fix: remove the duplicate reference');
    // a namespaced and a cluster template with the same name are different templates
    const clusterTwin = new TestTemplate('success-rate', [{ name: 'service-name' }], ['cluster-success-rate'], true);
    expect(messages('s', [successRate, clusterTwin], args({ 'service-name': 's' }))).toEqual([]);
  });

  test('fails on a Rollout value for a Secret-backed arg and on an invalid downward-API path', () => {
    expect(messages('a', [errorsFromSecret], args({ 'api-token': 't' }))[0]).toBe(
      'a.args["api-token"] is "t", but template(s) ["errors"] resolve "api-token" from a Secret; expected no Rollout value for a '
      + 'Secret-backed arg (a passed value would override the Secret). Fix: remove the arg from the Rollout');
    expect(messages('a', [successRate], [{ name: 'service-name', value: AnalysisArgValue.fieldRef('metadata.labels.app') }])[0]).toContain(
      'a.args["service-name"].fieldRef is "metadata.labels.app"; expected a downward-API metadata path');
    expect(messages('a', [successRate], [{ name: 'service-name', value: AnalysisArgValue.fieldRef('metadata.labels.app') }])[0]).toContain(
      'Analyses arguments must refer to valid object metadata supported by downwardAPI');
  });

  test('fails on an analysis without templates', () => {
    expect(messages('steps[0].analysis', [], [])).toEqual([
      'steps[0].analysis.templates is empty; expected at least one analysis template. Fix: pass the template(s) the analysis runs, e.g. templates: [successRate]',
    ]);
  });
});

describe('analysis wiring in CanaryRollout', () => {
  function rollout(props: Partial<ConstructorParameters<typeof CanaryRollout>[2]>) {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'r', {
      metadata: { name: 'web' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs' }),
      ...props,
    });
    return { chart, r };
  }

  test('renders literal and valueFrom args, cluster scope, dry-run and run metadata', () => {
    const { chart } = rollout({
      steps: [
        CanaryStep.setWeight(20),
        CanaryStep.analysis({
          templates: [latency, clusterPass],
          args: { 'service-name': 'web' },
          argsFrom: { quantile: AnalysisArgValue.of('0.95') },
          dryRunMetrics: ['p99-.*'],
          analysisRunLabels: { team: 'shop' },
          analysisRunAnnotations: { note: 'x' },
        }),
      ],
      backgroundAnalysis: {
        templates: [successRate],
        argsFrom: { 'service-name': AnalysisArgValue.fieldRef("metadata.labels['app']") },
        startingStep: 1,
      },
    });
    const ro = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(ro.spec.strategy.canary.steps[1].analysis).toEqual({
      templates: [{ templateName: 'latency' }, { templateName: 'always-pass', clusterScope: true }],
      args: [{ name: 'service-name', value: 'web' }, { name: 'quantile', value: '0.95' }],
      dryRun: [{ metricName: 'p99-.*' }],
      analysisRunMetadata: { labels: { team: 'shop' }, annotations: { note: 'x' } },
    });
    expect(ro.spec.strategy.canary.analysis).toEqual({
      templates: [{ templateName: 'success-rate' }],
      args: [{ name: 'service-name', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }],
      startingStep: 1,
    });
  });

  test('renders podTemplateHash args', () => {
    const { chart } = rollout({
      steps: [CanaryStep.setWeight(20), CanaryStep.analysis({
        templates: [successRate], argsFrom: { 'service-name': AnalysisArgValue.podTemplateHash(PodTemplateHash.STABLE) },
      })],
    });
    const ro = Testing.synth(chart).find(o => o.kind === 'Rollout');
    expect(ro.spec.strategy.canary.steps[1].analysis.args).toEqual([{ name: 'service-name', valueFrom: { podTemplateHashValue: 'Stable' } }]);
  });

  test('fails at synth on a step arg no template declares and on a missing background arg', () => {
    const { chart } = rollout({
      steps: [CanaryStep.setWeight(20), CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'web', 'srvice': 'x' } })],
      backgroundAnalysis: { templates: [latency], startingStep: 0 },
    });
    expect(() => Testing.synth(chart)).toThrow(/steps\[1\]\.analysis\.args\["srvice"\] is "x", but no referenced template declares "srvice"/);
    expect(() => Testing.synth(chart)).toThrow(/backgroundAnalysis\.args is missing "service-name" \(required by template\(s\) \["latency"\]\)/);
  });

  test('checks templates that change after the Rollout was built (synth time)', () => {
    const mutable = new TestTemplate('late', [], ['m']);
    const { chart } = rollout({ steps: [CanaryStep.setWeight(5), CanaryStep.analysis({ templates: [mutable] })] });
    (mutable.declaredArgs as any).push({ name: 'added-later' });
    expect(() => Testing.synth(chart)).toThrow(/steps\[1\]\.analysis\.args is missing "added-later"/);
  });

  test('fails on an arg given in both args and argsFrom, and on bad dry-run metric rules', () => {
    expect(() => rollout({
      steps: [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'a' }, argsFrom: { 'service-name': AnalysisArgValue.of('b') } })],
    })).toThrow('test/r: steps[0].analysis.argsFrom["service-name"] is also given in args; expected each arg in either args or argsFrom. Fix: remove one of the two');
    expect(() => rollout({
      steps: [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'a' }, dryRunMetrics: ['*'] })],
    })).toThrow('steps[0].analysis.dryRunMetrics[0] is "*"; expected a metric name or Go (RE2) regular expression (`.*` for all metrics). Fix: use ".*" to dry-run every metric');
    const { chart } = rollout({ steps: [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'a' }, dryRunMetrics: ['latency'] })] });
    expect(() => Testing.synth(chart)).toThrow(
      'steps[0].analysis.dryRunMetrics[0] is "latency"; expected a regex matching one of the metrics ["success-rate"] '
      + '(the AnalysisRun errors: Rule didn\'t match any metric name(s)). Fix: fix the metric name');
  });
});
