import { Duration } from 'cdk8s';
import { Problem, show } from '../core/problem';

/**
 * A TLS route of an Istio VirtualService, identified by port and SNI hosts.
 */
export interface IstioTlsRoute {
  /**
   * The port of the route's match.
   *
   * @default - any port
   */
  readonly port?: number;
  /**
   * The SNI hosts of the route's match.
   *
   * @default - any SNI host
   */
  readonly sniHosts?: string[];
}

/**
 * Routes of one Istio VirtualService the Rollout patches.
 */
export interface IstioVirtualServiceRoutes {
  /** The VirtualService name (`name` or `name.namespace`). */
  readonly name: string;
  /**
   * Names of the HTTP routes to patch.
   *
   * @default - the VirtualService must have exactly one HTTP route
   */
  readonly routes?: string[];
  /**
   * TLS routes to patch.
   *
   * @default - none
   */
  readonly tlsRoutes?: IstioTlsRoute[];
  /**
   * Ports of the TCP routes to patch.
   *
   * @default - none
   */
  readonly tcpRoutePorts?: number[];
}

/**
 * Istio subset-based routing: the Rollout labels the canary/stable subsets of a DestinationRule instead of
 * retargeting two Services.
 */
export interface IstioDestinationRule {
  /** The DestinationRule name. */
  readonly name: string;
  /**
   * The canary subset name.
   *
   * @default 'canary'
   */
  readonly canarySubsetName?: string;
  /**
   * The stable subset name.
   *
   * @default 'stable'
   */
  readonly stableSubsetName?: string;
}

/**
 * Options to create the VirtualService (and, with subset routing, the DestinationRule) the Rollout routes through.
 */
export interface IstioVirtualServiceOptions {
  /** The hosts of the VirtualService (`spec.hosts`), e.g. `['my-service']` or `['my-service.example.com']`. */
  readonly hosts: string[];
  /**
   * Gateways the VirtualService binds to (`spec.gateways`).
   *
   * @default - the mesh only
   */
  readonly gateways?: string[];
  /**
   * With subset routing (`destinationRule`): the Service host both subsets live behind; the DestinationRule is
   * created for it with `stable`/`canary` subsets selecting the Rollout's pods.
   *
   * @default - required with destinationRule; unused with host-split routing (the canary/stable Services are the hosts)
   */
  readonly subsetHost?: string;
  /**
   * Port of the destinations.
   *
   * @default - no port (Istio uses the Service's only port)
   */
  readonly port?: number;
}

/**
 * Options of `TrafficRouting.istio`.
 */
export interface IstioTrafficRoutingOptions {
  /**
   * The VirtualService to patch (`istio.virtualService.name`). Exactly one of `virtualService` / `virtualServices`.
   *
   * @default - use virtualServices
   */
  readonly virtualService?: string;
  /**
   * HTTP routes of `virtualService` to patch.
   *
   * @default - the VirtualService must have exactly one HTTP route (or `['primary']` when the construct creates it)
   */
  readonly routes?: string[];
  /**
   * TLS routes of `virtualService` to patch.
   *
   * @default - none
   */
  readonly tlsRoutes?: IstioTlsRoute[];
  /**
   * Ports of the TCP routes of `virtualService` to patch.
   *
   * @default - none
   */
  readonly tcpRoutePorts?: number[];
  /**
   * Several VirtualServices to patch (`istio.virtualServices`).
   *
   * @default - use virtualService
   */
  readonly virtualServices?: IstioVirtualServiceRoutes[];
  /**
   * Subset-based routing through a DestinationRule. The canary/stable Services are then optional.
   *
   * @default - host-split routing through the canary and stable Services
   */
  readonly destinationRule?: IstioDestinationRule;
  /**
   * Create the VirtualService named `virtualService` (with one HTTP route, named by `routes` or `primary`, sending
   * 100 % to stable and 0 % to canary) instead of referencing an existing one. HTTP only: not together with
   * `tlsRoutes` / `tcpRoutePorts`, and at most one route name (a second route without a match would be unreachable).
   *
   * @default - reference an existing VirtualService
   */
  readonly createVirtualService?: IstioVirtualServiceOptions;
}

/**
 * Options of `TrafficRouting.nginx`.
 */
export interface NginxTrafficRoutingOptions {
  /**
   * The Ingress that routes to the stable Service. Exactly one of `stableIngress` / `stableIngresses`.
   *
   * @default - use stableIngresses
   */
  readonly stableIngress?: string;
  /**
   * Several stable Ingresses.
   *
   * @default - use stableIngress
   */
  readonly stableIngresses?: string[];
  /**
   * Annotation prefix of the ingress controller.
   *
   * @default 'nginx.ingress.kubernetes.io'
   */
  readonly annotationPrefix?: string;
  /**
   * Extra canary annotations, prefixed with `annotationPrefix/` unless already prefixed (e.g. `canary-by-header`).
   *
   * @default - none
   */
  readonly additionalIngressAnnotations?: { [key: string]: string };
  /**
   * Annotations copied verbatim onto the canary Ingress.
   *
   * @default - none
   */
  readonly canaryIngressAnnotations?: { [key: string]: string };
}

/**
 * A Gateway API route the plugin patches.
 */
export interface GatewayApiRouteRef {
  /** The route name. */
  readonly name: string;
  /**
   * Whether setHeaderRoute rules are added to this route.
   *
   * @default false
   */
  readonly useHeaderRoutes?: boolean;
}

/**
 * A Gateway an HTTPRoute attaches to.
 */
export interface GatewayParentRef {
  /** The Gateway name. */
  readonly name: string;
  /**
   * The Gateway namespace.
   *
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * The listener name.
   *
   * @default - every listener
   */
  readonly sectionName?: string;
}

/**
 * Options to create the HTTPRoute the Gateway API plugin routes through.
 */
export interface GatewayApiHttpRouteOptions {
  /** Gateways the route attaches to. */
  readonly parentRefs: GatewayParentRef[];
  /**
   * Hostnames of the route.
   *
   * @default - every hostname of the Gateway listener
   */
  readonly hostnames?: string[];
  /**
   * Path prefix the route matches.
   *
   * @default '/'
   */
  readonly pathPrefix?: string;
  /**
   * Service port of the backendRefs.
   *
   * @default - the port of the created canary/stable Services; required with existing Services
   * (`CanaryServices.fromNames`), whose port the construct cannot know
   */
  readonly port?: number;
}

/**
 * Options of `TrafficRouting.gatewayApi` (Argo Rollouts plugin `argoproj-labs/gatewayAPI`).
 */
export interface GatewayApiTrafficRoutingOptions {
  /**
   * One HTTPRoute to patch (`httpRoute`).
   *
   * @default - none
   */
  readonly httpRoute?: string;
  /**
   * Several HTTPRoutes (`httpRoutes`).
   *
   * @default - none
   */
  readonly httpRoutes?: GatewayApiRouteRef[];
  /**
   * One GRPCRoute (`grpcRoute`).
   *
   * @default - none
   */
  readonly grpcRoute?: string;
  /**
   * One TCPRoute (`tcpRoute`).
   *
   * @default - none
   */
  readonly tcpRoute?: string;
  /**
   * One TLSRoute (`tlsRoute`).
   *
   * @default - none
   */
  readonly tlsRoute?: string;
  /**
   * Namespace of the routes.
   *
   * @default - the Rollout's namespace
   */
  readonly namespace?: string;
  /**
   * Do not stamp the in-progress label on routes during a canary (it makes Argo CD 3.x report OutOfSync).
   *
   * @default false
   */
  readonly disableInProgressLabel?: boolean;
  /**
   * Key of the label the plugin stamps on routes during a canary.
   *
   * @default - the plugin's default key
   */
  readonly inProgressLabelKey?: string;
  /**
   * Value of that label.
   *
   * @default - the plugin's default value
   */
  readonly inProgressLabelValue?: string;
  /**
   * Create the HTTPRoute named `httpRoute` (one rule with backendRefs stable weight 100 / canary weight 0).
   *
   * @default - reference an existing route
   */
  readonly createHttpRoute?: GatewayApiHttpRouteOptions;
}

/**
 * Options of `TrafficRouting.smi`.
 */
export interface SmiTrafficRoutingOptions {
  /**
   * The root Service clients call.
   *
   * @default - the stable Service
   */
  readonly rootService?: string;
  /**
   * The TrafficSplit the controller creates.
   *
   * @default - the Rollout name
   */
  readonly trafficSplitName?: string;
}

/**
 * Options of `TrafficRouting.alb`.
 */
export interface AlbTrafficRoutingOptions {
  /**
   * The Ingress to patch. Exactly one of `ingress` / `ingresses`.
   *
   * @default - use ingresses
   */
  readonly ingress?: string;
  /**
   * Several Ingresses.
   *
   * @default - use ingress
   */
  readonly ingresses?: string[];
  /** The Service port the Ingress routes to (`servicePort`). */
  readonly servicePort: number;
  /**
   * The Service the Ingress rule routes to.
   *
   * @default - the stable Service
   */
  readonly rootService?: string;
  /**
   * Annotation prefix of the AWS Load Balancer Controller.
   *
   * @default 'alb.ingress.kubernetes.io'
   */
  readonly annotationPrefix?: string;
  /**
   * Target-group stickiness duration; enables stickiness.
   *
   * @default - no stickiness
   */
  readonly stickiness?: Duration;
}

/** @internal */
export type TrafficRouterKind = 'istio' | 'nginx' | 'gatewayApi' | 'smi' | 'alb' | 'replicaCount';

/** The plugin name of the Gateway API traffic router. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

function nonEmpty(prop: string, v: string | undefined, what: string): Problem[] {
  if (v !== undefined && v.trim() === '') return [{ prop, given: show(v), expected: what, fix: 'give the name' }];
  return [];
}

/**
 * How the canary's traffic is split (`spec.strategy.canary.trafficRouting`).
 *
 * @see https://argoproj.github.io/argo-rollouts/features/traffic-management/
 */
export class TrafficRouting {
  /**
   * Istio: the controller rewrites route weights of a VirtualService (host split through the canary/stable Services,
   * or subset split through a DestinationRule). Supports setHeaderRoute and setMirrorRoute.
   */
  public static istio(options: IstioTrafficRoutingOptions): TrafficRouting {
    return new TrafficRouting('istio', options);
  }

  /**
   * NGINX Ingress: the controller creates a canary Ingress next to the stable one and sets `canary-weight`.
   */
  public static nginx(options: NginxTrafficRoutingOptions): TrafficRouting {
    return new TrafficRouting('nginx', options);
  }

  /**
   * Kubernetes Gateway API through the Argo Rollouts plugin `argoproj-labs/gatewayAPI` (the plugin must be
   * registered in the `argo-rollouts-config` ConfigMap and the controller needs RBAC on the routes).
   */
  public static gatewayApi(options: GatewayApiTrafficRoutingOptions): TrafficRouting {
    return new TrafficRouting('gatewayApi', options);
  }

  /**
   * SMI (e.g. Linkerd): the controller manages a TrafficSplit.
   */
  public static smi(options: SmiTrafficRoutingOptions = {}): TrafficRouting {
    return new TrafficRouting('smi', options);
  }

  /**
   * AWS ALB: the controller rewrites the Ingress action annotation. Supports setHeaderRoute (exact matches only).
   */
  public static alb(options: AlbTrafficRoutingOptions): TrafficRouting {
    return new TrafficRouting('alb', options);
  }

  /**
   * No traffic router: `setWeight` only sets the ratio of canary to stable pods behind a Service that selects both,
   * so traffic is only roughly proportional to pod counts (and coarse with few replicas). Choosing this is the
   * explicit opt-in the construct requires for setWeight without a router; the construct then reports the pod
   * counts per weight (`CanaryRollout.replicaCountApproximation`) and warns where a weight cannot be approximated.
   */
  public static replicaCountApproximation(): TrafficRouting {
    return new TrafficRouting('replicaCount', {});
  }

  /** @internal */
  public readonly _kind: TrafficRouterKind;
  /** @internal */
  public readonly _options: any;

  private constructor(kind: TrafficRouterKind, options: any) {
    this._kind = kind;
    this._options = options;
  }

  /**
   * The router name: `istio`, `nginx`, `gatewayApi`, `smi`, `alb` or `replicaCount` (no router).
   */
  public get provider(): string {
    return this._kind;
  }

  /**
   * Whether a real traffic router splits traffic (false for `replicaCountApproximation()`).
   */
  public get routesTraffic(): boolean {
    return this._kind !== 'replicaCount';
  }

  /** @internal whether the canary/stable Services must be set (controller rule, plus the Gateway API plugin's needs) */
  public get _requiresServices(): boolean {
    if (this._kind === 'replicaCount') return false;
    if (this._kind === 'istio') return this._options.destinationRule === undefined;
    return true;
  }

  /** @internal */
  public get _supportsHeaderRoute(): boolean {
    return this._kind === 'istio' || this._kind === 'alb' || this._kind === 'gatewayApi';
  }

  /** @internal */
  public get _supportsMirrorRoute(): boolean {
    return this._kind === 'istio';
  }

  /** @internal */
  public get _supportsMaxTrafficWeight(): boolean {
    // the controller also accepts plugins, but the Gateway API plugin ignores it (stable weight = 100 - setWeight)
    return this._kind === 'nginx';
  }

  /** @internal problems of the options on their own */
  public _validate(prop: string): Problem[] {
    const o = this._options;
    const p: Problem[] = [];
    switch (this._kind) {
      case 'istio': {
        const ist = o as IstioTrafficRoutingOptions;
        if ((ist.virtualService === undefined) === (ist.virtualServices === undefined)) {
          p.push({
            prop: `${prop}.istio`,
            given: ist.virtualService === undefined ? 'neither virtualService nor virtualServices' : 'both virtualService and virtualServices',
            expected: 'exactly one of them (controller: either VirtualService or VirtualServices must be configured)',
            fix: 'name one VirtualService in virtualService, or several in virtualServices',
          });
        }
        if (ist.virtualServices !== undefined && ist.virtualServices.length === 0) {
          p.push({ prop: `${prop}.istio.virtualServices`, given: 'empty', expected: 'at least one VirtualService', fix: 'list the VirtualServices' });
        }
        const allPorts = [
          ...(ist.tcpRoutePorts ?? []), ...(ist.tlsRoutes ?? []).flatMap(t => t.port !== undefined ? [t.port] : []),
          ...(ist.virtualServices ?? []).flatMap(v => [
            ...(v.tcpRoutePorts ?? []),
            ...(v.tlsRoutes ?? []).flatMap(t => t.port !== undefined ? [t.port] : []),
          ]),
        ];
        for (const port of allPorts) {
          if (!validPort(port)) p.push({ prop: `${prop}.istio`, given: `route port ${show(port)}`, expected: 'ports 1..65535', fix: 'use a valid port' });
        }
        if ((ist.tlsRoutes !== undefined || ist.tcpRoutePorts !== undefined) && ist.virtualService === undefined) {
          p.push({
            prop: `${prop}.istio`,
            given: 'tlsRoutes/tcpRoutePorts without virtualService',
            expected: 'them together with virtualService',
            fix: 'put them into each virtualServices[] entry',
          });
        }
        if (ist.routes !== undefined && ist.virtualService === undefined) {
          p.push({
            prop: `${prop}.istio.routes`,
            given: show(ist.routes),
            expected: 'routes only together with virtualService',
            fix: 'put the routes into each virtualServices[] entry',
          });
        }
        p.push(...nonEmpty(`${prop}.istio.virtualService`, ist.virtualService, 'a VirtualService name'));
        (ist.virtualServices ?? []).forEach((v, i) => p.push(...nonEmpty(`${prop}.istio.virtualServices[${i}].name`, v.name, 'a VirtualService name')));
        [...(ist.routes ?? []), ...(ist.virtualServices ?? []).flatMap(v => v.routes ?? [])].forEach(r => {
          if (r.trim() === '') p.push({ prop: `${prop}.istio.routes`, given: '""', expected: 'HTTP route names', fix: 'name the route' });
        });
        const emptyRoutes = [
          ...(ist.routes !== undefined && ist.routes.length === 0 ? [`${prop}.istio.routes`] : []),
          ...(ist.virtualServices ?? []).flatMap((v, i) => v.routes !== undefined && v.routes.length === 0 ? [`${prop}.istio.virtualServices[${i}].routes`] : []),
        ];
        for (const ep of emptyRoutes) {
          p.push({
            prop: ep,
            given: 'empty',
            expected: 'at least one HTTP route name, or no routes at all (then the VirtualService must have exactly one HTTP route)',
            fix: 'name the routes to patch, or omit routes',
          });
        }
        const dr = ist.destinationRule;
        if (dr) {
          p.push(...nonEmpty(`${prop}.istio.destinationRule.name`, dr.name, 'a DestinationRule name'));
          if ((dr.canarySubsetName ?? 'canary') === (dr.stableSubsetName ?? 'stable')) {
            p.push({
              prop: `${prop}.istio.destinationRule`,
              given: `canarySubsetName and stableSubsetName both ${show(dr.stableSubsetName ?? 'stable')}`,
              expected: 'two different subsets',
              fix: 'name the canary and stable subsets differently',
            });
          }
        }
        const c = ist.createVirtualService;
        if (c) {
          if (ist.virtualService === undefined) {
            p.push({
              prop: `${prop}.istio.createVirtualService`,
              given: 'set with virtualServices',
              expected: 'a single virtualService name to create',
              fix: 'use virtualService with createVirtualService, or reference existing VirtualServices',
            });
          }
          if (!c.hosts || c.hosts.length === 0) {
            p.push({ prop: `${prop}.istio.createVirtualService.hosts`, given: 'empty', expected: 'at least one host', fix: 'list the hosts clients call' });
          }
          if (dr && !c.subsetHost) {
            p.push({
              prop: `${prop}.istio.createVirtualService.subsetHost`,
              given: 'missing',
              expected: 'the Service host of the subsets when routing by destinationRule',
              fix: 'set subsetHost to the Service both subsets live behind',
            });
          }
          if (c.port !== undefined && !validPort(c.port)) {
            p.push({ prop: `${prop}.istio.createVirtualService.port`, given: show(c.port), expected: 'a port 1..65535', fix: 'use a valid port' });
          }
          if (ist.tcpRoutePorts !== undefined || ist.tlsRoutes !== undefined) {
            const what = [
              ...(ist.tcpRoutePorts !== undefined ? [`tcpRoutePorts ${show(ist.tcpRoutePorts)}`] : []),
              ...(ist.tlsRoutes !== undefined ? [`tlsRoutes ${show(ist.tlsRoutes)}`] : []),
            ].join(' and ');
            p.push({
              prop: `${prop}.istio.createVirtualService`,
              given: `set with ${what}`,
              expected: 'HTTP routes only: the created VirtualService has only an HTTP route, so the controller would not find the '
                + 'TCP/TLS routes the Rollout names',
              fix: 'create the VirtualService with its TCP/TLS routes yourself and reference it (omit createVirtualService), or drop tcpRoutePorts/tlsRoutes',
            });
          }
          if (ist.routes !== undefined && ist.routes.length > 1) {
            p.push({
              prop: `${prop}.istio.routes`,
              given: `${show(ist.routes)} with createVirtualService`,
              expected: 'one route name: the created routes have no match, so every route after the first would be unreachable',
              fix: 'name one route, or create the VirtualService with matches yourself and reference it',
            });
          }
        }
        break;
      }
      case 'nginx': {
        const n = o as NginxTrafficRoutingOptions;
        if ((n.stableIngress === undefined) === (n.stableIngresses === undefined)) {
          const both = n.stableIngress !== undefined;
          p.push({
            prop: `${prop}.nginx`,
            given: both ? 'both stableIngress and stableIngresses' : 'neither stableIngress nor stableIngresses',
            expected: `exactly one of them (controller: Either StableIngress or StableIngresses must be configured. ${both ? 'Both' : 'Neither'} are configured.)`,
            fix: 'name the stable Ingress(es) in one of the two',
          });
        }
        if (n.stableIngresses !== undefined && n.stableIngresses.length === 0) {
          p.push({ prop: `${prop}.nginx.stableIngresses`, given: 'empty', expected: 'at least one Ingress', fix: 'list the Ingresses' });
        }
        p.push(...nonEmpty(`${prop}.nginx.stableIngress`, n.stableIngress, 'an Ingress name'));
        break;
      }
      case 'alb': {
        const a = o as AlbTrafficRoutingOptions;
        if ((a.ingress === undefined) === (a.ingresses === undefined)) {
          const both = a.ingress !== undefined;
          p.push({
            prop: `${prop}.alb`,
            given: both ? 'both ingress and ingresses' : 'neither ingress nor ingresses',
            expected: `exactly one of them (controller: Either Ingress or Ingresses must be configured. ${both ? 'Both' : 'Neither'} are configured.)`,
            fix: 'name the Ingress(es) in one of the two',
          });
        }
        if (a.ingresses !== undefined && a.ingresses.length === 0) {
          p.push({ prop: `${prop}.alb.ingresses`, given: 'empty', expected: 'at least one Ingress', fix: 'list the Ingresses' });
        }
        if (!validPort(a.servicePort)) {
          p.push({ prop: `${prop}.alb.servicePort`, given: show(a.servicePort), expected: 'a port 1..65535', fix: 'use the Service port the Ingress routes to' });
        }
        if (a.stickiness !== undefined) {
          const s = a.stickiness.toMilliseconds();
          if (s % 1000 !== 0 || s < 1000 || s > 7 * 24 * 3600 * 1000) {
            p.push({
              prop: `${prop}.alb.stickiness`,
              given: `${s}ms`,
              expected: 'whole seconds between 1 second and 7 days (the ALB target-group limit)',
              fix: 'use a duration between Duration.seconds(1) and Duration.days(7)',
            });
          }
        }
        break;
      }
      case 'gatewayApi': {
        const g = o as GatewayApiTrafficRoutingOptions;
        const routeCount = [g.httpRoute, g.grpcRoute, g.tcpRoute, g.tlsRoute].filter(x => x !== undefined).length + (g.httpRoutes?.length ?? 0);
        if (routeCount === 0) {
          p.push({
            prop: `${prop}.gatewayApi`,
            given: 'no route',
            expected: 'at least one route (plugin: No routes configured. At least one of \'httpRoutes\', \'grpcRoutes\', \'tcpRoutes\', \'tlsRoutes\', '
              + '\'httpRoute\', \'grpcRoute\', \'tcpRoute\' or \'tlsRoute\' must be set)',
            fix: 'name the HTTPRoute in httpRoute (or use createHttpRoute)',
          });
        }
        if (g.httpRoute !== undefined && g.httpRoutes !== undefined) {
          p.push({
            prop: `${prop}.gatewayApi`,
            given: 'both httpRoute and httpRoutes',
            expected: 'one of them',
            fix: 'list every HTTPRoute in httpRoutes',
          });
        }
        for (const [k, v] of Object.entries({ httpRoute: g.httpRoute, grpcRoute: g.grpcRoute, tcpRoute: g.tcpRoute, tlsRoute: g.tlsRoute })) {
          p.push(...nonEmpty(`${prop}.gatewayApi.${k}`, v, 'a route name'));
        }
        const c = g.createHttpRoute;
        if (c) {
          if (g.httpRoute === undefined) {
            p.push({
              prop: `${prop}.gatewayApi.createHttpRoute`,
              given: 'set without httpRoute',
              expected: 'the name of the HTTPRoute to create in httpRoute',
              fix: 'set httpRoute',
            });
          }
          if (!c.parentRefs || c.parentRefs.length === 0) {
            p.push({ prop: `${prop}.gatewayApi.createHttpRoute.parentRefs`, given: 'empty', expected: 'at least one Gateway', fix: 'attach the route to a Gateway' });
          }
          if (c.port !== undefined && !validPort(c.port)) {
            p.push({ prop: `${prop}.gatewayApi.createHttpRoute.port`, given: show(c.port), expected: 'a port 1..65535', fix: 'use a valid port' });
          }
          if (c.pathPrefix !== undefined && !c.pathPrefix.startsWith('/')) {
            p.push({ prop: `${prop}.gatewayApi.createHttpRoute.pathPrefix`, given: show(c.pathPrefix), expected: 'a path starting with "/"', fix: 'prefix it with "/"' });
          }
        }
        break;
      }
      case 'smi': {
        const s = o as SmiTrafficRoutingOptions;
        p.push(...nonEmpty(`${prop}.smi.rootService`, s.rootService, 'a Service name'));
        p.push(...nonEmpty(`${prop}.smi.trafficSplitName`, s.trafficSplitName, 'a TrafficSplit name'));
        break;
      }
      default:
        break;
    }
    return p;
  }

  /** @internal the `trafficRouting` object, or undefined without a router */
  public _render(managedRoutes: string[], maxTrafficWeight: number | undefined): any {
    const o = this._options;
    const out: any = {};
    if (managedRoutes.length > 0) out.managedRoutes = managedRoutes.map(name => ({ name }));
    if (maxTrafficWeight !== undefined) out.maxTrafficWeight = maxTrafficWeight;
    switch (this._kind) {
      case 'replicaCount':
        return undefined;
      case 'istio': {
        const ist = o as IstioTrafficRoutingOptions;
        const istio: any = {};
        if (ist.virtualService !== undefined) {
          const routes = ist.routes ?? (ist.createVirtualService ? ['primary'] : undefined);
          istio.virtualService = renderVirtualService({ ...ist, name: ist.virtualService, routes });
        } else {
          istio.virtualServices = ist.virtualServices!.map(renderVirtualService);
        }
        if (ist.destinationRule) {
          istio.destinationRule = {
            name: ist.destinationRule.name,
            canarySubsetName: ist.destinationRule.canarySubsetName ?? 'canary',
            stableSubsetName: ist.destinationRule.stableSubsetName ?? 'stable',
          };
        }
        out.istio = istio;
        break;
      }
      case 'nginx': {
        const n = o as NginxTrafficRoutingOptions;
        out.nginx = {
          ...(n.stableIngress !== undefined ? { stableIngress: n.stableIngress } : { stableIngresses: [...n.stableIngresses!] }),
          ...(n.annotationPrefix ? { annotationPrefix: n.annotationPrefix } : {}),
          ...(n.additionalIngressAnnotations ? { additionalIngressAnnotations: { ...n.additionalIngressAnnotations } } : {}),
          ...(n.canaryIngressAnnotations ? { canaryIngressAnnotations: { ...n.canaryIngressAnnotations } } : {}),
        };
        break;
      }
      case 'alb': {
        const a = o as AlbTrafficRoutingOptions;
        out.alb = {
          ...(a.ingress !== undefined ? { ingress: a.ingress } : { ingresses: [...a.ingresses!] }),
          servicePort: a.servicePort,
          ...(a.rootService ? { rootService: a.rootService } : {}),
          ...(a.annotationPrefix ? { annotationPrefix: a.annotationPrefix } : {}),
          ...(a.stickiness ? { stickinessConfig: { enabled: true, durationSeconds: a.stickiness.toSeconds() } } : {}),
        };
        break;
      }
      case 'smi': {
        const s = o as SmiTrafficRoutingOptions;
        out.smi = {
          ...(s.rootService ? { rootService: s.rootService } : {}),
          ...(s.trafficSplitName ? { trafficSplitName: s.trafficSplitName } : {}),
        };
        break;
      }
      case 'gatewayApi': {
        const g = o as GatewayApiTrafficRoutingOptions;
        const cfg: any = {};
        if (g.httpRoute !== undefined) cfg.httpRoute = g.httpRoute;
        if (g.httpRoutes !== undefined) {
          cfg.httpRoutes = g.httpRoutes.map(r => ({
            name: r.name,
            ...(r.useHeaderRoutes !== undefined ? { useHeaderRoutes: r.useHeaderRoutes } : {}),
          }));
        }
        if (g.grpcRoute !== undefined) cfg.grpcRoute = g.grpcRoute;
        if (g.tcpRoute !== undefined) cfg.tcpRoute = g.tcpRoute;
        if (g.tlsRoute !== undefined) cfg.tlsRoute = g.tlsRoute;
        if (g.namespace !== undefined) cfg.namespace = g.namespace;
        if (g.disableInProgressLabel !== undefined) cfg.disableInProgressLabel = g.disableInProgressLabel;
        if (g.inProgressLabelKey !== undefined) cfg.inProgressLabelKey = g.inProgressLabelKey;
        if (g.inProgressLabelValue !== undefined) cfg.inProgressLabelValue = g.inProgressLabelValue;
        out.plugins = { [GATEWAY_API_PLUGIN]: cfg };
        break;
      }
    }
    return out;
  }
}

function renderVirtualService(v: IstioVirtualServiceRoutes): any {
  return {
    name: v.name,
    ...(v.routes ? { routes: [...v.routes] } : {}),
    ...(v.tlsRoutes ? {
      tlsRoutes: v.tlsRoutes.map(t => ({
        ...(t.port !== undefined ? { port: t.port } : {}),
        ...(t.sniHosts ? { sniHosts: [...t.sniHosts] } : {}),
      })),
    } : {}),
    ...(v.tcpRoutePorts ? { tcpRoutes: v.tcpRoutePorts.map(port => ({ port })) } : {}),
  };
}

function validPort(p: number): boolean {
  return Number.isInteger(p) && p >= 1 && p <= 65535;
}
