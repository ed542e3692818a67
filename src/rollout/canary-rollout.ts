import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  analysisTemplates, canaryDuration, CanaryDuration, CanaryManualGate, CanaryRolloutState, ICanaryRolloutFacts, manualGates,
  replicaCountApproximation, warnings,
} from './canary-facts';
import { canaryRolloutSpecToKube } from './canary-render';
import { propProblems, stepShapeProblems, synthProblems } from './canary-rollout-rules';
import { CanaryServices } from './canary-services';
import { CanaryAnalysisOptions, CanaryStep } from './canary-step';
import { CANARY_ROLLOUT_PROPS } from './input-shapes';
import { EphemeralPodMetadata, ProgressiveRollout, ProgressiveRolloutProps, RolloutAnalysisUse, RolloutPlanFacts } from './progressive-rollout';
import { WeightApproximation } from './replica-approximation';
import { indexServices, otherServiceUses, sharedServiceProblems, ServiceUse } from './service-index';
import { TrafficRouting } from './traffic-routing';
import { IAnalysisTemplate } from '../analysis/analysis-template';
import { addProblemValidation, markChanged, throwIfProblems } from '../core/problem';
import { checkedStruct, constructPath, required } from '../core/struct-shape';
import { formatDuration, UpdateFacts } from '../plan/release-estimate';

/**
 * The background analysis of a canary (`spec.strategy.canary.analysis`): it runs while the update progresses and
 * aborts it on failure. Its metrics may run indefinitely (interval without count).
 */
export interface BackgroundAnalysisOptions extends CanaryAnalysisOptions {
  /**
   * Index of the step from which the analysis runs (`startingStep`). Start it at or after the first setWeight so
   * it does not judge a canary that receives no traffic yet (argo-rollouts#4864).
   *
   * @default - from the start of the update
   */
  readonly startingStep?: number;
}

/**
 * Props of `CanaryRollout`.
 */
export interface CanaryRolloutProps extends ProgressiveRolloutProps {
  /**
   * The canary steps. Without steps the canary is a rolling update governed by maxSurge/maxUnavailable.
   *
   * @default - no steps (rolling update); more can be added with `addStep`
   */
  readonly steps?: CanaryStep[];

  /**
   * How traffic is split. Required when a step uses setWeight: choose a router, or explicitly accept the pod-ratio
   * approximation with `TrafficRouting.replicaCountApproximation()`.
   *
   * @default - no traffic router (only steps without setWeight, setCanaryScale and header/mirror routes)
   */
  readonly trafficRouting?: TrafficRouting;

  /**
   * The stable and canary Services.
   *
   * @default - created (`CanaryServices.create()`) when the traffic router needs them (every router except Istio
   * subset routing), otherwise none
   */
  readonly services?: CanaryServices;

  /**
   * Managed routes in precedence order (`trafficRouting.managedRoutes`); every setHeaderRoute / setMirrorRoute step
   * must name one of them.
   *
   * @default - the route names of the setHeaderRoute / setMirrorRoute steps, in order of first use
   */
  readonly managedRoutes?: string[];

  /**
   * The total traffic weight (`trafficRouting.maxTrafficWeight`); setWeight values range 0..maxTrafficWeight.
   * NGINX only (the controller also accepts it with plugins, but the Gateway API plugin ignores it: its weights are
   * percentages).
   *
   * @default 100
   */
  readonly maxTrafficWeight?: number;

  /**
   * Background analysis (`canary.analysis`).
   *
   * @default - none
   */
  readonly backgroundAnalysis?: BackgroundAnalysisOptions;

  /**
   * Extra pods during an update (`maxSurge`). Rendered as a number or `"N%"` (never a quoted integer, which the
   * controller would read as a percentage). Ignored by the controller with a traffic router.
   *
   * @default - 25%
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;

  /**
   * Unavailable pods during an update (`maxUnavailable`). Ignored by the controller with a traffic router.
   *
   * @default - 25%
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;

  /**
   * Scale the stable ReplicaSet down as traffic moves to the canary (`dynamicStableScale`); traffic routing only,
   * not together with `scaleDownDelay`.
   *
   * @default false
   */
  readonly dynamicStableScale?: boolean;

  /**
   * Delay before the old stable ReplicaSet is scaled down after promotion (`scaleDownDelaySeconds`); traffic
   * routing only.
   *
   * @default - 30 seconds with traffic routing (controller default)
   */
  readonly scaleDownDelay?: Duration;

  /**
   * Delay before the canary is scaled down after an abort (`abortScaleDownDelaySeconds`); 0 keeps it up. Traffic
   * routing only (ignored without).
   *
   * @default - 30 seconds with traffic routing (controller default)
   */
  readonly abortScaleDownDelay?: Duration;

  /**
   * Minimum pods of a non-empty canary/stable ReplicaSet (`minPodsPerReplicaSet`), e.g. 2 for availability.
   * Traffic routing only (ignored without).
   *
   * @default - no minimum
   */
  readonly minPodsPerReplicaSet?: number;

  /**
   * Metadata added to canary pods (`canaryMetadata`).
   *
   * @default - none
   */
  readonly canaryMetadata?: EphemeralPodMetadata;

  /**
   * Metadata added to stable pods (`stableMetadata`).
   *
   * @default - none
   */
  readonly stableMetadata?: EphemeralPodMetadata;
}

/**
 * An Argo Rollouts `Rollout` with the canary strategy and what it routes through: the stable/canary Services and,
 * optionally, the Istio VirtualService or Gateway API HTTPRoute. Rules the controller enforces at runtime
 * (InvalidSpec) are checked at synth (docs/rules/rollouts.md).
 *
 * Facts for a stack: `manualGates` (indefinite pauses keep the Argo CD Application `Suspended`, which blocks the
 * next RollingSync wave), `canaryDuration` (minimum time from timed pauses and analyses), `analysisTemplates`.
 */
export class CanaryRollout extends ProgressiveRollout implements ICanaryRolloutFacts {
  /** The labels the Rollout selects its pods by. */
  public readonly selectorLabels: { [key: string]: string };
  /** Pod count (`spec.replicas`). */
  public readonly replicas: number;
  /** The stable Service name, if any. */
  public readonly stableServiceName?: string;
  /** The canary Service name, if any. */
  public readonly canaryServiceName?: string;
  /** The traffic router, if any. */
  public readonly trafficRouting?: TrafficRouting;
  /** The ping Service with `CanaryServices.pingPong`. */
  public readonly pingServiceName?: string;
  /** The pong Service with `CanaryServices.pingPong`. */
  public readonly pongServiceName?: string;
  /** The created stable Service, if any. */
  public readonly stableService?: kplus.Service;
  /** The created canary Service, if any. */
  public readonly canaryService?: kplus.Service;
  /** The created Istio VirtualService or Gateway API HTTPRoute, if any. */
  public readonly route?: ApiObject;
  /** The created Istio DestinationRule, if any. */
  public readonly destinationRule?: ApiObject;
  /**
   * With `RolloutWorkload.fromPodTemplate`: the cdk8s-plus Deployment that serves only as the pod-template factory
   * (it is never synthesized). Changes made to it later (env, volumes, containers) land in the Rollout's template.
   */
  public readonly podTemplate?: kplus.Deployment;

  private readonly props: CanaryRolloutProps;
  private readonly _steps: CanaryStep[] = [];
  private readonly maxTrafficWeight: number;
  private readonly state: CanaryRolloutState;
  /** The Services this rollout pins to its pods, in its resolved namespace (metadata.namespace or the chart's). */
  private readonly serviceUse: ServiceUse;
  private warned = false;

  constructor(scope: Construct, id: string, props: CanaryRolloutProps) {
    // checked before super(): the Rollout object is created from props.metadata
    super(scope, id, checkedStruct(constructPath(scope, id), 'props', props, required(CANARY_ROLLOUT_PROPS)).metadata);
    this.props = props;
    this.maxTrafficWeight = props.maxTrafficWeight ?? 100;
    this.replicas = props.replicas ?? 1;
    this.trafficRouting = props.trafficRouting;
    throwIfProblems(this, propProblems(props, this.name));

    const workload = props.workload._bind(this, this.name);
    this.selectorLabels = { ...workload.selector };
    this.podTemplate = workload.podTemplate;

    const routing = props.trafficRouting;
    const services = (props.services ?? (routing?._requiresServices ? CanaryServices.create() : CanaryServices.none()))._bind({
      scope: this,
      rolloutName: this.name,
      namespace: props.metadata?.namespace,
      selectorLabels: this.selectorLabels,
      containerPort: workload.port(),
    });
    this.stableServiceName = services.stableName;
    this.canaryServiceName = services.canaryName;
    this.pingServiceName = services.pingName;
    this.pongServiceName = services.pongName;
    this.stableService = services.stableService;
    this.canaryService = services.canaryService;

    const boundRouting = routing?._bind({ scope: this, namespace: props.metadata?.namespace, selectorLabels: this.selectorLabels, services });
    this.route = boundRouting?.route;
    this.destinationRule = boundRouting?.destinationRule;

    this.state = {
      props,
      name: this.name,
      replicas: this.replicas,
      steps: this._steps,
      selectorLabels: this.selectorLabels,
      workload,
      services,
      routing,
      boundRouting,
    };
    for (const s of props.steps ?? []) this.addStep(s);
    this.serviceUse = {
      namespace: this.apiObject.metadata.namespace ?? '',
      rolloutName: this.name,
      path: this.node.path,
      services: [services.stableName, services.canaryName, services.pingName, services.pongName].filter((n): n is string => n !== undefined),
    };
    indexServices(this, this.serviceUse);
    addProblemValidation(this, () => this.synthProblems());
  }

  /**
   * Appends a step.
   */
  public addStep(step: CanaryStep): void {
    throwIfProblems(this, stepShapeProblems(`steps[${this._steps.length}]`, step));
    throwIfProblems(this, step._problems(`steps[${this._steps.length}]`, { maxTrafficWeight: this.maxTrafficWeight }));
    this._steps.push(step);
    markChanged();
  }

  /**
   * The steps, in order.
   */
  public get steps(): CanaryStep[] {
    return [...this._steps];
  }

  /**
   * The manual gates (indefinite pauses). While the rollout waits at one, the Argo CD Application is `Suspended`;
   * ApplicationSet RollingSync advances a wave only when its Applications are Healthy, so the next wave is blocked
   * until someone promotes the rollout.
   */
  public get manualGates(): CanaryManualGate[] {
    return manualGates(this._steps);
  }

  /**
   * Whether this rollout blocks an ApplicationSet RollingSync wave until promoted (it has a manual gate).
   */
  public get blocksRollingSyncWave(): boolean {
    return this.manualGates.length > 0;
  }

  /**
   * The minimum duration of a canary update from its steps: timed pauses plus analysis durations where known
   * (`CanaryAnalysisOptions.expectedDuration`, or the longest `IAnalysisTemplate.minimumDuration` when every template
   * of the step knows it).
   */
  public get canaryDuration(): CanaryDuration {
    return canaryDuration(this._steps);
  }

  /**
   * The update each cluster runs, for `ReleaseEstimate.forRollout(plan, rollout)`: the canary's minimum duration,
   * whether every step's duration is known, its manual gates (indefinite pauses), and how many referenced templates
   * can end Inconclusive (e.g. NaN with no traffic) and pause the rollout for a person.
   */
  public get updateFacts(): UpdateFacts {
    const d = this.canaryDuration;
    return {
      minimum: d.minimum,
      exact: d.unknownAnalysisSteps.length === 0,
      manualGates: this.manualGates.length,
      inconclusivePauses: this.analysisTemplates.filter(t => (t.inconclusiveMetricNames ?? []).length > 0).length,
    };
  }

  /**
   * Every analysis template the rollout references (steps, then background analysis), each once.
   */
  public get analysisTemplates(): IAnalysisTemplate[] {
    return analysisTemplates(this._steps, this.props.backgroundAnalysis);
  }

  /**
   * With `TrafficRouting.replicaCountApproximation()`: the canary/stable pod counts each setWeight step really
   * gives (as the controller computes them from replicas and maxSurge). Empty with a traffic router.
   */
  public get replicaCountApproximation(): WeightApproximation[] {
    return replicaCountApproximation(this.state);
  }

  /**
   * Warnings about the configuration (also recorded as construct metadata of type `warning` at synth).
   */
  public get warnings(): string[] {
    return warnings(this.state);
  }

  /** @internal */
  public _renderSpec(): any {
    return canaryRolloutSpecToKube(this.state);
  }

  /** @internal */
  public _planFacts(): RolloutPlanFacts {
    const d = this.canaryDuration;
    const gates = this.manualGates.map(g => `steps[${g.stepIndex}]`);
    const unknown = d.unknownAnalysisSteps.map(i => `steps[${i}] (analysis)`);
    const parts = [`timed pauses ${formatDuration(d.timedPauses)}`, `the analyses' minimum durations ${formatDuration(d.analyses)}`];
    if (gates.length > 0) parts.push(`indefinite pause ${gates.join(', ')} (a gate, not counted)`);
    if (unknown.length > 0) parts.push(`analysis ${d.unknownAnalysisSteps.map(i => `steps[${i}]`).join(', ')} of unknown duration (not counted)`);
    return {
      minimum: d.minimum,
      manualGates: gates,
      unknownAnalyses: unknown,
      update: `canary steps ${formatDuration(d.minimum)} (${parts.join(' + ')})`,
    };
  }

  /** @internal */
  public _analysisUses(): RolloutAnalysisUse[] {
    const uses: RolloutAnalysisUse[] = this._steps
      .map((s, i) => ({ prop: `steps[${i}].analysis`, analysis: s._data.analysis, background: false }))
      .filter((u): u is RolloutAnalysisUse => u.analysis !== undefined);
    if (this.props.backgroundAnalysis) uses.push({ prop: 'backgroundAnalysis', analysis: this.props.backgroundAnalysis, background: true });
    return uses;
  }

  /** Cross-object rules, run at synth (after every addStep). */
  private synthProblems() {
    const p = [
      ...synthProblems(this.state, this.apiObject.metadata.namespace),
      ...sharedServiceProblems(this.serviceUse, otherServiceUses(this, this.serviceUse)),
    ];
    if (!this.warned) {
      this.warned = true;
      for (const w of this.warnings) this.node.addMetadata('warning', w);
    }
    return p;
  }


}
