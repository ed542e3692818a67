import { Duration } from 'cdk8s';
import type { CanaryRolloutProps } from './canary-rollout';
import { BoundCanaryServices } from './canary-services';
import { CanaryAnalysisOptions, CanaryStep, CanaryStepType } from './canary-step';
import { approximateCanaryStable, resolveMaxSurge, WeightApproximation } from './replica-approximation';
import { BoundWorkload } from './rollout-workload';
import { BoundTrafficRouting, TrafficRouting } from './traffic-routing';
import { IAnalysisTemplate } from '../analysis/analysis-template';

/**
 * A manual gate of the canary: an indefinite pause.
 */
export interface CanaryManualGate {
  /** Index of the `pause` step. */
  readonly stepIndex: number;
  /** What the gate means for the operator and for Argo CD. */
  readonly description: string;
}

/**
 * How long the canary takes at least, from its steps.
 */
export interface CanaryDuration {
  /** Sum of timed pauses and known analysis durations: a lower bound when `exact` is false. */
  readonly minimum: Duration;
  /** Sum of timed pauses. */
  readonly timedPauses: Duration;
  /** Sum of the known analysis-step durations. */
  readonly analyses: Duration;
  /** Indexes of analysis steps whose duration is unknown (not included in `minimum`). */
  readonly unknownAnalysisSteps: number[];
  /** Whether the canary waits for a manual promotion (then it has no upper bound). */
  readonly waitsForPromotion: boolean;
  /** Whether `minimum` accounts for every step (no unknown analysis, no manual gate). */
  readonly exact: boolean;
}

/**
 * What a stack needs to know about a canary rollout to plan and check the waves it runs in.
 * Implemented by `CanaryRollout`.
 */
export interface ICanaryRolloutFacts {
  /** `metadata.name` of the Rollout. */
  readonly name: string;
  /**
   * Indefinite pauses. While the rollout waits at one, its Argo CD Application is `Suspended`; ApplicationSet
   * RollingSync only advances when the Applications of a wave are Healthy, so the next wave waits for a promotion.
   */
  readonly manualGates: CanaryManualGate[];
  /** Whether the rollout blocks a RollingSync wave until someone promotes it (it has a manual gate). */
  readonly blocksRollingSyncWave: boolean;
  /** The minimum canary duration from timed pauses and known analysis durations. */
  readonly canaryDuration: CanaryDuration;
  /** Every analysis template the rollout references (steps, then background analysis), each once. */
  readonly analysisTemplates: IAnalysisTemplate[];
}

/**
 * A canary rollout after construction: its props and what its workload, Services and router were bound to. The
 * facts, rules and render of `CanaryRollout` are functions of it.
 *
 * @internal
 */
export interface CanaryRolloutState {
  readonly props: CanaryRolloutProps;
  /** `metadata.name` of the Rollout. */
  readonly name: string;
  readonly replicas: number;
  /** The steps, in order; `addStep` appends to this array. */
  readonly steps: readonly CanaryStep[];
  readonly selectorLabels: { [key: string]: string };
  readonly workload: BoundWorkload;
  readonly services: BoundCanaryServices;
  readonly routing?: TrafficRouting;
  readonly boundRouting?: BoundTrafficRouting;
}

const MANUAL_GATE = 'indefinite pause: waits for `kubectl argo rollouts promote`; meanwhile the Argo CD Application is Suspended, '
  + 'which blocks the next ApplicationSet RollingSync wave until promoted';

/**
 * The indefinite pauses of the steps.
 *
 * @internal
 */
export function manualGates(steps: readonly CanaryStep[]): CanaryManualGate[] {
  return steps
    .map((s, i) => ({ s, i }))
    .filter(x => x.s.isManualGate)
    .map(x => ({ stepIndex: x.i, description: MANUAL_GATE }));
}

/**
 * The minimum canary duration: timed pauses plus analysis durations where known.
 *
 * @internal
 */
export function canaryDuration(steps: readonly CanaryStep[]): CanaryDuration {
  let pauses = 0;
  let analyses = 0;
  const unknown: number[] = [];
  steps.forEach((s, i) => {
    if (s.type === CanaryStepType.PAUSE && s.duration) pauses += s.duration.toSeconds({ integral: false });
    if (s.type === CanaryStepType.ANALYSIS) {
      const d = analysisDuration(s._data.analysis!);
      if (d === undefined) unknown.push(i);
      else analyses += d;
    }
  });
  const waits = manualGates(steps).length > 0;
  return {
    minimum: Duration.seconds(pauses + analyses),
    timedPauses: Duration.seconds(pauses),
    analyses: Duration.seconds(analyses),
    unknownAnalysisSteps: unknown,
    waitsForPromotion: waits,
    exact: unknown.length === 0 && !waits,
  };
}

/**
 * Every analysis template of the steps, then of the background analysis, each once (by scope and name).
 *
 * @internal
 */
export function analysisTemplates(steps: readonly CanaryStep[], background?: CanaryAnalysisOptions): IAnalysisTemplate[] {
  return uniqueTemplates([...steps.flatMap(s => s.analysisTemplates), ...(background?.templates ?? [])]);
}

/**
 * The templates in order, each once (by scope and name).
 *
 * @internal
 */
export function uniqueTemplates(all: readonly IAnalysisTemplate[]): IAnalysisTemplate[] {
  const seen = new Set<string>();
  return all.filter(t => {
    const k = `${t.clusterScope}/${t.templateName}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * With `TrafficRouting.replicaCountApproximation()`: the canary/stable pod counts of each setWeight step.
 *
 * @internal
 */
export function replicaCountApproximation(state: CanaryRolloutState): WeightApproximation[] {
  if (state.routing === undefined || state.routing.routesTraffic) return [];
  const surge = resolveMaxSurge(state.replicas, state.props.maxSurge?.value ?? '25%');
  return state.steps
    .map((s, i) => ({ s, i }))
    .filter(x => x.s.type === CanaryStepType.SET_WEIGHT)
    .map(({ s, i }) => {
      const w = s.weight!;
      const [canary, stable] = approximateCanaryStable(state.replicas, w, surge);
      const total = canary + stable;
      const eff = total === 0 ? 0 : Math.round((canary * 1000) / total) / 10;
      const collapsed = w > 0 && w < 100 && (canary === 0 || stable === 0);
      return {
        stepIndex: i,
        weight: w,
        canaryPods: canary,
        stablePods: stable,
        effectiveWeight: eff,
        approximated: !collapsed && isApproximated(w, eff),
      };
    });
}

/**
 * Warnings about the configuration.
 *
 * @internal
 */
export function warnings(state: CanaryRolloutState): string[] {
  const props = state.props;
  const steps = state.steps;
  const w: string[] = [...state.workload.warnings()];
  for (const a of replicaCountApproximation(state)) {
    if (!a.approximated) {
      w.push(`steps[${a.stepIndex}].setWeight ${a.weight} cannot be approximated with ${state.replicas} replicas: `
        + `${a.canaryPods} canary / ${a.stablePods} stable pods (${a.effectiveWeight}% canary). `
        + 'Use more replicas or a traffic router');
    }
  }
  if (!state.routing?.routesTraffic) {
    if (props.abortScaleDownDelay !== undefined) w.push('abortScaleDownDelay is ignored without a traffic router');
    if (props.minPodsPerReplicaSet !== undefined) w.push('minPodsPerReplicaSet is ignored without a traffic router');
  } else {
    if (props.maxSurge !== undefined || props.maxUnavailable !== undefined) {
      w.push('maxSurge/maxUnavailable are ignored with a traffic router: the canary is scaled to its weight in one jump '
        + '(use setCanaryScale steps or dynamicStableScale to limit pod churn)');
    }
  }
  let canaryHasPods = false;
  steps.forEach((s, i) => {
    if (s.type === CanaryStepType.SET_WEIGHT && (s.weight ?? 0) > 0) canaryHasPods = true;
    if (s.type === CanaryStepType.SET_CANARY_SCALE) {
      const sc = s._data.canaryScale!;
      canaryHasPods = sc.matchTrafficWeight ? canaryHasPods : (sc.replicas ?? 0) > 0 || (sc.weight ?? 0) > 0;
    }
    const routesRequests = (s.type === CanaryStepType.SET_HEADER_ROUTE && (s._data.headerRoute!.match?.length ?? 0) > 0)
      || (s.type === CanaryStepType.SET_MIRROR_ROUTE && (s._data.mirrorRoute!.match?.length ?? 0) > 0);
    if (routesRequests && !canaryHasPods) {
      w.push(`steps[${i}].${s.type} sends requests to the canary before any step gives it pods: `
        + 'add CanaryStep.canaryScale({ replicas: 1 }) (setCanaryScale in TypeScript), or a CanaryStep.trafficWeight step '
        + '(setWeight in TypeScript), before it');
    }
  });
  w.push(...(state.boundRouting?.warnings?.(steps) ?? []));
  const bg = props.backgroundAnalysis;
  if (bg) {
    const firstWeight = steps.findIndex(s => s.type === CanaryStepType.SET_WEIGHT && (s.weight ?? 0) > 0);
    if (firstWeight > 0 && (bg.startingStep ?? 0) < firstWeight) {
      w.push(`backgroundAnalysis starts at step ${bg.startingStep ?? 0}, before the first setWeight (step ${firstWeight}): `
        + `it judges a canary without traffic; set startingStep: ${firstWeight}`);
    }
  }
  return w;
}

/**
 * Whether a pod share approximates a weight: at most 25 % relative error on the canary share (10 → 8..12.5).
 * An absolute tolerance would call 10 % → 20 % (double the canary traffic) an approximation.
 */
function isApproximated(weight: number, effective: number): boolean {
  if (weight === 0) return effective === 0;
  return Math.abs(effective - weight) <= 0.25 * weight;
}

/**
 * Seconds an analysis (a step's, or a blue-green pre/post-promotion one) takes at least, or undefined when unknown.
 *
 * @internal
 */
export function analysisDuration(o: CanaryAnalysisOptions): number | undefined {
  if (o.expectedDuration) return o.expectedDuration.toSeconds({ integral: false });
  const ds = o.templates.map(t => t.minimumDuration);
  if (ds.length === 0 || ds.some(d => d === undefined)) return undefined;
  // the merged metrics run in parallel in one AnalysisRun
  return Math.max(...ds.map(d => d!.toSeconds({ integral: false })));
}
