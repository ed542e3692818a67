import { analysisArgsProblems } from './analysis-args';
import { BlueGreenRolloutState } from './blue-green-facts';
import type { BlueGreenRolloutProps } from './blue-green-rollout';
import { analysisDuration } from './canary-facts';
import { dryRunProblems, openEndedProblems } from './canary-rollout-rules';
import { analysisOptionsProblems, CanaryAnalysisOptions, metadataMapProblems, passedArgs } from './canary-step';
import { antiAffinityProblems, commonShapeProblems, factoryProblems, identityProblems, timingProblems } from './rollout-rules';
import { int32Problems } from '../core/bounds';
import { Problem, show } from '../core/problem';

/*
 * The rules a BlueGreenRollout enforces (docs/rules/rollouts.md, "Blue-green strategy"). Where the Argo Rollouts
 * controller has the rule, the message quotes the controller's own text.
 */

/** The controller's default `revisionHistoryLimit` (utils/defaults DefaultRevisionHistoryLimit). */
const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/**
 * The single-prop rules of a blue-green rollout (thrown in its constructor).
 *
 * @param p the props
 * @param name the Rollout's `metadata.name`
 * @internal
 */
export function blueGreenPropProblems(p: BlueGreenRolloutProps, name: string): Problem[] {
  const durations = { scaleDownDelay: p.scaleDownDelay, abortScaleDownDelay: p.abortScaleDownDelay };
  const shape = [
    ...commonShapeProblems(p, durations),
    ...factoryProblems('services', p.services, '_bind', 'BlueGreenServices made by its factories, e.g. BlueGreenServices.create()'),
    ...factoryProblems('promotion', p.promotion, '_toKube', 'a BlueGreenPromotion made by its factories, e.g. BlueGreenPromotion.manual()'),
    ...analysisShapeProblems('prePromotionAnalysis', p.prePromotionAnalysis),
    ...analysisShapeProblems('postPromotionAnalysis', p.postPromotionAnalysis),
  ];
  if (shape.length > 0) return shape; // the checks below assume the shapes
  const problems: Problem[] = [
    ...identityProblems(p, name),
    ...antiAffinityProblems(p.antiAffinity),
    ...timingProblems(p, durations),
    ...(p.promotion?._problems('promotion') ?? []),
  ];
  const replicas = p.replicas ?? 1;
  const preview = p.previewReplicaCount;
  if (preview !== undefined && (!Number.isInteger(preview) || preview < 1 || preview > replicas)) {
    // B4: the controller accepts any int32 and scales the preview stack to it
    problems.push({
      prop: 'previewReplicaCount',
      given: `${show(preview)} with replicas ${show(replicas)}`,
      expected: `a whole pod count 1..${replicas} (replicas): the preview stack runs that many pods until the switch, when the controller `
        + 'scales it to replicas; 0 would leave nothing for the preview Service and the pre-promotion analysis to see, more than '
        + 'replicas runs more pods than production',
      fix: 'use a pod count between 1 and replicas, or omit previewReplicaCount to run the full count',
    });
  }
  const limit = p.scaleDownDelayRevisionLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    problems.push({ prop: 'scaleDownDelayRevisionLimit', given: show(limit), expected: 'a non-negative integer', fix: 'use a whole number of ReplicaSets' });
  }
  problems.push(...int32Problems('scaleDownDelayRevisionLimit', limit));
  const history = Number.isInteger(p.revisionHistoryLimit) ? p.revisionHistoryLimit! : DEFAULT_REVISION_HISTORY_LIMIT;
  if (limit !== undefined && Number.isInteger(limit) && limit > history) {
    // B2
    problems.push({
      prop: 'scaleDownDelayRevisionLimit',
      given: `${limit} with revisionHistoryLimit ${history}${p.revisionHistoryLimit === undefined ? ' (the controller\'s default)' : ''}`,
      expected: "at most revisionHistoryLimit (controller: This rollout's revision history limit can not be smaller than the rollout's scale down limit)",
      fix: `lower scaleDownDelayRevisionLimit to ${history} or less, or raise revisionHistoryLimit`,
    });
  }
  for (const [k, o] of Object.entries({ prePromotionAnalysis: p.prePromotionAnalysis, postPromotionAnalysis: p.postPromotionAnalysis })) {
    if (o) problems.push(...analysisOptionsProblems(k, o));
  }
  for (const [k, m] of Object.entries({ activeMetadata: p.activeMetadata, previewMetadata: p.previewMetadata })) {
    problems.push(...metadataMapProblems(`${k}.labels`, m?.labels, 'label'));
    problems.push(...metadataMapProblems(`${k}.annotations`, m?.annotations, 'annotation'));
  }
  return problems;
}

/** An analysis given as something other than an object with a list of templates (plain JavaScript callers). */
function analysisShapeProblems(prop: string, o: unknown): Problem[] {
  if (o === undefined) return [];
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    return [{ prop, given: show(o), expected: 'analysis options: { templates, args?, argsFrom?, ... }', fix: 'pass { templates: [yourTemplate], args: { ... } }' }];
  }
  const templates = (o as any).templates;
  if (templates !== undefined && !Array.isArray(templates)) {
    return [{ prop: `${prop}.templates`, given: show(templates), expected: 'a list of analysis templates', fix: 'pass templates: [yourTemplate]' }];
  }
  return [];
}

/**
 * The cross-object rules of a blue-green rollout (checked at synth): the analyses against their templates, the
 * post-promotion analysis against the scale-down delay, and the workload.
 *
 * @param state the rollout
 * @param rolloutNamespace the Rollout's resolved namespace (metadata.namespace or the chart's)
 * @internal
 */
export function blueGreenSynthProblems(state: BlueGreenRolloutState, rolloutNamespace: string | undefined): Problem[] {
  const pr = state.props;
  const p: Problem[] = [];
  for (const [prop, o] of Object.entries({ prePromotionAnalysis: pr.prePromotionAnalysis, postPromotionAnalysis: pr.postPromotionAnalysis })) {
    if (!o) continue;
    p.push(...analysisArgsProblems(prop, o.templates, passedArgs(o)));
    p.push(...dryRunProblems(prop, o));
    // R8: like a step analysis, a pre/post-promotion analysis must end
    p.push(...openEndedProblems(prop, o));
  }
  p.push(...scaleDownDuringAnalysisProblems(pr.postPromotionAnalysis, pr));
  p.push(...state.workload.problems(rolloutNamespace));
  return p;
}

/**
 * B5: with an explicit `scaleDownDelaySeconds` the controller scales the old version down when the delay ends, even
 * while the post-promotion analysis still runs (rollout/bluegreen.go scaleDownOldReplicaSetsForBlueGreen waits for
 * the analysis only without it); a failure after that switches the active Service back to a version without pods.
 */
function scaleDownDuringAnalysisProblems(post: CanaryAnalysisOptions | undefined, pr: BlueGreenRolloutProps): Problem[] {
  if (!post || pr.scaleDownDelay === undefined) return [];
  const analysis = analysisDuration(post);
  const delay = pr.scaleDownDelay.toSeconds({ integral: false });
  if (analysis === undefined || analysis <= delay) return [];
  return [{
    prop: 'scaleDownDelay',
    given: `${delay}s, shorter than the post-promotion analysis (at least ${analysis}s)`,
    expected: 'a delay that outlasts the post-promotion analysis: with scaleDownDelaySeconds set, the controller scales the old version down '
      + 'when the delay ends even while the analysis still runs, so a failing analysis would roll back to a version without pods',
    fix: `omit scaleDownDelay (the controller then keeps the old version until the post-promotion analysis passed), or make it at least ${analysis}s`,
  }];
}
