import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { BoundCanaryServices } from './canary-services';
import { CanaryStep, metadataMapProblems } from './canary-step';
import { Problem, show } from '../core/problem';

/**
 * What a traffic router reads from the rollout it is bound to.
 *
 * @internal
 */
export interface TrafficRoutingHost {
  /** The rollout construct: scope of the objects the router creates, and the path of its errors. */
  readonly scope: Construct;
  /** `metadata.namespace` of the Rollout as given (the created objects go there too). */
  readonly namespace?: string;
  /** The labels the Rollout selects its pods by. */
  readonly selectorLabels: { [key: string]: string };
  /** The bound canary/stable (or ping/pong) Services. */
  readonly services: BoundCanaryServices;
}

/**
 * What the rollout needs from its traffic router once bound: the created objects, the rendered
 * `trafficRouting`, and the router's own cross-object rules and warnings.
 *
 * @internal
 */
export interface BoundTrafficRouting {
  /** The created Istio VirtualService or Gateway API HTTPRoute, if any. */
  readonly route?: ApiObject;
  /** The created Istio DestinationRule, if any. */
  readonly destinationRule?: ApiObject;
  /** `spec.strategy.canary.trafficRouting`, or undefined without a router. */
  toKube(managedRoutes: string[], maxTrafficWeight: number | undefined): any;
  /** Rules of this router that involve the steps or the Services (checked at synth); none when absent. */
  problems?(ctx: TrafficRoutingRuleContext): Problem[];
  /** Warnings of this router about the steps; none when absent. */
  warnings?(steps: readonly CanaryStep[]): string[];
}

/**
 * The rollout as a router's synth-time rules see it.
 *
 * @internal
 */
export interface TrafficRoutingRuleContext {
  readonly steps: readonly CanaryStep[];
  /** Whether the Services are `CanaryServices.pingPong`. */
  readonly pingPong: boolean;
}

/**
 * What a router supports beyond setWeight (each false when absent).
 *
 * @internal
 */
export interface RouterSupport {
  /** setHeaderRoute steps */
  readonly headerRoute?: boolean;
  /** setMirrorRoute steps */
  readonly mirrorRoute?: boolean;
  /** CanaryServices.pingPong */
  readonly pingPong?: boolean;
}

/** The plugin name of the Gateway API traffic router. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/**
 * How the canary's traffic is split (`spec.strategy.canary.trafficRouting`). Choose one with the static factories;
 * each router is its own class that owns its options, their validation, its render and the objects it creates.
 *
 * @see https://argoproj.github.io/argo-rollouts/features/traffic-management/
 */
export abstract class TrafficRouting {
  /**
   * Istio: the controller rewrites route weights of a VirtualService (host split through the canary/stable Services,
   * or subset split through a DestinationRule). Supports setHeaderRoute and setMirrorRoute.
   */
  public static istio(options: IstioTrafficRoutingOptions): TrafficRouting {
    checkStruct('TrafficRouting.istio', 'options', options, required(ISTIO_TRAFFIC_ROUTING_OPTIONS));
    return new IstioTrafficRouting(options);
  }

  /**
   * NGINX Ingress: the controller creates a canary Ingress next to the stable one and sets `canary-weight`.
   */
  public static nginx(options: NginxTrafficRoutingOptions): TrafficRouting {
    checkStruct('TrafficRouting.nginx', 'options', options, required(NGINX_TRAFFIC_ROUTING_OPTIONS));
    return new NginxTrafficRouting(options);
  }

  /**
   * Kubernetes Gateway API through the Argo Rollouts plugin `argoproj-labs/gatewayAPI` (the plugin must be
   * registered in the `argo-rollouts-config` ConfigMap and the controller needs RBAC on the routes).
   */
  public static gatewayApi(options: GatewayApiTrafficRoutingOptions): TrafficRouting {
    checkStruct('TrafficRouting.gatewayApi', 'options', options, required(GATEWAY_API_TRAFFIC_ROUTING_OPTIONS));
    return new GatewayApiTrafficRouting(options);
  }

  /**
   * SMI (e.g. Linkerd): the controller manages a TrafficSplit.
   */
  public static smi(options: SmiTrafficRoutingOptions = {}): TrafficRouting {
    checkStruct('TrafficRouting.smi', 'options', options, SMI_TRAFFIC_ROUTING_OPTIONS);
    return new SmiTrafficRouting(options);
  }

  /**
   * AWS ALB: the controller rewrites the Ingress action annotation. Supports setHeaderRoute (exact matches only).
   */
  public static alb(options: AlbTrafficRoutingOptions): TrafficRouting {
    checkStruct('TrafficRouting.alb', 'options', options, required(ALB_TRAFFIC_ROUTING_OPTIONS));
    return new AlbTrafficRouting(options);
  }

  /**
   * No traffic router: `setWeight` only sets the ratio of canary to stable pods behind a Service that selects both,
   * so traffic is only roughly proportional to pod counts (and coarse with few replicas). Choosing this is the
   * explicit opt-in the construct requires for setWeight without a router; the construct then reports the pod
   * counts per weight (`CanaryRollout.replicaCountApproximation`) and warns where a weight cannot be approximated.
   */
  public static replicaCountApproximation(): TrafficRouting {
    return new ReplicaCountApproximation();
  }

  /**
   * The router name: `istio`, `nginx`, `gatewayApi`, `smi`, `alb` or `replicaCount` (no router).
   */
  public abstract readonly provider: string;

  /**
   * Whether a real traffic router splits traffic (false for `replicaCountApproximation()`).
   */
  public get routesTraffic(): boolean {
    return true;
  }

  /** @internal whether the canary/stable Services must be set (controller rule, plus the Gateway API plugin's needs) */
  public get _requiresServices(): boolean {
    return true;
  }

  /** @internal which steps and Services this router supports beyond setWeight */
  public readonly _supports: RouterSupport = {};

  /**
   * Why `maxTrafficWeight` cannot be used with this router, or undefined when it can.
   *
   * @internal
   */
  public _maxTrafficWeightProblem(maxTrafficWeight: number): Problem | undefined {
    return maxTrafficWeightUnsupported(maxTrafficWeight, this.provider);
  }

  /**
   * Problems of the options on their own.
   *
   * @param prop the prop path of the router, e.g. `trafficRouting`
   * @internal
   */
  public abstract _problems(prop: string): Problem[];

  /**
   * Binds the router to a rollout: creates the objects it routes through and returns what the rollout renders and checks.
   *
   * @internal
   */
  public abstract _bind(host: TrafficRoutingHost): BoundTrafficRouting;
}

/**
 * The problem of `maxTrafficWeight` with a router that does not support it (`routerName` `none` without a router).
 *
 * @internal
 */
export function maxTrafficWeightUnsupported(maxTrafficWeight: number, routerName: string): Problem {
  return {
    prop: 'maxTrafficWeight',
    given: `${maxTrafficWeight} with traffic router ${show(routerName)}`,
    expected: 'NGINX (controller: Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins; of the plugins, '
      + 'the Gateway API plugin ignores it)',
    fix: 'remove maxTrafficWeight',
  };
}

/**
 * `managedRoutes` and `maxTrafficWeight`, the keys every router's `trafficRouting` shares.
 *
 * @internal
 */
export function commonToKube(managedRoutes: string[], maxTrafficWeight: number | undefined): any {
  return {
    ...(managedRoutes.length > 0 ? { managedRoutes: managedRoutes.map(name => ({ name })) } : {}),
    ...(maxTrafficWeight !== undefined ? { maxTrafficWeight } : {}),
  };
}

/**
 * The Ingress-based routers' rule: exactly one of a single Ingress and a list of them, in the controller's words
 * (`Either <Single> or <Plural> must be configured. Both|Neither are configured.`; rules R12/R13 in docs/rules/rollouts.md).
 *
 * @param names the option names, e.g. `['stableIngress', 'stableIngresses']`
 * @param controller the controller's message up to "Both/Neither are configured."
 * @internal
 */
export function singleOrListProblems(
  prop: string, names: [string, string], controller: string, single: string | undefined, list: string[] | undefined, fix: string,
): Problem[] {
  const p: Problem[] = [];
  if ((single === undefined) === (list === undefined)) {
    const both = single !== undefined;
    p.push({
      prop,
      given: both ? `both ${names[0]} and ${names[1]}` : `neither ${names[0]} nor ${names[1]}`,
      expected: `exactly one of them (controller: ${controller} ${both ? 'Both' : 'Neither'} are configured.)`,
      fix,
    });
  }
  if (list !== undefined && list.length === 0) {
    p.push({ prop: `${prop}.${names[1]}`, given: 'empty', expected: 'at least one Ingress', fix: 'list the Ingresses' });
  }
  return p;
}

/**
 * The metadata of an object a router creates: labels and annotations only (valid keys and label values); the name
 * and namespace come from the router's options.
 *
 * @param why where the name and namespace come from instead
 * @internal
 */
export function createdMetadataProblems(prop: string, metadata: ApiObjectMetadata | undefined, why: string): Problem[] {
  if (metadata === undefined) return [];
  const p: Problem[] = [];
  for (const key of ['name', 'namespace'] as const) {
    const other = key === 'name' ? 'namespace' : 'name';
    if (metadata[key] !== undefined) {
      p.push({ prop: `${prop}.${key}`, given: show(metadata[key]), expected: `no ${key}: ${why}`, fix: `remove metadata.${key} (and metadata.${other})` });
    }
  }
  p.push(...metadataMapProblems(`${prop}.labels`, metadata.labels, 'label'));
  p.push(...metadataMapProblems(`${prop}.annotations`, metadata.annotations, 'annotation'));
  return p;
}

/**
 * A problem when a name is given but blank.
 *
 * @internal
 */
export function blankName(prop: string, v: string | undefined, what: string): Problem[] {
  if (v !== undefined && v.trim() === '') return [{ prop, given: show(v), expected: what, fix: 'give the name' }];
  return [];
}

/**
 * Whether `p` is a TCP port number (an integer 1..65535).
 *
 * @internal
 */
export function validPort(p: number): boolean {
  return Number.isInteger(p) && p >= 1 && p <= 65535;
}

// The routers extend TrafficRouting, so they are imported after it is defined (the factories above use them only
// when called, by which time every module has loaded).
/* eslint-disable import/first, import/order */
import { AlbTrafficRouting, AlbTrafficRoutingOptions } from './routers/alb';
import { GatewayApiTrafficRouting, GatewayApiTrafficRoutingOptions } from './routers/gateway-api';
import { IstioTrafficRouting, IstioTrafficRoutingOptions } from './routers/istio';
import { NginxTrafficRouting, NginxTrafficRoutingOptions } from './routers/nginx';
import { ReplicaCountApproximation } from './routers/replica-count';
import { SmiTrafficRouting, SmiTrafficRoutingOptions } from './routers/smi';
import { checkStruct, required } from '../core/struct-shape';
import { ALB_TRAFFIC_ROUTING_OPTIONS, GATEWAY_API_TRAFFIC_ROUTING_OPTIONS, ISTIO_TRAFFIC_ROUTING_OPTIONS, NGINX_TRAFFIC_ROUTING_OPTIONS, SMI_TRAFFIC_ROUTING_OPTIONS } from './input-shapes';
/* eslint-enable import/first, import/order */
