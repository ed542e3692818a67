import { BlueGreenRolloutState } from './blue-green-facts';
import { analysisToKube } from './canary-step';
import { ephemeralToKube, rolloutSpecToKube } from './rollout-render';

/**
 * The Rollout's `spec` with `strategy.blueGreen`.
 *
 * @internal
 */
export function blueGreenRolloutSpecToKube(state: BlueGreenRolloutState): any {
  const pr = state.props;
  const blueGreen: any = { activeService: state.services.activeName };
  if (state.services.previewName !== undefined) blueGreen.previewService = state.services.previewName;
  Object.assign(blueGreen, state.promotion._toKube());
  if (pr.previewReplicaCount !== undefined) blueGreen.previewReplicaCount = pr.previewReplicaCount;
  if (pr.scaleDownDelay) blueGreen.scaleDownDelaySeconds = pr.scaleDownDelay.toSeconds();
  if (pr.scaleDownDelayRevisionLimit !== undefined) blueGreen.scaleDownDelayRevisionLimit = pr.scaleDownDelayRevisionLimit;
  if (pr.abortScaleDownDelay) blueGreen.abortScaleDownDelaySeconds = pr.abortScaleDownDelay.toSeconds();
  if (pr.prePromotionAnalysis) blueGreen.prePromotionAnalysis = analysisToKube(pr.prePromotionAnalysis);
  if (pr.postPromotionAnalysis) blueGreen.postPromotionAnalysis = analysisToKube(pr.postPromotionAnalysis);
  if (pr.antiAffinity) blueGreen.antiAffinity = pr.antiAffinity._toKube();
  if (pr.activeMetadata) blueGreen.activeMetadata = ephemeralToKube(pr.activeMetadata);
  if (pr.previewMetadata) blueGreen.previewMetadata = ephemeralToKube(pr.previewMetadata);
  return rolloutSpecToKube(state, pr, { blueGreen });
}
