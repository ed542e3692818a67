import { Testing } from 'cdk8s';
import { MetricCondition, NoDataPolicy, PrometheusAnalysis, PrometheusMetric, PrometheusServer, TemplateArgument } from '../../src';

const prometheus = PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090');

function generic(query: string, args: TemplateArgument[] = [], condition = MetricCondition.atLeast(0.5)) {
  const chart = Testing.chart();
  const analysis = new PrometheusAnalysis(chart, 'q', {
    prometheus,
    metadata: { name: 'q' },
    args,
    metrics: [PrometheusMetric.fromQuery({ metricName: 'q', query, condition, count: 1 })],
  });
  return { chart, analysis };
}

describe('PrometheusAnalysis (any query)', () => {
  test('renders args, metric and provider; reports declared/required args, metric names and queried series', () => {
    const { chart, analysis } = generic(
      'sum(rate(grpc_server_handled_total{grpc_service="{{args.grpc-service}}",namespace="{{args.namespace}}",grpc_code!="OK"}[5m]))'
      + ' / on() sum by (namespace) (rate(grpc_server_handled_total{grpc_service="{{args.grpc-service}}"}[5m]))',
      [TemplateArgument.required('grpc-service'), TemplateArgument.withDefault('namespace', 'shop')],
      // an error ratio without `or vector(0)`: empty on healthy traffic, so the empty-result policy must be chosen explicitly
      MetricCondition.atMost(0.01, { onEmptyResult: NoDataPolicy.FAIL }),
    );
    const [obj] = Testing.synth(chart);
    expect(obj.kind).toBe('AnalysisTemplate');
    expect(obj.spec.args).toEqual([{ name: 'grpc-service' }, { name: 'namespace', value: 'shop' }]);
    expect(obj.spec.metrics[0]).toEqual({
      name: 'q',
      count: 1,
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      successCondition: 'len(result) > 0 && (!isNaN(result[0]) && result[0] <= 0.01)',
      failureCondition: 'len(result) == 0 || (!isNaN(result[0]) && result[0] > 0.01)',
      provider: { prometheus: { address: 'http://prometheus.monitoring.svc.cluster.local:9090', query: analysis.metrics[0].query } },
    });
    expect(analysis.requiredArgs).toEqual(['grpc-service']);
    expect(analysis.declaredArgs).toEqual([{ name: 'grpc-service' }, { name: 'namespace', defaultValue: 'shop' }]);
    expect(analysis.metricNames).toEqual(['q']);
    expect(analysis.queriedSeries).toEqual([{ metricName: 'grpc_server_handled_total', labelNames: ['grpc_service', 'namespace', 'grpc_code'] }]);
    expect(analysis.renderQuery('q', { 'grpc-service': 'cart' })).toBe(
      'sum(rate(grpc_server_handled_total{grpc_service="cart",namespace="shop",grpc_code!="OK"}[5m]))'
      + ' / on() sum by (namespace) (rate(grpc_server_handled_total{grpc_service="cart"}[5m]))');
  });

  test('queriedSeries: matchers, grouping labels of enclosing aggregations and vector matching, __name__ selectors', () => {
    const { analysis } = generic(
      'sum without (instance) (rate({__name__="http_requests_total",job="a"}[5m])) / ignoring(code) group_left(team) '
      + 'sum by (job, code) (rate(http_requests_total{job="a",code=~"5.."}[5m])) + on(job) max({__name__=~"job:.*",job="a"})',
    );
    expect(analysis.queriedSeries).toEqual([{ metricName: 'http_requests_total', labelNames: ['job', 'instance', 'code', 'team'] }]);
  });

  test('metrics and args can be added after construction', () => {
    const chart = Testing.chart();
    const analysis = new PrometheusAnalysis(chart, 'later', { prometheus, clusterScope: true });
    analysis.addArgument(TemplateArgument.required('job'));
    analysis.addArgument(TemplateArgument.required('job')); // identical: kept once
    analysis.addMetric(PrometheusMetric.fromQuery({ metricName: 'up', query: 'min(up{job="{{args.job}}"})', condition: MetricCondition.atLeast(1), count: 1 }));
    const [obj] = Testing.synth(chart);
    expect(obj.kind).toBe('ClusterAnalysisTemplate');
    expect(obj.spec.args).toEqual([{ name: 'job' }]);
    expect(obj.spec.metrics.map((m: any) => m.name)).toEqual(['up']);
    expect(() => analysis.addArgument(TemplateArgument.withDefault('job', 'x'))).toThrow(
      'test/later: args[1] is "job" (default "x"); expected one declaration per arg; it is already declared (required). Fix: declare the arg once');
  });

  test('custom conditions are rendered as written', () => {
    const { chart } = generic('sum(up{job="a"})', [], MetricCondition.custom({ successCondition: 'len(result) > 0 && all(result, {# >= 1})', failureCondition: 'len(result) == 0' }));
    const m = Testing.synth(chart)[0].spec.metrics[0];
    expect(m.successCondition).toBe('len(result) > 0 && all(result, {# >= 1})');
    expect(m.failureCondition).toBe('len(result) == 0');
  });

  describe('synth-time checks on the template side', () => {
    test.each<[string, TemplateArgument[], string]>([
      // placeholder naming an undeclared arg
      ['sum(rate(x{job="{{args.service}}"}[2m]))', [TemplateArgument.required('service-name')],
        '[test/q] metrics[0].query is placeholder {{args.service}}; expected a placeholder naming a declared arg (service-name); '
        + 'the controller fails with "failed to resolve {{args.service}}". Fix: declare it: args: [TemplateArgument.required(\'service\')], or fix the name'],
      ['sum(rate(x{job="{{ args.svc }}"}[2m]))', [],
        'metrics[0].query is placeholder {{args.svc}}; expected a placeholder naming a declared arg (none declared)'],
      // a placeholder that is not an arg
      ['sum(rate(x{job="{{rollout.name}}"}[2m]))', [],
        'metrics[0].query is placeholder {{rollout.name}}; expected only {{args.NAME}} placeholders'],
      // declared but unused
      ['sum(rate(x{job="a"}[2m]))', [TemplateArgument.required('service-name')],
        '[test/q] args.service-name is declared (required); expected an arg some metric uses as {{args.NAME}}. '
        + 'Fix: use it in a query or condition, or drop the declaration (every Rollout would have to pass it for nothing)'],
      // invalid PromQL (after substitution)
      ['sum(rate(x{job="{{args.s}}"}[2m)) / 1', [TemplateArgument.required('s')],
        'metrics[0].query is "sum(rate(x{job=\\"{{args.s}}\\"}[2m)) / 1"; expected valid Prometheus 2.x PromQL after substituting the args (syntax error at offset'],
      ['sum(rate(x{job=a}[2m]))', [], 'expected valid Prometheus 2.x PromQL after substituting the args (syntax error at offset'],
      ['ratee(x{job="a"}[5m])', [], 'expected valid Prometheus 2.x PromQL after substituting the args (syntax error at offset'],
      ['{}', [], 'vector selector {} must contain at least one matcher that does not match the empty string'],
      ['limitk(2, x{job="a"})', [], 'limitk() needs Prometheus 3.x'],
      ['rate(x{job="a"}[5m+1m])', [], 'duration arithmetic ("5m+1m") needs Prometheus 3.x'],
      ['{"http.requests_total", job="a"}', [], 'quoted metric or label names'],
      // an arg default that breaks the query once substituted
      ['sum(rate(x{job="{{args.s}}"}[2m]))', [TemplateArgument.withDefault('s', 'a"b')],
        'expected valid Prometheus 2.x PromQL after substituting the args (syntax error at offset'],
      ['sum(rate(x{job="a"}[{{args.w}}]))', [TemplateArgument.withDefault('w', '2 minutes')],
        'parsed "sum(rate(x{job=\\"a\\"}[2 minutes]))"'],
      // regex matchers must be RE2 (Prometheus rejects Perl-only syntax; a JS RegExp accepts it)
      ['sum(rate(x{job="a",code=~"5(?!04).."}[2m]))', [],
        '[test/q] metrics[0].query is matcher code=~"5(?!04).."; expected an RE2 regex (Prometheus rejects the query: error parsing regexp: '
        + 'invalid or unsupported Perl syntax: `(?!`; every measurement would Error and abort the rollout). '
        + 'Fix: RE2 has no lookahead or lookbehind'],
      ['sum(rate(x{job="a",code!~\'(5)\\\\1\'}[2m]))', [], 'metrics[0].query is matcher code!~"(5)\\\\1"; expected an RE2 regex (Prometheus rejects the query: '
        + 'error parsing regexp: invalid escape sequence: `\\1`'],
      ['sum({__name__=~"job:.*(?<=_total)",job="a"})', [], 'metrics[0].query is matcher __name__=~"job:.*(?<=_total)"; expected an RE2 regex'],
      ['sum(rate(x{job="a",code=~`5..++`}[2m]))', [], 'invalid nested repetition operator: `++`'],
      // an arg default substituted into a regex matcher
      ['sum(rate(x{job="a",code=~"{{args.codes}}"}[2m]))', [TemplateArgument.withDefault('codes', '5(?=0)..')],
        'metrics[0].query is matcher code=~"5(?=0).."; expected an RE2 regex'],
    ])('rejects %j', (query, args, msg) => {
      const { chart } = generic(query, args);
      expect(() => Testing.synth(chart)).toThrow(msg);
    });

    test('RE2-only syntax in a regex matcher is accepted', () => {
      const { chart } = generic('sum(rate(x{job="a",code=~"(?i)5..",path!~"\\\\Q/health\\\\E.*"}[2m]))');
      expect(Testing.synth(chart)[0].spec.metrics[0].provider.prometheus.query).toContain('code=~"(?i)5.."');
    });

    test('a placeholder in a condition must name a declared arg too', () => {
      const { chart } = generic('sum(up{job="a"})', [], MetricCondition.custom({ successCondition: 'result[0] >= {{args.threshold}}' }));
      expect(() => Testing.synth(chart)).toThrow('metrics[0].successCondition is placeholder {{args.threshold}}; expected a placeholder naming a declared arg');
      const ok = generic('sum(up{job="a"})', [TemplateArgument.withDefault('threshold', '1')], MetricCondition.custom({ successCondition: 'len(result) > 0 && result[0] >= {{args.threshold}}' }));
      expect(Testing.synth(ok.chart)[0].spec.metrics[0].successCondition).toBe('len(result) > 0 && result[0] >= {{args.threshold}}');
    });

    test('an empty query is rejected when the metric is added', () => {
      expect(() => generic('   ')).toThrow('test/q: metrics[0].query is "   "; expected a PromQL query. Fix: write the query');
    });

    test('duplicate metric names within a template', () => {
      const chart = Testing.chart();
      const metric = PrometheusMetric.fromQuery({ metricName: 'up', query: 'min(up{job="a"})', condition: MetricCondition.atLeast(1) });
      new PrometheusAnalysis(chart, 'dup', { prometheus, metrics: [metric, metric] });
      expect(() => Testing.synth(chart)).toThrow('[test/dup] metrics[1].metricName is "up"; expected a name unique within the template (metrics[0] has it)');
    });

    test('a template without metrics', () => {
      const chart = Testing.chart();
      new PrometheusAnalysis(chart, 'empty', { prometheus });
      expect(() => Testing.synth(chart)).toThrow('[test/empty] metrics is []; expected at least one metric. Fix: pass metrics or call addMetric()');
    });
  });

  describe('conditions and thresholds', () => {
    test.each<[MetricCondition, string]>([
      [MetricCondition.atLeast(Infinity), 'metrics[0].threshold is Infinity; expected a finite number'],
      [MetricCondition.custom({}), 'metrics[0].condition is neither successCondition nor failureCondition; expected at least one expression'],
      [MetricCondition.custom({ successCondition: '' }), 'metrics[0].successCondition is ""; expected a non-empty expression'],
      [MetricCondition.custom({ successCondition: 'result[0] >= 0.95)' }), 'metrics[0].successCondition is "result[0] >= 0.95)"; expected balanced parentheses and brackets'],
      [MetricCondition.custom({ successCondition: '(result[0] >= 0.95' }), 'metrics[0].successCondition is "(result[0] >= 0.95"; expected balanced parentheses, brackets and quotes'],
      [MetricCondition.custom({ successCondition: 'result >= 0.95' }), 'metrics[0].successCondition is "result >= 0.95"; expected the Prometheus result indexed'],
      [MetricCondition.custom({ failureCondition: 'value < 0.95' }), 'metrics[0].failureCondition is "value < 0.95"; expected an expression over `result`'],
      [MetricCondition.custom({ successCondition: 'result[0] = 1' }), 'metrics[0].successCondition is "result[0] = 1"; expected comparisons with "=="'],
    ])('rejects %#', (condition, msg) => {
      const chart = Testing.chart();
      const analysis = new PrometheusAnalysis(chart, 'c', { prometheus });
      expect(() => analysis.addMetric(PrometheusMetric.fromQuery({ metricName: 'c', query: 'sum(up{job="a"})', condition }))).toThrow(`test/c: ${msg}`);
    });

    test('threshold conditions with each comparison and policy', () => {
      expect(MetricCondition.greaterThan(0).successCondition).toBe('len(result) > 0 && (!isNaN(result[0]) && result[0] > 0)');
      expect(MetricCondition.greaterThan(0).failureCondition).toBe('len(result) == 0 || (!isNaN(result[0]) && result[0] <= 0)');
      const lt = MetricCondition.lessThan(2, { onEmptyResult: NoDataPolicy.INCONCLUSIVE, onNaN: NoDataPolicy.PASS });
      expect(lt.successCondition).toBe('len(result) > 0 && (isNaN(result[0]) || result[0] < 2)');
      expect(lt.failureCondition).toBe('len(result) > 0 && (!isNaN(result[0]) && result[0] >= 2)');
      expect([lt.threshold, lt.onEmptyResult, lt.onNaN]).toEqual([2, NoDataPolicy.INCONCLUSIVE, NoDataPolicy.PASS]);
    });
  });
});

