/**
 * The fuzz generators: one target per public construct, each drawing plausible and hostile props (see hostile.ts)
 * and building + synthesizing them the way a user does. Factory calls are drawn as data (`Call`) and made inside
 * `build`, so a factory's own rejection (or crash) is part of the case.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { Built, docs, FuzzTarget, selectorSkeleton } from './harness';
import { anyValue, arr, duration, labelKey, labelValue, metadata, mix, name, num, props, str, stringMap } from './hostile';
import * as lib from '../../src';

/** A factory call drawn as data: made by `materialize` inside the case. */
export class Call {
  constructor(readonly cls: string, readonly method: string, readonly args: unknown[]) {}
  public toString(): string {
    return `${this.cls}.${this.method}(${this.args.map(a => fc.stringify(a)).join(', ')})`;
  }
  [fc.toStringMethod](): string {
    return this.toString();
  }
}

/** An instance method called on the result of a drawn factory call (e.g. `RollingSyncStep.everything().withBake(d)`). */
export class MethodCall {
  constructor(readonly target: Call, readonly method: string, readonly args: unknown[]) {}
  public toString(): string {
    return `${this.target.toString()}.${this.method}(${this.args.map(a => fc.stringify(a)).join(', ')})`;
  }
  [fc.toStringMethod](): string {
    return this.toString();
  }
}

/** `target.method(...args)` on the value a drawn call makes. */
export function then(target: fc.Arbitrary<Call>, method: string, ...args: fc.Arbitrary<unknown>[]): fc.Arbitrary<MethodCall> {
  return fc.tuple(target, ...args).map(([t, ...a]) => new MethodCall(t, method, a));
}

/** A call of `cls.method` with arguments drawn from `args`. */
export function call(cls: string, method: string, ...args: fc.Arbitrary<unknown>[]): fc.Arbitrary<Call> {
  return fc.tuple(...args).map(a => new Call(cls, method, a));
}

/** A plain object drawn by fast-check (its records may have a null prototype). */
function isRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Replaces every Call in a drawn value by its result (depth-first, arguments first). */
export function materialize(value: any): any {
  if (value instanceof Call) {
    const target = (lib as any)[value.cls];
    return target[value.method](...value.args.map(materialize));
  }
  if (value instanceof MethodCall) return materialize(value.target)[value.method](...value.args.map(materialize));
  if (Array.isArray(value)) return value.map(materialize);
  if (isRecord(value)) {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) out[k] = materialize(v);
    return out;
  }
  return value;
}

// ---- shared pieces ---------------------------------------------------------------------------------------------------

const clusterName = str(['prod-1', 'canary-1', 'seoul-1', 'eu-west-1', 'a.b'], ['İzmir-1', 'prod🚀1', 'A_B']);
const server = str(['https://prod-1.example.com', 'https://kubernetes.default.svc', 'http://10.0.0.1:6443'], ['ftp://x', 'x']);
const endpoint = str(['prometheus.prod-1.internal:9090', 'prom:9090', '10.0.0.1:9090'], ['prom:99999', 'prom', 'prom:0']);

const fleetCluster = props({ name: clusterName, server, labels: stringMap(labelKey, labelValue), metricsEndpoint: endpoint }, ['name', 'server']);

const fleetProps = props({ clusters: arr(fleetCluster, { minLength: 1, maxLength: 4 }) }, ['clusters']);

const plausibleFleet = () => new lib.Fleet({
  clusters: ['canary-1:canary', 'prod-1:production', 'prod-2:production'].map(s => {
    const [n, env] = s.split(':');
    return { name: n, server: `https://${n}.example.com`, labels: { env, region: 'eu' }, metricsEndpoint: `prometheus.${n}.internal:9090` };
  }),
});

const labelExpression = fc.oneof(
  call('LabelExpression', 'valueIn', labelKey, arr(labelValue, { maxLength: 3 })),
  call('LabelExpression', 'valueNotIn', labelKey, arr(labelValue, { maxLength: 3 })),
  call('LabelExpression', 'exists', labelKey),
  call('LabelExpression', 'doesNotExist', labelKey),
  call('LabelExpression', 'of', labelKey, str(['In', 'NotIn', 'Exists', 'DoesNotExist'], ['in', 'Gt']), arr(labelValue)),
);

const clusterSelector = fc.oneof(
  call('ClusterSelector', 'matchLabels', stringMap()),
  call('ClusterSelector', 'matchExpressions', arr(labelExpression)),
  call('ClusterSelector', 'of', stringMap(), arr(labelExpression)),
  call('ClusterSelector', 'all'),
);

const maxUpdate = fc.oneof(
  call('MaxUpdate', 'count', num([1, 2, 3, 10])),
  call('MaxUpdate', 'percent', num([10, 25, 50, 100])),
  call('MaxUpdate', 'manual'),
  call('MaxUpdate', 'all'),
  call('MaxUpdate', 'fromString', str(['25%', '100%'], ['1', '0', '0%', '-1', '1.5', '101%', '%'])),
);

const envKey = str(['env', 'tier']);
const envValue = str(['canary', 'production', 'staging']);
const plainRollingSyncStep = fc.oneof(
  call('RollingSyncStep', 'whereIn', envKey, arr(envValue, { minLength: 1 }), fc.option(maxUpdate, { nil: undefined })),
  call('RollingSyncStep', 'whereNotIn', envKey, arr(envValue, { minLength: 1 }), fc.option(maxUpdate, { nil: undefined })),
  call('RollingSyncStep', 'matching', arr(labelExpression, { minLength: 1 }), fc.option(maxUpdate, { nil: undefined })),
  call('RollingSyncStep', 'everything', fc.option(maxUpdate, { nil: undefined })),
  // plain-JS callers: a bare number or object where a MaxUpdate belongs
  call('RollingSyncStep', 'whereIn', envKey, arr(envValue), anyValue),
);
/** A step, sometimes with a bake time (wave controls): plausible and hostile durations. */
const rollingSyncStep = fc.oneof(
  { weight: 7, arbitrary: plainRollingSyncStep },
  { weight: 1, arbitrary: then(plainRollingSyncStep, 'withBake', duration) },
);

// unbaked in 4 of 5 cases (a bake needs a Rollout in the stack's service)
// unbaked in 4 of 5 cases (a bake needs a Rollout in the stack's service)
const plausibleWaves = fc.oneof({
  weight: 4,
  arbitrary: fc.constant([
    new Call('RollingSyncStep', 'whereIn', ['env', ['canary'], new Call('MaxUpdate', 'count', [1])]),
    new Call('RollingSyncStep', 'whereIn', ['env', ['production'], new Call('MaxUpdate', 'percent', [50])]),
  ]),
}, {
  weight: 1,
  arbitrary: fc.constant([
    new MethodCall(new Call('RollingSyncStep', 'whereIn', ['env', ['canary'], new Call('MaxUpdate', 'count', [1])]), 'withBake', [Duration.minutes(30)]),
    new Call('RollingSyncStep', 'whereIn', ['env', ['production'], new Call('MaxUpdate', 'percent', [50])]),
  ]),
});
const waves = mix(fc.oneof(plausibleWaves, arr(rollingSyncStep, { minLength: 1, maxLength: 3 })), anyValue, 2);

// ---- analyses --------------------------------------------------------------------------------------------------------

const secretRef = props({ secretName: name, key: str(['token', 'password', 'tls.crt'], ['bad/key']) }, ['secretName', 'key']);
const header = fc.oneof(
  call('PrometheusHeader', 'fromValue', str(['X-Scope-OrgID', 'Accept'], ['bad header', '']), str(['tenant-1', '{{args.x}}'], ['a\r\nb', 'a\u0000b'])),
  call('PrometheusHeader', 'bearerToken', secretRef),
  call('PrometheusHeader', 'fromSecret', str(['Authorization', 'X-Token']), secretRef, props({ prefix: str(['Bearer '], ['']), argName: str(['token'], ['bad name']) })),
);
const prometheusServer = fc.oneof(
  { weight: 6, arbitrary: call('PrometheusServer', 'fromAddress', str(['http://prometheus.monitoring:9090', 'https://prom.example.com'])) },
  {
    weight: 2,
    arbitrary: call('PrometheusServer', 'fromAddress', str(['http://prometheus:9090'], ['prometheus:9090', 'http://{{args.x}}']),
      props({ timeout: duration, insecure: mix(fc.boolean()), headers: arr(header, { maxLength: 2 }) })),
  },
  { weight: 1, arbitrary: anyValue },
);
const templateArgument = fc.oneof(
  call('TemplateArgument', 'required', str(['service-name', 'cluster'], ['bad name', 'x', '{{'])),
  call('TemplateArgument', 'withDefault', str(['service-name', 'env']), str(['shop'], ['x",job=~".+', 'my"svc', ''])),
  call('TemplateArgument', 'fromSecret', str(['token']), secretRef),
);
const noDataPolicy = mix(fc.constantFrom(lib.NoDataPolicy.PASS, lib.NoDataPolicy.FAIL, lib.NoDataPolicy.INCONCLUSIVE));
const condition = fc.oneof(
  call('MetricCondition', 'atLeast', num([0.95, 0.99, 1]), props({ onEmptyResult: noDataPolicy, onNaN: noDataPolicy })),
  call('MetricCondition', 'atMost', num([0.01, 500]), props({ onEmptyResult: noDataPolicy })),
  call('MetricCondition', 'greaterThan', num([0])),
  call('MetricCondition', 'lessThan', num([1])),
  call('MetricCondition', 'custom', props({
    successCondition: str(['result[0] >= 0.95', 'len(result) == 0 || result[0] < 1'], ['result[0] >=', '{{']),
    failureCondition: str(['result[0] < 0.9'], ['bogus(']),
  })),
);
const metricOptions = {
  interval: duration,
  count: num([1, 3, 5, 0]),
  initialDelay: duration,
  failureLimit: num([0, 1, 2]),
  inconclusiveLimit: num([0, 1]),
  consecutiveErrorLimit: num([0, 4]),
  consecutiveSuccessLimit: num([1, 2]),
};
const serviceSelectorOptions = {
  serviceLabel: str(['job', 'service', 'app'], ['__name__', 'bad-label', 'le']),
  serviceArgName: str(['service-name', 'svc'], ['bad name']),
  serviceName: str(['checkout', '{{args.x}}'], ['x",job=~".+', 'my"svc', '\\']),
  clusterLabel: str(['cluster'], ['bad-label']),
  clusterArgName: str(['cluster', 'cluster-name']),
  window: duration,
  onEmptyResult: noDataPolicy,
  onNaN: noDataPolicy,
};
/** The options every analysis template takes. */
const templateOptions = {
  clusterScope: mix(fc.boolean()),
  metadata,
  args: arr(templateArgument, { maxLength: 2 }),
  dryRunMetrics: arr(str(['.*', 'success-rate', 'smoke', 'web', 'job'], ['*', '(a*)*b', '[', 'nomatch']), { maxLength: 2 }),
  measurementRetention: arr(props({ metricName: str(['.*', 'smoke'], ['*', '(']), limit: num([1, 10, 20]) }, ['metricName', 'limit']), { maxLength: 2 }),
};
const analysisOptions = {
  prometheus: prometheusServer,
  ...templateOptions,
};
const successRateMetricFields = {
  ...metricOptions,
  ...serviceSelectorOptions,
  threshold: num([0.95, 0.99, 0.5]),
  metricName: str(['success-rate', 'sr'], ['Bad Name']),
  requestMetric: str(['http_requests_total', 'istio_requests_total'], ['bad-metric', 'a{b}']),
  statusLabel: str(['status', 'code', 'response_code'], ['bad-label']),
  errorStatusPattern: str(['5..', '5[0-9]{2}', '4..|5..'], ['(a*)*b', '(?!504)5..', 'a)|(b', '[']),
};
const successRateProps = props({ ...analysisOptions, ...successRateMetricFields }, ['prometheus', 'threshold']);
const latencyMetricFields = {
  ...metricOptions,
  ...serviceSelectorOptions,
  threshold: duration,
  quantile: num([0.99, 0.95, 0.5]),
  histogramMetric: str(['http_request_duration_seconds', 'rpc_latency'], ['bad-metric']),
  histogramUnit: mix(fc.constantFrom(lib.HistogramUnit.SECONDS, lib.HistogramUnit.MILLISECONDS)),
  metricName: str(['latency', 'p99']),
};
const latencyProps = props({ ...analysisOptions, ...latencyMetricFields }, ['prometheus', 'threshold']);
const queryMetric = call('PrometheusMetric', 'fromQuery', props({
  ...metricOptions,
  metricName: str(['error-rate'], ['x']),
  query: str(['sum(rate(http_requests_total{job="shop",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="shop"}[5m]))', 'vector(1)',
    'scalar(sum(up{job="shop"}))'], ['sum(rate(http_requests_total{job="{{args.service-name}}"}[5m]))', 'up{job="x"}', 'up{job=~"(a*)*b"}', 'up{job="a\\d"}', `up{job="{{${' '.repeat(500)}"}`, 'sum(']),
  condition,
}, ['metricName', 'query', 'condition']));
const prometheusAnalysisProps = props({
  ...analysisOptions,
  // metrics are present in most cases (an analysis without metrics is rejected at synth)
  metrics: arr(fc.oneof(queryMetric, call('PrometheusMetric', 'successRate', props(successRateMetricFields, ['threshold'])),
    call('PrometheusMetric', 'latency', props(latencyMetricFields, ['threshold']))),
  { minLength: 1, maxLength: 2 }),
}, ['prometheus', 'metrics']);

const webHeader = fc.oneof(
  call('WebHeader', 'fromValue', str(['Content-Type', 'X-Canary', 'Accept'], ['bad header', 'Authorization', '']),
    str(['application/json', '{{args.service-name}}', 'true'], ['a\r\nb', 'Bearer abc', 'a\u0000b'])),
  call('WebHeader', 'fromSecret', str(['X-Token', 'Authorization'], ['bad header']), secretRef,
    props({ prefix: str(['Bearer ', 'Token '], ['a\nb']), argName: str(['smoke-token'], ['bad name', 'x']) })),
  call('WebHeader', 'bearerToken', secretRef),
);
const webAuthentication = call('WebAuthentication', 'oauth2', props({
  tokenUrl: str(['https://idp.example.com/oauth/token'], ['idp/token', 'http://{{args.x}}', 'ftp://idp']),
  clientId: str(['rollouts', 'smoke'], [' ', '']),
  clientSecret: secretRef,
  scopes: arr(str(['read', 'smoke:run'])),
  clientSecretArgName: str(['oauth2-secret'], ['bad name']),
}, ['tokenUrl', 'clientId', 'clientSecret']));
const webAnalysisProps = props({
  ...templateOptions,
  ...metricOptions,
  url: str(['http://checkout.shop.svc:8080/healthz', 'https://smoke.example.com/run?service={{args.service-name}}', '{{args.service-name}}',
    'http://{{args.service-name}}.shop.svc/ready'], ['checkout/healthz', 'ftp://x', 'http://x/{{args.bogus}}', 'http://a b/', 'http://x/?q={{args.service-name']),
  metricName: str(['smoke', 'web'], ['Bad Name', '']),
  method: mix(fc.constantFrom(lib.WebMethod.GET, lib.WebMethod.POST, lib.WebMethod.PUT), str(['DELETE', 'get'])),
  headers: arr(webHeader, { maxLength: 2 }),
  body: str(['ping', 'service={{args.service-name}}'], ['{{']),
  jsonBody: str(['{"service":"{{args.service-name}}"}', '{}', '{"n":1}'], ['{', '[1]', '"x"']),
  timeout: duration,
  jsonPath: str(['{$.ok}', '{$.results[0].passed}', '{$}'], ['$.ok', '{', '{$.a[}']),
  insecure: mix(fc.boolean()),
  authentication: mix(webAuthentication),
  successCondition: str(['result == true', 'result.passed == true', 'result == "{{args.service-name}}"'], ['result ==', '{{', 'bogus(']),
  failureCondition: str(['result == false'], ['bogus(']),
}, ['url'], 0.15); // each optional key in 15% of the cases: with 25 keys, enough prop sets stay valid
const JOB = 'job';
const jobContainer = props({
  image: str(['curlimages/curl:8.5.0', 'ghcr.io/my-org/smoke:1.0'], ['']),
  command: arr(str(['sh', '-c', 'curl'])),
  args: arr(str(['-sf', 'http://{{args.service-name}}.shop.svc/healthz', 'curl -sf http://{{args.service-name}}/healthz'], ['{{args.bogus}}', '{{'])),
  envVariables: mix(fc.constant(undefined)),
}, ['image']);
/** Exactly one of job and containers in most cases; both, neither or a hostile job in the rest. */
const jobSource = fc.oneof(
  { weight: 3, arbitrary: fc.record({ job: mix(fc.constant(JOB), anyValue, 3) }) },
  { weight: 6, arbitrary: fc.record({ containers: arr(jobContainer, { minLength: 1, maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.constantFrom<Record<string, unknown>>({}, { job: JOB, containers: [{ image: 'curlimages/curl:8.5.0' }] }) },
);
const jobAnalysisProps = fc.tuple(props({
  ...templateOptions,
  ...metricOptions,
  metricName: str(['smoke', 'job'], ['Bad Name', 'x'.repeat(64)]),
  backoffLimit: num([0, 1, 2]),
  activeDeadline: duration,
}, [], 0.15), jobSource).map(([p, source]) => (isRecord(p) ? { ...p, ...source } : p));

// ---- wave controls and template passthroughs (MultiClusterAppSet and ProgressiveDeliveryStack) ----------------------

const applicationSource = props({
  repoUrl: str(['https://github.com/my-org/shop', 'https://charts.example.com'], ['x']),
  targetRevision: str(['main', '1.2.3']),
  path: str(['k8s/overlays/{{.env}}', 'k8s'], ['../x', '{{']),
  chart: str(['shop']),
  ref: str(['values', 'config'], ['bad ref!', '$values']),
  helm: props({ valueFiles: arr(str(['values.yaml', '$values/envs/{{.env}}.yaml'], ['$bogus/x.yaml'])), releaseName: name }),
}, ['repoUrl']);
const ignoreDifferences = arr(props({
  kind: str(['Rollout', 'Deployment', 'Service'], ['', 'bad kind']),
  group: str(['argoproj.io', 'apps', ''], ['Bad Group']),
  name,
  namespace: str(['shop', 'shop-{{.env}}'], ['Not A Namespace']),
  jsonPointers: arr(str(['/spec/replicas', '/spec/template/metadata/annotations'], ['spec/replicas', '/a/~2'])),
  jqPathExpressions: arr(str(['.spec.replicas', '.spec.template.spec.containers[] | select(.name == "istio-proxy")'], ['.[', ''])),
  managedFieldsManagers: arr(str(['kube-controller-manager', 'rollouts-controller'], [''])),
}, ['kind']), { maxLength: 2 });
const ignoreApplicationDifferences = arr(props({
  name: str(['shop-canary', '{{.name}}'], ['Bad Name']),
  jsonPointers: arr(str(['/spec/source/targetRevision', '/spec/syncPolicy'], ['spec'])),
  jqPathExpressions: arr(str(['.spec.source.helm.values'], ['.['])),
}), { maxLength: 2 });
const templatePatch = str([
  'spec:\n  source:\n    helm:\n      valueFiles:\n        - values-{{.env}}.yaml\n',
  '{{- if eq .env "canary" }}\nspec:\n  syncPolicy:\n    syncOptions:\n      - ServerSideApply=true\n{{- end }}\n',
  'metadata:\n  annotations:\n    example.com/env: "{{.env}}"\n',
], ['{{', 'spec: [', '{{.bogus}}', 'spec:\n  project: "{{.env}}"\n', '- a\n', 'kind: Secret\n']);
const waveControls = {
  frozen: mix(fc.boolean()),
  // a revision for every environment in most cases (one is missing or extra in the rest)
  environmentRevisions: mix(fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom({ canary: 'v1.2.3', production: 'v1.2.2', staging: 'main' }, { canary: '3f2c1ab', production: '3f2c1ab', staging: '3f2c1ab' }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('canary', 'production', 'staging', 'qa'), str(['v1.2.3', 'main', '3f2c1ab'], ['', 'a b', '{{']), { maxKeys: 3 }) },
  )),
  ignoreDifferences,
  ignoreApplicationDifferences,
  templatePatch,
};

/** Props with the wave controls and passthroughs merged in, each in about 15% of the cases (so most prop sets stay valid). */
function withWaveControls(base: fc.Arbitrary<any>, controls: Record<string, fc.Arbitrary<any>>): fc.Arbitrary<any> {
  return fc.tuple(base, props(controls, [], 0.15)).map(([p, c]) => (isRecord(p) && isRecord(c) ? { ...p, ...c } : p));
}

/** `o` without the key `k`. */
function omit(o: Record<string, unknown>, k: string): Record<string, unknown> {
  const { [k]: _dropped, ...rest } = o;
  return rest;
}

/** Synthesizes one chart in a fresh app; returns its YAML. */
function synthChart(build: (chart: Chart) => void): string {
  const app = new App({ outdir: os.tmpdir() });
  const chart = new Chart(app, 'fuzz');
  build(chart);
  return app.synthYaml();
}

/** The intended selectors of a success-rate/latency query: the configured metric, only the configured labels. */
function serviceQueryStructure(yaml: string, p: any, metricOf: (p: any) => string, extraLabels: string[]): string[] {
  const out: string[] = [];
  for (const o of docs(yaml)) {
    if (!/AnalysisTemplate$/.test(o.kind)) continue;
    for (const m of o.spec.metrics ?? []) {
      const q = m.provider?.prometheus?.query;
      if (typeof q !== 'string') continue;
      const skeleton = selectorSkeleton(q);
      const metric = metricOf(p);
      const labels = new Set([p.serviceLabel ?? 'job', ...(p.clusterLabel ? [p.clusterLabel] : []), ...extraLabels]);
      for (const sel of skeleton.split(' ')) {
        const [, metricName, matchers] = /^([^{]*)\{(.*)\}$/.exec(sel) ?? [];
        if (metricName !== metric) out.push(`selector ${sel} is not on ${metric}`);
        for (const mm of (matchers ?? '').split(',').filter(Boolean)) {
          const label = mm.replace(/[=!~]+$/, '');
          if (!labels.has(label)) out.push(`selector ${sel} matches label ${label} the props did not name`);
        }
      }
    }
  }
  return out;
}

// ---- rollouts --------------------------------------------------------------------------------------------------------

const stringMatch = fc.oneof(
  call('StringMatch', 'exact', str(['GET', 'canary'], ['a\r\nb', ''])),
  call('StringMatch', 'prefix', str(['/api'], [''])),
  call('StringMatch', 'regex', str(['^/api/.*', '/v[0-9]+/.*'], ['(a*)*b', '(?!x)', '['])),
);
const analysisStepOptions = (templates: fc.Arbitrary<any>) => props({
  templates,
  args: mix(fc.dictionary(str(['service-name', 'cluster'], ['x']).filter(s => typeof s === 'string'),
    str(['shop'], ['x",job=~".+', 'my"svc', '\\', '{{', '']), { maxKeys: 2 })),
  argsFrom: mix(fc.dictionary(fc.constantFrom('cluster', 'namespace'), fc.oneof(
    call('AnalysisArgValue', 'of', str(['x'], ['x"y'])),
    call('AnalysisArgValue', 'fieldRef', str(['metadata.labels[\'cluster\']', 'metadata.name'], ['spec.bogus'])),
    call('AnalysisArgValue', 'podTemplateHash', mix(fc.constantFrom('Stable', 'Latest'))),
  ), { maxKeys: 1 })),
  dryRunMetrics: arr(str(['success-rate'], ['(a*)*b', '.*', '['])),
  analysisRunLabels: stringMap(),
  analysisRunAnnotations: stringMap(labelKey, str(['a'], ['<<'])),
  expectedDuration: duration,
}, ['templates']);
const analysisStep = (templates: fc.Arbitrary<any>) => call('CanaryStep', 'analysis', analysisStepOptions(templates));
const canaryStep = (templates: fc.Arbitrary<any>) => fc.oneof(
  { weight: 4, arbitrary: call('CanaryStep', 'setWeight', num([5, 10, 20, 50, 100])) },
  { weight: 1, arbitrary: call('CanaryStep', 'trafficWeight', num([10])) },
  { weight: 3, arbitrary: call('CanaryStep', 'pause', fc.option(duration, { nil: undefined })) },
  { weight: 2, arbitrary: analysisStep(templates) },
  { weight: 1, arbitrary: call('CanaryStep', 'setCanaryScale', props({ weight: num([10, 50]), replicas: num([1, 2]), matchTrafficWeight: mix(fc.boolean()) })) },
  {
    weight: 1,
    arbitrary: call('CanaryStep', 'setHeaderRoute', props({
      name: name,
      match: arr(props({ headerName: str(['X-Canary'], ['bad header']), headerValue: stringMatch }, ['headerName', 'headerValue'])),
    }, ['name'])),
  },
  {
    weight: 1,
    arbitrary: call('CanaryStep', 'setMirrorRoute', props({
      name: name,
      match: arr(props({ method: stringMatch, path: stringMatch, headers: mix(fc.dictionary(fc.constantFrom('x-a', 'X B'), stringMatch, { maxKeys: 1 })) })),
      percentage: num([10, 50, 100]),
    }, ['name'])),
  },
  { weight: 1, arbitrary: anyValue },
);

const port = num([80, 8080, 9090]);
const trafficRouting = fc.oneof(
  call('TrafficRouting', 'istio', props({
    virtualService: name,
    routes: arr(str(['primary', 'http'])),
    tcpRoutePorts: arr(port),
    tlsRoutes: arr(props({ port, sniHosts: arr(str(['a.example.com'], ['Bad Host!'])) })),
    destinationRule: props({ name, canarySubsetName: str(['canary']), stableSubsetName: str(['stable']) }, ['name']),
    createVirtualService: props({ hosts: arr(str(['shop.example.com', '*'], ['Bad Host!']), { minLength: 1 }), gateways: arr(str(['istio/gw'])), port, metadata }, ['hosts']),
  })),
  call('TrafficRouting', 'nginx', props({
    stableIngress: name,
    stableIngresses: arr(name),
    annotationPrefix: str(['nginx.ingress.kubernetes.io'], ['Bad Prefix']),
    additionalIngressAnnotations: stringMap(str(['canary-by-header'], ['x']), str(['X-Canary'], ['<<'])),
    canaryIngressAnnotations: stringMap(labelKey, str(['a'], ['<<'])),
  })),
  call('TrafficRouting', 'gatewayApi', props({
    httpRoute: name,
    httpRoutes: arr(props({ name, useHeaderRoutes: mix(fc.boolean()) }, ['name'])),
    namespace: str(['default'], ['Bad NS']),
    inProgressLabelKey: labelKey,
    inProgressLabelValue: labelValue,
    disableInProgressLabel: mix(fc.boolean()),
    createHttpRoute: props({
      parentRefs: arr(props({ name, namespace: str(['gw'], ['Bad NS']), sectionName: str(['http'], ['bad section']) }, ['name']), { minLength: 1 }),
      hostnames: arr(str(['shop.example.com', '*.example.com'], ['Bad Host!'])),
      pathPrefix: str(['/', '/api'], ['api']),
      port,
      metadata,
    }, ['parentRefs']),
  })),
  call('TrafficRouting', 'smi', props({ rootService: name, trafficSplitName: name })),
  call('TrafficRouting', 'alb', props({
    ingress: name, ingresses: arr(name), servicePort: port, rootService: name, annotationPrefix: str(['alb.ingress.kubernetes.io']), stickiness: duration,
  }, ['servicePort'])),
  call('TrafficRouting', 'replicaCountApproximation'),
);
const canaryServices = fc.oneof(
  call('CanaryServices', 'create', props({ stableName: name, canaryName: name, port, targetPort: port })),
  call('CanaryServices', 'fromNames', name, name),
  call('CanaryServices', 'pingPong', name, name),
  call('CanaryServices', 'none'),
);
const ephemeral = props({ labels: stringMap(), annotations: stringMap(labelKey, str(['a'], ['<<'])) });
const workload = fc.oneof(
  { weight: 9, arbitrary: fc.constant('podTemplate') },
  { weight: 1, arbitrary: anyValue },
);

function canaryRolloutProps(templates: fc.Arbitrary<any>): fc.Arbitrary<any> {
  return props({
    metadata,
    workload,
    replicas: num([1, 3, 10]),
    steps: arr(canaryStep(templates), { maxLength: 5 }),
    trafficRouting: mix(trafficRouting, anyValue, 1),
    services: mix(canaryServices, anyValue, 1),
    managedRoutes: arr(str(['header-route', 'mirror-route'])),
    maxTrafficWeight: num([100, 1000]),
    backgroundAnalysis: props({ templates, startingStep: num([0, 1, 2]), args: stringMap(str(['service-name']), str(['shop'], ['x"y'])) }, ['templates']),
    maxSurge: mix(fc.constantFrom('percent', 'absolute')),
    maxUnavailable: mix(fc.constantFrom('percent', 'absolute')),
    dynamicStableScale: mix(fc.boolean()),
    scaleDownDelay: duration,
    abortScaleDownDelay: duration,
    minPodsPerReplicaSet: num([1, 2]),
    antiAffinity: mix(fc.oneof(call('CanaryAntiAffinity', 'preferred', num([1, 50, 100])), call('CanaryAntiAffinity', 'required'))),
    canaryMetadata: ephemeral,
    stableMetadata: ephemeral,
    progressDeadline: duration,
    progressDeadlineAbort: mix(fc.boolean()),
    minReady: duration,
    revisionHistoryLimit: num([0, 10]),
  }, ['workload']);
}

const blueGreenServices = fc.oneof(
  call('BlueGreenServices', 'create', props({ activeName: name, previewName: name, preview: mix(fc.boolean()), port, targetPort: port })),
  call('BlueGreenServices', 'fromNames', name, fc.option(name, { nil: undefined })),
);
const blueGreenPromotion = fc.oneof(
  call('BlueGreenPromotion', 'automatic'),
  call('BlueGreenPromotion', 'after', duration),
  call('BlueGreenPromotion', 'manual'),
);

function blueGreenRolloutProps(templates: fc.Arbitrary<any>): fc.Arbitrary<any> {
  return props({
    metadata,
    workload,
    replicas: num([1, 3, 10]),
    antiAffinity: mix(fc.oneof(call('CanaryAntiAffinity', 'preferred', num([1, 50, 100])), call('CanaryAntiAffinity', 'required'))),
    progressDeadline: duration,
    progressDeadlineAbort: mix(fc.boolean()),
    minReady: duration,
    revisionHistoryLimit: num([0, 1, 10]),
    services: mix(blueGreenServices, anyValue, 1),
    promotion: mix(blueGreenPromotion, anyValue, 1),
    previewReplicaCount: num([1, 2, 3]),
    scaleDownDelay: duration,
    scaleDownDelayRevisionLimit: num([0, 1, 2]),
    abortScaleDownDelay: duration,
    prePromotionAnalysis: analysisStepOptions(templates),
    postPromotionAnalysis: analysisStepOptions(templates),
    activeMetadata: ephemeral,
    previewMetadata: ephemeral,
  }, ['workload']);
}

/** Turns the drawn rollout props into real ones: the workload, PercentOrAbsolute, the templates made in the chart. */
function rolloutProps(chart: Chart, p: any): any {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return p;
  const out: any = materialize(p);
  if (p.workload === 'podTemplate') out.workload = lib.RolloutWorkload.fromPodTemplate({ containers: [{ image: 'ghcr.io/x/web:1.0.0', portNumber: 8080 }] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kplus = require('cdk8s-plus-28');
  for (const k of ['maxSurge', 'maxUnavailable']) {
    if (p[k] === 'percent') out[k] = kplus.PercentOrAbsolute.percent(25);
    if (p[k] === 'absolute') out[k] = kplus.PercentOrAbsolute.absolute(1);
  }
  void chart;
  return out;
}

const ANALYSIS_TEMPLATE = 'template';
/** Analysis templates as plain references (resolved to the success-rate template built in the chart) or hostile values. */
const templatesArb = arr(mix(fc.constant(ANALYSIS_TEMPLATE), anyValue, 1), { minLength: 1, maxLength: 2 });
function resolveTemplates(value: any, template: lib.IAnalysisTemplate): any {
  if (value === ANALYSIS_TEMPLATE) return template;
  if (Array.isArray(value)) return value.map(v => resolveTemplates(v, template));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTemplates(v, template)]));
  }
  if (value instanceof Call) return new Call(value.cls, value.method, value.args.map(a => resolveTemplates(a, template)));
  return value;
}

const SMOKE_TEMPLATE = 'smoke-template';
/** Templates of a blue-green analysis: the success-rate template, a web smoke test, or hostile values. */
const gateTemplatesArb = arr(mix(fc.constantFrom(ANALYSIS_TEMPLATE, SMOKE_TEMPLATE), anyValue, 1), { minLength: 1, maxLength: 2 });
function resolveGateTemplates(value: any, template: lib.IAnalysisTemplate, smoke: lib.IAnalysisTemplate): any {
  if (value === SMOKE_TEMPLATE) return smoke;
  if (Array.isArray(value)) return value.map(v => resolveGateTemplates(v, template, smoke));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveGateTemplates(v, template, smoke)]));
  return resolveTemplates(value, template);
}

/** A web smoke test with a count (so it ends, as pre/post-promotion analyses must). */
function smokeTemplate(chart: Chart): lib.WebAnalysis {
  return new lib.WebAnalysis(chart, 'smoke', {
    metadata: { name: 'smoke' },
    url: 'http://{{args.service-name}}.shop.svc:8080/healthz',
    args: [lib.TemplateArgument.required('service-name')],
    metricName: 'smoke',
    count: 1,
    jsonPath: '{$.ok}',
    successCondition: 'result == true',
  });
}

function successRateTemplate(chart: Chart): lib.SuccessRateAnalysis {
  return new lib.SuccessRateAnalysis(chart, 'success-rate', {
    metadata: { name: 'success-rate' },
    prometheus: lib.PrometheusServer.fromAddress('http://prometheus.monitoring:9090'),
    threshold: 0.95,
    interval: Duration.minutes(1),
    count: 3,
  });
}

// ---- federation ------------------------------------------------------------------------------------------------------

const federationOutput = fc.oneof(
  call('FederationOutput', 'configMap', props({
    metadata,
    key: str(['prometheus.yml', '..'], ['bad/key']),
    externalLabels: stringMap(str(['cluster', 'region'], ['bad-label', '__x']), str(['mgmt'], ['a"b', '{{'])),
    evaluationInterval: duration,
  })),
  call('FederationOutput', 'helmChartValues', props({ metadata, key: str(['values.yaml']) })),
  call('FederationOutput', 'kubePrometheusStackValues', props({ metadata, key: str(['values.yaml']) })),
  call('FederationOutput', 'scrapeConfig', props({ metadata })),
  call('FederationOutput', 'none'),
);
const matchSelector = str(['{job="my-service"}', '{__name__=~"http_requests_total|http_request_duration_seconds.*"}', 'up'], ['{__name__=~"(a|a)*c"}', '{job=~"(a*)*b"}', '{job="a\\d"}', '{job=""}', 'up{', 'sum(up)', '{job="x"} or {job="y"}', '{{', 'a"b']);
const federationProps = props({
  fleet: mix(fc.constant('fleet'), anyValue, 1),
  match: arr(matchSelector, { minLength: 1, maxLength: 3 }),
  analyses: arr(mix(fc.constant(ANALYSIS_TEMPLATE), anyValue, 1), { maxLength: 1 }),
  autoAddAnalysisSeries: mix(fc.boolean()),
  output: mix(federationOutput),
  jobName: str(['federate', 'fleet'], ['a b', '']),
  scrapeInterval: duration,
  scrapeTimeout: mix(fc.constantFrom(Duration.seconds(10), Duration.seconds(5)), duration, 3),
  scheme: mix(fc.constantFrom(lib.FederationScheme.HTTP, lib.FederationScheme.HTTPS)),
  tls: mix(fc.oneof(
    call('FederationTls', 'fromFiles', props({ caFile: str(['/etc/ca.crt'], ['rel/ca', '']), serverName: str(['prom.example.com']), insecureSkipVerify: mix(fc.boolean()) })),
    call('FederationTls', 'fromSecret', props({ secretName: name, caKey: str(['ca.crt'], ['bad/key']), certKey: str(['tls.crt']), keyKey: str(['tls.key']) }, ['secretName', 'caKey'])),
  )),
  authorization: mix(fc.oneof(
    call('FederationAuthorization', 'credentialsFile', str(['/etc/token'], ['rel', '']), fc.option(str(['Bearer', 'Basic'], ['bad type']), { nil: undefined })),
    call('FederationAuthorization', 'fromSecret', props({ secretName: name, key: str(['token'], ['bad/key']), type: str(['Bearer']) }, ['secretName', 'key'])),
  )),
  clusterLabel: mix(fc.oneof(
    call('FederationClusterLabel', 'targetLabel', fc.option(str(['cluster'], ['bad-label', '__x']), { nil: undefined })),
    call('FederationClusterLabel', 'workloadExternalLabel', fc.option(str(['cluster'], ['bad-label']), { nil: undefined })),
  )),
  skipClustersWithoutMetricsEndpoint: mix(fc.boolean()),
  dropLabels: arr(str(['prometheus'], ['bad-label', '__name__'])),
  allowFleetWideAnalyses: mix(fc.boolean()),
}, ['fleet', 'match']);

/** What Helm's `tpl` does to a value whose only actions are the `{{ "{{" }}` escapes (Go text/template semantics). */
function helmTpl(text: string, problems: string[]): string {
  for (const action of text.match(/\{\{.*?\}\}/g) ?? []) {
    if (action !== '{{ "{{" }}') problems.push(`the chart's tpl would evaluate ${action} in a values string`);
  }
  return text.split('{{ "{{" }}').join('{{');
}

/** prometheus.yml texts in the output (ConfigMap data, chart values' scrape configs after the chart's tpl pass). */
function prometheusConfigs(yaml: string): { configs: string[]; problems: string[] } {
  const configs: string[] = [];
  const problems: string[] = [];
  for (const o of docs(yaml)) {
    if (o.kind !== 'ConfigMap') continue;
    for (const [k, v] of Object.entries<any>(o.data ?? {})) {
      if (typeof v !== 'string') continue;
      const parsed = YAML.parse(v);
      if (parsed && typeof parsed === 'object' && Array.isArray(parsed.scrape_configs)) {
        configs.push(v);
      } else if (/values/.test(k) && parsed && typeof parsed === 'object') {
        const scrape = parsed.extraScrapeConfigs ?? parsed.prometheus?.prometheusSpec?.additionalScrapeConfigs;
        const jobs = typeof scrape === 'string' ? YAML.parse(helmTpl(scrape, problems)) : scrape;
        if (Array.isArray(jobs)) configs.push(YAML.stringify({ scrape_configs: jobs }));
      }
    }
  }
  return { configs, problems };
}

// ---- stack -----------------------------------------------------------------------------------------------------------

const stackProps = withWaveControls(props({
  serviceName: str(['shop', 'checkout'], ['Shop', 'a_b']),
  repoUrl: str(['https://github.com/my-org/shop-deploy', 'git@github.com:my-org/shop.git'], ['not a url']),
  targetRevision: str(['main', 'HEAD', 'v1.0.0']),
  fleet: mix(fc.constant('fleet'), anyValue, 1),
  clusters: mix(clusterSelector),
  environments: arr(envValue, { minLength: 1, maxLength: 2 }),
  environmentClusterLabel: str(['env'], ['bad label']),
  waves,
  applicationLabels: stringMap(),
  namespace: str(['shop'], ['Not A Namespace']),
  argocdNamespace: str(['argocd']),
  project: str(['default'], ['Bad Project']),
  bootstrap: mix(fc.oneof(call('RolloutsBootstrap', 'preinstalled'), call('RolloutsBootstrap', 'helmChart', props({
    chartVersion: str(['2.40.5'], ['latest', '']),
    namespace: str(['argo-rollouts'], ['Bad NS']),
    gatewayApiPlugin: mix(fc.boolean()),
    gatewayApiPluginLocation: str(['https://github.com/argoproj-labs/x/releases/download/v0.5.0/plugin'], ['file://x']),
  })))),
  preinstalledTemplates: arr(name),
  podStartup: duration,
  prune: mix(fc.boolean()),
}, ['serviceName', 'repoUrl', 'fleet', 'environments', 'waves']), waveControls);

// ---- the targets -----------------------------------------------------------------------------------------------------

const objectsYaml = (objs: readonly unknown[]) => objs.map(o => YAML.stringify(o)).join('---\n');

export const TARGETS: FuzzTarget[] = [
  {
    name: 'Fleet',
    props: fleetProps,
    build: (p): Built => {
      const fleet = new lib.Fleet(materialize(p));
      const names = fleet.clusters.map(c => lib.Fleet.normalizeClusterName(c.name));
      return { yaml: YAML.stringify({ clusters: fleet.clusters, normalized: names }), kubernetes: false };
    },
  },
  {
    name: 'ClusterSelector',
    props: fc.tuple(clusterSelector, fleetProps),
    build: ([sel, f]): Built => {
      const selector: lib.ClusterSelector = materialize(sel);
      const fleet = new lib.Fleet(materialize(f));
      return synthAppSet({ clusters: selector, fleet });
    },
  },
  {
    name: 'RollingSyncStep/MaxUpdate',
    props: fc.array(rollingSyncStep, { minLength: 1, maxLength: 3 }),
    build: (steps): Built => synthAppSet({ steps: materialize(steps), environments: ['canary', 'production', 'staging'] }),
  },
  {
    name: 'MultiClusterAppSet',
    props: withWaveControls(props({
      metadata,
      clusters: mix(clusterSelector),
      environments: mix(fc.uniqueArray(fc.constantFrom('canary', 'production', 'staging'), { minLength: 1, maxLength: 3 }), arr(envValue), 3),
      environmentKey: str(['env', 'stage'], ['bad key']),
      environmentClusterLabel: str(['env', 'tier'], ['bad label']),
      steps: fc.oneof({ weight: 3, arbitrary: plausibleWaves }, { weight: 1, arbitrary: arr(rollingSyncStep, { minLength: 1, maxLength: 3 }) }),
      applicationName: str(['{{.nameNormalized}}-{{.env}}', 'shop'], ['Bad Name', '-1', '{{', '{{.bogus}}']),
      labels: stringMap(),
      annotations: stringMap(labelKey, str(['a', 'x: y'], ['<<'])),
      project: str(['default', '{{.env}}'], ['Bad Project']),
      source: props({
        repoUrl: str(['https://github.com/my-org/shop'], ['x']),
        targetRevision: str(['main']),
        path: str(['k8s/overlays/{{.env}}', 'k8s'], ['../x', '{{']),
        chart: str(['shop']),
        helm: props({ valueFiles: arr(str(['values.yaml'])), parameters: stringMap(str(['image.tag']), str(['1.0'], ['y', 'on'])), values: str(['a: 1', ': :'], ['{{']), releaseName: name }),
        kustomize: props({ namePrefix: str(['p-']), nameSuffix: str(['-s']), images: arr(str(['img:1.0'])), commonLabels: stringMap(), commonAnnotations: stringMap() }),
        ref: mix(fc.constant(undefined), fc.constant('values'), 3), // only in sources: Argo CD ignores it in a single source
      }, ['repoUrl']),
      sources: mix(fc.constant(undefined), arr(applicationSource, { minLength: 1, maxLength: 2 }), 6),
      destinationNamespace: str(['shop-{{.env}}', '{{.env}}'], ['shop', 'My Namespace', '']),
      destinationServer: str(['{{.server}}', 'https://kubernetes.default.svc']),
      destinationName: mix(fc.constant(undefined), fc.constant('{{.name}}')),
      createNamespace: mix(fc.boolean()),
      syncOptions: arr(str(['CreateNamespace=true', 'ServerSideApply=true'], ['Bogus=1'])),
      autoSync: mix(fc.constant(false)),
      prune: mix(fc.boolean()),
      retryLimit: num([0, 5, -1]),
      retryBackoffDuration: duration,
      retryBackoffFactor: num([2, 1]),
      retryBackoffMaxDuration: duration,
      deletionOrder: mix(fc.constantFrom(lib.DeletionOrder.REVERSE, lib.DeletionOrder.ALL_AT_ONCE)),
      applicationsSync: mix(fc.constantFrom(lib.ApplicationsSyncPolicy.SYNC, lib.ApplicationsSyncPolicy.CREATE_UPDATE)),
      preserveResourcesOnDeletion: mix(fc.boolean()),
      goTemplate: mix(fc.boolean(), fc.constant(false)),
      goTemplateOptions: arr(str(['missingkey=error'], ['bogus'])),
      fleet: mix(fc.constant('fleet'), anyValue, 1),
      allowUnmatchedApplications: mix(fc.boolean()),
      allowOverlappingSteps: mix(fc.boolean()),
    }, ['source', 'destinationNamespace', 'clusters', 'steps', 'environments']), waveControls)
    // `sources` instead of `source` in most cases that draw it (both together is a rejected case of its own)
      .chain(p => fc.boolean().map(dropSource => (dropSource && isRecord(p) && p.sources !== undefined ? omit(p, 'source') : p))),
    build: (p): Built => {
      const chart = (build: (c: Chart) => void) => synthChart(build);
      return {
        yaml: chart(c => new lib.MultiClusterAppSet(c, 'app-set', p && typeof p === 'object' && !Array.isArray(p)
          ? { ...materialize(p), ...(p.fleet === 'fleet' ? { fleet: plausibleFleet() } : {}) } : p)),
      };
    },
  },
  {
    name: 'RolloutPlan/ReleaseEstimate',
    props: fc.tuple(
      fc.array(rollingSyncStep, { minLength: 1, maxLength: 3 }),
      arr(props({ name: str(['prod-1-canary', 'a'], ['']), labels: stringMap(envKey, envValue) }, ['name']), { maxLength: 4 }),
      props({
        update: props({ minimum: duration, exact: mix(fc.boolean()), manualGates: num([0, 1]), inconclusivePauses: num([0, 1]) }, ['minimum']),
        startup: duration,
      }, ['update']),
    ),
    build: ([steps, apps, estimate]): Built => {
      const plan = lib.RolloutPlan.compute(materialize(steps), materialize(apps));
      const e = lib.ReleaseEstimate.of(plan, materialize(estimate));
      const yaml = YAML.stringify({ markdown: plan.toMarkdown(), mermaid: plan.toMermaid(), estimate: e.describe(), waves: plan.waves });
      return { yaml, kubernetes: false };
    },
  },
  {
    name: 'CanaryRollout (+ TrafficRouting, CanaryStep)',
    props: canaryRolloutProps(templatesArb),
    build: (p): Built => ({
      yaml: synthChart(chart => {
        const template = successRateTemplate(chart);
        new lib.CanaryRollout(chart, 'web', rolloutProps(chart, resolveTemplates(p, template)));
      }),
    }),
  },
  {
    name: 'BlueGreenRollout (+ BlueGreenServices, BlueGreenPromotion)',
    props: blueGreenRolloutProps(gateTemplatesArb),
    build: (p): Built => ({
      yaml: synthChart(chart => {
        const template = successRateTemplate(chart);
        const smoke = smokeTemplate(chart);
        new lib.BlueGreenRollout(chart, 'web', rolloutProps(chart, resolveGateTemplates(p, template, smoke)));
      }),
    }),
  },
  {
    name: 'WebAnalysis (+ WebHeader, WebAuthentication)',
    props: webAnalysisProps,
    build: (p): Built => {
      const yaml = synthChart(chart => new lib.WebAnalysis(chart, 'smoke', materialize(p)));
      return { yaml, structure: webStructure(yaml, p) };
    },
  },
  {
    name: 'JobAnalysis',
    props: jobAnalysisProps,
    build: (p): Built => ({
      yaml: synthChart(chart => {
        const real = isRecord(p) ? materialize(p) : p;
        if (isRecord(p) && p.job === JOB) {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const kplus = require('cdk8s-plus-28');
          real.job = new kplus.Job(chart, 'smoke-job', { containers: [{ image: 'curlimages/curl:8.5.0', args: ['-sf', 'http://{{args.service-name}}.shop.svc/healthz'] }] });
        }
        new lib.JobAnalysis(chart, 'smoke', real);
      }),
    }),
  },
  {
    name: 'SuccessRateAnalysis',
    props: successRateProps,
    build: (p): Built => {
      const yaml = synthChart(chart => new lib.SuccessRateAnalysis(chart, 'success-rate', materialize(p)));
      return { yaml, structure: serviceQueryStructure(yaml, p, q => q.requestMetric ?? 'http_requests_total', [statusLabelOf(p)]) };
    },
  },
  {
    name: 'LatencyAnalysis',
    props: latencyProps,
    build: (p): Built => {
      const yaml = synthChart(chart => new lib.LatencyAnalysis(chart, 'latency', materialize(p)));
      return { yaml, structure: serviceQueryStructure(yaml, p, q => `${q.histogramMetric ?? 'http_request_duration_seconds'}_bucket`, []) };
    },
  },
  {
    name: 'PrometheusAnalysis',
    props: prometheusAnalysisProps,
    build: (p): Built => ({ yaml: synthChart(chart => new lib.PrometheusAnalysis(chart, 'analysis', materialize(p))) }),
  },
  {
    name: 'FederatedPrometheus',
    props: federationProps,
    build: (p): Built => {
      const yaml = synthChart(chart => {
        const template = successRateTemplate(chart);
        const real = p && typeof p === 'object' && !Array.isArray(p)
          ? { ...materialize(resolveTemplates(p, template)), ...(p.fleet === 'fleet' ? { fleet: plausibleFleet() } : {}) } : p;
        new lib.FederatedPrometheus(chart, 'federation', real);
      });
      const { configs, problems } = prometheusConfigs(yaml);
      return { yaml, prometheusConfigs: configs, structure: problems };
    },
  },
  {
    name: 'ProgressiveDeliveryStack',
    props: stackProps,
    build: (p): Built => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-stack-'));
      try {
        const real = p && typeof p === 'object' && !Array.isArray(p)
          ? { ...materialize(p), outdir, ...(p.fleet === 'fleet' ? { fleet: plausibleFleet() } : {}) } : p;
        const stack = new lib.ProgressiveDeliveryStack(real);
        const files = stack.synthesizeTree();
        const yaml = Object.entries(files).sort(([a], [b]) => a.localeCompare(b))
          .filter(([f]) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml')).map(([, t]) => t).join('\n---\n');
        return { yaml: `${yaml}\n---\n${YAML.stringify({ plan: files['ROLLOUT-PLAN.md'] ?? null }).replace(/^/, '# ').replace(/\n/g, '\n# ')}` };
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    },
  },
];

/** A user value never changes the request's structure: the rendered URL, body and JSONPath are the ones given. */
function webStructure(yaml: string, p: any): string[] {
  const out: string[] = [];
  for (const o of docs(yaml)) {
    if (!/AnalysisTemplate$/.test(o.kind)) continue;
    for (const m of o.spec.metrics ?? []) {
      const web = m.provider?.web;
      if (!web) continue;
      if (web.url !== p.url) out.push(`url rendered as ${JSON.stringify(web.url)}, given ${JSON.stringify(p.url)}`);
      if (p.jsonPath !== undefined && web.jsonPath !== p.jsonPath) out.push(`jsonPath rendered as ${JSON.stringify(web.jsonPath)}`);
      if (p.body !== undefined && web.body !== p.body) out.push(`body rendered as ${JSON.stringify(web.body)}`);
      if (p.jsonBody !== undefined && JSON.stringify(web.jsonBody) !== JSON.stringify(JSON.parse(p.jsonBody))) out.push(`jsonBody rendered as ${JSON.stringify(web.jsonBody)}`);
    }
  }
  return out;
}

function statusLabelOf(p: any): string {
  return p && typeof p === 'object' && typeof p.statusLabel === 'string' ? p.statusLabel : 'status';
}

/** A MultiClusterAppSet over a plausible fleet, with `over` replacing its defaults. */
function synthAppSet(over: Partial<lib.MultiClusterAppSetProps>): Built {
  return {
    yaml: synthChart(chart => new lib.MultiClusterAppSet(chart, 'app-set', {
      metadata: { name: 'shop' },
      environments: ['canary', 'production'],
      source: { repoUrl: 'https://github.com/my-org/shop', path: 'k8s/overlays/{{.env}}' },
      destinationNamespace: 'shop-{{.env}}',
      fleet: plausibleFleet(),
      clusters: lib.ClusterSelector.all(),
      steps: [lib.RollingSyncStep.whereIn('env', ['canary'], lib.MaxUpdate.count(1)), lib.RollingSyncStep.everything()],
      allowUnmatchedApplications: true,
      allowOverlappingSteps: true,
      ...over,
    })),
  };
}

export const objectsToYaml = objectsYaml;

// ---- every public static factory, with hostile arguments ---------------------------------------------------------------

/** Static methods declared `private` or `protected` in src/ (still on the class at run time). */
const PRIVATE_STATICS = new Set(fs.readdirSync(path.join(__dirname, '..', '..', 'src'), { recursive: true, encoding: 'utf8' })
  .filter(f => f.endsWith('.ts'))
  .flatMap(f => [...fs.readFileSync(path.join(__dirname, '..', '..', 'src', f), 'utf8').matchAll(/(?:private|protected) static (\w+)/g)].map(m => m[1])));

/** Every public static method of every exported class: `Class.method`. */
export const STATIC_FACTORIES: ReadonlyArray<readonly [string, string]> = Object.entries(lib)
  .filter(([, v]) => typeof v === 'function' && /^[A-Z]/.test((v as any).name ?? ''))
  .flatMap(([cls, v]) => Object.getOwnPropertyNames(v)
    .filter(m => !['length', 'name', 'prototype', 'isValidationError', 'isConstruct', 'of', 'isApp', 'isChart'].includes(m)
      && !m.startsWith('_') && !PRIVATE_STATICS.has(m) && typeof (v as any)[m] === 'function')
    .map(m => [cls, m] as const));

const factoryArg = fc.oneof(anyValue, str(['x', 'env', 'web', '/etc/token', 'X-Token', 'http://prometheus:9090']), num([1, 50]),
  fc.constant({ secretName: 'web', key: 'token' }), duration,
  fc.constantFrom<unknown>({ tokenUrl: 'https://idp.example.com/token', clientId: 'c', clientSecret: { secretName: 'web', key: 'token' } },
    { activeName: 'web-active', preview: false }, { prefix: 'Bearer ', argName: 'token' }, { frozen: true }));

TARGETS.push({
  name: 'static factories (hostile arguments)',
  props: fc.tuple(fc.constantFrom(...STATIC_FACTORIES), fc.array(factoryArg, { maxLength: 3 })),
  build: ([[cls, method], args]): Built => {
    const result = (lib as any)[cls][method](...args);
    return { yaml: YAML.stringify({ call: `${cls}.${method}`, type: typeof result }), kubernetes: false };
  },
});
