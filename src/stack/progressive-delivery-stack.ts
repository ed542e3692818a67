import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, Duration } from 'cdk8s';
import { buildTree, ClusterOverlay, overlayPath, platformPath } from './gitops-tree';
import { PROGRESSIVE_DELIVERY_STACK_PROPS } from './input-shapes';
import { apiObjectsOf, managementProblems, PlacementView, rolloutsOf, workloadProblems } from './placement-rules';
import { releaseFigures, renderReleasePlan, ReleasePlanInput } from './release-plan';
import { RolloutsBootstrap } from './rollouts-bootstrap';
import { routerIgnoreDifferences } from './router-glue';
import { ApplicationIgnoreDifferences, ResourceIgnoreDifferences } from '../appset/app-set-props';
import { MultiClusterAppSet } from '../appset/multi-cluster-app-set';
import { checkConstructId, checkDns1123Label, checkLabelKey } from '../core/names';
import { addProblemValidation, Problem, propError, show } from '../core/problem';
import { checkedStruct, required } from '../core/struct-shape';
import { FederatedPrometheus } from '../federation/federated-prometheus';
import { ClusterSelector } from '../fleet/cluster-selector';
import { Fleet } from '../fleet/fleet';
import { RolloutPlan } from '../plan/rollout-plan';
import { RollingSyncStep } from '../rolling-sync/rolling-sync-step';
import { AnalysisArgValue } from '../rollout/analysis-arg-value';
import { passedArgs } from '../rollout/canary-step';

/**
 * The annotation each cluster's overlay sets on the service's Rollouts: the normalized cluster name. Per-cluster
 * analysis args read it with `stack.clusterArg`.
 */
export const CLUSTER_ANNOTATION = 'progressive-delivery.cdk8s.io/cluster';

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Props of a `ProgressiveDeliveryStack`.
 */
export interface ProgressiveDeliveryStackProps extends AppProps {
  /**
   * The service's name: the service ApplicationSet, the platform path `platform/<serviceName>` and the default
   * namespace.
   */
  readonly serviceName: string;

  /** The Git repository the synthesized tree is committed to (`repoURL` of every generated Application). */
  readonly repoUrl: string;

  /**
   * The revision the Applications track. A release is a new commit on it (or a new tag when pinned by CI).
   *
   * @default 'HEAD'
   */
  readonly targetRevision?: string;

  /** The workload clusters registered in Argo CD. */
  readonly fleet: Fleet;

  /**
   * Which of the fleet's clusters run the service (Argo CD cluster Secret labels).
   *
   * @default ClusterSelector.all() - every registered cluster
   */
  readonly clusters?: ClusterSelector;

  /** The environments, e.g. `['canary', 'staging', 'production']`; each cluster runs the one its Secret label names. */
  readonly environments: string[];

  /**
   * The cluster Secret label that holds a cluster's environment.
   *
   * @default 'env'
   */
  readonly environmentClusterLabel?: string;

  /**
   * The RollingSync steps (waves) between clusters, in order. Applications are labelled `env`, `cluster` and
   * `applicationLabels`.
   */
  readonly waves: RollingSyncStep[];

  /**
   * Further labels of the generated Applications for the waves to select on (templates over the cluster generator's
   * params, e.g. `{ region: '{{index .metadata.labels "region"}}' }`).
   *
   * @default - only `env` and `cluster`
   */
  readonly applicationLabels?: { [key: string]: string };

  /**
   * The namespace the service is deployed to in every cluster.
   *
   * @default - the service name
   */
  readonly namespace?: string;

  /**
   * The Argo CD namespace on the management cluster.
   *
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;

  /**
   * The Argo CD project of every generated Application.
   *
   * @default 'default'
   */
  readonly project?: string;

  /**
   * How Argo Rollouts gets into the target clusters before the first Rollout.
   *
   * @default RolloutsBootstrap.helmChart()
   */
  readonly bootstrap?: RolloutsBootstrap;

  /**
   * ClusterAnalysisTemplates that the fleet's platform already installs in every target cluster (by another tool),
   * so that Rollouts may reference them with `AnalysisTemplateRef.fromName(name, { clusterScope: true })`.
   *
   * @default - none: every referenced template must be created in stack.service or stack.platform
   */
  readonly preinstalledTemplates?: string[];

  /**
   * How long a cluster's pods take to become ready after a sync, added to each Rollout's update (canary steps, or
   * blue-green analyses and promotion delay) in the release plan.
   *
   * @default Duration.minutes(2)
   */
  readonly podStartup?: Duration;

  /**
   * Prune resources deleted from Git in the syncs RollingSync triggers.
   *
   * @default true
   */
  readonly prune?: boolean;

  /**
   * Stop every wave of the stack's ApplicationSets (service, platform and the Argo Rollouts installation): every
   * RollingSync step is rendered with `maxUpdate: 0`, so Argo CD starts no new sync (those already running finish).
   * ROLLOUT-PLAN.md and `releaseDuration()` say the release is frozen. Commit `frozen: true` during an incident, and
   * remove it to let the release go on from where it stopped.
   *
   * @default false
   */
  readonly frozen?: boolean;

  /**
   * Each environment's pinned revision (tag or commit): the service's and the platform's Applications of an environment
   * track it instead of `targetRevision`, so promoting a release to the next environment is a one-line Git change
   * here (e.g. `{ canary: 'v1.5.0', staging: 'v1.4.2', production: 'v1.4.2' }`). The root Application still tracks
   * `targetRevision` (it reads `applicationsets/`, where these revisions are written). With one moving `HEAD`, the
   * ordering across waves is best effort upstream (argo-cd#22852, #29347, #29410).
   *
   * @default - every Application tracks `targetRevision`
   */
  readonly environmentRevisions?: { [environment: string]: string };

  /**
   * Further differences Argo CD ignores in the service's Applications (their template's `spec.ignoreDifferences`),
   * after the route weights the traffic router rewrites mid-canary, which the stack ignores itself.
   *
   * @default - only the router's
   */
  readonly ignoreDifferences?: ResourceIgnoreDifferences[];

  /**
   * Differences the ApplicationSet controller ignores when it updates the service's Applications
   * (`spec.ignoreApplicationDifferences`).
   *
   * @default - none
   */
  readonly ignoreApplicationDifferences?: ApplicationIgnoreDifferences[];

  /**
   * A Go template patch of the service's Applications (`spec.templatePatch`), checked and rendered as
   * `MultiClusterAppSetProps.templatePatch`.
   *
   * @default - no patch
   */
  readonly templatePatch?: string;
}

/**
 * One service, progressively delivered to a fleet, as the GitOps tree Argo CD applies.
 *
 * The stack is the cdk8s `App` and knows where every object lives:
 *
 * - `management`: the management cluster. The stack puts the ApplicationSets there (in the Argo CD namespace): the
 *   service's RollingSync ApplicationSet, the platform ApplicationSet and, unless `RolloutsBootstrap.preinstalled()`,
 *   the Argo Rollouts installation. Add the central Prometheus config (`FederatedPrometheus`) here.
 * - `platform`: cluster-wide objects every target cluster needs before the service, synced by the platform
 *   ApplicationSet (sync-wave -1): ClusterAnalysisTemplates.
 * - `service`: what each generated Application deploys: the workload, the `CanaryRollout`, its Services and routes,
 *   namespaced AnalysisTemplates (synced before the Rollout: sync-wave -1).
 *
 * `synth()` checks the placement (a template the Rollout references must be deployed where it runs, and query a
 * Prometheus reachable from there; nothing Argo CD reads in the workload places and nothing the Rollouts controller
 * reads on the management cluster) and writes `applicationsets/`, `management/`, `platform/<service>/`, `k8s/base/`,
 * `k8s/overlays/<env>/<cluster>/` (with the kustomization.yaml files every Application path needs) and
 * `ROLLOUT-PLAN.md`.
 *
 * @example
 * const stack = new ProgressiveDeliveryStack({
 *   serviceName: 'my-service', repoUrl: 'https://github.com/my-org/my-service-deploy', fleet,
 *   environments: ['canary', 'production'],
 *   waves: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['production'], MaxUpdate.count(2))],
 * });
 * // new SuccessRateAnalysis(stack.platform, ...); new CanaryRollout(stack.service, ...);
 * stack.synth();
 */
export class ProgressiveDeliveryStack extends App {
  /** The management cluster: ApplicationSets, the central Prometheus config. */
  public readonly management: Chart;
  /** Cluster-wide objects of every target cluster, synced before the service (ClusterAnalysisTemplates). */
  public readonly platform: Chart;
  /** What every generated Application deploys (workload, Rollout, Services, routes, namespaced templates). */
  public readonly service: Chart;
  /** The service's RollingSync ApplicationSet. */
  public readonly appSet: MultiClusterAppSet;
  /** The ApplicationSet that syncs `platform/<service>` to every target cluster (sync-wave -1). */
  public readonly platformAppSet: MultiClusterAppSet;
  /** The ApplicationSet that installs Argo Rollouts (sync-wave -2), unless preinstalled. */
  public readonly bootstrapAppSet?: MultiClusterAppSet;
  /**
   * The root Application (`<service>-gitops`, in `management/`): applied once with `kubectl apply -k management/`, it
   * syncs `applicationsets/` in sync-wave order.
   */
  public readonly rootApplication: ApiObject;
  /** The service name. */
  public readonly serviceName: string;
  /** The namespace the service runs in. */
  public readonly namespace: string;
  /** The fleet. */
  public readonly fleet: Fleet;
  /** How Argo Rollouts is installed. */
  public readonly bootstrap: RolloutsBootstrap;

  private readonly props: ProgressiveDeliveryStackProps;
  private readonly selector: ClusterSelector;
  private readonly envLabel: string;
  private prepared = false;

  constructor(props: ProgressiveDeliveryStackProps) {
    super(checkedStruct('ProgressiveDeliveryStack', 'props', props, required(PROGRESSIVE_DELIVERY_STACK_PROPS)));
    this.props = props;
    this.serviceName = props.serviceName;
    this.fleet = props.fleet;
    this.selector = props.clusters ?? ClusterSelector.all();
    this.envLabel = props.environmentClusterLabel ?? 'env';
    this.namespace = props.namespace ?? props.serviceName;
    this.bootstrap = props.bootstrap ?? RolloutsBootstrap.helmChart();
    this.validateProps();

    const argocdNamespace = props.argocdNamespace ?? 'argocd';
    const project = props.project ?? 'default';
    this.management = new Chart(this, `${props.serviceName}-management`);
    this.platform = new Chart(this, `${props.serviceName}-platform`);
    this.service = new Chart(this, props.serviceName);

    // The bootstrap and the platform target exactly the service's clusters (environments x clusters by their environment
    // label, so never the local in-cluster, the management cluster itself) and roll out in the service's waves: a new
    // controller chart or a changed template reaches the canary clusters first, like a release.
    // Only the service's Applications deploy the Rollout its waves bake in; the platform and the controller roll out
    // in the same waves without a bake.
    const unbaked = Array.isArray(props.waves) ? props.waves.map(w => w._withoutBake()) : props.waves;
    const target = {
      management: this.management,
      fleet: this.fleet,
      clusters: this.selector,
      environments: props.environments,
      environmentClusterLabel: this.envLabel,
      waves: unbaked,
      frozen: props.frozen,
      labels: props.applicationLabels,
      argocdNamespace,
      project,
    };
    this.bootstrapAppSet = this.bootstrap._bind(target);
    this.platformAppSet = new MultiClusterAppSet(this.management, 'platform', {
      metadata: { name: `${props.serviceName}-platform`, namespace: argocdNamespace, annotations: { [SYNC_WAVE]: '-1' } },
      clusters: this.selector,
      environments: props.environments,
      environmentClusterLabel: this.envLabel,
      labels: props.applicationLabels,
      applicationName: `${props.serviceName}-platform-{{.nameNormalized}}`,
      steps: unbaked,
      frozen: props.frozen,
      project,
      // the templates are part of the release: with pinned revisions each environment's platform follows its revision
      source: { repoUrl: props.repoUrl, ...(props.environmentRevisions ? {} : { targetRevision: props.targetRevision ?? 'HEAD' }), path: platformPath(props.serviceName) },
      environmentRevisions: props.environmentRevisions,
      destinationNamespace: this.namespace,
      // deleting the platform must not pull templates from under Rollouts that are mid-canary
      preserveResourcesOnDeletion: true,
      prune: props.prune ?? true,
      fleet: this.fleet,
    });
    this.appSet = new MultiClusterAppSet(this.management, 'service', {
      metadata: { name: props.serviceName, namespace: argocdNamespace, annotations: { [SYNC_WAVE]: '0' } },
      clusters: this.selector,
      environments: props.environments,
      environmentClusterLabel: this.envLabel,
      steps: props.waves,
      frozen: props.frozen,
      labels: props.applicationLabels,
      project,
      source: {
        repoUrl: props.repoUrl,
        ...(props.environmentRevisions ? {} : { targetRevision: props.targetRevision ?? 'HEAD' }),
        path: 'k8s/overlays/{{.env}}/{{.nameNormalized}}',
      },
      environmentRevisions: props.environmentRevisions,
      ignoreDifferences: props.ignoreDifferences,
      ignoreApplicationDifferences: props.ignoreApplicationDifferences,
      templatePatch: props.templatePatch,
      destinationNamespace: this.namespace,
      // ignoreDifferences on the router's weights only hold during a sync with this option
      syncOptions: ['RespectIgnoreDifferences=true'],
      prune: props.prune ?? true,
      fleet: this.fleet,
    });
    // the stack renders the waves' bakes into each cluster's overlay (k8s/overlays/<env>/<cluster>)
    this.appSet._rendersBakes();

    // The root Application (app of apps) that syncs applicationsets/ on the management cluster: its sync-waves are what
    // order the ApplicationSets (Argo Rollouts -2, platform -1, service 0), each wave waiting until the previous
    // ApplicationSets are Healthy, i.e. their RollingSync has rolled out (Argo CD's ApplicationSet health check).
    this.rootApplication = new ApiObject(this.management, 'root', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `${props.serviceName}-gitops`, namespace: argocdNamespace },
      spec: {
        project,
        source: { repoURL: props.repoUrl, targetRevision: props.targetRevision ?? 'HEAD', path: 'applicationsets' },
        destination: { server: 'https://kubernetes.default.svc', namespace: argocdNamespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });

    const view = this.placementView();
    // not cached: these rules read every ApiObject of the charts, which may change without a mutator of this library
    addProblemValidation(this.management, () => managementProblems(view), { cache: false });
    addProblemValidation(this.service, () => workloadProblems(view), { cache: false });
    addProblemValidation(this.management, () => this.environmentProblems(), { cache: false });
    addProblemValidation(this.service, () => this.bakeProblems(), { cache: false });
  }

  /**
   * The analysis arg value that holds the cluster a Rollout runs in (the normalized cluster name, as the `cluster`
   * label of the Applications and of a `FederatedPrometheus`): pass it as `argsFrom: { cluster: stack.clusterArg }`.
   * Each cluster's overlay sets the annotation it reads, in plain Kustomize committed to Git.
   */
  public get clusterArg(): AnalysisArgValue {
    return AnalysisArgValue.fieldRef(this.clusterArgFieldPath);
  }

  /** The overlay directories the service's Applications point to: `k8s/overlays/<env>/<normalized cluster name>`. */
  public get overlays(): string[] {
    return this.clusterOverlays().map(overlayPath);
  }

  /**
   * The RollingSync plan of the service: waves, batches, Applications.
   */
  public plan(): RolloutPlan {
    return this.appSet.plan();
  }

  /**
   * The release plan as Markdown (what `ROLLOUT-PLAN.md` holds): waves, batches, clusters, durations, gates and a
   * Mermaid gantt.
   */
  public releasePlan(): string {
    return renderReleasePlan(this.releasePlanInput());
  }

  /**
   * The release duration per wave and in total, and whether it is a lower bound (a gate can wait for a person).
   */
  public releaseDuration(): ReleaseDuration {
    const f = releaseFigures(this.releasePlanInput());
    return {
      perApplication: Duration.seconds(f.perApplicationSeconds),
      waves: f.waves.map(w => Duration.seconds(w.seconds)),
      bakes: f.waves.map(w => Duration.seconds(w.bakeSeconds)),
      total: Duration.seconds(f.totalSeconds),
      lowerBound: f.lowerBound,
      frozen: f.frozen,
    };
  }

  /**
   * Validates the stack and renders the GitOps tree in memory: relative path → file content.
   */
  public synthesizeTree(): { [path: string]: string } {
    this.prepare();
    this.validateAll();
    // ApiObject.toJson() per object: Chart.toJson() would validate the whole app again for every chart.
    const json = (chart: Chart) => apiObjectsOf(chart).map(o => o.toJson());
    const management = json(this.management);
    const overlays = this.clusterOverlays();
    const files = buildTree({
      service: this.serviceName,
      applicationSets: management.filter(o => o.kind === 'ApplicationSet'),
      managementObjects: management.filter(o => o.kind !== 'ApplicationSet'),
      platformObjects: json(this.platform),
      serviceObjects: json(this.service),
      overlays: this.bakedOverlays(overlays),
      clusterAnnotation: CLUSTER_ANNOTATION,
      plan: this.releasePlan(),
    });
    const out: { [path: string]: string } = {};
    for (const [k, v] of files) out[k] = v;
    return out;
  }

  /**
   * Validates the stack and writes the GitOps tree into `outdir` (replacing the stack's directories there).
   */
  public synth(): void {
    const files = this.synthesizeTree();
    for (const dir of ['applicationsets', 'management', 'platform', 'k8s']) {
      fs.rmSync(path.join(this.outdir, dir), { recursive: true, force: true });
    }
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(this.outdir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
  }

  /**
   * Every object of the stack as one YAML stream (validated), like `App.synthYaml()`.
   */
  public synthYaml(): string {
    this.prepare();
    return super.synthYaml();
  }

  private get clusterArgFieldPath(): string {
    return `metadata.annotations['${CLUSTER_ANNOTATION}']`;
  }

  private placementView(): PlacementView {
    return {
      root: this,
      management: this.management,
      platform: this.platform,
      service: this.service,
      repoUrl: this.props.repoUrl,
      preinstalledTemplates: this.props.preinstalledTemplates ?? [],
      clusterArgFieldPath: this.clusterArgFieldPath,
      bootstrap: this.bootstrap,
      producedPaths: () => new Set([...this.clusterOverlays().map(overlayPath), platformPath(this.serviceName)]),
    };
  }

  /** One overlay per (environment, cluster) the service ApplicationSet generates, computed from the fleet. */
  private clusterOverlays(): ClusterOverlay[] {
    const out: ClusterOverlay[] = [];
    for (const env of this.props.environments) {
      const selected = this.fleet.selectClusters(ClusterSelector.of({ ...this.selector.labels, [this.envLabel]: env }, this.selector.expressions));
      for (const c of selected) out.push({ env, cluster: Fleet.normalizeClusterName(c.name) });
    }
    return out;
  }

  /**
   * Synth-time glue that depends on what was added after construction: templates sync before the Rollouts
   * (sync-wave -1), and the service's Applications ignore the route weights the router rewrites mid-canary.
   */
  private prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    for (const chart of [this.service, this.platform]) {
      for (const obj of apiObjectsOf(chart)) {
        if (obj.kind === 'AnalysisTemplate' || obj.kind === 'ClusterAnalysisTemplate') {
          if (obj.metadata.toJson().annotations?.[SYNC_WAVE] === undefined) obj.metadata.addAnnotation(SYNC_WAVE, '-1');
        }
      }
    }
    const ignore = routerIgnoreDifferences(rolloutsOf(this.service).map(r => r.apiObject.toJson().spec));
    if (ignore.length > 0) this.appSet._addIgnoreDifferences(ignore.map(d => ({ ...d })));
    this.narrowFederations();
  }

  /**
   * The stack knows every Rollout that runs the federation's analyses, so it tells the federation the arg values
   * each analysis runs with (a literal, or the template default when none is passed; runtime values left open): the
   * central Prometheus then federates `{__name__="http_requests_total",service="my-service"}`, not the metric of
   * every service in every cluster.
   */
  private narrowFederations(): void {
    const federations = this.management.node.findAll().filter((c): c is FederatedPrometheus => c instanceof FederatedPrometheus);
    if (federations.length === 0) return;
    // every analysis of every Rollout, whatever its strategy: canary steps and background, blue-green pre/post-promotion
    for (const use of rolloutsOf(this.service).flatMap(r => r._analysisUses())) {
      const passed = new Map(passedArgs(use.analysis).map(a => [a.name, a.value]));
      for (const ref of use.analysis.templates) {
        for (const f of federations) {
          const template = f.analyses.find(t => t.templateName === ref.templateName && t.clusterScope === ref.clusterScope);
          if (!template) continue;
          const values: { [arg: string]: string } = {};
          for (const a of template.declaredArgs) {
            const p = passed.get(a.name);
            if (p && p.value !== undefined) values[a.name] = p.value;
            else if (!p && a.defaultValue !== undefined && !a.fromSecret) values[a.name] = a.defaultValue;
          }
          f.addArgValues(template, values);
        }
      }
    }
  }

  /** The validation cdk8s runs in `App.synth()`, with the same message. */
  private validateAll(): void {
    const errors: string[] = [];
    for (const c of this.node.findAll()) {
      for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
    }
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }

  private releasePlanInput(): ReleasePlanInput {
    const rollouts = rolloutsOf(this.service);
    let longest: { seconds: number; rollout: string; update: string } | undefined;
    const manualGates: string[] = [];
    const unknown: string[] = [];
    for (const r of rollouts) {
      const d = r._planFacts();
      const seconds = d.minimum.toSeconds({ integral: false });
      if (longest === undefined || seconds > longest.seconds) longest = { seconds, rollout: r.name, update: d.update };
      for (const g of d.manualGates) manualGates.push(`Rollout ${show(r.name)} ${g}`);
      for (const u of d.unknownAnalyses) unknown.push(`Rollout ${show(r.name)} ${u}`);
    }
    // A Job measurement lasts as long as its Job runs, which no template knows (a Prometheus or web measurement is one
    // request): unless the analysis gives its expectedDuration, the plan counts only its schedule and is a lower bound.
    const jobMetrics = this.jobMetricsByTemplate();
    const jobRuns: string[] = [];
    for (const r of rollouts) {
      for (const use of r._analysisUses().filter(u => u.analysis.expectedDuration === undefined)) {
        for (const t of use.analysis.templates) {
          for (const m of jobMetrics.get(`${t.clusterScope}/${t.templateName}`) ?? []) {
            jobRuns.push(`Rollout ${show(r.name)} ${use.prop}: template ${show(t.templateName)} metric ${show(m)}`);
          }
        }
      }
    }
    const inconclusive: string[] = [];
    const seen = new Set<string>();
    for (const t of rollouts.flatMap(r => r.analysisTemplates)) {
      const key = `${t.clusterScope}/${t.templateName}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const m of t.inconclusiveMetricNames ?? []) inconclusive.push(`template ${show(t.templateName)} metric ${show(m)}`);
    }
    return {
      service: this.serviceName,
      plan: this.plan(),
      update: Duration.seconds(longest?.seconds ?? 0),
      updateDescription: longest === undefined ? 'no Rollout in stack.service (0s)'
        : `${longest.update} of Rollout ${show(longest.rollout)}${rollouts.length > 1 ? `, the longest of the service's ${rollouts.length} Rollouts` : ''}`,
      podStartup: this.props.podStartup ?? Duration.minutes(2),
      manualGates,
      inconclusiveAnalyses: inconclusive,
      unknownAnalyses: unknown,
      jobRuns,
      revisions: this.props.environmentRevisions
        ? this.props.environments.map(e => ({ environment: e, revision: this.props.environmentRevisions![e] }))
        : [{ environment: '(every environment)', revision: this.props.targetRevision ?? 'HEAD' }],
      backgroundAnalysis: rollouts.map(r => ({ rollout: r.name, analysed: r._analysisUses().some(u => u.background) })),
      platformApplicationSets: [this.bootstrapAppSet, this.platformAppSet].filter((a): a is MultiClusterAppSet => a !== undefined).map(a => a.name),
    };
  }

  /**
   * The metrics of the stack's templates that run a Job per measurement (`provider.job`), by `<clusterScope>/<name>`.
   */
  private jobMetricsByTemplate(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const o of [...apiObjectsOf(this.service), ...apiObjectsOf(this.platform)]) {
      if (o.kind !== 'AnalysisTemplate' && o.kind !== 'ClusterAnalysisTemplate') continue;
      const metrics = ((o.toJson().spec?.metrics ?? []) as any[]).filter(m => m?.provider?.job !== undefined).map(m => String(m.name));
      if (metrics.length > 0) out.set(`${o.kind === 'ClusterAnalysisTemplate'}/${o.name}`, metrics);
    }
    return out;
  }

  /**
   * Each overlay with the bake of the wave its Application syncs in (the service ApplicationSet's plan: the Application
   * whose source path is the overlay's).
   */
  private bakedOverlays(overlays: ClusterOverlay[]): ClusterOverlay[] {
    if (!this.props.waves.some(w => w.bake)) return overlays;
    const plan = this.appSet.plan();
    const bakeOfPath = new Map<string, Duration>();
    for (const a of this.appSet.generatedApplications()) {
      const step = plan.stepOf(a.name);
      const bake = step > 0 ? plan.waves[step - 1].bake : undefined;
      if (bake && a.sourcePath) bakeOfPath.set(a.sourcePath, bake);
    }
    return overlays.map(o => {
      const bake = bakeOfPath.get(overlayPath(o));
      return bake ? { ...o, bake } : o;
    });
  }

  /**
   * A bake is rendered as final canary steps (full weight, then a timed pause) in each cluster's overlay: every Rollout of
   * the service must be a canary.
   */
  private bakeProblems(): Problem[] {
    const baked = this.props.waves.map((w, i) => ({ w, i })).filter(x => x.w.bake);
    if (baked.length === 0) return [];
    const rollouts = apiObjectsOf(this.service).filter(o => o.kind === 'Rollout');
    if (rollouts.length === 0) {
      return [{
        prop: `waves[${baked[0].i}]`,
        given: `a bake of ${baked[0].w.bake!.toSeconds()}s, but stack.service has no Rollout`,
        expected: 'a canary Rollout in stack.service: the bake is rendered as its final timed pause in each cluster\'s overlay (without one nothing would wait)',
        fix: 'add the CanaryRollout to stack.service, or drop withBake() from the waves',
      }];
    }
    return rollouts.filter(r => r.toJson().spec?.strategy?.canary === undefined).map(r => ({
      prop: `waves[${baked[0].i}]`,
      given: `a bake of ${baked[0].w.bake!.toSeconds()}s, but Rollout ${show(r.name)} (${r.node.path}) is not a canary (strategy ${show(Object.keys(r.toJson().spec?.strategy ?? {}))})`,
      expected: 'only canary Rollouts in a stack whose waves bake: the bake is rendered as a final setWeight to full weight and a timed pause appended to '
        + 'the canary steps in each cluster\'s overlay',
      fix: 'for a blue-green Rollout hold the wave in the Rollout itself: BlueGreenRollout promotion BlueGreenPromotion.after(<bake>) '
        + '(autoPromotionSeconds) with a pre-promotion analysis keeps it Suspended until it promotes; drop withBake() from the waves; or use a CanaryRollout',
    }));
  }

  /** An environment no cluster of the fleet is labelled with (a typo, or a missing cluster Secret label). */
  private environmentProblems(): Problem[] {
    const overlays = this.clusterOverlays();
    return this.props.environments.flatMap((env, i) => (overlays.some(o => o.env === env) ? [] : [{
      prop: `environments[${i}]`,
      given: `${show(env)}, which no selected cluster of the fleet has as its ${show(this.envLabel)} label`,
      expected: `an environment of at least one cluster (the fleet's ${show(this.envLabel)} labels: ${show([...new Set(this.fleet.clusters.map(c => c.labels?.[this.envLabel]).filter(Boolean))])})`,
      fix: 'fix the name, label the cluster Secrets, or drop the environment',
    }]));
  }

  private validateProps(): void {
    const p = this.props;
    const where = 'ProgressiveDeliveryStack';
    const fail = (prop: string, given: string, expected: string, fix: string): never => {
      throw propError(where, { prop, given, expected, fix });
    };
    if (typeof p.serviceName !== 'string' || (checkDns1123Label(p.serviceName) ?? checkConstructId(p.serviceName)) !== undefined) {
      fail('serviceName', show(p.serviceName), checkDns1123Label(String(p.serviceName)) ?? checkConstructId(String(p.serviceName)) ?? 'a string', 'use a short lowercase name, e.g. "my-service"');
    }
    if (typeof p.repoUrl !== 'string' || !/^(https?:\/\/|ssh:\/\/|git@)\S+$/.test(p.repoUrl)) {
      fail('repoUrl', show(p.repoUrl), 'the Git URL Argo CD clones (https://, ssh:// or git@)', 'e.g. "https://github.com/my-org/my-service-deploy"');
    }
    if (!(p.fleet instanceof Fleet)) fail('fleet', show(typeof p.fleet), 'a Fleet', 'pass new Fleet({ clusters: [...] })');
    if (!Array.isArray(p.environments) || p.environments.length === 0) {
      fail('environments', show(p.environments), 'at least one environment name', 'e.g. ["canary", "production"]');
    }
    if (!Array.isArray(p.waves) || p.waves.length === 0) {
      fail('waves', show(p.waves), 'at least one RollingSync step', 'e.g. [RollingSyncStep.whereIn("env", ["canary"], MaxUpdate.count(1))]');
    }
    p.waves.forEach((w, i) => {
      if (!(w instanceof RollingSyncStep)) fail(`waves[${i}]`, show(w), 'a RollingSyncStep', 'use RollingSyncStep.whereIn(...), .matching(...) or .everything()');
    });
    p.environments.forEach((e, i) => {
      if (typeof e !== 'string') fail(`environments[${i}]`, show(e), 'an environment name (string)', 'e.g. "canary"');
    });
    if (p.bootstrap !== undefined && !(p.bootstrap instanceof RolloutsBootstrap)) {
      fail('bootstrap', show(p.bootstrap), 'a RolloutsBootstrap', 'use RolloutsBootstrap.helmChart() or RolloutsBootstrap.preinstalled()');
    }
    if (p.namespace !== undefined && checkDns1123Label(p.namespace) !== undefined) {
      fail('namespace', show(p.namespace), checkDns1123Label(p.namespace)!, 'use a valid namespace name');
    }
    if (p.argocdNamespace !== undefined && checkDns1123Label(p.argocdNamespace) !== undefined) {
      fail('argocdNamespace', show(p.argocdNamespace), checkDns1123Label(p.argocdNamespace)!, 'use the namespace Argo CD runs in, e.g. "argocd"');
    }
    if (p.environmentClusterLabel !== undefined && checkLabelKey(p.environmentClusterLabel) !== undefined) {
      fail('environmentClusterLabel', show(p.environmentClusterLabel), checkLabelKey(p.environmentClusterLabel)!, 'use the cluster Secret label, e.g. "env"');
    }
    if (p.podStartup !== undefined && !(p.podStartup.toSeconds({ integral: false }) >= 0)) {
      fail('podStartup', show(p.podStartup.toSeconds({ integral: false })), 'a non-negative duration', 'e.g. Duration.minutes(2)');
    }
    (p.preinstalledTemplates ?? []).forEach((t, i) => {
      if (typeof t !== 'string' || t.length === 0) fail(`preinstalledTemplates[${i}]`, show(t), 'a ClusterAnalysisTemplate name', 'give metadata.name');
    });
  }
}

/**
 * How long a release of the stack takes through its waves.
 */
export interface ReleaseDuration {
  /**
   * One Application: the update of the service's longest Rollout + pod start-up.
   *
   * A canary's update is its timed pauses + the analyses' minimum durations, a blue-green's is its pre-promotion analysis +
   * promotion delay + post-promotion analysis.
   */
  readonly perApplication: Duration;
  /** Each wave: its rounds (batches) × (`perApplication` + the wave's bake). */
  readonly waves: Duration[];
  /** Each wave's bake (0 without one). */
  readonly bakes: Duration[];
  /** The stack is frozen (every step maxUpdate 0): no wave proceeds, and `total` is 0. */
  readonly frozen: boolean;
  /** The sum of the waves. */
  readonly total: Duration;
  /**
   * Whether `total` is a lower bound: a manual gate (a wave, a canary pause, a manual blue-green promotion), an analysis
   * that can pause for a person, or an analysis whose run time is not known (e.g. a Job's without `expectedDuration`).
   */
  readonly lowerBound: boolean;
}
