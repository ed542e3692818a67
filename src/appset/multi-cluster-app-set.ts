import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ApplicationSourceProps, DeletionOrder, GeneratedApplication, MultiClusterAppSetProps, ResourceIgnoreDifferences } from './app-set-props';
import { AppSetRegistry } from './app-set-registry';
import { AppSetModel, checkPropTypes, nameClashProblem, propProblems, synthProblems } from './app-set-rules';
import { Simulation, simulate, simulateWithObjects } from './app-set-simulation';
import { Generator } from './generator';
import { MULTI_CLUSTER_APP_SET_PROPS } from './input-shapes';
import { TemplateOptions } from './template-engine';
import { toGoDuration } from '../core/duration';
import { requireInstance } from '../core/input-types';
import { definedMetadata, labelsAndAnnotationsProblems, nameAndNamespaceProblems } from '../core/metadata';
import { Problem, addProblemValidation, cacheGeneration, markChanged, propError, throwIfProblems } from '../core/problem';
import { checkStruct, required } from '../core/struct-shape';
import { ClusterSelector } from '../fleet/cluster-selector';
import { Fleet } from '../fleet/fleet';
import { RolloutPlan } from '../plan/rollout-plan';
import { RollingSyncStep } from '../rolling-sync/rolling-sync-step';

/** The param of each environment's list element that holds its revision (`environmentRevisions`). */
const REVISION_KEY = 'revision';

function renderIgnoreDifferences(d: ResourceIgnoreDifferences): any {
  return {
    ...(d.group !== undefined ? { group: d.group } : {}),
    kind: d.kind,
    ...(d.name !== undefined ? { name: d.name } : {}),
    ...(d.namespace !== undefined ? { namespace: d.namespace } : {}),
    ...(d.jsonPointers ? { jsonPointers: [...d.jsonPointers] } : {}),
    ...(d.jqPathExpressions ? { jqPathExpressions: [...d.jqPathExpressions] } : {}),
    ...(d.managedFieldsManagers ? { managedFieldsManagers: [...d.managedFieldsManagers] } : {}),
  };
}

/** The group, version and kind of an Argo CD ApplicationSet (the generated L1's `ApplicationSet.GVK`). */
const APPLICATION_SET_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet' };

/**
 * An Argo CD ApplicationSet that rolls an application out across clusters with the RollingSync strategy.
 *
 * Each generated Application joins the first RollingSync step whose label expressions it matches; the steps run in
 * order and each waits until every Application of the previous steps is Synced and Healthy. The labels the steps
 * select on are set on the Application template automatically (`env` and `cluster` are injected; other keys must be
 * in `labels`; the `cluster` label holds the normalized cluster name, `{{.nameNormalized}}`). Under RollingSync the
 * controller turns automated sync off and syncs each Application itself, step by step, when its target revision or
 * spec changes: a rollout starts when CI pushes the new target revision (a Git webhook or an Application refresh
 * makes Argo CD notice it at once). Progressive syncs must be enabled on the ApplicationSet controller
 * (`applicationsetcontroller.enable.progressive.syncs: "true"` in `argocd-cmd-params-cm`); without it the strategy
 * is silently ignored, and since this construct never enables automated sync (unless `prune` is set), nothing syncs
 * automatically (each Application must be synced by hand). Ordering is best effort (argo-cd#22852).
 *
 * Given a `fleet`, the Applications are rendered at synth time and checked, and `plan()` returns the waves. The
 * rendering is computed once and cached until `addStep()` or `Fleet.addCluster()` changes its inputs, so repeated
 * validation passes and `plan()` do not render again.
 *
 * @example
 * new MultiClusterAppSet(chart, 'my-service', {
 *   clusters: ClusterSelector.matchLabels({ region: 'ap-northeast-2' }),
 *   environments: ['canary', 'production'],
 *   steps: [
 *     RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
 *     RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(25)),
 *   ],
 *   source: { repoUrl: 'https://github.com/my-org/my-service', path: 'k8s/overlays/{{.env}}' },
 *   destinationNamespace: 'my-service',
 * });
 */
export class MultiClusterAppSet extends Construct {
  /** The ApplicationSet API object. */
  public readonly apiObject: ApiObject;
  /** The fleet the Applications are rendered for, if any. */
  public readonly fleet?: Fleet;
  private readonly props: MultiClusterAppSetProps;
  private readonly _steps: RollingSyncStep[] = [];
  private readonly _generators: Generator[];
  private readonly goTemplate: boolean;
  private readonly envKey: string;
  private readonly registry: AppSetRegistry;
  /** Bumped by every mutator; with the fleet's version it keys the caches. */
  private revision = 0;
  private cache?: { key: string; simulation?: Simulation; problems?: Problem[] };
  private validated?: { stamp: string; problems: Problem[] };
  private rendered?: { key: string; spec: any };
  private readonly extraIgnoreDifferences: ResourceIgnoreDifferences[] = [];
  private bakesRendered = false;

  constructor(scope: Construct, id: string, props: MultiClusterAppSetProps) {
    super(scope, id);
    checkStruct(this, 'props', props, required(MULTI_CLUSTER_APP_SET_PROPS));
    throwIfProblems(this, [...nameAndNamespaceProblems('metadata', props.metadata), ...labelsAndAnnotationsProblems('metadata', props.metadata)]);
    checkPropTypes(this, props);
    throwIfProblems(this, propProblems(props));
    this.props = props;
    this.fleet = props.fleet;
    this.goTemplate = props.goTemplate ?? true;
    this.envKey = props.environmentKey ?? 'env';
    this._generators = props.generators ? [...props.generators] : [this.seedGenerator()];
    this.registry = AppSetRegistry.of(this);
    (props.steps ?? []).forEach(s => this.addStep(s));

    // The GVK constant rather than the generated L1 class: importing imports/argocd-argoproj.io only for its GVK
    // would load that 8 MB module at require time, and the spec is rendered from the library's own types anyway.
    this.apiObject = new ApiObject(this, 'Resource', {
      ...APPLICATION_SET_GVK,
      metadata: { namespace: 'argocd', ...definedMetadata(props.metadata) },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });

    this.registry.register(this);
    addProblemValidation(this, () => this.validate());
  }

  /** The RollingSync steps, in order. */
  public get steps(): RollingSyncStep[] {
    return [...this._steps];
  }

  /** The generators. */
  public get generators(): Generator[] {
    return [...this._generators];
  }

  /** The ApplicationSet name. */
  public get name(): string {
    return this.apiObject.name;
  }

  /**
   * Appends a RollingSync step.
   *
   * @throws if the step is invalid (operator, empty `In` values, maxUpdate)
   */
  public addStep(step: RollingSyncStep): void {
    requireInstance(this, `steps[${this._steps.length}]`, step, 'RollingSyncStep', v => typeof v._problems === 'function' && typeof v.matches === 'function',
      'use RollingSyncStep.whereIn(), whereNotIn(), matching() or everything()');
    throwIfProblems(this, step._problems(`steps[${this._steps.length}]`));
    this._steps.push(step);
    this.revision++;
    markChanged();
    this.registry?.touch();
  }

  /**
   * The Application labels the template sets, with the injected glue (`env`, and `cluster` = the normalized cluster
   * name `{{.nameNormalized}}`).
   */
  public get templateLabels(): { [key: string]: string } {
    const labels: { [key: string]: string } = {};
    const seedShape = !this.props.generators;
    if (seedShape && this.props.environments) labels[this.envKey] = this.param(this.envKey);
    const selected = new Set(this._steps.flatMap(s => s.labelKeys));
    if (seedShape || (selected.has('cluster') && this.usesClusters())) labels.cluster = this.param('nameNormalized');
    return { ...labels, ...(this.props.labels ?? {}) };
  }

  /**
   * Renders the Applications the controller generates for the fleet (requires `fleet`).
   *
   * @throws if there is no fleet or a generator or template cannot be rendered statically
   */
  public generatedApplications(): GeneratedApplication[] {
    // copies: the cached rendering must not change when a caller edits what it gets
    return this.renderedApplications().map(a => ({ ...a, labels: { ...a.labels } }));
  }

  /**
   * The rollout plan for the fleet: waves, batches and the Applications no step selects. Linear in the number of
   * Applications and clusters (the rendering is cached, and the planner reads it without copying it: a plan holds
   * only names).
   *
   * @throws if there is no fleet or the Applications cannot be rendered
   */
  public plan(): RolloutPlan {
    const apps = this.renderedApplications();
    // The steps are checked by addStep() and the rendering gives string names and labels: only a name clash is left to
    // check, and compute() reports it with its message. (compute()'s per-input checks cost 20× the plan here.)
    if (new Set(apps.map(a => a.name)).size !== apps.length) return RolloutPlan.compute(this._steps, apps, { frozen: this.frozen });
    return RolloutPlan._computeChecked(this._steps, apps, { frozen: this.frozen });
  }

  /** Whether the ApplicationSet is frozen (every step rendered with `maxUpdate: 0`). */
  public get frozen(): boolean {
    return this.props.frozen === true;
  }

  /**
   * The revision each environment's Applications track (`environmentRevisions`), or undefined when they all track
   * `targetRevision`.
   */
  public get environmentRevisions(): { [environment: string]: string } | undefined {
    return this.props.environmentRevisions ? { ...this.props.environmentRevisions } : undefined;
  }

  /**
   * Adds ignoreDifferences entries to the Application template (the stack's router glue), after the props' ones.
   *
   * @internal
   */
  public _addIgnoreDifferences(entries: ResourceIgnoreDifferences[]): void {
    this.extraIgnoreDifferences.push(...entries);
    this.revision++;
    markChanged();
    this.registry?.touch();
  }

  /**
   * The caller renders the steps' bakes into the Rollouts the Applications deploy (ProgressiveDeliveryStack).
   *
   * @internal
   */
  public _rendersBakes(): void {
    this.bakesRendered = true;
    markChanged();
  }

  /**
   * The rendered Applications as the controller writes them (metadata name/labels/annotations and spec), in
   * generator order, for the conformance harness. Undefined without a fleet or when not statically renderable.
   *
   * @internal
   */
  public _renderedObjects(): any[] | undefined {
    if (!this.fleet) return undefined;
    const input = { generators: this._generators, template: this._toKube().template, templatePatch: this.props.templatePatch };
    const r = simulateWithObjects({ ...input, fleet: this.fleet, opts: this.templateOptions() });
    return r.unsupported ? undefined : r.objects.map(o => JSON.parse(JSON.stringify(o)));
  }

  /** The cached rendering (read-only), or the error that there is none. */
  private renderedApplications(): GeneratedApplication[] {
    if (!this.fleet) {
      throw propError(this, {
        prop: 'fleet',
        given: 'missing',
        expected: 'a Fleet: static rendering (generatedApplications(), plan()) needs the clusters',
        fix: 'pass fleet: new Fleet({ clusters: [...] }), or plan standalone with RolloutPlan.compute(steps, applications)',
      });
    }
    const r = this.simulation();
    if (r.unsupported) {
      const patch = r.unsupported.startsWith('templatePatch');
      throw propError(this, {
        prop: patch ? 'templatePatch' : 'generators',
        given: 'not statically renderable',
        expected: `generators and templates that can be rendered at synth; ${r.unsupported}`,
        fix: patch
          ? 'express the conditional part with typed props or generator params (e.g. a list element field the patch reads), or plan standalone with RolloutPlan.compute(steps, applications)'
          : 'use clusters/list/matrix/merge generators, or plan standalone with RolloutPlan.compute(steps, applications)',
      });
    }
    throwIfProblems(this, r.problems);
    return r.apps;
  }

  /**
   * The names of the rendered Applications, or undefined without a fleet or when they cannot be rendered.
   *
   * @internal
   */
  public _renderedNames(): readonly string[] | undefined {
    if (!this.fleet) return undefined;
    const r = this.simulation();
    return r.unsupported ? undefined : r.apps.map(a => a.name);
  }

  /**
   * The Argo CD namespace the ApplicationSet (and its Applications) live in.
   *
   * @internal
   */
  public get _argoNamespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }

  /**
   * The rendered spec (read-only: shared by the validation, the simulation and cdk8s's rendering of one synth). Kept
   * for the current inputs (steps, ignore rules, fleet version) within one synchronous job, like the checks.
   *
   * @internal
   */
  public _toKube(): any {
    const key = `${this.revision}/${this.fleet?._version ?? '-'}/${cacheGeneration()}`;
    if (this.rendered?.key !== key) this.rendered = { key, spec: this.renderSpec() };
    return this.rendered.spec;
  }

  private renderSpec(): any {
    const p = this.props;
    const syncOptions = [...(p.createNamespace ?? true ? ['CreateNamespace=true'] : []), ...(p.syncOptions ?? [])];
    const retry = p.retryLimit !== undefined || p.retryBackoffDuration || p.retryBackoffFactor !== undefined || p.retryBackoffMaxDuration
      ? {
        ...(p.retryLimit !== undefined ? { limit: p.retryLimit } : {}),
        ...(p.retryBackoffDuration || p.retryBackoffFactor !== undefined || p.retryBackoffMaxDuration ? {
          backoff: {
            ...(p.retryBackoffDuration ? { duration: toGoDuration(p.retryBackoffDuration) } : {}),
            ...(p.retryBackoffFactor !== undefined ? { factor: p.retryBackoffFactor } : {}),
            ...(p.retryBackoffMaxDuration ? { maxDuration: toGoDuration(p.retryBackoffMaxDuration) } : {}),
          },
        } : {}),
      } : undefined;
    const syncPolicy = {
      // `enabled` unset: the controller reads `prune` for its RollingSync operations only while automated sync counts as
      // enabled (IsAutomatedSyncEnabled), and writes `enabled: false` on each Application itself
      ...(p.prune ? { automated: { prune: true } } : {}),
      ...(syncOptions.length > 0 ? { syncOptions } : {}),
      ...(retry ? { retry } : {}),
    };
    const appSetSyncPolicy = {
      ...(p.applicationsSync ? { applicationsSync: p.applicationsSync.value } : {}),
      ...(p.preserveResourcesOnDeletion ? { preserveResourcesOnDeletion: true } : {}),
    };
    const ignoreDifferences = [...(p.ignoreDifferences ?? []), ...this.extraIgnoreDifferences].map(renderIgnoreDifferences);
    const templateLabels = this.templateLabels;
    const ignoreApplicationDifferences = (p.ignoreApplicationDifferences ?? []).map(d => ({
      ...(d.name !== undefined ? { name: d.name } : {}),
      ...(d.jsonPointers ? { jsonPointers: [...d.jsonPointers] } : {}),
      ...(d.jqPathExpressions ? { jqPathExpressions: [...d.jqPathExpressions] } : {}),
    }));
    return {
      ...(this.goTemplate ? { goTemplate: true } : {}),
      ...(this.goTemplate && (p.goTemplateOptions ?? ['missingkey=error']).length > 0 ? { goTemplateOptions: p.goTemplateOptions ?? ['missingkey=error'] } : {}),
      generators: this._generators.map(g => g._toKube()),
      strategy: {
        type: 'RollingSync',
        // frozen: maxUpdate 0 on every step, so the controller promotes nothing (progressive_sync.go)
        rollingSync: { steps: this._steps.map(s => (this.frozen ? { ...s._toKube(), maxUpdate: 0 } : s._toKube())) },
        ...(p.deletionOrder && p.deletionOrder !== DeletionOrder.ALL_AT_ONCE ? { deletionOrder: p.deletionOrder.value } : {}),
      },
      ...(Object.keys(appSetSyncPolicy).length > 0 ? { syncPolicy: appSetSyncPolicy } : {}),
      ...(ignoreApplicationDifferences.length > 0 ? { ignoreApplicationDifferences } : {}),
      ...(p.templatePatch !== undefined ? { templatePatch: p.templatePatch } : {}),
      template: {
        metadata: {
          name: this.applicationName(),
          ...(Object.keys(templateLabels).length > 0 ? { labels: templateLabels } : {}),
          ...(p.annotations ? { annotations: { ...p.annotations } } : {}),
        },
        spec: {
          project: p.project ?? 'default',
          ...(p.sources ? { sources: p.sources.map(x => this.renderSource(x)) } : { source: this.renderSource(p.source!, true) }),
          destination: {
            ...(p.destinationName ? { name: p.destinationName } : { server: p.destinationServer ?? this.param('server') }),
            namespace: p.destinationNamespace,
          },
          ...(Object.keys(syncPolicy).length > 0 ? { syncPolicy } : {}),
          ...(ignoreDifferences.length > 0 ? { ignoreDifferences } : {}),
        },
      },
    };
  }

  /** The cache entry for the current inputs (steps and fleet). */
  private cached(): { key: string; simulation?: Simulation; problems?: Problem[] } {
    const key = `${this.revision}/${this.fleet?._version ?? '-'}`;
    if (this.cache?.key !== key) this.cache = { key };
    return this.cache;
  }

  /** The controller simulation: computed once per set of inputs (`template`: `spec.template` if already rendered). */
  private simulation(rendered?: any): Simulation {
    const entry = this.cached();
    if (!entry.simulation) {
      const template = rendered ?? this._toKube().template;
      entry.simulation = simulate({
        generators: this._generators, template, templatePatch: this.props.templatePatch, fleet: this.fleet!, opts: this.templateOptions(),
      });
    }
    return entry.simulation;
  }

  /**
   * Synth-time validation: this ApplicationSet's rules, then Application names across ApplicationSets. cdk8s
   * validates the whole app once per chart plus once, so the result is kept until an ApplicationSet of the tree or
   * a fleet changes: every pass after the first costs a stamp comparison.
   */
  private validate(): Problem[] {
    const stamp = this.registry.stamp();
    if (this.validated?.stamp === stamp) return this.validated.problems;
    const entry = this.cached();
    if (!entry.problems) entry.problems = synthProblems(this.model());
    let problems = entry.problems;
    if (problems.length === 0 && this.fleet) {
      const ns = this._argoNamespace;
      problems = this.registry.clashesOf(this).map(c => nameClashProblem(this.model(), c.otherPath, c.shared, ns));
    }
    this.validated = { stamp, problems };
    return problems;
  }

  private model(): AppSetModel {
    const spec = this._toKube();
    return {
      props: this.props,
      name: this.name,
      steps: this._steps,
      bakesRendered: this.bakesRendered,
      generators: this._generators,
      goTemplate: this.goTemplate,
      envKey: this.envKey,
      templateLabels: spec.template.metadata.labels ?? {},
      template: spec.template,
      applicationName: this.applicationName(),
      fleet: this.fleet,
      // the same inputs as the template just rendered (nothing changes within one validation)
      simulation: () => this.simulation(spec.template),
      param: k => this.param(k),
      usesClusters: () => this.usesClusters(),
    };
  }

  private templateOptions(): TemplateOptions {
    return { goTemplate: this.goTemplate, missingKeyError: this.goTemplate && (this.props.goTemplateOptions ?? ['missingkey=error']).includes('missingkey=error') };
  }

  private param(key: string): string {
    return this.goTemplate ? `{{.${key}}}` : `{{${key}}}`;
  }

  private usesClusters(): boolean {
    const walk = (g: Generator): boolean => g.type === 'clusters' || g.children.some(walk);
    return this._generators.some(walk);
  }

  private applicationName(): string {
    if (this.props.applicationName) return this.props.applicationName;
    const name = this.param('nameNormalized');
    return this.props.environments ? `${name}-${this.param(this.envKey)}` : name;
  }

  private renderSource(s: ApplicationSourceProps, single = false): any {
    const helm = s.helm ? {
      ...(s.helm.releaseName ? { releaseName: s.helm.releaseName } : {}),
      ...(s.helm.valueFiles ? { valueFiles: [...s.helm.valueFiles] } : {}),
      ...(s.helm.parameters ? { parameters: Object.entries(s.helm.parameters).map(([name, value]) => ({ name, value })) } : {}),
      ...(s.helm.values ? { values: s.helm.values } : {}),
    } : undefined;
    const k = s.kustomize;
    const kustomize = k ? {
      ...(k.namePrefix ? { namePrefix: k.namePrefix } : {}),
      ...(k.nameSuffix ? { nameSuffix: k.nameSuffix } : {}),
      ...(k.images ? { images: [...k.images] } : {}),
      ...(k.commonLabels ? { commonLabels: { ...k.commonLabels } } : {}),
      ...(k.commonAnnotations ? { commonAnnotations: { ...k.commonAnnotations } } : {}),
    } : undefined;
    const revision = s.targetRevision ?? (this.props.environmentRevisions ? this.param(REVISION_KEY) : 'HEAD');
    return {
      repoURL: s.repoUrl,
      targetRevision: revision,
      ...(s.ref !== undefined ? { ref: s.ref } : {}),
      // Argo CD requires a path or a chart ("spec.source.repoURL and either spec.source.path or spec.source.chart are
      // required"): the repository root is "."
      ...(s.path !== undefined ? { path: s.path } : single && s.chart === undefined ? { path: '.' } : {}),
      ...(s.chart !== undefined ? { chart: s.chart } : {}),
      ...(helm ? { helm } : {}),
      ...(kustomize ? { kustomize } : {}),
    };
  }

  private seedGenerator(): Generator {
    const selector = this.props.clusters!;
    const revisions = this.props.environmentRevisions;
    const list = Generator.list({
      elements: (this.props.environments ?? []).map(e => ({ [this.envKey]: e, ...(revisions ? { [REVISION_KEY]: revisions[e] } : {}) })),
    });
    const label = this.props.environmentClusterLabel;
    if (label && this.props.environments) {
      const perEnv = ClusterSelector.of({ ...selector.labels, [label]: this.param(this.envKey) }, selector.expressions);
      return Generator.matrix([list, Generator.clusters({ selector: perEnv })]);
    }
    const clusters = Generator.clusters({ selector });
    if (!this.props.environments) return clusters;
    return Generator.matrix([clusters, list]);
  }
}
