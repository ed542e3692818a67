import { ClusterSelector } from './cluster-selector';
import { FLEET_CLUSTER_PROPS, FLEET_PROPS } from './input-shapes';
import { optionalString, optionalStringMap, requireArray, requireInstance, requireObject } from '../core/input-types';
import { checkLabelKey, checkLabelValue, normalize } from '../core/names';
import { markChanged, propError } from '../core/problem';
import { checkArgs, checkStruct, required } from '../core/struct-shape';

/**
 * The label Argo CD puts on every cluster Secret; cluster generators AND it with their selector.
 *
 * @internal
 */
export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/**
 * A workload cluster as Argo CD knows it (its cluster Secret) plus where its metrics can be read.
 */
export interface FleetClusterProps {
  /**
   * The cluster's name in Argo CD (the cluster Secret's `name`, `{{.name}}` in a cluster generator), exactly as
   * registered: any non-empty string, e.g. an EKS ARN or a GKE context name such as `gke_project_zone_name`.
   * Application names and labels use its normalized form (`{{.nameNormalized}}`, see `Fleet.normalizeClusterName`).
   */
  readonly name: string;

  /**
   * The cluster's API server URL (`{{.server}}` in a cluster generator).
   */
  readonly server: string;

  /**
   * Labels on the cluster Secret; cluster generators select on them.
   *
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * `host:port` of the cluster's Prometheus, as seen from the management cluster; the target a
   * `FederatedPrometheus` scrapes `/federate` on.
   *
   * @default - the cluster cannot be federated
   */
  readonly metricsEndpoint?: string;
}

/**
 * Props of a `Fleet`.
 */
export interface FleetProps {
  /**
   * The clusters of the fleet.
   */
  readonly clusters: FleetClusterProps[];
}

/**
 * A typed inventory of the workload clusters registered in Argo CD.
 *
 * Given a fleet, constructs can render what the controllers will do with it (the Applications a cluster generator
 * produces, the RollingSync waves, the federation targets) and check it at synth time.
 */
export class Fleet {
  /**
   * The cluster name as a clusters generator's `nameNormalized` param renders it (Argo CD's `SanitizeName`):
   * lowercased, every character other than `a-z`, `0-9`, `-` and `.` replaced by `-`, cut at 253 characters and
   * trimmed of leading and trailing `-` and `.`. This is the value of the `cluster` label `MultiClusterAppSet`
   * injects and the prefix of its default Application names.
   *
   * @param name the cluster name registered in Argo CD
   */
  public static normalizeClusterName(name: string): string {
    checkArgs('Fleet.normalizeClusterName', { name: [name, required('string')] });
    return normalize(name);
  }

  private readonly _clusters: FleetClusterProps[] = [];
  private readonly byName = new Map<string, FleetClusterProps>();
  /** Normalized names (Argo CD's SanitizeName) in use: Applications and cluster labels are named by them. */
  private readonly byNormalizedName = new Set<string>();
  private readonly byServer = new Map<string, FleetClusterProps>();
  /** Each cluster's Secret labels as a clusters generator's selector sees them (its labels plus the secret-type label). */
  private readonly secretLabels = new Map<FleetClusterProps, { [key: string]: string }>();
  private version = 0;

  constructor(props: FleetProps) {
    checkStruct('Fleet', 'props', props, required(FLEET_PROPS));
    requireObject('Fleet', 'props', props, 'pass { clusters: [...] }');
    requireArray('Fleet', 'clusters', props.clusters, undefined, 'pass clusters: [{ name, server }]');
    for (const c of props.clusters) {
      this.addCluster(c);
    }
  }

  /**
   * Changes whenever a cluster is added; constructs that render for the fleet cache by it.
   *
   * @internal
   */
  public get _version(): number {
    return this.version;
  }

  /**
   * The clusters, in the order they were added.
   */
  public get clusters(): FleetClusterProps[] {
    return this._clusters.map(copy);
  }

  /**
   * Adds a cluster.
   *
   * @throws if the name is empty or already in the fleet, the server is not an http(s) URL,
   * a label is invalid, or the metrics endpoint is not `host:port`.
   */
  public addCluster(cluster: FleetClusterProps): void {
    const i = this._clusters.length;
    checkStruct('Fleet', `clusters[${i}]`, cluster, required(FLEET_CLUSTER_PROPS));
    const where = 'Fleet';
    requireObject(where, `clusters[${i}]`, cluster, 'pass { name, server } as Argo CD registers the cluster');
    if (typeof cluster.name !== 'string' || cluster.name.length === 0) {
      throw propError(where, {
        prop: `clusters[${i}].name`,
        given: JSON.stringify(cluster.name),
        expected: 'the cluster name registered in Argo CD (the cluster Secret\'s name field), not empty',
        fix: 'copy the name field of the Argo CD cluster Secret (or `argocd cluster list`)',
      });
    }
    if (this.byName.has(cluster.name)) {
      throw propError(where, {
        prop: `clusters[${i}].name`,
        given: JSON.stringify(cluster.name),
        expected: 'a name not already in the fleet',
        fix: 'list each cluster once',
      });
    }
    const normalized = normalize(cluster.name);
    if (this.byNormalizedName.has(normalized)) {
      throw propError(where, {
        prop: `clusters[${i}].name`,
        given: JSON.stringify(cluster.name),
        expected: `a name whose normalized form (${JSON.stringify(normalized)}) no other cluster has (Argo CD names the cluster's Applications and its cluster label by it)`,
        fix: 'rename one of the clusters in Argo CD',
      });
    }
    if (typeof cluster.server !== 'string') {
      throw propError(where, {
        prop: `clusters[${i}].server`,
        given: JSON.stringify(cluster.server) ?? 'missing',
        expected: 'the API server URL, e.g. "https://kubernetes.default.svc"',
        fix: 'copy the server field of the Argo CD cluster Secret',
      });
    }
    optionalStringMap(where, `clusters[${i}].labels`, cluster.labels);
    optionalString(where, `clusters[${i}].metricsEndpoint`, cluster.metricsEndpoint);
    if (this.byServer.has(cluster.server)) {
      throw propError(where, {
        prop: `clusters[${i}].server`,
        given: JSON.stringify(cluster.server),
        expected: 'a server URL not already in the fleet (Argo CD keys clusters by server)',
        fix: 'list each cluster once',
      });
    }
    if (!/^https?:\/\/[^\s/]+/.test(cluster.server)) {
      throw propError(where, {
        prop: `clusters[${i}].server`,
        given: JSON.stringify(cluster.server),
        expected: 'the API server URL, e.g. "https://kubernetes.default.svc"',
        fix: 'copy the server field of the Argo CD cluster Secret',
      });
    }
    for (const [k, v] of Object.entries(cluster.labels ?? {})) {
      const problem = checkLabelKey(k) ?? checkLabelValue(v);
      if (problem) {
        throw propError(where, {
          prop: `clusters[${i}].labels`,
          given: `${JSON.stringify(k)}: ${JSON.stringify(v)}`,
          expected: problem,
          fix: 'use valid Kubernetes label keys and values (they are labels on the cluster Secret)',
        });
      }
    }
    if (cluster.metricsEndpoint !== undefined && !/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(cluster.metricsEndpoint)) {
      throw propError(where, {
        prop: `clusters[${i}].metricsEndpoint`,
        given: JSON.stringify(cluster.metricsEndpoint),
        expected: 'host:port without a scheme or path, e.g. "prometheus.seoul-1.internal:9090"',
        fix: 'drop the scheme and path',
      });
    }
    const stored = { ...cluster, labels: { ...(cluster.labels ?? {}) } };
    this._clusters.push(stored);
    this.byName.set(stored.name, stored);
    this.byNormalizedName.add(normalize(stored.name));
    this.byServer.set(stored.server, stored);
    this.secretLabels.set(stored, { ...stored.labels, [SECRET_TYPE_LABEL]: 'cluster' });
    this.version++;
    markChanged();
  }

  /**
   * Finds a cluster by name.
   *
   * @returns the cluster, or undefined
   */
  public tryFindCluster(name: string): FleetClusterProps | undefined {
    const c = this.byName.get(name);
    return c ? copy(c) : undefined;
  }

  /**
   * The name of the cluster registered with this API server URL (constant time, no copy).
   *
   * @internal
   */
  public _nameOfServer(server: string): string | undefined {
    return this.byServer.get(server)?.name;
  }

  /**
   * Whether a cluster of this name is registered (constant time).
   *
   * @internal
   */
  public _hasCluster(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * Whether any cluster Secret carries this label key.
   *
   * @internal
   */
  public _hasLabelKey(key: string): boolean {
    return this._clusters.some(c => Object.prototype.hasOwnProperty.call(c.labels, key));
  }

  /**
   * The clusters a clusters generator with this selector selects, in fleet order. Like Argo CD, the selector is
   * evaluated against the Secret labels plus `argocd.argoproj.io/secret-type: cluster`. The local `in-cluster`
   * (no Secret) is not part of the fleet and not returned.
   *
   * @param selector the cluster selector
   */
  public selectClusters(selector: ClusterSelector): FleetClusterProps[] {
    requireInstance('Fleet.selectClusters', 'selector', selector, 'ClusterSelector', (v: any) => typeof v.matches === 'function' && typeof v._toKube === 'function',
      'use ClusterSelector.matchLabels({...}) or ClusterSelector.all()');
    return this._selectClusters(selector).map(s => copy(s.cluster));
  }

  /**
   * `selectClusters` without copies, for the controller simulation: each selected cluster (read-only) with its Secret
   * labels (the cluster's labels plus `argocd.argoproj.io/secret-type: cluster`, read-only).
   *
   * @internal
   */
  public _selectClusters(selector: ClusterSelector): SelectedCluster[] {
    const out: SelectedCluster[] = [];
    for (const cluster of this._clusters) {
      const secretLabels = this.secretLabels.get(cluster)!;
      if (selector.matches(secretLabels)) out.push({ cluster, secretLabels });
    }
    return out;
  }
}

/**
 * A cluster a selector selects, with the labels the selector was matched against.
 *
 * @internal
 */
export interface SelectedCluster {
  readonly cluster: FleetClusterProps;
  readonly secretLabels: { readonly [key: string]: string };
}

function copy(c: FleetClusterProps): FleetClusterProps {
  return { ...c, labels: { ...(c.labels ?? {}) } };
}
