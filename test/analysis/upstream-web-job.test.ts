/**
 * Upstream Argo Rollouts web and job examples (test/fixtures/analysis/upstream, copied from v1.9.1 examples/)
 * reproduced with WebAnalysis / JobAnalysis and compared semantically: the upstream YAML is parsed and the synthesized
 * objects are compared on the fields upstream sets. Every difference is explained next to the assertion. Where the
 * Go conformance commands are built, Argo Rollouts' own checks judge the reproductions too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { CanaryRollout, CanaryStep, JobAnalysis, RolloutWorkload, TemplateArgument, TrafficRouting, WebAnalysis } from '../../src';
import { conformanceBuilt, validateAnalysisTemplates, validateRollouts } from '../harness/conformance';

const DIR = path.join(__dirname, '..', 'fixtures', 'analysis', 'upstream');

function upstream(file: string, kind: string, name: string): any {
  const found = YAML.parseAllDocuments(fs.readFileSync(path.join(DIR, file), 'utf8')).map(d => d.toJSON())
    .find(d => d && d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`${file} has no ${kind} ${name}`);
  return found;
}

/** The controller's defaults made explicit: what an upstream metric without them means. */
function withControllerDefaults(metric: any): any {
  return { failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4, ...metric };
}

/**
 * The job spec restricted to what upstream sets: cdk8s-plus adds defaults upstream does not have (security context,
 * resources, dnsPolicy, terminationGracePeriodSeconds, automountServiceAccountToken …); the fields upstream sets
 * must be equal.
 */
function pickLike(ours: any, theirs: any): any {
  if (Array.isArray(theirs)) return theirs.map((t, i) => pickLike(ours?.[i], t));
  if (theirs === null || typeof theirs !== 'object') return ours;
  const out: any = {};
  for (const k of Object.keys(theirs)) out[k] = pickLike(ours?.[k], theirs[k]);
  return out;
}

/** A cdk8s-plus Job running as upstream's (alpine runs as root: cdk8s-plus's runAsNonRoot default would keep its pod from starting). */
function upstreamJob(scope: any, id: string, args: string[]): kplus.Job {
  return new kplus.Job(scope, id, {
    securityContext: { ensureNonRoot: false },
    containers: [{ name: 'sleep', image: 'alpine:3.8', command: ['sh', '-c'], args, securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false } }],
    backoffLimit: 0,
  });
}

const go = conformanceBuilt('rollouts-validate');

describe('upstream web and job examples', () => {
  test('analysis-templates.yaml: random-fail (count 2, interval 5s, failureLimit 1) is reproduced whole', () => {
    const chart = Testing.chart();
    new JobAnalysis(chart, 'random-fail', {
      metadata: { name: 'random-fail' },
      metricName: 'random-fail',
      job: upstreamJob(chart, 'job', ['FLIP=$(($(($RANDOM%10))%2)) && exit $FLIP']),
      count: 2,
      interval: Duration.seconds(5),
      failureLimit: 1,
    });
    const objs = Testing.synth(chart);
    expect(objs.map(o => o.kind)).toEqual(['AnalysisTemplate']); // the Job is the template's spec, not an object of its own
    const ours = objs[0];
    const theirs = upstream('analysis-templates.yaml', 'AnalysisTemplate', 'random-fail');
    expect(ours.metadata.name).toBe(theirs.metadata.name);
    const [m] = ours.spec.metrics;
    const [u] = theirs.spec.metrics;
    const { provider, ...rest } = m;
    const { provider: uProvider, ...uRest } = u;
    expect(rest).toEqual(withControllerDefaults(uRest));
    expect(pickLike(provider.job.spec, uProvider.job.spec)).toEqual(uProvider.job.spec);
    if (go) expect(validateAnalysisTemplates(objs)[0].errors).toEqual([]);
  });

  test('analysis-templates.yaml pass / cluster-analysis-templates.yaml always-pass: failureLimit 1 with count 1 is refused (it could never fail); '
    + 'failureLimit 0 is the gate that means something', () => {
    const props = (chart: any, failureLimit: number) => ({
      metricName: 'pass', job: upstreamJob(chart, `job-${failureLimit}`, ['exit 0']), count: 1, interval: Duration.seconds(5), failureLimit,
    });
    const refused = Testing.chart();
    expect(() => new JobAnalysis(refused, 'pass', { metadata: { name: 'pass' }, ...props(refused, 1) }))
      .toThrow('failureLimit is 1 with count 1; expected failureLimit < count (the controller measures count times; the metric fails at failureLimit + 1 '
        + 'failed measurements, so it could never fail)');

    for (const [file, kind, name, clusterScope] of [
      ['analysis-templates.yaml', 'AnalysisTemplate', 'pass', false],
      ['cluster-analysis-templates.yaml', 'ClusterAnalysisTemplate', 'always-pass', true],
    ] as const) {
      const chart = Testing.chart();
      new JobAnalysis(chart, name, { metadata: { name }, clusterScope, ...props(chart, 0) });
      const objs = Testing.synth(chart);
      expect(objs.map(o => o.kind)).toEqual([kind]);
      const theirs = upstream(file, kind, name);
      const [m] = objs[0].spec.metrics;
      const [u] = theirs.spec.metrics;
      const { provider, ...rest } = m;
      const { provider: uProvider, ...uRest } = u;
      // the one difference: failureLimit 0 instead of 1
      expect(rest).toEqual(withControllerDefaults({ ...uRest, failureLimit: 0 }));
      expect(pickLike(provider.job.spec, uProvider.job.spec)).toEqual(uProvider.job.spec);
      if (go) expect(validateAnalysisTemplates(objs)[0].errors).toEqual([]);
    }
  });

  test('traffic-management/job.yaml: a background load test (interval without count), the namespace arg inside a sh -c script', () => {
    const chart = Testing.chart();
    const script = 'wrk -t10 -c40 -d45s -s report.lua http://rollout-linkerd.{{ args.namespace }}.svc/color\n'
      + 'jq -e \'.errors_ratio <= 0.35 and .latency_avg_ms < 100\' report.json\n';
    const t = new JobAnalysis(chart, 'load-test', {
      metadata: { name: 'load-test' },
      metricName: 'pass',
      args: [TemplateArgument.required('namespace')],
      job: new kplus.Job(chart, 'load', {
        podMetadata: { annotations: { 'linkerd.io/inject': 'enabled' } },
        containers: [{ name: 'load-tester', image: 'argoproj/load-tester:latest', command: ['sh', '-c', '-x', '-e'], args: [script] }],
      }),
      // upstream leaves backoffLimit to Kubernetes (6); the library's default would be 0, so the reproduction says 6
      backoffLimit: 6,
      interval: Duration.seconds(5),
      failureLimit: 1,
    });
    const objs = Testing.synth(chart);
    const theirs = upstream('traffic-management-job.yaml', 'AnalysisTemplate', 'load-test');
    expect(objs[0].spec.args).toEqual(theirs.spec.args);
    const [m] = objs[0].spec.metrics;
    const [u] = theirs.spec.metrics;
    const { provider, ...rest } = m;
    const { provider: uProvider, ...uRest } = u;
    expect(rest).toEqual(withControllerDefaults(uRest));
    expect(pickLike(provider.job.spec, uProvider.job.spec)).toEqual(uProvider.job.spec);
    expect(provider.job.spec.backoffLimit).toBe(6);
    // open-ended: background analysis only; the arg lands in a shell script, so a Rollout's literal value is checked there
    expect(t.openEndedMetricNames).toEqual(['pass']);
    expect(t.quotedArgUses).toEqual([expect.objectContaining({ argName: 'namespace', where: 'the shell script of container "load-tester" of metric "pass"' })]);
    if (go) expect(validateAnalysisTemplates(objs)[0].errors).toEqual([]);
  });

  test('rollout-secret.yaml: the web metric whose URL comes from a Secret, in an analysis step', () => {
    const chart = Testing.chart();
    const secretTemplate = new WebAnalysis(chart, 'analysis-secret', {
      metadata: { name: 'analysis-secret' },
      metricName: 'webmetric',
      args: [TemplateArgument.fromSecret('secret-url', { secretName: 'example-secret', key: 'secretUrl' })],
      url: '{{args.secret-url}}',
      jsonPath: '{$.message}',
      successCondition: 'result == \'It worked!\'',
    });
    new CanaryRollout(chart, 'rollout-secret', {
      metadata: { name: 'rollout-secret' },
      replicas: 1,
      revisionHistoryLimit: 2,
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'rollout-secret' },
        containers: [{ name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue', imagePullPolicy: kplus.ImagePullPolicy.ALWAYS, portNumber: 8080 }],
      }),
      // upstream runs a basic canary (no traffic router): the library asks for that choice explicitly
      trafficRouting: TrafficRouting.replicaCountApproximation(),
      steps: [CanaryStep.setWeight(25), CanaryStep.analysis({ templates: [secretTemplate] }), CanaryStep.pause()],
    });
    const objs = Testing.synth(chart);
    const template = objs.find(o => o.kind === 'AnalysisTemplate');
    const theirs = upstream('rollout-secret.yaml', 'AnalysisTemplate', 'analysis-secret');
    expect(template.metadata.name).toBe(theirs.metadata.name);
    expect(template.spec.args).toEqual(theirs.spec.args);
    // one measurement, as upstream (no count, no interval); the controller's default limits written out
    expect(template.spec.metrics).toEqual(theirs.spec.metrics.map(withControllerDefaults));

    const ro = objs.find(o => o.kind === 'Rollout');
    const upRo = upstream('rollout-secret.yaml', 'Rollout', 'rollout-secret');
    expect(ro.spec.strategy.canary.steps).toEqual(upRo.spec.strategy.canary.steps);
    expect(ro.spec.replicas).toBe(upRo.spec.replicas);
    expect(ro.spec.revisionHistoryLimit).toBe(upRo.spec.revisionHistoryLimit);
    expect(ro.spec.selector).toEqual(upRo.spec.selector);
    // the library references Secrets, it does not create them: the upstream Secret stays the user's
    expect(objs.some(o => o.kind === 'Secret')).toBe(false);

    if (go) {
      const [verdict] = validateRollouts(objs);
      expect(verdict.errors).toEqual([]);
      expect(verdict.referenced.analysisTemplates).toBe(1);
      // the controller resolves the Secret-backed URL at measurement time; the request is built from its placeholder
      const [t] = validateAnalysisTemplates(objs);
      expect(t.errors).toEqual([]);
      expect(t.requests).toEqual([{ metric: 'webmetric', method: 'GET', url: 'http://placeholder.invalid/', headers: {} }]);
    }
  });
});
