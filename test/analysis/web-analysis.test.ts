import { Duration, Testing } from 'cdk8s';
import {
  CanaryRollout, CanaryStep, RolloutWorkload, TemplateArgument, TrafficRouting, WebAnalysis, WebAnalysisProps, WebAuthentication,
  WebHeader, WebMethod,
} from '../../src';
import { conformanceBuilt, validateAnalysisTemplates, validateRollouts } from '../harness/conformance';

/** The synthesized template of a fresh chart with one WebAnalysis. */
function template(props: Partial<WebAnalysisProps> = {}, id = 'smoke'): any {
  const chart = Testing.chart();
  new WebAnalysis(chart, id, { metadata: { name: 'smoke' }, url: 'http://checkout.shop.svc:8080/healthz', ...props });
  return Testing.synth(chart).find(o => o.kind.endsWith('AnalysisTemplate'));
}

/** The construction or synth error of a WebAnalysis, or '' when it synthesizes. */
function error(props: Partial<WebAnalysisProps>): string {
  try {
    template(props);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

const go = conformanceBuilt('rollouts-validate') ? test : test.skip;

describe('WebAnalysis', () => {
  test('renders the web provider with the request, the conditions and the measurement options', () => {
    const t = template({
      metricName: 'smoke-test',
      method: WebMethod.POST,
      url: 'https://checkout.shop.svc/api/{{args.service-name}}/check?region={{args.region}}',
      args: [TemplateArgument.required('service-name'), TemplateArgument.withDefault('region', 'eu')],
      headers: [WebHeader.bearerToken({ secretName: 'smoke-token', key: 'token' }), WebHeader.fromValue('X-Canary', 'true')],
      jsonBody: JSON.stringify({ suite: 'smoke', service: '{{args.service-name}}' }),
      timeout: Duration.seconds(20),
      jsonPath: '{$.failed}',
      successCondition: 'result == 0',
      interval: Duration.seconds(30),
      count: 4,
      failureLimit: 1,
      consecutiveSuccessLimit: 2,
    });
    expect(t.kind).toBe('AnalysisTemplate');
    expect(t.spec.args).toEqual([
      { name: 'service-name' },
      { name: 'region', value: 'eu' },
      { name: 'web-bearer-token', valueFrom: { secretKeyRef: { name: 'smoke-token', key: 'token' } } },
    ]);
    expect(t.spec.metrics).toEqual([{
      name: 'smoke-test',
      interval: '30s',
      count: 4,
      successCondition: 'result == 0',
      failureLimit: 1,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      consecutiveSuccessLimit: 2,
      provider: {
        web: {
          method: 'POST',
          url: 'https://checkout.shop.svc/api/{{args.service-name}}/check?region={{args.region}}',
          headers: [{ key: 'Authorization', value: 'Bearer {{args.web-bearer-token}}' }, { key: 'X-Canary', value: 'true' }],
          jsonBody: { suite: 'smoke', service: '{{args.service-name}}' },
          timeoutSeconds: 20,
          jsonPath: '{$.failed}',
        },
      },
    }]);
  });

  go('Argo Rollouts builds the request the template describes (its own web provider, a recording transport)', () => {
    const chart = Testing.chart();
    new WebAnalysis(chart, 'smoke', {
      metadata: { name: 'smoke' },
      method: WebMethod.PUT,
      url: 'http://{{args.host}}:8080/run?suite={{args.suite}}',
      args: [TemplateArgument.withDefault('host', 'checkout.shop.svc'), TemplateArgument.required('suite')],
      headers: [WebHeader.fromSecret('X-Api-Key', { secretName: 'smoke', key: 'api-key' })],
      body: 'suite={{args.suite}}',
      jsonPath: '{$.ok}',
      successCondition: 'result == true',
      failureCondition: 'result == false',
    });
    const [verdict] = validateAnalysisTemplates(Testing.synth(chart));
    expect(verdict.errors).toEqual([]);
    // required and Secret-backed args resolve to the controller's placeholder; defaults are substituted
    expect(verdict.requests).toEqual([{
      metric: 'web',
      method: 'PUT',
      url: 'http://checkout.shop.svc:8080/run?suite=placeholder',
      headers: { 'X-Api-Key': 'placeholder' },
      body: 'suite=placeholder',
    }]);
  });

  go('a JSON body is sent with Content-Type application/json, substituted values JSON-escaped', () => {
    const chart = Testing.chart();
    new WebAnalysis(chart, 'smoke', {
      method: WebMethod.POST,
      url: 'http://tests.shop.svc/run',
      args: [TemplateArgument.withDefault('note', 'say "hi"')],
      jsonBody: JSON.stringify({ note: '{{args.note}}' }),
    });
    const [verdict] = validateAnalysisTemplates(Testing.synth(chart));
    expect(verdict.errors).toEqual([]);
    expect(verdict.requests[0].headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(verdict.requests[0].body!)).toEqual({ note: 'say "hi"' });
  });

  go('the raw offending templates are refused by Argo Rollouts\' web provider and expr, as the library says', () => {
    const raw = (edit: (web: any, metric: any) => void) => {
      const t = JSON.parse(JSON.stringify(template({ successCondition: 'result == 1' })));
      edit(t.spec.metrics[0].provider.web, t.spec.metrics[0]);
      return validateAnalysisTemplates([t])[0].errors.map(e => e.message).join('\n');
    };
    expect(raw(() => undefined)).toBe('');
    expect(raw((w) => { w.body = 'x=1'; })).toContain('Body/JSONBody can only be used with POST or PUT WebMetric Method types');
    expect(raw((w) => { w.method = 'POST'; w.body = 'x'; w.jsonBody = {}; })).toContain('use either Body or JSONBody; both cannot exists for WebMetric payload');
    expect(raw((w) => { w.jsonPath = '{$.a[}'; })).toContain('jsonPath:');
    expect(raw((w) => { w.authentication = { oauth2: { tokenUrl: 'https://a/t', clientSecret: 's' } }; }))
      .toContain('missing mandatory parameter in metric for OAuth2 setup');
    expect(raw((_w, m) => { m.successCondition = 'result = 1'; })).toContain('result = 1');
    expect(raw((w) => { w.url = 'http://{{args.nope}}/'; })).toContain('failed to resolve {{args.nope}}');
  });

  test('a ClusterAnalysisTemplate with OAuth2 client credentials, the client secret from a Secret', () => {
    const t = template({
      clusterScope: true,
      authentication: WebAuthentication.oauth2({
        tokenUrl: 'https://auth.example.com/token',
        clientId: 'rollouts',
        clientSecret: { secretName: 'oauth', key: 'client-secret' },
        scopes: ['smoke'],
      }),
    });
    expect(t.kind).toBe('ClusterAnalysisTemplate');
    expect(t.spec.args).toEqual([{ name: 'web-oauth2-client-secret', valueFrom: { secretKeyRef: { name: 'oauth', key: 'client-secret' } } }]);
    expect(t.spec.metrics[0].provider.web.authentication).toEqual({
      oauth2: { tokenUrl: 'https://auth.example.com/token', clientId: 'rollouts', clientSecret: '{{args.web-oauth2-client-secret}}', scopes: ['smoke'] },
    });
  });

  test('facts: open-ended, minimum duration, inconclusive, arg uses', () => {
    const chart = Testing.chart();
    const a = new WebAnalysis(chart, 'a', {
      url: 'http://{{args.host}}/x',
      args: [TemplateArgument.required('host')],
      successCondition: 'result == \'{{args.host}}\'',
      failureCondition: 'result == \'down\'',
      initialDelay: Duration.seconds(10),
      interval: Duration.seconds(20),
      count: 5,
      consecutiveSuccessLimit: 3,
    });
    expect(a.minimumDuration?.toSeconds()).toBe(10 + 2 * 20); // succeeds after 3 consecutive successes
    expect(a.openEndedMetricNames).toEqual([]);
    expect(a.inconclusiveMetricNames).toEqual(['web']);
    expect(a.requiredArgs).toEqual(['host']);
    expect(a.queriedSeries).toEqual([]);
    expect(a.quotedArgUses).toEqual([
      expect.objectContaining({ argName: 'host', where: 'the host of the URL of metric "web"' }),
      expect.objectContaining({ argName: 'host', quote: '\'', where: 'a \'…\' string of the successCondition of metric "web"' }),
    ]);
    const open = new WebAnalysis(chart, 'b', { url: 'http://x.svc/', interval: Duration.minutes(1) });
    expect(open.openEndedMetricNames).toEqual(['web']);
    expect(open.minimumDuration).toBeUndefined();
  });

  describe('rejects', () => {
    test.each<[Partial<WebAnalysisProps>, string]>([
      [{ url: 'checkout.shop.svc/healthz' }, 'url is "checkout.shop.svc/healthz"; expected an absolute http:// or https:// URL with a host'],
      [{ url: 'ftp://files.example.com/x' }, 'url is "ftp://files.example.com/x"; expected an absolute http:// or https:// URL'],
      [{ url: '' }, 'url is ""; expected an absolute http(s) URL'],
      [{ url: 'https://user:hunter2@api.example.com/' }, 'url is a URL with credentials in it (not shown); expected no credentials in the URL'],
      [{ url: '{{args.scheme}}://x.svc/', args: [TemplateArgument.required('scheme')] }, 'expected a literal http:// or https:// scheme'],
      [{ url: 'http://{{args.host}}/', args: [TemplateArgument.withDefault('host', 'evil.com/x?')] },
        'args.host is default "evil.com/x?"; expected a value that stays inside the host of the URL of metric "web": the controller substitutes '
        + 'args as raw text, and "/" there ends the host and sends the request (and its headers) to another host or path'],
      [{ url: 'http://x.svc/a?q={{args.q}}', args: [TemplateArgument.withDefault('q', 'a&admin=1')] }, 'args.q is default "a&admin=1"; expected a value that stays inside the query of the URL'],
      [{ url: 'http://x.svc/{{args.missing}}' }, 'url is placeholder {{args.missing}}; expected a placeholder naming a declared arg (none declared); the controller fails with "failed to resolve {{args.missing}}"'],
      [{ args: [TemplateArgument.required('unused')] }, 'args.unused is declared (required); expected an arg some metric uses'],
      [{ body: 'x=1' }, 'body is set with method unset (GET); expected method POST or PUT (controller: "Body/JSONBody can only be used with POST or PUT WebMetric Method types"'],
      [{ method: WebMethod.POST, body: 'x', jsonBody: '{}' }, 'jsonBody is set together with body; expected one of body and jsonBody (controller: "use either Body or JSONBody; both cannot exists for WebMetric payload"'],
      [{ method: WebMethod.POST, jsonBody: '[1]' }, 'jsonBody is "[1]"; expected a JSON object (the CRD types jsonBody as an object)'],
      [{ method: WebMethod.POST, jsonBody: '{nope' }, 'jsonBody is "{nope"; expected valid JSON'],
      [{ method: WebMethod.POST, jsonBody: '{}', headers: [WebHeader.fromValue('Content-Type', 'text/plain')] }, 'headers[0] is "Content-Type" with jsonBody; expected no Content-Type header'],
      [{ headers: [WebHeader.fromValue('X-A', '1'), WebHeader.fromValue('x-a', '2')] }, 'headers[1] is "x-a" again (also "X-A"); expected each header once'],
      [{ method: 'DELETE' as WebMethod }, 'method is "DELETE"; expected WebMethod.GET, POST or PUT'],
      [{ timeout: Duration.millis(1500) }, 'timeout is 1500ms; expected a whole number of seconds ≥ 1'],
      [{ jsonPath: '$.status' }, 'jsonPath is "$.status"; expected one Kubernetes JSONPath expression in braces'],
      [{ jsonPath: '{$.a}{$.b}' }, 'jsonPath is "{$.a}{$.b}"; expected one Kubernetes JSONPath expression in braces'],
      [{ jsonPath: '{$.a[}' }, 'jsonPath is "{$.a[}"; expected one Kubernetes JSONPath expression in braces with balanced brackets'],
      [{ successCondition: 'result = \'ok\'' }, 'successCondition is "result = \'ok\'"; expected comparisons with "=="'],
      [{ successCondition: 'true' }, 'successCondition is "true"; expected an expression over `result`'],
      [{ successCondition: '(result == 1' }, 'successCondition is "(result == 1"; expected balanced parentheses, brackets and quotes'],
      [{ metricName: 'Smoke Test' }, 'metricName is "Smoke Test"; expected at most 63 lowercase alphanumerics'],
      [{ count: 1, failureLimit: 1 }, 'failureLimit is 1 with count 1; expected failureLimit < count'],
      [{ dryRunMetrics: ['*'] }, 'dryRunMetrics[0] is "*"; expected a Go regular expression'],
      [{ dryRunMetrics: ['other'] }, 'dryRunMetrics[0] is "other"; expected an unanchored regex matching at least one metric of the template (["web"]); '
        + 'the AnalysisRun errors: "dryRun[0]: Rule didn\'t match any metric name(s)"'],
    ])('%# %j', (props, message) => {
      expect(error(props)).toContain(message);
    });

    test('headers: credentials only from a Secret, no line breaks, token names', () => {
      expect(() => WebHeader.fromValue('Authorization', 'Bearer abc')).toThrow('WebHeader.fromValue: Authorization is a literal value; expected no inline credential');
      expect(() => WebHeader.fromValue('X-Note', 'Bearer abc')).toThrow('a literal value starting with "Bearer " (rest not shown); expected no inline credential');
      expect(() => WebHeader.fromValue('X-Note', 'a\r\nX-Injected: 1')).toThrow('expected no carriage return, line feed or NUL');
      expect(() => WebHeader.fromValue('X-Note', 'a\u0000b')).toThrow('expected no carriage return, line feed or NUL');
      expect(() => WebHeader.fromValue('X Note', 'a')).toThrow('WebHeader.fromValue: name is "X Note"; expected an HTTP header name');
      expect(() => WebHeader.fromValue('X-Note', '')).toThrow('X-Note is ""; expected a non-empty value');
      expect(() => WebHeader.fromSecret('X-Token', { secretName: 'Bad_Name', key: 'k' })).toThrow('secret.secretName is "Bad_Name"');
      expect(() => WebHeader.fromSecret('X-Token', { secretName: 's', key: 'k' }, { prefix: 'a\nb' })).toThrow('options.prefix is "a\\nb"');
    });

    test('OAuth2 needs a literal token URL and a client id (controller: missing mandatory parameter in metric for OAuth2 setup)', () => {
      const secret = { secretName: 'oauth', key: 'client-secret' };
      expect(() => WebAuthentication.oauth2({ tokenUrl: 'auth/token', clientId: 'c', clientSecret: secret })).toThrow('tokenUrl is "auth/token"; expected an absolute http:// or https:// URL');
      expect(() => WebAuthentication.oauth2({ tokenUrl: 'https://a/{{args.x}}', clientId: 'c', clientSecret: secret })).toThrow('expected a literal absolute http(s) URL');
      expect(() => WebAuthentication.oauth2({ tokenUrl: 'https://a/t', clientId: ' ', clientSecret: secret }))
        .toThrow('clientId is " "; expected a non-empty client id (every measurement errors: "missing mandatory parameter in metric for OAuth2 setup")');
    });

    test('plain-JS callers passing the wrong types get a ValidationError', () => {
      const chart = Testing.chart();
      expect(() => new WebAnalysis(chart, 'a', { url: 42 } as any)).toThrow('url is 42 (a number); expected a string');
      expect(() => new WebAnalysis(chart, 'b', { url: 'http://x/', headers: ['X-A: 1'] } as any)).toThrow('headers[0] is "X-A: 1" (a string); expected a WebHeader');
      expect(() => new WebAnalysis(chart, 'c', { url: 'http://x/', insecure: 'yes' } as any)).toThrow('insecure is "yes" (a string); expected true or false');
      expect(() => new WebAnalysis(chart, 'd', undefined as any)).toThrow('props is missing; expected an object');
      expect(() => WebHeader.fromValue(1 as any, 'x')).toThrow('WebHeader.fromValue: name is 1 (a number); expected a string');
      expect(() => new WebAnalysis(chart, 'e', { url: 'http://x/', timeout: 5 } as any)).toThrow('timeout is 5 (a number); expected a Duration');
      expect(() => new WebAnalysis(chart, 'f', { url: 'http://x/', interval: '30s', count: 2 } as any)).toThrow('interval is "30s" (a string); expected a Duration');
      expect(() => new WebAnalysis(chart, 'g', { url: 'http://x/', consecutiveSuccessLimit: '2' } as any))
        .toThrow('consecutiveSuccessLimit is "2" (a string); expected a number');
    });
  });

  describe('in a Rollout', () => {
    function rollout(webProps: Partial<WebAnalysisProps>, args: Record<string, string>, background = false) {
      const chart = Testing.chart();
      const smoke = new WebAnalysis(chart, 'smoke', {
        metadata: { name: 'smoke' },
        url: 'http://{{args.service-name}}.shop.svc:8080/healthz',
        args: [TemplateArgument.required('service-name')],
        successCondition: 'result.status == \'ok\'',
        ...webProps,
      });
      new CanaryRollout(chart, 'checkout', {
        metadata: { name: 'checkout' },
        workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
        trafficRouting: TrafficRouting.istio({ virtualService: 'vs' }),
        steps: [
          CanaryStep.setWeight(20),
          ...(background ? [CanaryStep.pause(Duration.minutes(5))] : [CanaryStep.analysis({ templates: [smoke], args })]),
        ],
        ...(background ? { backgroundAnalysis: { templates: [smoke], args } } : {}),
      });
      return chart;
    }

    test('a canary step runs the smoke test; the controller accepts the Rollout with the template', () => {
      const objs = Testing.synth(rollout({ count: 3, interval: Duration.seconds(10) }, { 'service-name': 'checkout' }));
      const ro = objs.find(o => o.kind === 'Rollout');
      expect(ro.spec.strategy.canary.steps[1]).toEqual({
        analysis: { templates: [{ templateName: 'smoke' }], args: [{ name: 'service-name', value: 'checkout' }] },
      });
      if (conformanceBuilt('rollouts-validate')) {
        const [v] = validateRollouts(objs);
        expect(v.errors).toEqual([]);
        expect(v.referenced.analysisTemplates).toBe(1);
      }
    });

    go('blue-green pre- and post-promotion analysis: the controller accepts the template there as it is', () => {
      const chart = Testing.chart();
      new WebAnalysis(chart, 'smoke', {
        metadata: { name: 'smoke' },
        url: 'http://{{args.service-name}}.shop.svc:8080/healthz',
        args: [TemplateArgument.required('service-name')],
        count: 3,
        interval: Duration.seconds(10),
      });
      const analysis = { templates: [{ templateName: 'smoke' }], args: [{ name: 'service-name', value: 'checkout-preview' }] };
      // a blue-green Rollout written raw (BlueGreenRollout is built on another branch): the template needs no special case
      const blueGreen = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'checkout' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'checkout' } },
          template: { metadata: { labels: { app: 'checkout' } }, spec: { containers: [{ name: 'app', image: 'img' }] } },
          strategy: { blueGreen: { activeService: 'checkout-active', previewService: 'checkout-preview', prePromotionAnalysis: analysis, postPromotionAnalysis: analysis } },
        },
      };
      const [v] = validateRollouts([...Testing.synth(chart), blueGreen]);
      expect(v.errors).toEqual([]);
      expect(v.referenced.analysisTemplates).toBe(2); // pre and post
      // and a required arg the Rollout does not pass is the controller's R5 there too
      const missing = JSON.parse(JSON.stringify(blueGreen));
      missing.spec.strategy.blueGreen.prePromotionAnalysis.args = [];
      expect(validateRollouts([...Testing.synth(chart), missing])[0].errors.map(e => e.message).join('\n')).toContain('args.service-name was not resolved');
    });

    test('a background analysis may run the web check until the rollout completes', () => {
      const objs = Testing.synth(rollout({ interval: Duration.minutes(1) }, { 'service-name': 'checkout' }, true));
      expect(objs.find(o => o.kind === 'Rollout').spec.strategy.canary.analysis.templates).toEqual([{ templateName: 'smoke' }]);
    });

    test('an open-ended web metric in a step is refused (R8)', () => {
      expect(() => Testing.synth(rollout({ interval: Duration.minutes(1) }, { 'service-name': 'checkout' })))
        .toThrow('which runs indefinitely');
    });

    test('a literal Rollout arg must stay inside the part of the URL it lands in', () => {
      expect(() => Testing.synth(rollout({}, { 'service-name': 'evil.example.com/' })))
        .toThrow('steps[1].analysis.args["service-name"] is "evil.example.com/"; expected a value that stays inside the host of the URL of metric "web" '
          + 'it lands in (template AnalysisTemplate "smoke", metric "web"): the controller substitutes args as raw text, and "/" there ends the host and '
          + 'sends the request (and its headers) to another host or path. Fix: pass a value without "/", "?", "#", "@", ":", a backslash, a space, "%", "[", "]" or control characters');
      expect(() => Testing.synth(rollout({}, { 'service-name': 'checkout' }))).not.toThrow();
    });
  });
});
