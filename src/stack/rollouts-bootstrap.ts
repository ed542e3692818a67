import { Construct } from 'constructs';
import { ROLLOUTS_HELM_CHART_OPTIONS } from './input-shapes';
import { MultiClusterAppSet } from '../appset/multi-cluster-app-set';
import { checkDns1123Label } from '../core/names';
import { propError, show } from '../core/problem';
import { checkStruct } from '../core/struct-shape';
import { ClusterSelector } from '../fleet/cluster-selector';
import { Fleet } from '../fleet/fleet';
import { RollingSyncStep } from '../rolling-sync/rolling-sync-step';

/** The Argo Rollouts Helm repository (argoproj/argo-helm). */
export const ARGO_HELM_REPO = 'https://argoproj.github.io/argo-helm';

/** The Gateway API traffic-router plugin's name, as the Rollout's `trafficRouting.plugins` key and in `argo-rollouts-config`. */
const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/**
 * Options of `RolloutsBootstrap.helmChart`.
 */
export interface RolloutsHelmChartOptions {
  /**
   * The `argo-rollouts` chart version of https://argoproj.github.io/argo-helm (pinned: Argo CD installs exactly this).
   *
   * @default '2.41.0' (Argo Rollouts v1.9)
   */
  readonly chartVersion?: string;

  /**
   * The namespace the controller runs in.
   *
   * @default 'argo-rollouts'
   */
  readonly namespace?: string;

  /**
   * Register the Gateway API traffic-router plugin (`argoproj-labs/gatewayAPI`) in the `argo-rollouts-config`
   * ConfigMap (chart value `controller.trafficRouterPlugins`) and grant the controller RBAC on Gateway API routes
   * (chart value `providerRBAC.providers.gatewayAPI`). Required when a Rollout of the stack routes through the
   * Gateway API: without it the controller reports the plugin as not found and the Rollout goes Degraded.
   *
   * @default false
   */
  readonly gatewayApiPlugin?: boolean;

  /**
   * Where the controller downloads the Gateway API plugin binary from (only with `gatewayApiPlugin`).
   *
   * @default - the v0.15.0 linux-amd64 release binary on GitHub
   */
  readonly gatewayApiPluginLocation?: string;
}

/** What a bootstrap needs from the stack. @internal */
export interface BootstrapTarget {
  readonly management: Construct;
  readonly fleet: Fleet;
  readonly clusters: ClusterSelector;
  readonly environments: string[];
  readonly environmentClusterLabel: string;
  readonly waves: RollingSyncStep[];
  readonly labels?: { [key: string]: string };
  /** Every step rendered with maxUpdate 0 (the stack's `frozen`). */
  readonly frozen?: boolean;
  readonly argocdNamespace: string;
  readonly project: string;
}

/**
 * How Argo Rollouts (CRDs and controller) gets into every target cluster before the first Rollout is applied there
 * (seed pitfall 3: without the CRDs, Argo CD fails the sync of every Rollout with "the server could not find the
 * requested resource").
 */
export abstract class RolloutsBootstrap {
  /**
   * Install Argo Rollouts with the pinned `argo-rollouts` Helm chart, CRDs included, through an ApplicationSet on the
   * management cluster that targets the same clusters as the service and rolls out in its waves (sync-wave -2, before
   * the platform and the service ApplicationSets): raising `chartVersion` upgrades the canary clusters first. The controller is per cluster, not per service: when several stacks share a fleet, let
   * one of them install it and give the others `preinstalled()` (two ApplicationSets named `argo-rollouts` in one Argo CD
   * namespace would overwrite each other).
   */
  public static helmChart(options: RolloutsHelmChartOptions = {}): RolloutsBootstrap {
    checkStruct('RolloutsBootstrap.helmChart', 'options', options, ROLLOUTS_HELM_CHART_OPTIONS);
    return new HelmChartBootstrap(options);
  }

  /**
   * The fleet already runs Argo Rollouts (installed by another tool): the stack installs nothing. The Gateway API
   * plugin, if a Rollout uses it, must then be registered by whoever installed the controller.
   */
  public static preinstalled(): RolloutsBootstrap {
    return new PreinstalledBootstrap();
  }

  /** Whether the stack installs the controller. */
  public abstract readonly installs: boolean;

  /** Whether the Gateway API plugin is registered (unknown, so assumed, for a preinstalled controller). */
  public abstract readonly registersGatewayApiPlugin: boolean;

  /** @internal */
  public abstract _bind(target: BootstrapTarget): MultiClusterAppSet | undefined;
}

class PreinstalledBootstrap extends RolloutsBootstrap {
  public readonly installs = false;
  public readonly registersGatewayApiPlugin = true;
  public _bind(): MultiClusterAppSet | undefined {
    return undefined;
  }
}

class HelmChartBootstrap extends RolloutsBootstrap {
  public readonly installs = true;
  public readonly registersGatewayApiPlugin: boolean;
  private readonly chartVersion: string;
  private readonly namespace: string;
  private readonly pluginLocation: string;

  constructor(options: RolloutsHelmChartOptions) {
    super();
    const where = 'RolloutsBootstrap.helmChart';
    this.chartVersion = options.chartVersion ?? '2.41.0';
    if (!/^\d+\.\d+\.\d+$/.test(this.chartVersion)) {
      throw propError(where, {
        prop: 'chartVersion',
        given: show(this.chartVersion),
        expected: 'an exact chart version such as "2.41.0" (a range or "latest" would upgrade the controller of every cluster at once, outside any wave)',
        fix: 'pin the version, e.g. "2.41.0"',
      });
    }
    this.namespace = options.namespace ?? 'argo-rollouts';
    const nsProblem = checkDns1123Label(this.namespace);
    if (nsProblem) throw propError(where, { prop: 'namespace', given: show(this.namespace), expected: nsProblem, fix: 'e.g. "argo-rollouts"' });
    this.registersGatewayApiPlugin = options.gatewayApiPlugin ?? false;
    this.pluginLocation = options.gatewayApiPluginLocation
      ?? 'https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.15.0/gatewayapi-plugin-linux-amd64';
    if (options.gatewayApiPluginLocation !== undefined && !/^(https?|file):\/\/\S+$/.test(options.gatewayApiPluginLocation)) {
      throw propError(where, {
        prop: 'gatewayApiPluginLocation',
        given: show(options.gatewayApiPluginLocation),
        expected: 'an http(s):// or file:// URL (what the controller accepts as a plugin location)',
        fix: 'give the URL of the plugin release binary',
      });
    }
  }

  public _bind(target: BootstrapTarget): MultiClusterAppSet {
    return new MultiClusterAppSet(target.management, 'argo-rollouts', {
      metadata: {
        name: 'argo-rollouts',
        namespace: target.argocdNamespace,
        annotations: { 'argocd.argoproj.io/sync-wave': '-2' },
      },
      clusters: target.clusters,
      environments: target.environments,
      environmentClusterLabel: target.environmentClusterLabel,
      labels: target.labels,
      applicationName: 'argo-rollouts-{{.nameNormalized}}',
      // the service's waves: a new chart version reaches the canary clusters first
      steps: target.waves,
      frozen: target.frozen,
      project: target.project,
      source: {
        repoUrl: ARGO_HELM_REPO,
        chart: 'argo-rollouts',
        targetRevision: this.chartVersion,
        helm: { releaseName: 'argo-rollouts', values: this.values() },
      },
      destinationNamespace: this.namespace,
      // The Rollout CRD is larger than the 256 KiB last-applied annotation of a client-side apply.
      syncOptions: ['ServerSideApply=true'],
      // Deleting this ApplicationSet (or one Application) must not delete the CRDs: that would delete every Rollout of
      // the cluster with them. Without the resources finalizer Argo CD leaves the installation in place.
      preserveResourcesOnDeletion: true,
      fleet: target.fleet,
    });
  }

  /** The chart values: CRDs installed (and kept), plus the plugin registration and its RBAC when asked for. */
  private values(): string {
    const lines = ['installCRDs: true', 'keepCRDs: true'];
    if (this.registersGatewayApiPlugin) {
      lines.push(
        'controller:',
        '  trafficRouterPlugins:',
        `    - name: ${JSON.stringify(GATEWAY_API_PLUGIN)}`,
        `      location: ${JSON.stringify(this.pluginLocation)}`,
        'providerRBAC:',
        '  enabled: true',
        '  providers:',
        '    gatewayAPI: true',
      );
    }
    return lines.join('\n') + '\n';
  }
}
