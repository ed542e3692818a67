import { Duration, Testing } from 'cdk8s';
import { PrometheusAuthentication, PrometheusHeader, PrometheusServer, SuccessRateAnalysis, TemplateArgument, ValidationError } from '../../src';

const PROM = 'http://prometheus.monitoring.svc.cluster.local:9090';
const AMP = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234/';

function synthWith(prometheus: PrometheusServer) {
  const chart = Testing.chart();
  const analysis = new SuccessRateAnalysis(chart, 'sr', { prometheus, threshold: 0.99, metadata: { name: 'sr' } });
  const [obj] = Testing.synth(chart);
  return { analysis, obj, provider: obj.spec.metrics[0].provider.prometheus };
}

describe('PrometheusServer', () => {
  test('address only: nothing else is rendered (controller defaults apply)', () => {
    const { provider } = synthWith(PrometheusServer.fromAddress(PROM));
    expect(Object.keys(provider).sort()).toEqual(['address', 'query']);
    expect(provider.address).toBe(PROM);
  });

  test('timeout is rendered as integer seconds, insecure as a boolean', () => {
    const server = PrometheusServer.fromAddress(PROM, { timeout: Duration.minutes(1), insecure: true });
    expect(server.timeout?.toSeconds()).toBe(60);
    const { provider } = synthWith(server);
    expect(provider.timeout).toBe(60);
    expect(provider.insecure).toBe(true);
  });

  test('headers: credentials come from Secret-backed args, plain headers stay literal', () => {
    const server = PrometheusServer.fromAddress(PROM, {
      headers: [
        PrometheusHeader.bearerToken({ secretName: 'prometheus-token', key: 'token' }),
        PrometheusHeader.fromValue('X-Scope-OrgID', 'team-a'),
        PrometheusHeader.fromSecret('X-Api-Key', { secretName: 'prom-key', key: 'api-key' }),
      ],
    });
    const { provider, obj, analysis } = synthWith(server);
    expect(provider.headers).toEqual([
      { key: 'Authorization', value: 'Bearer {{args.prometheus-bearer-token}}' },
      { key: 'X-Scope-OrgID', value: 'team-a' },
      { key: 'X-Api-Key', value: '{{args.prometheus-header-x-api-key}}' },
    ]);
    expect(obj.spec.args).toEqual([
      { name: 'service-name' },
      { name: 'prometheus-bearer-token', valueFrom: { secretKeyRef: { name: 'prometheus-token', key: 'token' } } },
      { name: 'prometheus-header-x-api-key', valueFrom: { secretKeyRef: { name: 'prom-key', key: 'api-key' } } },
    ]);
    // Secret-backed args are declared but never required from a Rollout.
    expect(analysis.requiredArgs).toEqual(['service-name']);
    expect(analysis.declaredArgs).toEqual([
      { name: 'service-name' },
      { name: 'prometheus-bearer-token', fromSecret: true },
      { name: 'prometheus-header-x-api-key', fromSecret: true },
    ]);
  });

  test('sigv4 for Amazon Managed Prometheus', () => {
    const server = PrometheusServer.fromAddress(AMP, {
      authentication: PrometheusAuthentication.sigv4({ region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/amp-query' }),
    });
    expect(synthWith(server).provider.authentication).toEqual({ sigv4: { region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/amp-query' } });
  });

  test('oauth2: the client secret is a Secret-backed arg placeholder, never a literal', () => {
    const server = PrometheusServer.fromAddress('https://prometheus.example.com', {
      authentication: PrometheusAuthentication.oauth2({
        tokenUrl: 'https://login.example.com/oauth2/token',
        clientId: 'argo-rollouts',
        clientSecret: { secretName: 'prom-oauth', key: 'client-secret' },
        scopes: ['metrics.read'],
      }),
    });
    const { provider, obj, analysis } = synthWith(server);
    expect(provider.authentication).toEqual({
      oauth2: {
        tokenUrl: 'https://login.example.com/oauth2/token',
        clientId: 'argo-rollouts',
        clientSecret: '{{args.prometheus-oauth2-client-secret}}',
        scopes: ['metrics.read'],
      },
    });
    expect(obj.spec.args).toContainEqual({ name: 'prometheus-oauth2-client-secret', valueFrom: { secretKeyRef: { name: 'prom-oauth', key: 'client-secret' } } });
    expect(analysis.requiredArgs).toEqual(['service-name']);
  });

  test('an arg name clash between the server and a template arg fails at synth', () => {
    const chart = Testing.chart();
    new SuccessRateAnalysis(chart, 'sr', {
      prometheus: PrometheusServer.fromAddress(PROM, { headers: [PrometheusHeader.fromSecret('Authorization', { secretName: 's', key: 'k' }, { argName: 'service-name' })] }),
      threshold: 0.99,
    });
    expect(() => Testing.synth(chart)).toThrow('args.service-name is declared by prometheus (from Secret s/k) and by metric (required); expected one declaration per arg name');
  });

  test.each<[() => unknown, string]>([
    [() => PrometheusServer.fromAddress('prometheus:9090'), 'PrometheusServer.fromAddress: address is "prometheus:9090"; expected an absolute http(s) URL with a host'],
    [() => PrometheusServer.fromAddress('/api/v1'), 'address is "/api/v1"; expected an absolute http(s) URL'],
    [() => PrometheusServer.fromAddress('ftp://prom'), 'address is "ftp://prom"; expected an absolute http(s) URL'],
    [() => PrometheusServer.fromAddress(PROM, { timeout: Duration.millis(1500) }), 'timeout is 1500ms; expected a whole number of seconds ≥ 1 (the controller takes `timeout` as integer seconds)'],
    [() => PrometheusServer.fromAddress(PROM, { timeout: Duration.seconds(0) }), 'timeout is 0ms; expected a whole number of seconds ≥ 1'],
    [() => PrometheusServer.fromAddress(PROM, { headers: [PrometheusHeader.fromValue('X-Scope-OrgID', 'a'), PrometheusHeader.fromValue('x-scope-orgid', 'b')] }),
      'headers[1].name is "x-scope-orgid"; expected each header once'],
    [() => PrometheusServer.fromAddress(PROM, { authentication: PrometheusAuthentication.sigv4() }),
      'authentication is sigv4 with address "http://prometheus.monitoring.svc.cluster.local:9090"; expected an Amazon Managed Prometheus address'],
    [() => PrometheusHeader.fromValue('Authorization', 'Bearer abc123'),
      'PrometheusHeader.fromValue: Authorization is a literal value; expected no inline credential: the header name "Authorization" says it carries one. '
      + 'Fix: reference a Secret: PrometheusHeader.fromSecret(\'Authorization\', { secretName, key })'],
    [() => PrometheusHeader.fromValue('X-Auth-Token', 'abc'), 'X-Auth-Token is a literal value; expected no inline credential: the header name "X-Auth-Token" says it carries one'],
    [() => PrometheusHeader.fromValue('X-Scope-OrgID', ''), 'X-Scope-OrgID is ""; expected a non-empty value'],
    [() => PrometheusHeader.fromValue('Bad Header', 'x'), 'name is "Bad Header"; expected an HTTP header name'],
    [() => PrometheusHeader.fromSecret('Authorization', { secretName: 'Bad_Name', key: 'token' }), 'PrometheusHeader.fromSecret: secret.secretName is "Bad_Name"; expected a DNS-1123 subdomain'],
    [() => PrometheusHeader.fromSecret('Authorization', { secretName: 'ok', key: 'a/b' }), 'secret.key is "a/b"; expected a Secret data key'],
    [() => PrometheusAuthentication.sigv4({ roleArn: 'amp-query' }), 'PrometheusAuthentication.sigv4: roleArn is "amp-query"; expected an IAM role ARN'],
    [() => PrometheusAuthentication.oauth2({ tokenUrl: 'login', clientId: 'a', clientSecret: { secretName: 's', key: 'k' } }), 'PrometheusAuthentication.oauth2: tokenUrl is "login"; expected an absolute http(s) URL'],
    [() => PrometheusAuthentication.oauth2({ tokenUrl: 'https://l', clientId: ' ', clientSecret: { secretName: 's', key: 'k' } }), 'clientId is " "; expected a non-empty client id'],
    [() => PrometheusAuthentication.oauth2({ tokenUrl: 'https://l', clientId: 'a', clientSecret: { secretName: 's', key: '' } }), 'clientSecret.key is ""; expected a Secret data key'],
  ])('fails %#', (fn, msg) => {
    expect(fn).toThrow(msg);
  });
});

describe('PrometheusHeader.fromValue with a credential-like value', () => {
  test.each([
    ['X-Scope-OrgID', 'Bearer eyJhbGciOi.secret',
      'PrometheusHeader.fromValue: X-Scope-OrgID is a literal value starting with "Bearer " (rest not shown); expected no inline credential: '
      + 'the value looks like one (a "Bearer <credential>" value). Fix: reference a Secret: PrometheusHeader.fromSecret(\'X-Scope-OrgID\', '
      + '{ secretName, key }), with { prefix: \'Bearer \' } (or PrometheusHeader.bearerToken for Authorization)'],
    ['X-Custom', 'basic dXNlcjpwYXNz',
      'PrometheusHeader.fromValue: X-Custom is a literal value starting with "basic " (rest not shown); expected no inline credential: the value looks like one '
      + '(a "basic <credential>" value). Fix: reference a Secret: PrometheusHeader.fromSecret(\'X-Custom\', { secretName, key }), with { prefix: \'basic \' }'],
  ])('%s: %s names the value, not the header, and never echoes the credential', (name, value, msg) => {
    let message = '';
    try {
      PrometheusHeader.fromValue(name, value);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(msg);
    expect(message).not.toContain(value.split(' ')[1]);
    expect(message).not.toContain('this header carries one');
  });

  test('a plain value with a credential-like word inside is fine', () => {
    expect(PrometheusHeader.fromValue('X-Scope-OrgID', 'team-bearer').value).toBe('team-bearer');
  });
});

describe('PrometheusHeader.fromSecret', () => {
  test('a prefix with a carriage return, line feed or NUL is refused, as for a web header (Go\'s net/http refuses the request)', () => {
    const secret = { secretName: 'prom', key: 'token' };
    for (const prefix of ['Bearer\n', 'a\rb', 'x\u0000']) {
      const call = () => PrometheusHeader.fromSecret('Authorization', secret, { prefix });
      expect(call).toThrow(ValidationError);
      expect(call).toThrow(`PrometheusHeader.fromSecret: options.prefix is ${JSON.stringify(prefix)}; expected no carriage return, line feed or NUL`);
    }
    expect(PrometheusHeader.fromSecret('Authorization', secret, { prefix: 'Bearer ' }).value).toBe('Bearer {{args.prometheus-header-authorization}}');
  });
});

describe('TemplateArgument', () => {
  test('renders the three kinds and reports them to the seam', () => {
    const args = [TemplateArgument.required('a'), TemplateArgument.withDefault('b', 'x'), TemplateArgument.fromSecret('c', { secretName: 's', key: 'k' })];
    expect(args.map(a => a._toKube())).toEqual([{ name: 'a' }, { name: 'b', value: 'x' }, { name: 'c', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]);
    expect(args.map(a => a.toAnalysisArgument())).toEqual([{ name: 'a' }, { name: 'b', defaultValue: 'x' }, { name: 'c', fromSecret: true }]);
    expect(args.map(a => a.isRequired)).toEqual([true, false, false]);
  });

  test.each<[() => unknown, string]>([
    [() => TemplateArgument.required('service name'), 'TemplateArgument: name is "service name"; expected letters, digits, "_", "." or "-"'],
    [() => TemplateArgument.withDefault('x', ''), 'TemplateArgument: x.defaultValue is ""; expected a non-empty value (the controller would substitute an empty string)'],
    [() => TemplateArgument.fromSecret('x', { secretName: '', key: 'k' }), 'TemplateArgument: x.secret.secretName is ""; expected a DNS-1123 subdomain'],
  ])('fails %#', (fn, msg) => {
    expect(fn).toThrow(msg);
  });
});
