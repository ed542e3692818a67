import { CanaryRolloutState } from './canary-facts';
import { analysisToKube } from './canary-step';
import { ephemeralToKube, rolloutSpecToKube } from './rollout-render';

/**
 * The managed routes: as given, or the route names of the setHeaderRoute / setMirrorRoute steps in order of first use.
 *
 * @internal
 */
export function effectiveManagedRoutes(state: CanaryRolloutState): string[] {
  if (state.props.managedRoutes) return [...state.props.managedRoutes];
  const names: string[] = [];
  for (const s of state.steps) {
    const n = s.routeName;
    if (n !== undefined && !names.includes(n)) names.push(n);
  }
  return names;
}

/**
 * The Rollout's `spec`: plain JSON rather than the generated Rollout L1's typed spec, whose mappers drop
 * int-or-string values (probe ports) of the pod template.
 *
 * @internal
 */
export function canaryRolloutSpecToKube(state: CanaryRolloutState): any {
  const pr = state.props;
  const svc = state.services;
  const canary: any = {};
  if (svc.canaryName) canary.canaryService = svc.canaryName;
  if (svc.stableName) canary.stableService = svc.stableName;
  if (svc.pingName) canary.pingPong = { pingService: svc.pingName, pongService: svc.pongName };
  if (pr.maxSurge) canary.maxSurge = pr.maxSurge.value;
  if (pr.maxUnavailable) canary.maxUnavailable = pr.maxUnavailable.value;
  const tr = state.boundRouting?.toKube(effectiveManagedRoutes(state), pr.maxTrafficWeight);
  if (tr) canary.trafficRouting = tr;
  if (state.steps.length > 0) canary.steps = state.steps.map(s => s._toKube());
  if (pr.backgroundAnalysis) {
    canary.analysis = {
      ...analysisToKube(pr.backgroundAnalysis),
      ...(pr.backgroundAnalysis.startingStep !== undefined ? { startingStep: pr.backgroundAnalysis.startingStep } : {}),
    };
  }
  if (pr.antiAffinity) canary.antiAffinity = pr.antiAffinity._toKube();
  if (pr.canaryMetadata) canary.canaryMetadata = ephemeralToKube(pr.canaryMetadata);
  if (pr.stableMetadata) canary.stableMetadata = ephemeralToKube(pr.stableMetadata);
  if (pr.dynamicStableScale !== undefined) canary.dynamicStableScale = pr.dynamicStableScale;
  if (pr.scaleDownDelay) canary.scaleDownDelaySeconds = pr.scaleDownDelay.toSeconds();
  if (pr.abortScaleDownDelay) canary.abortScaleDownDelaySeconds = pr.abortScaleDownDelay.toSeconds();
  if (pr.minPodsPerReplicaSet !== undefined) canary.minPodsPerReplicaSet = pr.minPodsPerReplicaSet;

  return rolloutSpecToKube(state, pr, { canary });
}
