import { Testing } from 'cdk8s';
import { JobAnalysis, MetricCondition, PrometheusAnalysis, PrometheusMetric, PrometheusServer, TemplateArgument, WebAnalysis } from '../../src';
import { validateAnalysisTemplates } from '../harness/conformance';

/**
 * Argo Rollouts resolves a template's args over the JSON of each metric (fasttemplate with "{{" and "}}"), not value by
 * value: a "{{" that its own value does not close pairs with the next "}}" of the serialized metric (JSON's own braces
 * included) and the AnalysisRun fails with "failed to resolve {{…}}". Found by the fuzzer through the conformance
 * harness (a URL ending in "{{args.service-name", a container arg ending in "{{").
 */
type Chart = ReturnType<typeof Testing.chart>;

function synthError(build: (chart: Chart) => void): string {
  const chart = Testing.chart();
  build(chart);
  try {
    Testing.synth(chart);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

const smoke = (chart: Chart, url: string) => new WebAnalysis(chart, 'smoke', {
  metadata: { name: 'smoke' }, url, args: [TemplateArgument.required('service-name')], jsonPath: '{$.ok}',
});

test('an unclosed "{{" in a web URL is a synth error naming the metric and the fix', () => {
  expect(synthError(chart => smoke(chart, 'http://checkout.shop.svc:8080/healthz?svc={{args.service-name}}&x={{args.service-name')))
    .toMatch(/metric "[^"]+" is a "\{\{" that no "\}\}" of the same value closes .*failed to resolve \{\{…\}\}.*Fix: close the placeholder/s);
});

test('the oracle: Argo Rollouts fails the same template, written raw, with "failed to resolve"', () => {
  const chart = Testing.chart();
  smoke(chart, 'http://checkout.shop.svc:8080/healthz?svc={{args.service-name}}');
  const objs = Testing.synth(chart);
  const [good] = validateAnalysisTemplates(objs);
  expect(good.errors).toEqual([]);
  const raw = JSON.parse(JSON.stringify(objs));
  raw[0].spec.metrics[0].provider.web.url += '&x={{args.service-name';
  const [bad] = validateAnalysisTemplates(raw);
  expect(JSON.stringify(bad.errors)).toContain('failed to resolve {{args.service-name');
});

test('an unclosed "{{" in a Job container arg is a synth error', () => {
  expect(synthError(chart => new JobAnalysis(chart, 'load', {
    metadata: { name: 'load' },
    containers: [{ name: 'k6', image: 'grafana/k6:0.54.0', args: ['run', '--tag', 'x{{'] }],
  }))).toMatch(/is a "\{\{" that no "\}\}" of the same value closes/);
});

test('an unclosed "{{" inside a PromQL string literal is refused too', () => {
  expect(synthError(chart => new PrometheusAnalysis(chart, 'q', {
    metadata: { name: 'q' },
    prometheus: PrometheusServer.fromAddress('http://prometheus:9090'),
    metrics: [PrometheusMetric.fromQuery({ metricName: 'm', query: 'sum(up{job="{{x"})', condition: MetricCondition.atMost(1) })],
  }))).toMatch(/metrics\[0\] is a "\{\{" that no "\}\}" of the same value closes/);
});
