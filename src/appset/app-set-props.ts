import { ApiObjectMetadata, Duration } from 'cdk8s';
import { Generator } from './generator';
import { ClusterSelector } from '../fleet/cluster-selector';
import { Fleet } from '../fleet/fleet';
import { PlannedApplication } from '../plan/rollout-plan';
import { RollingSyncStep } from '../rolling-sync/rolling-sync-step';

/**
 * Helm options of the Application source.
 */
export interface HelmSourceOptions {
  /**
   * Value files, relative to the chart path.
   *
   * @default - none
   */
  readonly valueFiles?: string[];
  /**
   * Helm parameters (`--set name=value`), in this order.
   *
   * @default - none
   */
  readonly parameters?: { [name: string]: string };
  /**
   * Inline values YAML.
   *
   * @default - none
   */
  readonly values?: string;
  /**
   * The Helm release name.
   *
   * @default - the Application name
   */
  readonly releaseName?: string;
}

/**
 * Kustomize options of the Application source.
 */
export interface KustomizeSourceOptions {
  /**
   * Prefix for every resource name.
   *
   * @default - none
   */
  readonly namePrefix?: string;
  /**
   * Suffix for every resource name.
   *
   * @default - none
   */
  readonly nameSuffix?: string;
  /**
   * Image overrides, e.g. `ghcr.io/my-org/my-service:1.2.3`.
   *
   * @default - none
   */
  readonly images?: string[];
  /**
   * Labels added to every resource.
   *
   * @default - none
   */
  readonly commonLabels?: { [key: string]: string };
  /**
   * Annotations added to every resource. Values may use the generator's params, e.g.
   * `{ 'example.com/cluster': '{{.name}}' }`, so that per-cluster values reach resources that are the same in every
   * cluster: a Rollout reads it with `AnalysisArgValue.fieldRef("metadata.annotations['example.com/cluster']")`.
   * Unlike `commonLabels`, annotations never touch selectors.
   *
   * @default - none
   */
  readonly commonAnnotations?: { [key: string]: string };
}

/**
 * Where the generated Applications take their manifests from. String fields may use template params.
 */
export interface ApplicationSourceProps {
  /** The Git or Helm repository URL (`repoURL`). */
  readonly repoUrl: string;
  /**
   * The revision (branch, tag, commit, or chart version). Required for a Helm chart (Argo CD: "spec.source.targetRevision
   * is required if the manifest source is a helm chart").
   *
   * @default - the environment's revision with `environmentRevisions`, otherwise 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * A name other sources of `sources` use to read files of this one (`$<ref>/values.yaml` in Helm `valueFiles`).
   * Only in `sources` (Argo CD ignores it in a single `source`); letters, digits, `_` and `-`.
   *
   * @default - not referenced
   */
  readonly ref?: string;
  /**
   * The directory in a Git repository, e.g. `k8s/overlays/{{.env}}`.
   *
   * @default - the repository root (`.`) for a single Git `source`; in `sources` a path, chart or ref is required
   */
  readonly path?: string;
  /**
   * The chart name in a Helm repository.
   *
   * @default - a Git source
   */
  readonly chart?: string;
  /**
   * Helm options.
   *
   * @default - none
   */
  readonly helm?: HelmSourceOptions;
  /**
   * Kustomize options.
   *
   * @default - none
   */
  readonly kustomize?: KustomizeSourceOptions;
}

/**
 * The order Argo CD deletes the generated Applications in when the ApplicationSet is deleted.
 */
export class DeletionOrder {
  /** All Applications at once (the controller default). */
  public static readonly ALL_AT_ONCE = new DeletionOrder('AllAtOnce');
  /** The last RollingSync step first, one Application per reconcile (needs RollingSync with steps). */
  public static readonly REVERSE = new DeletionOrder('Reverse');
  private constructor(/** The manifest value. */ public readonly value: string) {}
}

/**
 * What the ApplicationSet controller may do to existing Applications (`spec.syncPolicy.applicationsSync`).
 */
export class ApplicationsSyncPolicy {
  /** Create, update and delete Applications (the default behaviour). */
  public static readonly SYNC = new ApplicationsSyncPolicy('sync');
  /** Create and update, never delete. */
  public static readonly CREATE_UPDATE = new ApplicationsSyncPolicy('create-update');
  /** Create only. Incompatible with RollingSync. */
  public static readonly CREATE_ONLY = new ApplicationsSyncPolicy('create-only');
  /** Create and delete, never update. Incompatible with RollingSync. */
  public static readonly CREATE_DELETE = new ApplicationsSyncPolicy('create-delete');
  private constructor(/** The manifest value. */ public readonly value: string) {}
}

/**
 * A difference Argo CD ignores when it compares an Application's resources with Git (`spec.ignoreDifferences` of the
 * Application template), e.g. fields a controller rewrites at runtime.
 */
export interface ResourceIgnoreDifferences {
  /** The resource kind, e.g. `Rollout`. */
  readonly kind: string;
  /**
   * The API group (`""` for the core group).
   *
   * @default - the core group
   */
  readonly group?: string;
  /**
   * Only the resource with this name.
   *
   * @default - every resource of the kind
   */
  readonly name?: string;
  /**
   * Only resources in this namespace.
   *
   * @default - every namespace
   */
  readonly namespace?: string;
  /**
   * JSON pointers (RFC 6901) of the ignored fields, e.g. `/spec/replicas`.
   *
   * @default - none
   */
  readonly jsonPointers?: string[];
  /**
   * jq path expressions of the ignored fields, e.g. `.spec.template.spec.containers[] | select(.name == "istio-proxy")`.
   *
   * @default - none
   */
  readonly jqPathExpressions?: string[];
  /**
   * Ignore the fields these managers (server-side apply field managers) own, e.g. `kube-controller-manager`.
   *
   * @default - none
   */
  readonly managedFieldsManagers?: string[];
}

/**
 * A difference the ApplicationSet controller ignores when it updates a generated Application
 * (`spec.ignoreApplicationDifferences`), e.g. a field people change by hand on the live Application.
 */
export interface ApplicationIgnoreDifferences {
  /**
   * Only the Application with this name.
   *
   * @default - every generated Application
   */
  readonly name?: string;
  /**
   * JSON pointers (RFC 6901) into the Application, e.g. `/spec/source/targetRevision`.
   *
   * @default - none
   */
  readonly jsonPointers?: string[];
  /**
   * jq path expressions into the Application, e.g. `.spec.source.helm.values`.
   *
   * @default - none
   */
  readonly jqPathExpressions?: string[];
}

/**
 * Props of a `MultiClusterAppSet`.
 */
export interface MultiClusterAppSetProps {
  /**
   * Metadata of the ApplicationSet.
   *
   * @default - a name generated by cdk8s, namespace `argocd`
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The seed's shape: the Argo CD clusters to deploy to (a clusters generator). Combined with `environments` as a
   * matrix (clusters × environments). Mutually exclusive with `generators`.
   *
   * @default - `generators` must be given
   */
  readonly clusters?: ClusterSelector;

  /**
   * The seed's shape: environment names, each a list element `{env: <name>}` (key `environmentKey`) multiplied with
   * the selected clusters. Each Application gets the labels `env` and `cluster` automatically.
   *
   * @default - one Application per selected cluster
   */
  readonly environments?: string[];

  /**
   * The param and label key of the environment.
   *
   * @default 'env'
   */
  readonly environmentKey?: string;

  /**
   * Deploy each environment only to the clusters whose Secret has this label set to the environment's name
   * (e.g. `env`), instead of every environment to every selected cluster. The generator becomes
   * `matrix[list(environments), clusters(selector + {<label>: <env>})]`: the cluster selector of the second child
   * is templated with the environment of the first.
   *
   * @default - every environment on every selected cluster
   */
  readonly environmentClusterLabel?: string;

  /**
   * Generators for everything the seed shape does not cover (clusters, list, matrix, merge, git, or raw JSON).
   * Mutually exclusive with `clusters`/`environments`.
   *
   * @default - the generator built from `clusters` and `environments`
   */
  readonly generators?: Generator[];

  /**
   * The RollingSync steps, in order. More can be added with `addStep()`; at least one is needed at synth.
   *
   * @default - none: add them with `addStep()` (synth fails without any)
   */
  readonly steps?: RollingSyncStep[];

  /**
   * The generated Application name pattern.
   *
   * @default - `{{.nameNormalized}}-{{.env}}` with environments, `{{.nameNormalized}}` with clusters only (the normalized
   * cluster name, valid in names even for EKS ARNs or GKE context names); required with `generators`
   */
  readonly applicationName?: string;

  /**
   * Labels of the generated Applications (templates allowed). The keys RollingSync steps select on must be here,
   * except the environment and cluster keys, which are injected.
   *
   * @default - only the injected labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the generated Applications.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * The Argo CD project. It may be templated when the ApplicationSet is applied with kubectl/GitOps; note that
   * `argocd appset create` (the Argo CD API) rejects a templated project.
   *
   * @default 'default'
   */
  readonly project?: string;

  /**
   * Where the Applications take their manifests from. Exactly one of `source` and `sources`.
   *
   * @default - `sources` must be given
   */
  readonly source?: ApplicationSourceProps;

  /**
   * Several sources (`spec.sources`), e.g. a Helm chart whose value files come from a Git repository
   * (`ref: 'values'` on the Git source, `valueFiles: ['$values/envs/{{.env}}.yaml']` on the chart). Exactly one of
   * `source` and `sources`: Argo CD ignores `source` when `sources` is set.
   *
   * @default - `source` is used
   */
  readonly sources?: ApplicationSourceProps[];

  /**
   * Each environment's revision: the Applications of an environment track that revision (a tag or commit) instead
   * of one `targetRevision` for all, so a promotion is one Git change per environment. Rendered as a `revision` param
   * in each environment's list element and `targetRevision: '{{.revision}}'` on every source without a
   * `targetRevision` of its own. Needs `environments`, with a revision for each.
   *
   * With one moving revision (`HEAD`), each step's Applications sync whatever the branch holds when their turn comes,
   * and a later step can start on a commit an earlier step never ran: ordering across steps is best effort upstream
   * (argo-cd#22852, #29347, #29410). Pinned revisions make each environment's release an explicit change.
   *
   * @default - every Application tracks `source.targetRevision`
   */
  readonly environmentRevisions?: { [environment: string]: string };

  /**
   * Stop every wave: every RollingSync step is rendered with `maxUpdate: 0`, so the controller promotes no
   * Application (Argo CD v3.5.1: the step's in-flight count is always >= 0). Applications already syncing finish; a
   * new revision waits until the ApplicationSet is unfrozen or someone syncs an Application by hand. For incidents
   * (argo-cd#17974, #22001); sync windows do not pause RollingSync (argo-cd#29307). The plan says the release is
   * frozen.
   *
   * @default false
   */
  readonly frozen?: boolean;

  /**
   * Differences Argo CD ignores when it compares each Application's resources with Git (the Application template's
   * `spec.ignoreDifferences`).
   *
   * @default - none
   */
  readonly ignoreDifferences?: ResourceIgnoreDifferences[];

  /**
   * Differences the ApplicationSet controller ignores when it updates the generated Applications
   * (`spec.ignoreApplicationDifferences`); since v3.5.1 also in RollingSync's spec-change detection.
   *
   * @default - none
   */
  readonly ignoreApplicationDifferences?: ApplicationIgnoreDifferences[];

  /**
   * A Go template (YAML text) rendered per Application with the generator params and applied to the rendered
   * Application as a strategic merge patch (`spec.templatePatch`), for what the typed template cannot express, e.g.
   * fields that exist only for some param sets. Checked like the rest of the template (params the generators
   * produce, syntax); with a fleet, the static rendering applies it, or reports that it cannot. Needs `goTemplate`;
   * `spec.project` in the patch is ignored by the controller (rejected here).
   *
   * @default - no patch
   */
  readonly templatePatch?: string;

  /** The namespace the Applications deploy into (templates allowed, e.g. `my-service-{{.env}}`). */
  readonly destinationNamespace: string;

  /**
   * The destination API server.
   *
   * @default - `{{.server}}` when a clusters generator is used; otherwise required (or `destinationName`)
   */
  readonly destinationServer?: string;

  /**
   * The destination cluster name, instead of `destinationServer`.
   *
   * @default - `destinationServer` is used
   */
  readonly destinationName?: string;

  /**
   * Add the `CreateNamespace=true` sync option.
   *
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * Further sync options, e.g. `ServerSideApply=true`.
   *
   * @default - none
   */
  readonly syncOptions?: string[];

  /**
   * Automated sync. Under RollingSync the controller forces it off on every Application and syncs each Application
   * itself, step by step, when its target revision or spec changes, so `true` is rejected. To start a rollout, CI
   * pushes the new target revision (a Git webhook or an Application refresh makes Argo CD notice it at once).
   *
   * @default false
   */
  readonly autoSync?: boolean;

  /**
   * Prune resources in the syncs RollingSync triggers. Emitted as `automated: {prune: true}` with `enabled` unset:
   * the controller reuses `automated.prune` for its sync operation only while automated sync counts as enabled, and
   * sets `enabled: false` on each Application itself (an explicit `enabled: false` would make every RollingSync sync
   * run without prune). Without progressive syncs enabled on the controller, this block turns automated sync on.
   *
   * @default false
   */
  readonly prune?: boolean;

  /**
   * How many times a failed sync is retried (the controller default for RollingSync operations is 5). A negative
   * value (e.g. -1) retries without limit, as Argo CD treats any limit below 0.
   *
   * @default - no retry block (controller default)
   */
  readonly retryLimit?: number;

  /**
   * Backoff before the first retry.
   *
   * @default - Argo CD default (5s)
   */
  readonly retryBackoffDuration?: Duration;

  /**
   * Backoff multiplier per retry.
   *
   * @default - Argo CD default (2)
   */
  readonly retryBackoffFactor?: number;

  /**
   * Maximum backoff.
   *
   * @default - Argo CD default (3m)
   */
  readonly retryBackoffMaxDuration?: Duration;

  /**
   * The deletion order of the Applications when the ApplicationSet is deleted.
   *
   * @default DeletionOrder.ALL_AT_ONCE (not emitted)
   */
  readonly deletionOrder?: DeletionOrder;

  /**
   * `spec.syncPolicy.applicationsSync`. `CREATE_ONLY` and `CREATE_DELETE` are rejected: the controller could not
   * write the sync operation to existing Applications (argo-cd#29142).
   *
   * @default - not emitted (the controller's policy)
   */
  readonly applicationsSync?: ApplicationsSyncPolicy;

  /**
   * Keep the deployed resources when an Application is deleted (no resources finalizer on the Applications).
   *
   * @default false
   */
  readonly preserveResourcesOnDeletion?: boolean;

  /**
   * Use Go templates (`{{.name}}`) instead of fasttemplate (`{{name}}`).
   *
   * @default true
   */
  readonly goTemplate?: boolean;

  /**
   * Go template options.
   *
   * @default ['missingkey=error']
   */
  readonly goTemplateOptions?: string[];

  /**
   * The clusters registered in Argo CD. When given, the Applications are rendered at synth time and checked (valid
   * unique names, every Application in a step, no two in the same namespace of the same cluster) and `plan()` works.
   *
   * @default - no static rendering
   */
  readonly fleet?: Fleet;

  /**
   * Accept Applications that no step selects (the controller never syncs them; they must be synced by hand).
   *
   * @default false
   */
  readonly allowUnmatchedApplications?: boolean;

  /**
   * Accept Applications that several steps select (they sync in the first; the controller logs a warning and the
   * later step also waits for them). Without this, such overlaps are synth errors.
   *
   * @default false
   */
  readonly allowOverlappingSteps?: boolean;
}

/**
 * An Application the ApplicationSet generates for a fleet, rendered at synth time.
 */
export interface GeneratedApplication extends PlannedApplication {
  /** The destination namespace. */
  readonly destinationNamespace: string;
  /**
   * The destination server.
   *
   * @default - `destinationName` is used
   */
  readonly destinationServer?: string;
  /**
   * The destination cluster name.
   *
   * @default - `destinationServer` is used
   */
  readonly destinationName?: string;
  /**
   * The source path (of the first source with `sources`).
   *
   * @default - none
   */
  readonly sourcePath?: string;
  /**
   * The revision the Application tracks (of the first source with `sources`).
   *
   * @default - none
   */
  readonly targetRevision?: string;
  /**
   * The fleet cluster the Application deploys to (matched by destination server or name).
   *
   * @default - the destination is not a fleet cluster (e.g. in-cluster)
   */
  readonly clusterName?: string;
}
