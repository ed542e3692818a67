import { Duration, Testing } from 'cdk8s';
import {
  AnalysisArgValue, AnalysisTemplateRef, CanaryAntiAffinity, CanaryRollout, ClusterSelector, FederatedPrometheus, FederationOutput,
  LabelExpression, MultiClusterAppSet,
  FederationAuthorization, FederationClusterLabel, RolloutWorkload, SuccessRateAnalysis, Fleet, MaxUpdate, PrometheusAnalysis,
  PrometheusHeader, PrometheusMetric, PrometheusServer, MetricCondition, ReleaseEstimate, RollingSyncStep,
  RolloutPlan, StringMatch, TemplateArgument, ValidationError, JobAnalysis, CanaryStep, TrafficRouting,
} from '../../src';
import { dryRunProblems } from '../../src/rollout/canary-rollout-rules';
import { emptyStack, smallFleet } from '../stack/build';

/**
 * Every violation the fuzzer (test/fuzz, scripts/fuzz.ts) found, fixed at its root, as a reproducer asserting the
 * message: a plain-JS / Python caller's wrong value is a ValidationError in the one shape, never a TypeError.
 */
describe('fuzz findings', () => {
  const plan = () => RolloutPlan.compute([RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1))], [{ name: 'a', labels: { env: 'canary' } }]);

  test('ReleaseEstimate.describe() with a fractional-second update rounds (it threw cdk8s\'s "must be a whole number of seconds")', () => {
    expect(ReleaseEstimate.of(plan(), { update: { minimum: Duration.millis(1500) } }).describe()).toBe('wave 1: 1 application(s) in 1 round(s), 2s\ntotal: 2s\n');
  });

  test('ReleaseEstimate.of rejects an infinite update time', () => {
    expect(() => ReleaseEstimate.of(plan(), { update: { minimum: Duration.seconds(Infinity) } }))
      .toThrow('ReleaseEstimate.of: update.minimum is Infinitys; expected a positive duration');
  });

  test('factories taking strings reject other types (they crashed in RegExp.test or toLowerCase)', () => {
    expect(() => TemplateArgument.required({ toString: 'x' } as any)).toThrow('TemplateArgument.required: name is {"toString":"x"} (an object); expected a string');
    expect(() => TemplateArgument.withDefault('a', 42 as any)).toThrow('TemplateArgument.withDefault: defaultValue is 42 (a number); expected a string');
    expect(() => TemplateArgument.fromSecret('a', undefined as any)).toThrow('TemplateArgument.fromSecret: secret is missing; expected an object');
    expect(() => PrometheusHeader.fromValue(42 as any, 'v')).toThrow('PrometheusHeader.fromValue: name is 42 (a number); expected a string');
    expect(() => PrometheusHeader.fromValue('X-A', undefined as any)).toThrow('PrometheusHeader.fromValue: value is missing; expected a string');
    expect(() => PrometheusHeader.bearerToken(undefined as any)).toThrow('PrometheusHeader.bearerToken: secret is missing; expected an object');
    expect(() => FederationAuthorization.credentialsFile(/a/ as any)).toThrow('FederationAuthorization.credentialsFile: path is a RegExp; expected a string');
    expect(() => FederationAuthorization.credentialsFile('/etc/token', Symbol.for('x') as any))
      .toThrow('FederationAuthorization.credentialsFile: type is Symbol(x) (a symbol); expected a string');
    expect(() => FederationClusterLabel.targetLabel(10n as any)).toThrow('FederationClusterLabel.targetLabel: labelName is 10n (a bigint); expected a string');
    expect(() => Fleet.normalizeClusterName(undefined as any)).toThrow('Fleet.normalizeClusterName: name is missing; expected a string');
  });

  test('a ValidationError for a missing construct names it rather than crashing', () => {
    expect(new ValidationError(undefined as any, { prop: 'p', given: 'g', expected: 'e', fix: 'f' }).message).toBe('undefined: p is g; expected e. Fix: f');
  });

  test('analysis metadata labels and annotations are checked (invalid keys reached the template)', () => {
    const analysis = (metadata: any) => () => new PrometheusAnalysis(Testing.chart(), 'a', {
      metadata,
      prometheus: PrometheusServer.fromAddress('http://prometheus:9090'),
      metrics: [PrometheusMetric.fromQuery({ metricName: 'm', query: 'vector(1)', condition: MetricCondition.atLeast(1) })],
    });
    expect(analysis({ labels: { 'a/b/c': 'x' } })).toThrow('a: metadata.labels is {"a/b/c":"x"}; expected label keys and values');
    expect(analysis({ annotations: { '|': 'x' } })).toThrow('a: metadata.annotations is {"|":"x"}; expected annotation keys');
  });

  test('the stack\'s argocdNamespace must be a namespace name', () => {
    expect(() => emptyStack({
      argocdNamespace: 'Argo CD',
    })).toThrow('ProgressiveDeliveryStack: argocdNamespace is "Argo CD"; expected a DNS-1123 label');
  });

  test('Rollout metadata labels and annotations are checked (invalid keys reached the Rollout)', () => {
    const rollout = (metadata: any) => () => new CanaryRollout(Testing.chart(), 'web', {
      metadata, workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
    });
    expect(rollout({ labels: { 'bad key': 'x' } })).toThrow('web: metadata.labels is {"bad key":"x"}; expected label keys and values');
    expect(rollout({ annotations: { '-a': 'x' } })).toThrow('web: metadata.annotations is {"-a":"x"}; expected annotation keys');
  });

  test('a query window beyond Go\'s time.Duration is rejected (promtool: duration out of range)', () => {
    expect(() => new SuccessRateAnalysis(Testing.chart(), 'sr', {
      prometheus: PrometheusServer.fromAddress('http://prometheus:9090'), threshold: 0.95, window: Duration.seconds(1e12),
    })).toThrow('window is 1000000000000000ms; expected at most 2562047h47m16.854s (Go\'s time.Duration');
  });

  test('the stack\'s release plan renders a fractional pod start-up (it threw cdk8s\'s "cannot be converted")', () => {
    const stack = emptyStack({
      podStartup: Duration.millis(3357694),
    });
    expect(stack.synthesizeTree()['ROLLOUT-PLAN.md']).toContain('pod start-up 55m58s');
  });

  test('Fleet.normalizeClusterName works on code points with Go\'s simple lowercase, like Argo CD\'s SanitizeName', () => {
    // Argo CD (the conformance harness, on fuzzed fleets): "prod🚀1" → "prod-1", "İzmir-1" → "izmir-1"
    expect(Fleet.normalizeClusterName('prod🚀1')).toBe('prod-1');
    expect(Fleet.normalizeClusterName('İzmir-1')).toBe('izmir-1');
    expect(Fleet.normalizeClusterName('ΑΣ-1')).toBe('1');
  });

  test('a cluster selector\'s expression values must be label values (Argo CD: error converting label selector)', () => {
    const fleet = smallFleet();
    expect(() => Testing.synth((() => {
      const chart = Testing.chart();
      new MultiClusterAppSet(chart, 'app-set', {
        fleet,
        clusters: ClusterSelector.matchExpressions([LabelExpression.valueIn('team', ['(?<=a)b'])]),
        environments: ['canary'],
        steps: [RollingSyncStep.everything()],
        source: { repoUrl: 'https://github.com/my-org/shop', path: 'k8s' },
        destinationNamespace: 'shop',
        allowUnmatchedApplications: true,
      });
      return chart;
    })())).toThrow('clusters.matchExpressions[0].values[0] is "(?<=a)b"; expected a label value');
  });

  test('MaxUpdate.count beyond int32 is rejected (3.2e172 reached the ApplicationSet; Argo CD: cannot unmarshal into int32)', () => {
    expect(() => RolloutPlan.compute([RollingSyncStep.everything(MaxUpdate.count(2 ** 31))], [])).toThrow('maxUpdate is 2147483648; expected at most 2147483647');
  });

  test('two clusters whose normalized names collide are rejected (their Applications and cluster labels would be the same)', () => {
    expect(() => new Fleet({ clusters: [{ name: 'prod-1', server: 'https://a.example.com' }, { name: 'prod🚀1', server: 'https://b.example.com' }] }))
      .toThrow('Fleet: clusters[1].name is "prod🚀1"; expected a name whose normalized form ("prod-1") no other cluster has');
  });

  test('an app set\'s metadata name and labels are checked', () => {
    const appSet = (metadata: any) => () => new MultiClusterAppSet(Testing.chart(), 'app-set', {
      metadata,
      clusters: ClusterSelector.all(),
      fleet: smallFleet(),
      environments: ['canary'],
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/my-org/shop', path: 'k8s' },
      destinationNamespace: 'shop',
    });
    expect(appSet({ name: 'x",job=~".+' })).toThrow('app-set: metadata.name is "x\\",job=~\\".+"; expected a DNS-1123 subdomain');
    expect(appSet({ labels: { '\\p{Greek}': 'eu' } })).toThrow('app-set: metadata.labels is {"\\\\p{Greek}":"eu"}; expected label keys and values');
  });

  test('metadata keys set to undefined mean "not set" (an analysis had no name; an app set lost its argocd namespace)', () => {
    const chart = Testing.chart();
    new SuccessRateAnalysis(chart, 'sr', { metadata: { name: undefined }, prometheus: PrometheusServer.fromAddress('http://prometheus:9090'), threshold: 0.95 });
    new MultiClusterAppSet(chart, 'app-set', {
      metadata: { namespace: undefined },
      clusters: ClusterSelector.all(),
      fleet: smallFleet(),
      environments: ['canary'],
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/my-org/shop', path: 'k8s' },
      destinationNamespace: 'shop',
      allowUnmatchedApplications: true,
    });
    const objs = Testing.synth(chart);
    expect(objs.find(o => o.kind === 'AnalysisTemplate').metadata.name).toMatch(/^test-sr-c8[0-9a-f]+$/);
    expect(objs.find(o => o.kind === 'ApplicationSet').metadata.namespace).toBe('argocd');
  });

  test('federation output annotation keys are checked', () => {
    expect(() => new FederatedPrometheus(Testing.chart(), 'federation', {
      fleet: smallFleet(), match: ['{job="shop"}'], output: FederationOutput.configMap({ metadata: { annotations: { 'bad key': 'x' } } }),
    })).toThrow('metadata.annotations is {"bad key":"x"}; expected annotation keys');
  });

  test('dryRunMetrics match like Go\'s regexp.MatchString (RE2, linear): POSIX classes match, no backtracking JavaScript RegExp', () => {
    const template = AnalysisTemplateRef.fromName('success', { metricNames: ['success-rate'] });
    const problems = (pattern: string) => dryRunProblems('steps[0].analysis', { templates: [template], dryRunMetrics: [pattern] });
    expect(problems('[[:alpha:]]+-rate')).toEqual([]);
    expect(problems('(?i)SUCCESS')).toEqual([]);
    expect(problems('latency').map(p => p.expected)).toEqual(['a regex matching one of the metrics ["success-rate"] (the AnalysisRun errors: Rule didn\'t match any metric name(s))']);
  });

  test('a map key cdk8s cannot render ("constructor", "__proto__") is a ValidationError (cdk8s threw "can\'t render non-simple object")', () => {
    expect(() => ClusterSelector.matchLabels({ constructor: '' } as any))
      .toThrow('ClusterSelector: labels.constructor is a key cdk8s cannot render; expected another key (cdk8s reads a map with a "constructor" or "__proto__" key as a class instance)');
    expect(() => new MultiClusterAppSet(Testing.chart(), 'app-set', {
      labels: { constructor: 'x' } as any,
      clusters: ClusterSelector.all(),
      fleet: smallFleet(),
      environments: ['canary'],
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/my-org/shop', path: 'k8s' },
      destinationNamespace: 'shop',
    })).toThrow('app-set: labels.constructor is a key cdk8s cannot render');
  });

  test('a service named like an Object property is rejected (constructs: "There is already a Construct with name \'constructor\'")', () => {
    expect(() => emptyStack({
      serviceName: 'constructor',
    })).toThrow('ProgressiveDeliveryStack: serviceName is "constructor"; expected a name that is not a property of JavaScript objects');
  });

  test('a label key cdk8s cannot render is rejected wherever label keys are checked (environmentClusterLabel reached a selector map)', () => {
    expect(() => emptyStack({
      environmentClusterLabel: 'constructor',
    })).toThrow('ProgressiveDeliveryStack: environmentClusterLabel is "constructor"; expected a label key other than "constructor" or "__proto__"');
  });

  test('StringMatch factories take a string (an object crashed the header check in RegExp.test)', () => {
    expect(() => StringMatch.regex({ toString: 'x' } as any)).toThrow('StringMatch.regex: value is {"toString":"x"} (an object); expected a string');
    expect(() => StringMatch.exact(undefined as any)).toThrow('StringMatch.exact: value is missing; expected a string');
  });

  test('the other factories that keep a string or number for later check it when called', () => {
    expect(() => AnalysisArgValue.of(42 as any)).toThrow('AnalysisArgValue.of: value is 42 (a number); expected a string');
    expect(() => AnalysisArgValue.fieldRef(undefined as any)).toThrow('AnalysisArgValue.fieldRef: fieldPath is missing; expected a string');
    expect(() => CanaryAntiAffinity.preferred('50' as any)).toThrow('CanaryAntiAffinity.preferred: weight is "50" (a string); expected a number');
  });

  test('a string with a lone surrogate is rejected (a federation job name broke prometheus.yml: invalid Unicode character escape)', () => {
    expect(() => new FederatedPrometheus(Testing.chart(), 'federation', { fleet: smallFleet(), match: ['{job="shop"}'], jobName: '\ud800' }))
      .toThrow('federation: jobName is "\\ud800"; expected a string of valid Unicode (a lone surrogate cannot be written to YAML or JSON). Fix: remove the broken character');
    expect(() => ClusterSelector.matchLabels({ env: 'a\udc00' })).toThrow('ClusterSelector: labels.env is "a\\udc00"; expected a string of valid Unicode');
  });

  test('int64 fields take safe integers only (retryBackoffFactor 1e21 was emitted as 1e+21, which the API server rejects)', () => {
    const appSet = (extra: any) => () => new MultiClusterAppSet(Testing.chart(), 'app-set', {
      clusters: ClusterSelector.all(),
      fleet: smallFleet(),
      environments: ['canary'],
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/my-org/shop', path: 'k8s' },
      destinationNamespace: 'shop',
      ...extra,
    });
    expect(appSet({ retryBackoffFactor: 1e21 })).toThrow('app-set: retryBackoffFactor is 1e+21; expected at most 9007199254740991');
    expect(appSet({ retryLimit: 2 ** 60 })).toThrow('app-set: retryLimit is 1152921504606847000; expected at most 9007199254740991');
  });
  test('containers of a JobAnalysis or a pod template are type-checked (cdk8s-plus threw "this._command is not iterable" at synth)', () => {
    const job = (containers: any) => () => new JobAnalysis(Testing.chart(), 'smoke', { containers });
    expect(job([{ image: 'curlimages/curl:8.5.0', command: { a: 'b' } }])).toThrow('smoke: containers[0].command is {"a":"b"} (an object); expected an array');
    expect(job([{ image: 'curlimages/curl:8.5.0', args: ['-sf', /a/] }])).toThrow('smoke: containers[0].args[1] is a RegExp; expected a string');
    expect(job([{ image: 'ok' }, { image: 65535 }])).toThrow('smoke: containers[1].image is 65535 (a number); expected a string');
    expect(job([{ command: ['curl'] }])).toThrow('smoke: containers[0].image is missing; expected a string. Fix: set containers[0].image (it is required)');
    expect(() => RolloutWorkload.fromPodTemplate({ containers: [{ image: 'web', args: new Date(0) as any }] }))
      .toThrow('RolloutWorkload.fromPodTemplate: containers[0].args is');
    expect(() => RolloutWorkload.fromPodTemplate({ containers: [{ image: 'web', args: new Date(0) as any }] })).toThrow('expected an array');
  });
  test('the Gateway API routes\' namespace is a DNS-1123 label (seed 1614458036: "{{ args.service-name }}" reached a created HTTPRoute)', () => {
    const rollout = () => new CanaryRollout(Testing.chart(), 'web', {
      metadata: { name: 'web', namespace: 'argo-rollouts' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      steps: [CanaryStep.pause(Duration.seconds(10))],
      trafficRouting: TrafficRouting.gatewayApi({
        httpRoute: 'web',
        namespace: '{{ args.service-name }}',
        inProgressLabelKey: 'region',
        inProgressLabelValue: 'staging',
        disableInProgressLabel: false,
        createHttpRoute: { parentRefs: [{ name: 'shop' }] },
      }),
      antiAffinity: CanaryAntiAffinity.required(),
    });
    expect(rollout).toThrow(ValidationError);
    expect(rollout).toThrow('web: trafficRouting.gatewayApi.namespace is "{{ args.service-name }}"; expected the namespace of the routes, a DNS-1123 label');
  });
});
