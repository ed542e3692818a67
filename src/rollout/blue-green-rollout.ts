import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { blueGreenAnalysisTemplates, BlueGreenDuration, blueGreenDuration, BlueGreenRolloutState, blueGreenUpdateDescription, blueGreenWarnings } from './blue-green-facts';
import { BlueGreenPromotion } from './blue-green-promotion';
import { blueGreenRolloutSpecToKube } from './blue-green-render';
import { blueGreenPropProblems, blueGreenSynthProblems } from './blue-green-rules';
import { BlueGreenServices } from './blue-green-services';
import { CanaryAnalysisOptions } from './canary-step';
import { BLUE_GREEN_ROLLOUT_PROPS } from './input-shapes';
import { EphemeralPodMetadata, ProgressiveRollout, ProgressiveRolloutProps, RolloutAnalysisUse, RolloutPlanFacts } from './progressive-rollout';
import { indexServices, otherServiceUses, ServiceUse, sharedServiceProblems } from './service-index';
import { IAnalysisTemplate } from '../analysis/analysis-template';
import { addProblemValidation, throwIfProblems } from '../core/problem';
import { checkedStruct, constructPath, required } from '../core/struct-shape';
import { UpdateFacts } from '../plan/release-estimate';

/**
 * Props of `BlueGreenRollout`.
 */
export interface BlueGreenRolloutProps extends ProgressiveRolloutProps {
  /**
   * The active and preview Services (`activeService` / `previewService`).
   *
   * @default BlueGreenServices.create(): `<rollout name>-active` and `<rollout name>-preview` on the workload's first
   * container port
   */
  readonly services?: BlueGreenServices;

  /**
   * When the active Service switches to the new version (`autoPromotionEnabled` / `autoPromotionSeconds`):
   * `BlueGreenPromotion.automatic()`, `.after(delay)` or `.manual()`.
   *
   * @default - BlueGreenPromotion.automatic(): the controller switches as soon as the preview stack is available and
   * the pre-promotion analysis passed (autoPromotionEnabled defaults to true)
   */
  readonly promotion?: BlueGreenPromotion;

  /**
   * Pods of the new version before the switch (`previewReplicaCount`), 1..replicas; the controller scales the new
   * version to `replicas` before it switches the active Service.
   *
   * @default - replicas: the preview stack runs at full size
   */
  readonly previewReplicaCount?: number;

  /**
   * Delay before the old version is scaled down after the switch (`scaleDownDelaySeconds`), so nodes stop sending it
   * traffic first. With a post-promotion analysis, leave it unset or make it outlast the analysis: once set, the
   * controller scales the old version down when it ends, even while the analysis still runs.
   *
   * @default - 30 seconds (controller default); with a post-promotion analysis, the controller waits for it to pass
   */
  readonly scaleDownDelay?: Duration;

  /**
   * How many old ReplicaSets may stay scaled up while they wait for their scale-down delay
   * (`scaleDownDelayRevisionLimit`); at most `revisionHistoryLimit`.
   *
   * @default - no limit (controller default)
   */
  readonly scaleDownDelayRevisionLimit?: number;

  /**
   * Delay before the preview stack is scaled down after an abort (`abortScaleDownDelaySeconds`); 0 keeps it up.
   *
   * @default - 30 seconds (controller default)
   */
  readonly abortScaleDownDelay?: Duration;

  /**
   * Analysis of the preview stack before the switch (`prePromotionAnalysis`): a failure aborts the update, the active
   * Service never switches. Its metrics must end (a count for every interval), and the args are checked against the
   * templates as for a canary analysis step.
   *
   * @default - none
   */
  readonly prePromotionAnalysis?: CanaryAnalysisOptions;

  /**
   * Analysis of the new version after the switch (`postPromotionAnalysis`): a failure switches the active Service
   * back to the old version. Its metrics must end, and the args are checked against the templates as for a canary
   * analysis step.
   *
   * @default - none
   */
  readonly postPromotionAnalysis?: CanaryAnalysisOptions;

  /**
   * Metadata added to the active pods while they are active (`activeMetadata`).
   *
   * @default - none
   */
  readonly activeMetadata?: EphemeralPodMetadata;

  /**
   * Metadata added to the preview pods while they are the preview (`previewMetadata`).
   *
   * @default - none
   */
  readonly previewMetadata?: EphemeralPodMetadata;
}

/**
 * An Argo Rollouts `Rollout` with the blue-green strategy and its active and preview Services: the new version runs
 * next to the old one behind the preview Service, is optionally analysed, then the active Service switches to it.
 * There is no traffic router. Rules the controller enforces at runtime (InvalidSpec), and the mistakes it lets
 * through silently, are checked at synth (docs/rules/rollouts.md, "Blue-green strategy").
 *
 * Facts for a stack: `duration` (pre-promotion analysis, promotion delay, post-promotion analysis),
 * `blocksRollingSyncWave` (a manual promotion keeps the Argo CD Application `Suspended`, which holds the next
 * RollingSync wave), `analysisTemplates`.
 */
export class BlueGreenRollout extends ProgressiveRollout {
  /** The labels the Rollout selects its pods by. */
  public readonly selectorLabels: { [key: string]: string };
  /** Pod count (`spec.replicas`). */
  public readonly replicas: number;
  /** The active Service name. */
  public readonly activeServiceName: string;
  /** The preview Service name, if any. */
  public readonly previewServiceName?: string;
  /** The created active Service, if the construct created it. */
  public readonly activeService?: kplus.Service;
  /** The created preview Service, if the construct created it. */
  public readonly previewService?: kplus.Service;
  /** When the active Service switches to the new version. */
  public readonly promotion: BlueGreenPromotion;
  /**
   * With `RolloutWorkload.fromPodTemplate`: the cdk8s-plus Deployment that serves only as the pod-template factory
   * (it is never synthesized). Changes made to it later (env, volumes, containers) land in the Rollout's template.
   */
  public readonly podTemplate?: kplus.Deployment;

  private readonly props: BlueGreenRolloutProps;
  private readonly state: BlueGreenRolloutState;
  private readonly serviceUse: ServiceUse;
  private warned = false;

  /**
   * @param scope the parent (a chart, or `stack.service` in a ProgressiveDeliveryStack)
   * @param id the construct id
   * @param props the workload, Services, promotion and analyses
   * @throws ValidationError for a bad single prop; cross-object rules are reported at synth
   */
  constructor(scope: Construct, id: string, props: BlueGreenRolloutProps) {
    // checked before super(): the Rollout object is created from props.metadata
    super(scope, id, checkedStruct(constructPath(scope, id), 'props', props, required(BLUE_GREEN_ROLLOUT_PROPS)).metadata);
    this.props = props;
    this.replicas = props.replicas ?? 1;
    throwIfProblems(this, blueGreenPropProblems(props, this.name));
    this.promotion = props.promotion ?? BlueGreenPromotion.automatic();

    const workload = props.workload._bind(this, this.name);
    this.selectorLabels = { ...workload.selector };
    this.podTemplate = workload.podTemplate;

    const services = (props.services ?? BlueGreenServices.create())._bind({
      scope: this,
      rolloutName: this.name,
      namespace: props.metadata?.namespace,
      selectorLabels: this.selectorLabels,
      containerPort: workload.port(),
    });
    this.activeServiceName = services.activeName;
    this.previewServiceName = services.previewName;
    this.activeService = services.activeService;
    this.previewService = services.previewService;

    this.state = {
      props,
      name: this.name,
      replicas: this.replicas,
      selectorLabels: this.selectorLabels,
      workload,
      services,
      promotion: this.promotion,
    };
    this.serviceUse = {
      namespace: this.apiObject.metadata.namespace ?? '',
      rolloutName: this.name,
      path: this.node.path,
      services: [services.activeName, services.previewName].filter((n): n is string => n !== undefined),
    };
    indexServices(this, this.serviceUse);
    addProblemValidation(this, () => this.synthProblems());
  }

  /**
   * The minimum duration of one update: the pre-promotion analysis, the promotion delay and the post-promotion
   * analysis (an analysis counts with `CanaryAnalysisOptions.expectedDuration`, or the longest
   * `IAnalysisTemplate.minimumDuration` when every template of it knows it).
   */
  public get duration(): BlueGreenDuration {
    return blueGreenDuration(this.state);
  }

  /**
   * Whether this rollout blocks an ApplicationSet RollingSync wave until someone promotes it
   * (`BlueGreenPromotion.manual()`).
   */
  public get blocksRollingSyncWave(): boolean {
    return this.promotion.isManualGate;
  }

  /**
   * The update each cluster runs, for `ReleaseEstimate.forRollout(plan, rollout)`: the minimum duration, whether
   * every analysis duration is known, the manual promotion (a manual gate), and how many referenced templates can end
   * Inconclusive (e.g. NaN with no traffic) and pause the rollout for a person.
   */
  public get updateFacts(): UpdateFacts {
    const d = this.duration;
    return {
      minimum: d.minimum,
      exact: d.unknownAnalyses.length === 0,
      manualGates: d.waitsForPromotion ? 1 : 0,
      inconclusivePauses: this.analysisTemplates.filter(t => (t.inconclusiveMetricNames ?? []).length > 0).length,
    };
  }

  /**
   * Every analysis template the rollout references (pre-, then post-promotion analysis), each once.
   */
  public get analysisTemplates(): IAnalysisTemplate[] {
    return blueGreenAnalysisTemplates(this.props);
  }

  /**
   * Warnings about the configuration (also recorded as construct metadata of type `warning` at synth).
   */
  public get warnings(): string[] {
    return blueGreenWarnings(this.state);
  }

  /** @internal */
  public _renderSpec(): any {
    return blueGreenRolloutSpecToKube(this.state);
  }

  /** @internal */
  public _planFacts(): RolloutPlanFacts {
    const d = this.duration;
    return {
      minimum: d.minimum,
      manualGates: d.waitsForPromotion ? ['blueGreen promotion (BlueGreenPromotion.manual(), autoPromotionEnabled: false)'] : [],
      unknownAnalyses: d.unknownAnalyses,
      update: blueGreenUpdateDescription(this.state),
    };
  }

  /** @internal */
  public _analysisUses(): RolloutAnalysisUse[] {
    const p = this.props;
    return [
      ...(p.prePromotionAnalysis ? [{ prop: 'prePromotionAnalysis', analysis: p.prePromotionAnalysis, background: false }] : []),
      ...(p.postPromotionAnalysis ? [{ prop: 'postPromotionAnalysis', analysis: p.postPromotionAnalysis, background: false }] : []),
    ];
  }

  /** Cross-object rules, run at synth. */
  private synthProblems() {
    const p = [
      ...blueGreenSynthProblems(this.state, this.apiObject.metadata.namespace),
      ...sharedServiceProblems(this.serviceUse, otherServiceUses(this, this.serviceUse), 'give each Rollout its own active/preview Services'),
    ];
    if (!this.warned) {
      this.warned = true;
      for (const w of this.warnings) this.node.addMetadata('warning', w);
    }
    return p;
  }
}
