import { Duration, Testing } from 'cdk8s';
import { CanaryRollout, CanaryServices, CanaryStep, RolloutWorkload, TrafficRouting } from '../../src';
import { argoCdHealth } from '../harness/conformance';
import { successRate } from '../rollout/templates';

/**
 * Argo CD's own health assessment of argoproj.io/Rollout (the Lua check shipped in argo-cd v3.5.1's
 * resource_customizations, run by argo-cd's util/lua) on the statuses the Argo Rollouts controller writes while a
 * library-built canary runs. It confirms what the library tells a stack (`manualGates`, `blocksRollingSyncWave`,
 * the release estimate): every pause, timed or not, and an inconclusive analysis make the Application Suspended
 * (RollingSync waits for Healthy), an aborted rollout makes it Degraded.
 */

function libraryRollout(): { rollout: any; r: CanaryRollout } {
  const chart = Testing.chart();
  const r = new CanaryRollout(chart, 'web', {
    metadata: { name: 'web' },
    workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'ghcr.io/acme/web:1.0.0', portNumber: 8080 }] }),
    services: CanaryServices.create(),
    trafficRouting: TrafficRouting.nginx({ stableIngress: 'web' }),
    steps: [
      CanaryStep.setWeight(10),
      CanaryStep.pause(Duration.minutes(5)),
      CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'web' } }),
      CanaryStep.setWeight(50),
      CanaryStep.pause(),
      CanaryStep.setWeight(100),
    ],
  });
  const rollout = Testing.synth(chart).find(o => o.kind === 'Rollout');
  return { rollout, r };
}

const HASH = '6d4f8b9c7';

/** The Rollout with the status a v1.9 controller writes (status.phase/message from the pause reasons or conditions). */
function withStatus(rollout: any, step: number, status: any, legacy = false): any {
  const replicas = rollout.spec.replicas ?? 1;
  const s: any = {
    observedGeneration: '1',
    currentPodHash: HASH,
    stableRS: '5c9f7d8b6',
    currentStepIndex: step,
    replicas,
    updatedReplicas: replicas,
    availableReplicas: replicas,
    readyReplicas: replicas,
    // The controller always writes conditions (the Lua check iterates them when status.phase is absent).
    conditions: [
      { type: 'Available', status: 'True', reason: 'AvailableReason' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
    ],
    ...status,
  };
  if (legacy) { delete s.phase; delete s.message; }
  return { ...rollout, metadata: { ...rollout.metadata, generation: 1 }, status: s };
}

const pausedAt = (reason: string) => ({
  phase: 'Paused',
  message: reason,
  controllerPause: true,
  pauseConditions: [{ reason, startTime: '2026-11-30T12:00:00Z' }],
});

test('each pause step of a library canary, timed or indefinite, makes the Application Suspended', () => {
  const { rollout, r } = libraryRollout();
  const steps: any[] = rollout.spec.strategy.canary.steps;
  const pauses = steps.map((s, i) => ({ s, i })).filter(x => x.s.pause !== undefined);
  expect(pauses.map(p => p.i)).toEqual([1, 4]);
  // the library's facts: the indefinite pause is the manual gate that blocks the RollingSync wave
  expect(r.manualGates.map(g => g.stepIndex)).toEqual([4]);
  expect(r.blocksRollingSyncWave).toBe(true);
  for (const { i } of pauses) {
    for (const legacy of [false, true]) {
      const h = argoCdHealth([withStatus(rollout, i, pausedAt('CanaryPauseStep'), legacy)]);
      expect(h.objects).toEqual([{ kind: 'Rollout', name: 'web', status: 'Suspended', message: legacy ? 'Rollout is paused' : 'CanaryPauseStep' }]);
      expect(h.application).toBe('Suspended');
    }
  }
});

test('an inconclusive analysis pauses the rollout: Suspended until promoted or aborted', () => {
  const { rollout } = libraryRollout();
  for (const legacy of [false, true]) {
    const h = argoCdHealth([withStatus(rollout, 2, pausedAt('InconclusiveAnalysisRun'), legacy)]);
    expect(h.application).toBe('Suspended');
    expect(h.objects[0].status).toBe('Suspended');
  }
});

test('spec.paused (a manual `kubectl argo rollouts pause`) is Suspended as well', () => {
  const { rollout } = libraryRollout();
  const paused = withStatus({ ...rollout, spec: { ...rollout.spec, paused: true } }, 0, {}, true);
  expect(argoCdHealth([paused]).application).toBe('Suspended');
});

test('a failed analysis aborts the rollout: Degraded (the RollingSync step never completes)', () => {
  const { rollout } = libraryRollout();
  const aborted = {
    abort: true,
    conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: 'Rollout aborted update to revision 2: Step-based analysis phase failed' }],
  };
  const v1 = argoCdHealth([withStatus(rollout, 2, { ...aborted, phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2' })]);
  expect(v1.objects[0]).toMatchObject({ status: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2' });
  const legacy = argoCdHealth([withStatus(rollout, 2, aborted, true)]);
  expect(legacy.application).toBe('Degraded');
});

test('control: a finished rollout is Healthy, a running step Progressing; the worst object decides the Application', () => {
  const { rollout } = libraryRollout();
  const done = withStatus(rollout, 6, { phase: 'Healthy', message: '', stableRS: HASH });
  expect(argoCdHealth([done]).application).toBe('Healthy');
  const legacyDone = withStatus(rollout, 6, { stableRS: HASH }, true);
  expect(argoCdHealth([legacyDone]).objects[0].status).toBe('Healthy');
  const running = withStatus(rollout, 0, {}, true);
  expect(argoCdHealth([running]).objects[0]).toMatchObject({ status: 'Progressing', message: 'Waiting for rollout to finish steps' });
  const other = { ...withStatus(rollout, 4, pausedAt('CanaryPauseStep')), metadata: { name: 'api', generation: 1 } };
  expect(argoCdHealth([done, other]).application).toBe('Suspended');
});
