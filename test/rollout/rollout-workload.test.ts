import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryRollout, CanaryStep, RolloutWorkload, TrafficRouting, WorkloadScaleDown } from '../../src';

const istio = TrafficRouting.istio({ virtualService: 'vs' });

function rolloutOf(objs: any[]): any {
  return objs.find(o => o.kind === 'Rollout');
}

describe('RolloutWorkload.fromPodTemplate (cdk8s-plus containers)', () => {
  test('keeps int-or-string values (probe ports) that the generated Rollout mappers would drop', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      metadata: { name: 'web' },
      workload: RolloutWorkload.fromPodTemplate({
        containers: [{
          name: 'app',
          image: 'ghcr.io/my-org/web:1.0.0',
          portNumber: 8080,
          readiness: kplus.Probe.fromTcpSocket({ port: 8080 }),
          liveness: kplus.Probe.fromHttpGet('/healthz', { port: 9090 }),
        }],
      }),
      trafficRouting: TrafficRouting.nginx({ stableIngress: 'web' }),
      steps: [CanaryStep.setWeight(10)],
    });
    const ro = rolloutOf(Testing.synth(chart));
    const c = ro.spec.template.spec.containers[0];
    expect(c.readinessProbe.tcpSocket.port).toBe(8080);
    expect(c.livenessProbe.httpGet).toEqual(expect.objectContaining({ path: '/healthz', port: 9090 }));
    expect(c.ports).toEqual([{ containerPort: 8080 }]);
    // the selector is { app: <rollout name> } by default, on the pods and on both Services
    expect(ro.spec.selector.matchLabels).toEqual({ app: 'web' });
    expect(ro.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(r.selectorLabels).toEqual({ app: 'web' });
    expect(r.canaryService?.name).toBe('web-canary');
  });

  test('renders lazily: steps, env and containers added after construction land in the Rollout', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'web', {
      metadata: { name: 'web' },
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 80 }], selectorLabels: { 'app.kubernetes.io/name': 'web' } }),
      steps: [CanaryStep.pause(Duration.seconds(30))],
    });
    r.addStep(CanaryStep.pause());
    r.podTemplate!.containers[0].env.addVariable('FEATURE', kplus.EnvValue.fromValue('on'));
    r.podTemplate!.addContainer({ name: 'sidecar', image: 'sidecar:1', portNumber: 9000 });
    const ro = rolloutOf(Testing.synth(chart));
    expect(ro.spec.template.spec.containers[0].env).toEqual([{ name: 'FEATURE', value: 'on' }]);
    expect(ro.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main', 'sidecar']);
    expect(ro.spec.strategy.canary.steps).toEqual([{ pause: { duration: '30s' } }, { pause: {} }]);
    expect(ro.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web' });
    // no router and no setWeight: no Services are needed or created
    expect(Testing.synth(chart).filter(o => o.kind === 'Service')).toEqual([]);
  });

  test('fails on pod labels that contradict the selector', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }], selectorLabels: { app: 'web' }, podMetadata: { labels: { app: 'other' } } }),
    });
    expect(() => Testing.synth(chart)).toThrow('workload.podMetadata.labels["app"] is "other"; expected the selector label value "web"');
  });
});

describe('RolloutWorkload.fromDeployment (workloadRef)', () => {
  test('renders the scale-down mode and no template', () => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'dep', { replicas: 3, containers: [{ image: 'img', portNumber: 80 }] });
    const r = new CanaryRollout(chart, 'web', {
      workload: RolloutWorkload.fromDeployment(dep, { scaleDown: WorkloadScaleDown.PROGRESSIVELY }),
      trafficRouting: TrafficRouting.smi(),
      steps: [CanaryStep.setWeight(10)],
    });
    const ro = rolloutOf(Testing.synth(chart));
    expect(ro.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.name, scaleDown: 'progressively' });
    expect(ro.spec.template).toBeUndefined();
    expect(r.warnings).toEqual([]);
  });

  test('warns when the Deployment keeps running pods next to the Rollout', () => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'dep', { containers: [{ image: 'img', portNumber: 80 }] });
    const r = new CanaryRollout(chart, 'web', { workload: RolloutWorkload.fromDeployment(dep) });
    expect(r.warnings).toEqual([
      `workload: Deployment "${dep.name}" runs 2 replicas next to the Rollout, so both run pods. Set the Deployment's replicas to 0 or pass scaleDown (WorkloadScaleDown.PROGRESSIVELY) to RolloutWorkload.fromDeployment`,
    ]);
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
