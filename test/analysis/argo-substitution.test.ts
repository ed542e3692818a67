import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryRollout, CanaryStep, RolloutWorkload, TemplateArgument, WebAnalysis } from '../../src';
import { argoUnquotableCharacter } from '../../src/core/go-quote';
import { validateAnalysisTemplates } from '../harness/conformance';

/**
 * Two findings of the fuzz script's `argo` property (Argo Rollouts' own AnalysisRun checks on every accepted case):
 * arg values Go's strconv.Quote escapes in a way JSON does not accept, and conditions with a missing operand.
 */
const smoke = (chart: ReturnType<typeof Testing.chart>, props: Partial<ConstructorParameters<typeof WebAnalysis>[2]> = {}) =>
  new WebAnalysis(chart, 'smoke', { metadata: { name: 'smoke' }, url: 'http://checkout.shop.svc/healthz?v={{args.v}}', args: [TemplateArgument.required('v')], ...props });

describe('arg values the controller cannot substitute into the metric JSON', () => {
  test.each([
    ['\u000b', /U\+000B \(a control character\)/],
    ['a\u0007b', /U\+0007/],
    ['x\u007f', /U\+007F/],
    ['tag\u{E0041}', /U\+E0041 \(not printable: Go escapes it as \\U000e0041\)/],
  ])('a default %j is refused where it is declared', (value, message) => {
    expect(() => TemplateArgument.withDefault('v', value)).toThrow(message);
  });

  test('printable astral characters, tabs and newlines pass (Go and JSON escape them alike)', () => {
    for (const v of ['🚀', 'a\tb', 'a\nb', '\u00a0', '中文']) expect(argoUnquotableCharacter(v)).toBeUndefined();
  });

  test('a Rollout value is refused at synth, naming the arg', () => {
    const chart = Testing.chart();
    const t = smoke(chart);
    expect(() => CanaryStep.analysis({ templates: [t], args: { v: 'a\u000bb' } })).not.toThrow();
    const web = new kplus.Deployment(chart, 'web', { replicas: 0, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    new CanaryRollout(chart, 'rollout', {
      metadata: { name: 'checkout' },
      workload: RolloutWorkload.fromDeployment(web),
      replicas: 2,
      steps: [CanaryStep.analysis({ templates: [t], args: { v: 'a\u000bb' } })],
    });
    expect(() => Testing.synth(chart)).toThrow(/steps\[0\]\.analysis\.args\["v"\] is a value with U\+000B/);
  });

  test('the oracle: Argo Rollouts fails the raw template with such a default ("invalid character ... in string escape code")', () => {
    const chart = Testing.chart();
    new WebAnalysis(chart, 'smoke', { metadata: { name: 'smoke' }, url: 'http://checkout.shop.svc/healthz?v={{args.v}}', args: [TemplateArgument.withDefault('v', 'ok')] });
    const raw = JSON.parse(JSON.stringify(Testing.synth(chart)));
    expect(validateAnalysisTemplates(raw)[0].errors).toEqual([]);
    raw[0].spec.args[0].value = 'tag\u{E0041}';
    expect(JSON.stringify(validateAnalysisTemplates(raw)[0].errors)).toContain('in string escape code');
  });
});

describe('conditions with a missing operand', () => {
  test.each(['result ==', 'result == true &&', '&& result', 'result >'])('%j is refused, as expr refuses it', (condition) => {
    const chart = Testing.chart();
    expect(() => smoke(chart, { successCondition: condition })).toThrow(/a complete expression \(an operand is missing/);
  });

  test('the oracle: Argo Rollouts refuses "result ==" ("unexpected token EOF") and accepts "result == true"', () => {
    const chart = Testing.chart();
    smoke(chart, { successCondition: 'result == true' });
    const raw = JSON.parse(JSON.stringify(Testing.synth(chart)));
    expect(validateAnalysisTemplates(raw)[0].errors).toEqual([]);
    raw[0].spec.metrics[0].successCondition = 'result ==';
    expect(JSON.stringify(validateAnalysisTemplates(raw)[0].errors)).toContain('unexpected token EOF');
  });
});
