import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { build, synthError } from './build';
import { seedSuccessRateOpenEnded, successRate, TestTemplate } from './templates';
import {
  CanaryRollout, CanaryServices, CanaryStep, RolloutWorkload, TrafficRouting, WorkloadScaleDown,
} from '../../src';
import { goRegexProblem, toJsRegExp } from '../../src/rollout/go-regex';

const istio = TrafficRouting.istio({ virtualService: 'vs' });

describe('R8: a step analysis must end (no metric with interval but no count)', () => {
  const openMsg = 'steps[1].analysis.templates[0] is template "success-rate" with metric(s) ["success-rate"] that run indefinitely '
    + '(interval without count); expected metrics that end, because the step waits for the AnalysisRun to complete '
    + '(controller: AnalysisTemplate success-rate has metric success-rate which runs indefinitely. Invalid value for count: <nil>). '
    + 'Fix: give each metric a count (e.g. count: 5 with interval 1m), or run the template as backgroundAnalysis, where open-ended metrics are allowed';

  test('rejects an open-ended template in a step, names the template index', () => {
    expect(synthError({
      trafficRouting: istio,
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [seedSuccessRateOpenEnded], args: { 'service-name': 'web' } })],
    })).toContain(openMsg);
    // second template of a merged analysis
    const other = new TestTemplate('latency', [], ['p99'], false, [], undefined, ['p99']);
    expect(synthError({
      trafficRouting: istio,
      steps: [CanaryStep.analysis({ templates: [successRate, other], args: { 'service-name': 'web' } })],
    })).toContain('steps[0].analysis.templates[1] is template "latency" with metric(s) ["p99"] that run indefinitely');
  });

  test('allows it in the background analysis, and a template with count (or no interval information) in a step', () => {
    expect(synthError({
      trafficRouting: istio,
      steps: [CanaryStep.setWeight(10), CanaryStep.pause(Duration.minutes(5))],
      backgroundAnalysis: { templates: [seedSuccessRateOpenEnded], args: { 'service-name': 'web' }, startingStep: 0 },
    })).toBe('');
    expect(synthError({
      trafficRouting: istio,
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'web' } })],
    })).toBe('');
    const unknown = new TestTemplate('elsewhere', [], ['m']);
    expect(synthError({ trafficRouting: istio, steps: [CanaryStep.analysis({ templates: [unknown] })] })).toBe('');
  });
});

describe('created Services target the container port', () => {
  test('Service port 80 in front of a container on 8080 sends traffic to 8080', () => {
    const { chart } = build({ trafficRouting: istio, services: CanaryServices.create({ port: 80 }) });
    const services = Testing.synth(chart).filter(o => o.kind === 'Service');
    expect(services).toHaveLength(2);
    for (const s of services) expect(s.spec.ports).toEqual([{ port: 80, targetPort: 8080 }]);
  });

  test('an explicit targetPort wins; without container ports the targetPort is the Service port', () => {
    const { chart } = build({ trafficRouting: istio, services: CanaryServices.create({ port: 80, targetPort: 9090 }) });
    expect(Testing.synth(chart).filter(o => o.kind === 'Service').map(s => s.spec.ports)).toEqual([
      [{ port: 80, targetPort: 9090 }], [{ port: 80, targetPort: 9090 }],
    ]);
    const noPort = build({
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }] }),
      trafficRouting: istio,
      services: CanaryServices.create({ port: 80 }),
    });
    expect(Testing.synth(noPort.chart).filter(o => o.kind === 'Service').map(s => s.spec.ports)).toEqual([
      [{ port: 80, targetPort: 80 }], [{ port: 80, targetPort: 80 }],
    ]);
  });

  test('a container port given only in ports (e.g. named) is found', () => {
    const { chart } = build({
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', ports: [{ number: 8080, name: 'http' }] }] }),
      trafficRouting: istio,
    });
    const services = Testing.synth(chart).filter(o => o.kind === 'Service');
    for (const s of services) expect(s.spec.ports).toEqual([{ port: 8080, targetPort: 8080 }]);
    // the same for a referenced Deployment
    const chart2 = Testing.chart();
    const dep = new kplus.Deployment(chart2, 'dep', { replicas: 0, containers: [{ image: 'img', ports: [{ number: 9000, name: 'http' }] }] });
    new CanaryRollout(chart2, 'web', { workload: RolloutWorkload.fromDeployment(dep), trafficRouting: istio });
    for (const s of Testing.synth(chart2).filter(o => o.kind === 'Service')) expect(s.spec.ports).toEqual([{ port: 9000, targetPort: 9000 }]);
  });
});

describe('R3 compares the resolved namespace (chart namespaces included)', () => {
  test('Rollouts "web" in charts with namespaces staging and prod do not share Services', () => {
    const app = new App();
    for (const ns of ['staging', 'prod']) {
      const chart = new Chart(app, ns, { namespace: ns });
      new CanaryRollout(chart, 'web', {
        metadata: { name: 'web' },
        workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
        trafficRouting: istio,
      });
    }
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('a chart namespace and an explicit metadata.namespace that agree still conflict', () => {
    const app = new App();
    const a = new Chart(app, 'a', { namespace: 'prod' });
    const b = new Chart(app, 'b');
    for (const [chart, meta] of [[a, { name: 'web' }], [b, { name: 'web', namespace: 'prod' }]] as const) {
      new CanaryRollout(chart, 'web', {
        metadata: meta,
        workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
        trafficRouting: istio,
      });
    }
    expect(() => app.synthYaml()).toThrow('[a/web] services is Service "web-stable", also used by Rollout "web" (b/web); '
      + 'expected a Service per Rollout (controller: Service "web-stable" is managed by another Rollout)');
  });
});

describe('created VirtualService: HTTP only, exactly one route', () => {
  test.each([
    [{ tcpRoutePorts: [8080] }, 'trafficRouting.istio.createVirtualService is set with tcpRoutePorts [8080]; expected HTTP routes only: the created '
      + 'VirtualService has only an HTTP route, so the controller would not find the TCP/TLS routes the Rollout names. Fix: create the VirtualService '
      + 'with its TCP/TLS routes yourself and reference it (omit createVirtualService), or drop tcpRoutePorts/tlsRoutes'],
    [{ tlsRoutes: [{ port: 443, sniHosts: ['a.example.com'] }] },
      'trafficRouting.istio.createVirtualService is set with tlsRoutes [{"port":443,"sniHosts":["a.example.com"]}]; expected HTTP routes only'],
    [{ routes: [] }, 'trafficRouting.istio.routes is empty; expected at least one HTTP route name, or no routes at all (then the VirtualService must have '
      + 'exactly one HTTP route). Fix: name the routes to patch, or omit routes'],
    [{ routes: ['primary', 'secondary'] }, 'trafficRouting.istio.routes is ["primary","secondary"] with createVirtualService; expected one route name: the '
      + 'created routes have no match, so every route after the first would be unreachable'],
  ])('rejects %j', (extra, msg) => {
    expect(() => build({
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs', ...extra, createVirtualService: { hosts: ['web'] } }),
    })).toThrow(msg);
  });

  test('empty routes are rejected for referenced VirtualServices too; tcp routes are fine there', () => {
    expect(() => build({ trafficRouting: TrafficRouting.istio({ virtualServices: [{ name: 'a', routes: [] }] }) }))
      .toThrow('trafficRouting.istio.virtualServices[0].routes is empty; expected at least one HTTP route name');
    const { chart } = build({ trafficRouting: TrafficRouting.istio({ virtualService: 'vs', tcpRoutePorts: [8080] }) });
    expect(Testing.synth(chart).find(o => o.kind === 'Rollout').spec.strategy.canary.trafficRouting.istio.virtualService)
      .toEqual({ name: 'vs', tcpRoutes: [{ port: 8080 }] });
  });

  test('one named route is created and patched', () => {
    const { chart } = build({
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs', routes: ['main'], createVirtualService: { hosts: ['web'] } }),
    });
    const objs = Testing.synth(chart);
    expect(objs.find(o => o.kind === 'VirtualService').spec.http.map((h: any) => h.name)).toEqual(['main']);
    expect(objs.find(o => o.kind === 'Rollout').spec.strategy.canary.trafficRouting.istio.virtualService).toEqual({ name: 'vs', routes: ['main'] });
  });
});

describe('referenced Deployment', () => {
  test('warns with scaleDown NEVER (the Deployment keeps its pods)', () => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'dep', { replicas: 2, containers: [{ image: 'img', portNumber: 8080 }] });
    const r = new CanaryRollout(chart, 'web', { workload: RolloutWorkload.fromDeployment(dep, { scaleDown: WorkloadScaleDown.NEVER }), trafficRouting: istio });
    expect(r.warnings).toEqual([
      `workload: Deployment "${dep.name}" runs 2 replicas next to the Rollout and scaleDown is never, so both run pods. `
      + 'Set the Deployment\'s replicas to 0 or pass scaleDown (WorkloadScaleDown.PROGRESSIVELY) to RolloutWorkload.fromDeployment',
    ]);
    const chart2 = Testing.chart();
    const dep2 = new kplus.Deployment(chart2, 'dep', { replicas: 2, containers: [{ image: 'img', portNumber: 8080 }] });
    const r2 = new CanaryRollout(chart2, 'web', { workload: RolloutWorkload.fromDeployment(dep2, { scaleDown: WorkloadScaleDown.ON_SUCCESS }), trafficRouting: istio });
    expect(r2.warnings).toEqual([]);
  });

  test('must live in the Rollout\'s namespace (workloadRef has no namespace)', () => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'dep', { metadata: { namespace: 'a' }, replicas: 0, containers: [{ image: 'img', portNumber: 8080 }] });
    new CanaryRollout(chart, 'web', { metadata: { namespace: 'b' }, workload: RolloutWorkload.fromDeployment(dep), trafficRouting: istio });
    expect(() => Testing.synth(chart)).toThrow(`workload is Deployment "${dep.name}" in namespace "a" while the Rollout is in namespace "b"; `
      + 'expected the Deployment in the Rollout\'s namespace (workloadRef has no namespace: the controller looks the Deployment up in the '
      + 'Rollout\'s namespace). Fix: put the Deployment and the Rollout into the same namespace (same metadata.namespace or chart namespace)');
    // the same namespace through the chart default is fine
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'b' });
    const d = new kplus.Deployment(c, 'dep', { replicas: 0, containers: [{ image: 'img', portNumber: 8080 }] });
    new CanaryRollout(c, 'web', { metadata: { namespace: 'b' }, workload: RolloutWorkload.fromDeployment(d), trafficRouting: istio });
    expect(() => app.synthYaml()).not.toThrow();
  });
});

describe('analysis duration through the typed IAnalysisTemplate.minimumDuration', () => {
  test('the longest template of a step counts; one unknown template makes the step unknown', () => {
    const five = new TestTemplate('a', [], ['a'], false, [], Duration.minutes(5), []);
    const two = new TestTemplate('b', [], ['b'], false, [], Duration.minutes(2), []);
    const { r } = build({
      trafficRouting: istio,
      steps: [
        CanaryStep.analysis({ templates: [five, two] }),
        CanaryStep.analysis({ templates: [two, new TestTemplate('c', [], ['c'])] }),
      ],
    });
    expect(r.canaryDuration.analyses.toMinutes()).toBe(5);
    expect(r.canaryDuration.unknownAnalysisSteps).toEqual([1]);
  });
});

describe('dry-run metric rules are Go (RE2) regular expressions', () => {
  test('Go flag groups are accepted and match like Go', () => {
    expect(goRegexProblem('(?i)success')).toBeUndefined();
    expect(toJsRegExp('(?i)success').test('Success-Rate')).toBe(true);
    expect(toJsRegExp('(?i:succ)ess').test('SUCCess')).toBe(true);
    expect(goRegexProblem('(?P<m>p99)-.*')).toBeUndefined();
    expect(goRegexProblem('\\Qa.b\\E')).toBeUndefined();
    expect(toJsRegExp('\\Qa.b\\E').test('axb')).toBe(false);
    expect(goRegexProblem('^latency\\z')).toBeUndefined();
    const { chart } = build({
      trafficRouting: istio,
      steps: [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'a' }, dryRunMetrics: ['(?i)SUCCESS'] })],
    });
    expect(Testing.synth(chart).find(o => o.kind === 'Rollout').spec.strategy.canary.steps[0].analysis.dryRun).toEqual([{ metricName: '(?i)SUCCESS' }]);
  });

  test.each([
    ['(?=x)', "rejected by Go's regexp package (error parsing regexp: invalid or unsupported Perl syntax: `(?=`)"],
    ['succ(?!ess)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'invalid or unsupported Perl syntax: `(?<`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['\\k<n>', 'invalid escape sequence: `\\k`'],
    ['(?>a)', 'invalid or unsupported Perl syntax: `(?>`'],
  ])('rejects %p', (re, why) => {
    expect(goRegexProblem(re)).toContain(why);
  });

  test('the message names the Go rule', () => {
    expect(() => build({
      trafficRouting: istio,
      steps: [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'a' }, dryRunMetrics: ['(?=x)'] })],
    })).toThrow('steps[0].analysis.dryRunMetrics[0] is "(?=x)"; expected a metric name or Go (RE2) regular expression (`.*` for all metrics); '
      + "this is rejected by Go's regexp package (error parsing regexp: invalid or unsupported Perl syntax: `(?=`). Fix: use a valid Go regular expression "
      + '(e.g. "(?i)latency", no lookarounds or backreferences)');
    expect(() => build({
      trafficRouting: istio,
      backgroundAnalysis: { templates: [successRate], args: { 'service-name': 'a' }, dryRunMetrics: ['(a)\\1'] },
    })).toThrow('backgroundAnalysis.dryRunMetrics[0] is "(a)\\\\1"; expected a metric name or Go (RE2) regular expression');
  });
});

describe('Go regex scan', () => {
  test('group syntax inside a character class is literal', () => {
    expect(goRegexProblem('[(?=]x')).toBeUndefined();
    expect(goRegexProblem('[]a(?=]')).toBeUndefined();
    expect(goRegexProblem('[^]](?=x)')).toContain('invalid or unsupported Perl syntax: `(?=`');
    expect(goRegexProblem('[\\k]')).toContain('invalid escape sequence: `\\k`');
  });
});
