/**
 * Upstream Argo Rollouts canary examples (test/fixtures/rollout/upstream, copied from v1.9.1 examples/) reproduced
 * with CanaryRollout and compared semantically: the upstream YAML is parsed and the synthesized objects are compared
 * with toEqual on the fields that matter (usually the whole spec.strategy.canary). Every difference is explained
 * next to the assertion.
 */
import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { TestTemplate } from './templates';
import { find, sameContainers, upstream, withoutAddressLabel } from './upstream-fixtures';
import {
  CanaryRollout, CanaryServices, CanaryStep, RolloutWorkload, StringMatch, TrafficRouting,
} from '../../src';

// the analysis templates of upstream examples/analysis-templates.yaml and cluster-analysis-templates.yaml
const randomFail = new TestTemplate('random-fail', [], ['random-fail']);
const pass = new TestTemplate('pass', [], ['pass']);
const alwaysPass = new TestTemplate('always-pass', [], ['always-pass'], true);

describe('upstream canary examples', () => {
  test('istio/istio-mirror.yaml: host split, setCanaryScale, setMirrorRoute, managedRoutes, created VirtualService', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'istio-host-split', {
      metadata: { name: 'istio-host-split' },
      replicas: 4,
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'istio-host-split' },
        containers: [{
          name: 'istio-host-split',
          image: 'argoproj/rollouts-demo:green',
          ports: [{ number: 8080, name: 'http', protocol: kplus.Protocol.TCP }],
          resources: { memory: { request: Size.mebibytes(16) }, cpu: { request: kplus.Cpu.millis(5) } },
        }],
      }),
      services: CanaryServices.create({ stableName: 'istio-host-split-stable', canaryName: 'istio-host-split-canary', port: 80, targetPort: 8080 }),
      trafficRouting: TrafficRouting.istio({
        virtualService: 'istio-host-split-vsvc',
        routes: ['primary'],
        createVirtualService: { hosts: ['istio-host-split.com'], gateways: ['istio-host-split-gateway'] },
      }),
      steps: [
        CanaryStep.setCanaryScale({ weight: 50 }),
        CanaryStep.setMirrorRoute({
          name: 'mirror-route',
          percentage: 50,
          match: [{ method: StringMatch.exact('POST'), path: StringMatch.prefix('/color') }],
        }),
        CanaryStep.pause(),
      ],
    });
    const objs = Testing.synth(chart);
    const up = upstream('istio-mirror.yaml', 'Rollout');
    const ro = find(objs, 'Rollout');

    // the whole canary strategy is equal (managedRoutes derived from the setMirrorRoute step)
    expect(ro.spec.strategy.canary).toEqual(up.spec.strategy.canary);
    expect(ro.spec.replicas).toBe(up.spec.replicas);
    expect(ro.spec.selector).toEqual(up.spec.selector);
    expect(ro.spec.template.metadata.labels).toEqual(up.spec.template.metadata.labels);
    sameContainers(ro.spec.template.spec.containers, up.spec.template.spec.containers);

    // the created VirtualService equals the upstream one, except the API version (v1 instead of v1alpha3, same schema)
    const vs = find(objs, 'VirtualService');
    const upVs = upstream('istio-mirror.yaml', 'VirtualService');
    expect(vs.metadata.name).toBe(upVs.metadata.name);
    expect(vs.spec).toEqual(upVs.spec);

    // Services: same names, selectors and port; upstream targets the named port "http", the construct the number 8080
    for (const name of ['istio-host-split-stable', 'istio-host-split-canary']) {
      const svc = find(objs, 'Service', name);
      const upSvc = upstream('istio-mirror.yaml', 'Service', name);
      expect(svc.spec.selector).toEqual(upSvc.spec.selector);
      expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 8080 })]);
    }
  });

  test('istio/istio-subset-split.yaml: DestinationRule subsets, no canary/stable Services, created VirtualService + DestinationRule', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'istio-subset-split', {
      metadata: { name: 'istio-subset-split' },
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'istio-subset-split' },
        containers: [{
          name: 'istio-subset-split',
          image: 'nginx:1.19-alpine',
          ports: [{ number: 80, name: 'http', protocol: kplus.Protocol.TCP }],
          resources: { memory: { request: Size.mebibytes(16) }, cpu: { request: kplus.Cpu.millis(5) } },
        }],
      }),
      trafficRouting: TrafficRouting.istio({
        virtualService: 'istio-subset-split-vsvc',
        routes: ['primary'],
        destinationRule: { name: 'istio-subset-split-destrule' },
        createVirtualService: { hosts: ['istio-subset-split'], subsetHost: 'istio-subset-split' },
      }),
      steps: [CanaryStep.setWeight(10), CanaryStep.pause()],
    });
    const objs = Testing.synth(chart);
    const up = upstream('istio-subset-split.yaml', 'Rollout');
    const ro = find(objs, 'Rollout');
    expect(ro.spec.strategy.canary).toEqual(up.spec.strategy.canary);
    expect(ro.spec.selector).toEqual(up.spec.selector);
    sameContainers(ro.spec.template.spec.containers, up.spec.template.spec.containers);
    // upstream omits replicas (the controller then writes 1 back); the construct always renders it
    expect(up.spec.replicas).toBeUndefined();
    expect(ro.spec.replicas).toBe(1);
    // no canary/stable Services with subset routing; the subset host Service is the user's (upstream file has it)
    expect(objs.filter(o => o.kind === 'Service')).toEqual([]);
    expect(r.stableServiceName).toBeUndefined();
    expect(find(objs, 'VirtualService').spec).toEqual(upstream('istio-subset-split.yaml', 'VirtualService').spec);
    expect(find(objs, 'DestinationRule').spec).toEqual(upstream('istio-subset-split.yaml', 'DestinationRule').spec);
    expect(find(objs, 'DestinationRule').metadata.name).toBe('istio-subset-split-destrule');
  });

  test('traffic-routing-experiment-step/rollout-alb-experiment-step.yaml: ALB ingress, rootService, servicePort', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'alb-rollout', {
      metadata: { name: 'alb-rollout' },
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'alb-rollout' },
        containers: [{ name: 'alb-rollout', image: 'argoproj/rollouts-demo:blue', ports: [{ number: 80, name: 'http', protocol: kplus.Protocol.TCP }] }],
      }),
      services: CanaryServices.create({ stableName: 'alb-rollout-stable', canaryName: 'alb-rollout-canary', port: 80 }),
      trafficRouting: TrafficRouting.alb({ ingress: 'alb-rollout-ingress', rootService: 'alb-rollout-root', servicePort: 80 }),
      steps: [CanaryStep.setWeight(10)],
    });
    const objs = Testing.synth(chart);
    const up = upstream('rollout-alb-experiment-step.yaml', 'Rollout');
    const ro = find(objs, 'Rollout');
    // equal except the upstream's second step, an `experiment` step, which CanaryStep does not offer
    expect(up.spec.strategy.canary.steps[1].experiment).toBeDefined();
    expect(ro.spec.strategy.canary).toEqual({ ...up.spec.strategy.canary, steps: up.spec.strategy.canary.steps.slice(0, 1) });
    // the upstream Ingress routes to the rootService, as the controller requires for ALB (R14)
    const ing = upstream('rollout-alb-experiment-step.yaml', 'Ingress');
    expect(ing.spec.rules[0].http.paths[0].backend.service.name).toBe(ro.spec.strategy.canary.trafficRouting.alb.rootService);
    for (const name of ['alb-rollout-stable', 'alb-rollout-canary']) {
      expect(find(objs, 'Service', name).spec.selector).toEqual(upstream('rollout-alb-experiment-step.yaml', 'Service', name).spec.selector);
    }
  });

  test('traffic-routing-experiment-step/rollout-smi-experiment-step.yaml: SMI trafficSplitName', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'smi', {
      metadata: { name: 'rollout-smi-experiment' },
      replicas: 1,
      revisionHistoryLimit: 2,
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'rollout-smi-experiment' },
        containers: [{ name: 'rollout-smi-experiment', image: 'argoproj/rollouts-demo:blue', ports: [{ number: 80, name: 'http', protocol: kplus.Protocol.TCP }] }],
      }),
      services: CanaryServices.create({ port: 80 }),
      trafficRouting: TrafficRouting.smi({ trafficSplitName: 'rollout-smi-experiment-trafficsplit' }),
      steps: [CanaryStep.setWeight(5)],
    });
    const objs = Testing.synth(chart);
    const up = upstream('rollout-smi-experiment-step.yaml', 'Rollout');
    const ro = find(objs, 'Rollout');
    // default Service names <rollout>-stable/-canary equal the upstream names; the experiment step is not offered
    expect(ro.spec.strategy.canary).toEqual({ ...up.spec.strategy.canary, steps: up.spec.strategy.canary.steps.slice(0, 1) });
    expect(ro.spec.replicas).toBe(up.spec.replicas);
    expect(ro.spec.revisionHistoryLimit).toBe(up.spec.revisionHistoryLimit);
    expect(find(objs, 'Service', 'rollout-smi-experiment-canary').spec.selector)
      .toEqual(upstream('rollout-smi-experiment-step.yaml', 'Service', 'rollout-smi-experiment-canary').spec.selector);
  });

  test('traffic-management/rollout-linkerd.yaml: SMI rootService with existing Services, pod annotation', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'linkerd', {
      metadata: { name: 'rollout-linkerd' },
      replicas: 5,
      revisionHistoryLimit: 2,
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'rollout-linkerd' },
        podMetadata: { annotations: { 'linkerd.io/inject': 'enabled' } },
        containers: [{ name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue', portNumber: 8080 }],
      }),
      services: CanaryServices.fromNames('rollout-linkerd-stable', 'rollout-linkerd-canary'),
      trafficRouting: TrafficRouting.smi({ rootService: 'rollout-linkerd' }),
      steps: [CanaryStep.setWeight(5), CanaryStep.pause()],
    });
    const objs = Testing.synth(chart);
    const up = upstream('rollout-linkerd.yaml', 'Rollout');
    const ro = find(objs, 'Rollout');
    expect(ro.spec.strategy.canary).toEqual(up.spec.strategy.canary);
    expect(ro.spec.template.metadata).toEqual(up.spec.template.metadata);
    sameContainers(ro.spec.template.spec.containers, up.spec.template.spec.containers);
    // existing Services are referenced, not created
    expect(objs.filter(o => o.kind === 'Service')).toEqual([]);
  });

  test.each([
    ['rollout-template-ref.yaml', 2],
    ['workload-ref.yaml', undefined],
  ])('%s: workloadRef to a cdk8s-plus Deployment (basic canary, explicit replica-count approximation)', (file, historyLimit) => {
    const chart = Testing.chart();
    const dep = new kplus.Deployment(chart, 'deployment', {
      metadata: { name: 'rollout-ref-deployment' },
      replicas: 0,
      select: false,
      podMetadata: { labels: { app: 'rollout-ref-deployment' } },
      containers: [{ name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue', portNumber: 8080 }],
    });
    dep.select(kplus.LabelSelector.of({ labels: { app: 'rollout-ref-deployment' } }));
    const r = new CanaryRollout(chart, 'rollout', {
      metadata: { name: 'rollout-ref-deployment' },
      replicas: 5,
      revisionHistoryLimit: historyLimit,
      workload: RolloutWorkload.fromDeployment(dep),
      trafficRouting: TrafficRouting.replicaCountApproximation(),
      steps: [CanaryStep.setWeight(20), CanaryStep.pause(Duration.seconds(10))],
    });
    const objs = Testing.synth(chart);
    const up = upstream(file, 'Rollout');
    const upDep = upstream(file, 'Deployment');
    const ro = find(objs, 'Rollout');
    const d = find(objs, 'Deployment');
    expect(ro.spec.workloadRef).toEqual(up.spec.workloadRef);
    expect(ro.spec.strategy).toEqual(up.spec.strategy);
    expect(ro.spec.replicas).toBe(up.spec.replicas);
    expect(ro.spec.revisionHistoryLimit).toBe(up.spec.revisionHistoryLimit);
    // upstream omits the selector (the controller copies it from the Deployment); the construct renders that copy
    expect(up.spec.selector).toBeUndefined();
    expect(ro.spec.selector).toEqual(upDep.spec.selector);
    // the Deployment cdk8s-plus synthesizes matches the upstream Deployment where it matters
    expect(d.metadata.name).toBe(upDep.metadata.name);
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.selector).toEqual(upDep.spec.selector);
    // cdk8s-plus adds its address label to the Deployment's pods; the Rollout does not select by it
    expect(withoutAddressLabel(d.spec.template.metadata.labels)).toEqual(upDep.spec.template.metadata.labels);
    sameContainers(d.spec.template.spec.containers, upDep.spec.template.spec.containers);
    // 20 % of 5 replicas is exactly one pod
    expect(r.replicaCountApproximation).toEqual([
      { stepIndex: 0, weight: 20, canaryPods: 1, stablePods: 4, effectiveWeight: 20, approximated: true },
    ]);
    expect(r.warnings).toEqual([]);
  });

  test('rollout-background-analysis.yaml: background analysis', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'bg', {
      metadata: { name: 'rollout-background-analysis' },
      replicas: 4,
      revisionHistoryLimit: 2,
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'rollout-background-analysis' },
        containers: [{ name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue', portNumber: 8080 }],
      }),
      trafficRouting: TrafficRouting.replicaCountApproximation(),
      backgroundAnalysis: { templates: [randomFail] },
      steps: [CanaryStep.setWeight(25), CanaryStep.pause()],
    });
    const ro = find(Testing.synth(chart), 'Rollout');
    const up = upstream('rollout-background-analysis.yaml', 'Rollout');
    expect(ro.spec.strategy).toEqual(up.spec.strategy);
    sameContainers(ro.spec.template.spec.containers, up.spec.template.spec.containers);
    expect(ro.spec.selector).toEqual(up.spec.selector);
  });

  test('rollout-analysis-step.yaml: step analysis merging a namespaced and a cluster template', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'as', {
      metadata: { name: 'rollout-analysis-step' },
      replicas: 4,
      revisionHistoryLimit: 2,
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'rollout-analysis-step' },
        containers: [{ name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue', portNumber: 8080 }],
      }),
      trafficRouting: TrafficRouting.replicaCountApproximation(),
      steps: [CanaryStep.setWeight(25), CanaryStep.analysis({ templates: [randomFail, alwaysPass] })],
    });
    const ro = find(Testing.synth(chart), 'Rollout');
    expect(ro.spec.strategy).toEqual(upstream('rollout-analysis-step.yaml', 'Rollout').spec.strategy);
  });

  test('rollout-canary.yaml: basic canary ladder with indefinite and timed pauses', () => {
    const chart = Testing.chart();
    const r = new CanaryRollout(chart, 'c', {
      metadata: { name: 'rollout-canary' },
      replicas: 5,
      revisionHistoryLimit: 2,
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'rollout-canary' },
        containers: [{ name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue', portNumber: 8080 }],
      }),
      trafficRouting: TrafficRouting.replicaCountApproximation(),
      steps: [
        CanaryStep.setWeight(20), CanaryStep.pause(),
        CanaryStep.setWeight(40), CanaryStep.pause(Duration.seconds(40)),
        CanaryStep.setWeight(60), CanaryStep.pause(Duration.seconds(20)),
        CanaryStep.setWeight(80), CanaryStep.pause(Duration.seconds(20)),
      ],
    });
    const ro = find(Testing.synth(chart), 'Rollout');
    expect(ro.spec.strategy).toEqual(upstream('rollout-canary.yaml', 'Rollout').spec.strategy);
    // the upstream comment: "pause indefinitely until manually resumed" is a manual gate
    expect(r.manualGates.map(g => g.stepIndex)).toEqual([1]);
    expect(r.canaryDuration.timedPauses.toSeconds()).toBe(80);
    expect(r.replicaCountApproximation.map(a => `${a.canaryPods}/${a.stablePods}`)).toEqual(['1/4', '2/3', '3/2', '4/1']);
  });

  test('rollout-rolling-update.yaml: no steps, maxSurge/maxUnavailable as numbers', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'ru', {
      metadata: { name: 'rollout-rollingupdate' },
      replicas: 5,
      revisionHistoryLimit: 2,
      workload: RolloutWorkload.fromPodTemplate({
        selectorLabels: { app: 'rollout-rollingupdate' },
        containers: [{ name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue', portNumber: 8080 }],
      }),
      maxSurge: kplus.PercentOrAbsolute.absolute(1),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(1),
    });
    const ro = find(Testing.synth(chart), 'Rollout');
    expect(ro.spec.strategy).toEqual(upstream('rollout-rolling-update.yaml', 'Rollout').spec.strategy);
  });

  test('apisix/rollout.yaml: the header-route step and weight ladder (with Istio; APISIX is not a router of this library)', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'apisix', {
      metadata: { name: 'rollout-apisix-canary' },
      replicas: 5,
      workload: RolloutWorkload.fromPodTemplate({ selectorLabels: { app: 'rollout-apisix-canary' }, containers: [{ name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue', portNumber: 8080 }] }),
      services: CanaryServices.fromNames('rollout-apisix-canary-stable', 'rollout-apisix-canary-canary'),
      trafficRouting: TrafficRouting.istio({ virtualService: 'rollouts-apisix-route' }),
      steps: [
        CanaryStep.setCanaryScale({ replicas: 1 }),
        CanaryStep.setHeaderRoute({ name: 'set-header', match: [{ headerName: 'trace', headerValue: StringMatch.exact('debug') }] }),
        CanaryStep.pause(),
        CanaryStep.setWeight(20), CanaryStep.pause(),
        CanaryStep.setWeight(40), CanaryStep.pause(Duration.seconds(15)),
        CanaryStep.setWeight(60), CanaryStep.pause(Duration.seconds(15)),
        CanaryStep.setWeight(80), CanaryStep.pause(Duration.seconds(15)),
      ],
    });
    const ro = find(Testing.synth(chart), 'Rollout');
    const up = upstream('apisix-rollout.yaml', 'Rollout').spec.strategy.canary;
    // upstream combines setCanaryScale and setHeaderRoute in one step (the controller accepts that pair); the
    // construct emits one key per step, so its first two steps together equal upstream's first step
    const [scale, header, ...rest] = ro.spec.strategy.canary.steps;
    expect({ ...scale, ...header }).toEqual(up.steps[0]);
    // upstream writes timed pauses as bare integers (seconds); the construct writes "15s" (same duration)
    const normalized = up.steps.slice(1).map((s: any) => (s.pause?.duration !== undefined ? { pause: { duration: `${s.pause.duration}s` } } : s));
    expect(rest).toEqual(normalized);
    expect(ro.spec.strategy.canary.trafficRouting.managedRoutes).toEqual(up.trafficRouting.managedRoutes);
    expect(ro.spec.strategy.canary.canaryService).toBe(up.canaryService);
    expect(ro.spec.strategy.canary.stableService).toBe(up.stableService);
  });

  test('notifications/rollout-canary.yaml: the same ladder behind the example\'s NGINX stable Ingress', () => {
    const chart = Testing.chart();
    const ing = upstream('notifications-rollout-canary.yaml', 'Ingress');
    const svc = upstream('notifications-rollout-canary.yaml', 'Service');
    new CanaryRollout(chart, 'n', {
      metadata: { name: 'rollout-canary' },
      replicas: 5,
      revisionHistoryLimit: 2,
      workload: RolloutWorkload.fromPodTemplate({ selectorLabels: { app: 'rollout-canary' }, containers: [{ name: 'rollouts-demo', image: 'argoproj/rollouts-demo:blue', portNumber: 8080 }] }),
      // the Ingress routes to the Service named in its comment as "also specified in stableService"
      services: CanaryServices.create({ stableName: ing.spec.rules[0].http.paths[0].backend.service.name, canaryName: 'rollouts-canary-preview', port: 8080 }),
      trafficRouting: TrafficRouting.nginx({ stableIngress: ing.metadata.name }),
      steps: [
        CanaryStep.setWeight(20), CanaryStep.pause(),
        CanaryStep.setWeight(40), CanaryStep.pause(Duration.seconds(10)),
        CanaryStep.setWeight(60), CanaryStep.pause(Duration.seconds(10)),
        CanaryStep.setWeight(80), CanaryStep.pause(Duration.seconds(10)),
      ],
    });
    const objs = Testing.synth(chart);
    const ro = find(objs, 'Rollout');
    const up = upstream('notifications-rollout-canary.yaml', 'Rollout');
    // upstream runs this ladder without a router (basic canary); here NGINX splits the traffic
    expect(ro.spec.strategy.canary.steps).toEqual(up.spec.strategy.canary.steps);
    expect(ro.spec.strategy.canary.trafficRouting).toEqual({ nginx: { stableIngress: 'rollouts-demo-stable' } });
    expect(ro.spec.strategy.canary.stableService).toBe('rollouts-canary');
    // the created stable Service selects like the upstream Service
    expect(find(objs, 'Service', 'rollouts-canary').spec.selector).toEqual(svc.spec.selector);
    expect(find(objs, 'Service', 'rollouts-canary').spec.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: 8080 })]);
  });

  test('analysis-templates: a count-1 template can be a step analysis too', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'p', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 80 }] }),
      trafficRouting: TrafficRouting.nginx({ stableIngress: 'web' }),
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({ templates: [pass] })],
    });
    expect(find(Testing.synth(chart), 'Rollout').spec.strategy.canary.steps[1]).toEqual({ analysis: { templates: [{ templateName: 'pass' }] } });
  });
});
