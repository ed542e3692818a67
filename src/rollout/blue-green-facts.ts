import { Duration } from 'cdk8s';
import { BlueGreenPromotion } from './blue-green-promotion';
import type { BlueGreenRolloutProps } from './blue-green-rollout';
import { BoundBlueGreenServices } from './blue-green-services';
import { analysisDuration, uniqueTemplates } from './canary-facts';
import { BoundWorkload } from './rollout-workload';
import { IAnalysisTemplate } from '../analysis/analysis-template';
import { formatDuration } from '../plan/release-estimate';

/**
 * How long a blue-green update takes at least, from the sync until the Rollout reports Healthy (when an
 * ApplicationSet RollingSync step frees the Application's slot): the pre-promotion analysis, the timed wait before
 * the switch, then the post-promotion analysis. Pod start-up is not included (a stack adds it).
 */
export interface BlueGreenDuration {
  /** `prePromotionAnalysis` + `promotionDelay` + `postPromotionAnalysis` where known: a lower bound when `exact` is false. */
  readonly minimum: Duration;
  /** The timed wait before the switch (`autoPromotionSeconds`); 0 for an immediate or a manual promotion. */
  readonly promotionDelay: Duration;
  /** Sum of the known pre- and post-promotion analysis durations. */
  readonly analyses: Duration;
  /** The analyses whose duration is unknown (`prePromotionAnalysis`, `postPromotionAnalysis`), not included in `minimum`. */
  readonly unknownAnalyses: string[];
  /** Whether the update waits for a manual promotion before the switch (then it has no upper bound). */
  readonly waitsForPromotion: boolean;
  /** Whether `minimum` accounts for everything (no unknown analysis, no manual gate). */
  readonly exact: boolean;
  /**
   * How long the old version keeps running after the switch (`scaleDownDelaySeconds`, 30 s by default). Not part of
   * `minimum`: the controller reports a blue-green Rollout Healthy once the active Service points at the new version
   * and the post-promotion analysis passed, whether or not the old pods are gone yet.
   */
  readonly scaleDownDelay: Duration;
}

/**
 * A blue-green rollout after construction: its props and what its workload and Services were bound to. The facts,
 * rules and render of `BlueGreenRollout` are functions of it.
 *
 * @internal
 */
export interface BlueGreenRolloutState {
  readonly props: BlueGreenRolloutProps;
  /** `metadata.name` of the Rollout. */
  readonly name: string;
  readonly replicas: number;
  readonly selectorLabels: { [key: string]: string };
  readonly workload: BoundWorkload;
  readonly services: BoundBlueGreenServices;
  readonly promotion: BlueGreenPromotion;
}

/** The controller's default `scaleDownDelaySeconds` for blue-green (utils/defaults DefaultScaleDownDelaySeconds). */
const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

/**
 * The minimum duration of one blue-green update.
 *
 * @internal
 */
export function blueGreenDuration(state: BlueGreenRolloutState): BlueGreenDuration {
  const p = state.props;
  let analyses = 0;
  const unknown: string[] = [];
  for (const [prop, o] of Object.entries({ prePromotionAnalysis: p.prePromotionAnalysis, postPromotionAnalysis: p.postPromotionAnalysis })) {
    if (!o) continue;
    const d = analysisDuration(o);
    if (d === undefined) unknown.push(prop);
    else analyses += d;
  }
  const delay = state.promotion.delay.toSeconds({ integral: false });
  const waits = state.promotion.isManualGate;
  return {
    minimum: Duration.seconds(analyses + delay),
    promotionDelay: Duration.seconds(delay),
    analyses: Duration.seconds(analyses),
    unknownAnalyses: unknown,
    waitsForPromotion: waits,
    exact: unknown.length === 0 && !waits,
    scaleDownDelay: p.scaleDownDelay ?? Duration.seconds(DEFAULT_SCALE_DOWN_DELAY_SECONDS),
  };
}

/**
 * The update in the rollout's own words: `blue-green update 9m (pre-promotion analysis 4m + promotion delay 5m +
 * post-promotion analysis 0s)`; a manual promotion is named as a gate (not counted), an analysis of unknown duration
 * as not counted.
 *
 * @internal
 */
export function blueGreenUpdateDescription(state: BlueGreenRolloutState): string {
  const p = state.props;
  const analysis = (name: string, o: BlueGreenRolloutProps['prePromotionAnalysis']) => {
    if (!o) return `no ${name}`;
    const d = analysisDuration(o);
    return d === undefined ? `${name} of unknown duration (not counted)` : `${name} ${formatDuration(Duration.seconds(d))}`;
  };
  const promotion = state.promotion.isManualGate
    ? 'manual promotion (a gate: `kubectl argo rollouts promote`, not counted)'
    : `promotion delay ${formatDuration(state.promotion.delay)}`;
  const parts = [analysis('pre-promotion analysis', p.prePromotionAnalysis), promotion, analysis('post-promotion analysis', p.postPromotionAnalysis)];
  return `blue-green update ${formatDuration(blueGreenDuration(state).minimum)} (${parts.join(' + ')})`;
}

/**
 * Every analysis template of the pre-, then the post-promotion analysis, each once.
 *
 * @internal
 */
export function blueGreenAnalysisTemplates(props: BlueGreenRolloutProps): IAnalysisTemplate[] {
  return uniqueTemplates([...(props.prePromotionAnalysis?.templates ?? []), ...(props.postPromotionAnalysis?.templates ?? [])]);
}

/**
 * Warnings about the configuration.
 *
 * @internal
 */
export function blueGreenWarnings(state: BlueGreenRolloutState): string[] {
  const w: string[] = [...state.workload.warnings()];
  const delay = state.props.scaleDownDelay;
  if (delay !== undefined && delay.toSeconds({ integral: false }) < DEFAULT_SCALE_DOWN_DELAY_SECONDS) {
    w.push(`scaleDownDelay ${delay.toSeconds({ integral: false })}s is below the 30 s the controller recommends: nodes may still send traffic `
      + 'to the old pods (iptables propagation after the Service switch) after they are gone');
  }
  return w;
}
