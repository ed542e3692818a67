/**
 * The upstream Argo Rollouts blue-green example (test/fixtures/rollout/upstream/rollout-bluegreen.yaml, copied from
 * v1.9.1 examples/) reproduced with BlueGreenRollout and compared semantically. The synthesis is also judged by Argo
 * Rollouts' own validation in the jest teardown (the Services are in the same synthesis, so the controller's Service
 * checks run too).
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { find, sameContainers, upstream, withoutAddressLabel } from './upstream-fixtures';
import { BlueGreenPromotion, BlueGreenRollout, BlueGreenServices, RolloutWorkload } from '../../src';

test('rollout-bluegreen.yaml: active/preview Services, manual promotion', () => {
  const chart = Testing.chart();
  const r = new BlueGreenRollout(chart, 'rollout-bluegreen', {
    metadata: { name: 'rollout-bluegreen' },
    replicas: 2,
    revisionHistoryLimit: 2,
    workload: RolloutWorkload.fromPodTemplate({
      selectorLabels: { app: 'rollout-bluegreen' },
      containers: [{
        name: 'rollouts-demo',
        image: 'argoproj/rollouts-demo:blue',
        imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
        portNumber: 8080,
      }],
    }),
    services: BlueGreenServices.create({ activeName: 'rollout-bluegreen-active', previewName: 'rollout-bluegreen-preview', port: 80 }),
    promotion: BlueGreenPromotion.manual(),
  });
  const objs = Testing.synth(chart);
  const up = upstream('rollout-bluegreen.yaml', 'Rollout');
  const ro = find(objs, 'Rollout', 'rollout-bluegreen');

  // the whole blue-green strategy is equal
  expect(ro.spec.strategy).toEqual(up.spec.strategy);
  expect(ro.spec.replicas).toBe(2);
  expect(ro.spec.revisionHistoryLimit).toBe(up.spec.revisionHistoryLimit);
  expect(ro.spec.selector).toEqual(up.spec.selector);
  expect(withoutAddressLabel(ro.spec.template.metadata.labels)).toEqual(up.spec.template.metadata.labels);
  sameContainers(ro.spec.template.spec.containers, up.spec.template.spec.containers);

  // the Services: same names, selector and ports; upstream spells out protocol TCP, the API server's default, which
  // cdk8s-plus leaves to the default
  for (const name of ['rollout-bluegreen-active', 'rollout-bluegreen-preview']) {
    const svc = find(objs, 'Service', name);
    const upSvc = upstream('rollout-bluegreen.yaml', 'Service', name);
    expect(svc.spec.selector).toEqual(upSvc.spec.selector);
    expect(upSvc.spec.ports.map((p: any) => p.protocol)).toEqual(['TCP']);
    expect(svc.spec.ports).toEqual(upSvc.spec.ports.map(({ protocol: _tcp, ...p }: any) => p));
  }
  expect(objs.map(o => o.kind).sort()).toEqual(['Rollout', 'Service', 'Service']);

  // "a manual gate before promoting the new stack": the facts say so
  expect(r.blocksRollingSyncWave).toBe(true);
  expect(r.updateFacts.manualGates).toBe(1);
});
