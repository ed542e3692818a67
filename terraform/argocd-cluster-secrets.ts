import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ClusterConfig } from './cluster-config';
import { Fleet, MultiClusterAppSet, ValidationError, ValidationProblem } from 'cdk8s-progressive-delivery';

/** The label Argo CD reads cluster Secrets by; clusters generators AND it with their selector. */
export const ARGOCD_SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/**
 * Props of `ArgoCdClusterSecrets`.
 */
export interface ArgoCdClusterSecretsProps {
  /** The fleet: one cluster Secret per cluster, labelled with the cluster's labels. */
  readonly fleet: Fleet;

  /** Where each cluster's connection config (credentials) comes from, resolved by Terraform at plan time. */
  readonly config: ClusterConfig;

  /**
   * The Argo CD namespace on the management cluster (Argo CD only reads cluster Secrets there).
   *
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * Prefix of the Secret names: `<prefix><normalized cluster name>`.
   *
   * @default 'cluster-'
   */
  readonly secretNamePrefix?: string;

  /**
   * The Argo CD project the clusters are scoped to (the Secret's `project` key).
   *
   * @default - not project-scoped
   */
  readonly project?: string;

  /**
   * Write the Secret data as the write-only `data_wo` (Terraform and OpenTofu >= 1.11, provider >= 2.38) with this
   * revision: the values, credentials included, are then kept out of the Terraform state and plan. Terraform only
   * re-sends them when the revision changes: increment it to rotate a credential.
   *
   * @default - `data`: sensitive (redacted in plans) but stored in the state
   */
  readonly writeOnlyRevision?: number;

  /**
   * The `kubernetes` provider of the management cluster.
   *
   * @default - the stack's default `kubernetes` provider
   */
  readonly provider?: TerraformProvider;

  /**
   * ApplicationSets planned against this fleet (or a copy of it): at synth, every cluster one of them deploys to
   * must be registered here with exactly the labels the ApplicationSet was planned with.
   *
   * @default - no cross-check
   */
  readonly appSets?: MultiClusterAppSet[];
}

/**
 * The Argo CD cluster Secrets of a `Fleet`, as `kubernetes_secret_v1` resources on the management cluster.
 *
 * Each Secret carries `argocd.argoproj.io/secret-type: cluster` plus exactly the fleet's labels for the cluster — the
 * labels the ApplicationSets' clusters generators select on — so the labels the library plans with and the labels
 * Argo CD sees come from one typed source. `data` holds `name`, `server` and `config`; `config` is a Terraform
 * reference (`ClusterConfig`), so the synthesized configuration never contains a credential.
 *
 * @example
 * const stack = new TerraformStack(app, 'argocd-clusters');
 * new KubernetesProvider(stack, 'management', { configPath: '~/.kube/config', configContext: 'management' });
 * new ArgoCdClusterSecrets(stack, 'clusters', { fleet, config: ClusterConfig.fromSensitiveVariables() });
 */
export class ArgoCdClusterSecrets extends Construct {
  /** The Argo CD namespace the Secrets are in. */
  public readonly namespace: string;
  private readonly _secrets = new Map<string, { resource: SecretV1; labels: { [key: string]: string } }>();

  constructor(scope: Construct, id: string, props: ArgoCdClusterSecretsProps) {
    super(scope, id);
    if (!Array.isArray((props.fleet as any)?.clusters)) {
      throw new ValidationError(this, {
        prop: 'fleet', given: props.fleet === undefined ? 'missing' : typeof props.fleet, expected: 'a Fleet', fix: 'pass fleet: new Fleet({ clusters: [...] })',
      });
    }
    if (!(props.config instanceof ClusterConfig)) {
      throw new ValidationError(this, {
        prop: 'config',
        given: props.config === undefined ? 'missing' : typeof props.config,
        expected: 'a ClusterConfig',
        fix: 'pass config: ClusterConfig.fromSensitiveVariables() (or fromExistingSecrets / fromExpression)',
      });
    }
    this.namespace = props.namespace ?? 'argocd';
    const prefix = props.secretNamePrefix ?? 'cluster-';
    check(this, 'namespace', this.namespace, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a namespace name (DNS-1123 label)');
    check(this, 'secretNamePrefix', prefix, /^([a-z0-9][-a-z0-9.]*)?$/, 'the start of a Secret name (lowercase letters, digits, - or .)');

    if (props.writeOnlyRevision !== undefined && !(Number.isInteger(props.writeOnlyRevision) && props.writeOnlyRevision >= 1)) {
      throw new ValidationError(this, {
        prop: 'writeOnlyRevision',
        given: JSON.stringify(props.writeOnlyRevision),
        expected: 'an integer >= 1 (the provider only writes data_wo when data_wo_revision is at least 1)',
        fix: 'start at 1 and increment it to rotate the credentials',
      });
    }

    props.fleet.clusters.forEach((cluster, i) => {
      if (ARGOCD_SECRET_TYPE_LABEL in (cluster.labels ?? {})) {
        throw new ValidationError(this, {
          prop: `fleet.clusters[${i}].labels`,
          given: `${JSON.stringify(ARGOCD_SECRET_TYPE_LABEL)}: ${JSON.stringify(cluster.labels![ARGOCD_SECRET_TYPE_LABEL])}`,
          expected: `no ${ARGOCD_SECRET_TYPE_LABEL} label: this construct sets it to "cluster", the value Argo CD reads`,
          fix: `remove ${ARGOCD_SECRET_TYPE_LABEL} from the fleet's labels`,
        });
      }
      const normalizedName = Fleet.normalizeClusterName(cluster.name);
      const secretName = `${prefix}${normalizedName}`;
      const clash = [...this._secrets.keys()].find(n => Fleet.normalizeClusterName(n) === normalizedName);
      if (clash !== undefined) {
        throw new ValidationError(this, {
          prop: `fleet.clusters[${i}].name`,
          given: `${JSON.stringify(cluster.name)}, normalized like ${JSON.stringify(clash)} to ${JSON.stringify(normalizedName)}`,
          expected: 'cluster names that stay distinct once normalized (they name the Secrets)',
          fix: 'rename one of the clusters in Argo CD and in the fleet',
        });
      }
      if (secretName.length > 253) {
        throw new ValidationError(this, {
          prop: `fleet.clusters[${i}].name`,
          given: `${JSON.stringify(cluster.name)} (Secret name ${secretName.length} characters)`,
          expected: 'a Secret name of at most 253 characters',
          fix: 'shorten secretNamePrefix or the cluster name',
        });
      }
      const config = props.config._bind(this, { cluster, normalizedName, identifier: normalizedName.replace(/[-.]/g, '_') });
      const labels = { ...(cluster.labels ?? {}), [ARGOCD_SECRET_TYPE_LABEL]: 'cluster' };
      const data = {
        name: cluster.name,
        server: cluster.server,
        config,
        ...(props.project !== undefined ? { project: props.project } : {}),
      };
      const resource = new SecretV1(this, `secret-${normalizedName}`, {
        provider: props.provider,
        metadata: { name: secretName, namespace: this.namespace, labels },
        type: 'Opaque',
        // the provider rejects data together with data_wo
        ...(props.writeOnlyRevision !== undefined ? { dataWo: data, dataWoRevision: props.writeOnlyRevision } : { data }),
      });
      this._secrets.set(cluster.name, { resource, labels });
    });

    const appSets = props.appSets ?? [];
    this.node.addValidation({ validate: () => appSets.flatMap(a => this.appSetProblems(a)).map(p => new ValidationError(this, p).message) });
  }

  /** The cluster names, in fleet order. */
  public get clusterNames(): string[] {
    return [...this._secrets.keys()];
  }

  /**
   * The Secret resource of a cluster.
   *
   * @param clusterName the cluster's name in the fleet
   */
  public secretOf(clusterName: string): SecretV1 | undefined {
    return this._secrets.get(clusterName)?.resource;
  }

  /**
   * The labels the cluster's Secret carries (the fleet's labels plus the secret-type label).
   *
   * @param clusterName the cluster's name in the fleet
   */
  public labelsOf(clusterName: string): { [key: string]: string } | undefined {
    const s = this._secrets.get(clusterName);
    return s ? { ...s.labels } : undefined;
  }

  /**
   * What would make Argo CD generate other Applications than the ApplicationSet was planned with: a planned cluster
   * that is not registered here, or registered with other labels.
   *
   * @param appSet an ApplicationSet planned against a fleet
   */
  public appSetProblems(appSet: MultiClusterAppSet): ValidationProblem[] {
    const fleet = appSet.fleet;
    if (!fleet) {
      return [{
        prop: 'appSets',
        given: `${appSet.node.path} without a fleet`,
        expected: 'ApplicationSets planned against a Fleet',
        fix: 'pass the same fleet to the MultiClusterAppSet',
      }];
    }
    const problems: ValidationProblem[] = [];
    const planned = new Set(appSet.generatedApplications().map(a => a.clusterName).filter((n): n is string => n !== undefined));
    for (const name of planned) {
      const planLabels = fleet.tryFindCluster(name)?.labels ?? {};
      const registered = this.labelsOf(name);
      if (!registered) {
        problems.push({
          prop: 'appSets',
          given: `${appSet.node.path} deploys to ${JSON.stringify(name)}, which is not registered here`,
          expected: 'every cluster the ApplicationSet deploys to registered as a cluster Secret',
          fix: `add ${JSON.stringify(name)} to the fleet given to ${this.node.path}`,
        });
        continue;
      }
      const { [ARGOCD_SECRET_TYPE_LABEL]: _type, ...secretLabels } = registered;
      if (!sameLabels(secretLabels, planLabels as { [key: string]: string })) {
        problems.push({
          prop: 'appSets',
          given: `cluster ${JSON.stringify(name)} registered with labels ${JSON.stringify(secretLabels)}`,
          expected: `the labels ${appSet.node.path} was planned with: ${JSON.stringify(planLabels)}`,
          fix: 'build the ApplicationSet and the cluster Secrets from the same Fleet',
        });
      }
    }
    return problems;
  }
}

function sameLabels(a: { [key: string]: string }, b: { [key: string]: string }): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

function check(scope: Construct, prop: string, value: string, pattern: RegExp, expected: string): void {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ValidationError(scope, { prop, given: JSON.stringify(value), expected, fix: `set ${prop} to ${expected}` });
  }
}
