/**
 * Argo CD's own health assessment of argoproj.io/Rollout (the Lua check of argo-cd v3.5.1, run by the rollout-health
 * conformance command) on the statuses the Argo Rollouts controller writes while a library-built blue-green rollout
 * updates. It backs the facts `BlueGreenRollout` gives a stack: the pause before a manual (or timed) promotion makes
 * the Application Suspended, the post-promotion analysis keeps it Progressing, and the old version still running
 * during `scaleDownDelay` does not: the Application is Healthy once switched and analysed, so the scale-down delay
 * is not part of the update's minimum duration.
 *
 * `legacy` statuses carry no `status.phase`, so the Lua check computes the health itself from the status fields
 * instead of surfacing the phase the controller computed (rolloututil.CalculateRolloutPhase, which agrees: for
 * blue-green it does not wait for old replicas, "the latter two have the scaleDownDelay feature which leaves the old
 * stack of replicas running for a long time").
 */
import { Duration, Testing } from 'cdk8s';
import { successRate } from './templates';
import { BlueGreenPromotion, BlueGreenRollout, RolloutWorkload } from '../../src';
import { argoCdHealth } from '../harness/conformance';

const NEW = '6d4f8b9c7';
const OLD = '5c9f7d8b6';

function libraryRollout(): { rollout: any; r: BlueGreenRollout } {
  const chart = Testing.chart();
  const r = new BlueGreenRollout(chart, 'web', {
    metadata: { name: 'web' },
    replicas: 3,
    workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'ghcr.io/acme/web:1.0.0', portNumber: 8080 }] }),
    promotion: BlueGreenPromotion.manual(),
    postPromotionAnalysis: { templates: [successRate], args: { 'service-name': 'web' } },
    scaleDownDelay: Duration.minutes(10),
  });
  const rollout = Testing.synth(chart).find(o => o.kind === 'Rollout');
  return { rollout, r };
}

/** The Rollout with a status as a v1.9 controller writes it (without status.phase/message when `legacy`). */
function withStatus(rollout: any, status: any, legacy: boolean): any {
  const s: any = {
    observedGeneration: '1',
    currentPodHash: NEW,
    replicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
    readyReplicas: 3,
    conditions: [
      { type: 'Available', status: 'True', reason: 'AvailableReason' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
    ],
    ...status,
  };
  if (legacy) { delete s.phase; delete s.message; }
  return { ...rollout, metadata: { ...rollout.metadata, generation: 1 }, status: s };
}

test('the manual promotion: paused before the switch, the Application is Suspended (the wave waits)', () => {
  const { rollout, r } = libraryRollout();
  expect(rollout.spec.strategy.blueGreen.autoPromotionEnabled).toBe(false);
  expect(r.blocksRollingSyncWave).toBe(true);
  const paused = {
    phase: 'Paused',
    message: 'BlueGreenPause',
    controllerPause: true,
    pauseConditions: [{ reason: 'BlueGreenPause', startTime: '2026-11-30T12:00:00Z' }],
    stableRS: OLD,
    blueGreen: { activeSelector: OLD, previewSelector: NEW },
  };
  for (const legacy of [false, true]) {
    const h = argoCdHealth([withStatus(rollout, paused, legacy)]);
    expect(h.objects).toEqual([{ kind: 'Rollout', name: 'web', status: 'Suspended', message: legacy ? 'Rollout is paused' : 'BlueGreenPause' }]);
    expect(h.application).toBe('Suspended');
  }
});

test('switched, post-promotion analysis running: Progressing (counted in the minimum)', () => {
  const { rollout } = libraryRollout();
  const h = argoCdHealth([withStatus(rollout, { stableRS: OLD, blueGreen: { activeSelector: NEW, previewSelector: NEW } }, true)]);
  expect(h.objects[0]).toMatchObject({ status: 'Progressing', message: 'waiting for analysis to complete' });
});

test('switched and analysed, the old version still up during scaleDownDelay: Healthy (the delay is not counted)', () => {
  const { rollout, r } = libraryRollout();
  expect(r.duration.scaleDownDelay.toMinutes()).toBe(10);
  // six pods: three new (active) and three old ones waiting for their scale-down deadline
  const status = { replicas: 6, stableRS: NEW, blueGreen: { activeSelector: NEW, previewSelector: NEW } };
  expect(argoCdHealth([withStatus(rollout, status, true)]).objects[0]).toMatchObject({ status: 'Healthy' });
  // control: before the switch (active still on the old version) it is not
  const before = { stableRS: OLD, blueGreen: { activeSelector: OLD, previewSelector: NEW } };
  expect(argoCdHealth([withStatus(rollout, before, true)]).objects[0]).toMatchObject({ status: 'Progressing', message: 'active service cutover pending' });
});
