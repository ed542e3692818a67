import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { DestinationRule, VirtualService, VirtualServiceSpecHttpRouteDestination } from '../../../imports/istio-networking.istio.io';
import { portProblems } from '../../core/bounds';
import { checkDns1123Subdomain } from '../../core/names';
import { Problem, show } from '../../core/problem';
import { blankName, BoundTrafficRouting, commonToKube, createdMetadataProblems, TrafficRouting, TrafficRoutingHost, validPort } from '../traffic-routing';

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
  /**
   * Labels and annotations of the created VirtualService and DestinationRule. Their names come from
   * `virtualService` / `destinationRule.name` and their namespace is the Rollout's, so `name` and `namespace` may not
   * be set here.
   *
   * @default - no labels or annotations
   */
  readonly metadata?: ApiObjectMetadata;
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
 * Istio (`trafficRouting.istio`): host split through the canary/stable Services, or subset split through a
 * DestinationRule; optionally creates the VirtualService (and DestinationRule) it patches.
 *
 * @internal
 */
export class IstioTrafficRouting extends TrafficRouting {
  public readonly provider = 'istio';
  public readonly _supports = { headerRoute: true, mirrorRoute: true, pingPong: true };

  constructor(private readonly options: IstioTrafficRoutingOptions) {
    super();
  }

  public get _requiresServices(): boolean {
    return this.options.destinationRule === undefined;
  }


  public _problems(prop: string): Problem[] {
    const ist = this.options;
    const p: Problem[] = [];
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
    p.push(...blankName(`${prop}.istio.virtualService`, ist.virtualService, 'a VirtualService name'));
    (ist.virtualServices ?? []).forEach((v, i) => p.push(...blankName(`${prop}.istio.virtualServices[${i}].name`, v.name, 'a VirtualService name')));
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
      p.push(...blankName(`${prop}.istio.destinationRule.name`, dr.name, 'a DestinationRule name'));
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
    if (c) p.push(...this.createProblems(prop, c));
    return p;
  }

  public _bind(host: TrafficRoutingHost): BoundTrafficRouting {
    const o = this.options;
    const created = o.createVirtualService ? this.create(host, o.createVirtualService) : undefined;
    return {
      route: created?.[0],
      destinationRule: created?.[1],
      toKube: (managedRoutes, maxTrafficWeight) => {
        const istio: any = {};
        if (o.virtualService !== undefined) {
          const routes = o.routes ?? (o.createVirtualService ? ['primary'] : undefined);
          istio.virtualService = virtualServiceToKube({ ...o, name: o.virtualService, routes });
        } else {
          istio.virtualServices = o.virtualServices!.map(virtualServiceToKube);
        }
        if (o.destinationRule) {
          istio.destinationRule = {
            name: o.destinationRule.name,
            canarySubsetName: o.destinationRule.canarySubsetName ?? 'canary',
            stableSubsetName: o.destinationRule.stableSubsetName ?? 'stable',
          };
        }
        return { ...commonToKube(managedRoutes, maxTrafficWeight), istio };
      },
    };
  }

  private createProblems(prop: string, c: IstioVirtualServiceOptions): Problem[] {
    const ist = this.options;
    const p: Problem[] = [];
    if (ist.virtualService === undefined) {
      p.push({
        prop: `${prop}.istio.createVirtualService`,
        given: 'set with virtualServices',
        expected: 'a single virtualService name to create',
        fix: 'use virtualService with createVirtualService, or reference existing VirtualServices',
      });
    }
    const created = { VirtualService: [`${prop}.istio.virtualService`, ist.virtualService], DestinationRule: [`${prop}.istio.destinationRule.name`, ist.destinationRule?.name] };
    for (const [kind, [namePath, name]] of Object.entries(created)) {
      const err = name !== undefined && name.trim() !== '' ? checkDns1123Subdomain(name) : undefined;
      if (err) p.push({ prop: namePath!, given: show(name), expected: `the name of the created ${kind}, ${err}`, fix: 'use a lowercase DNS name' });
    }
    p.push(...createdMetadataProblems(`${prop}.istio.createVirtualService.metadata`, c.metadata,
      'the VirtualService is named by virtualService and lives in the Rollout\'s namespace'));
    if (!c.hosts || c.hosts.length === 0) {
      p.push({ prop: `${prop}.istio.createVirtualService.hosts`, given: 'empty', expected: 'at least one host', fix: 'list the hosts clients call' });
    }
    if (ist.destinationRule && !c.subsetHost) {
      p.push({
        prop: `${prop}.istio.createVirtualService.subsetHost`,
        given: 'missing',
        expected: 'the Service host of the subsets when routing by destinationRule',
        fix: 'set subsetHost to the Service both subsets live behind',
      });
    }
    if (c.port !== undefined) p.push(...portProblems(`${prop}.istio.createVirtualService.port`, c.port, 'use a valid port'));
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
    return p;
  }

  /** The VirtualService (and with subset routing the DestinationRule), stable 100 % / canary 0 %. */
  private create(host: TrafficRoutingHost, c: IstioVirtualServiceOptions): [ApiObject, ApiObject | undefined] {
    const dr = this.options.destinationRule;
    const routes = this.options.routes ?? ['primary'];
    const dest = (h: string, subset?: string): VirtualServiceSpecHttpRouteDestination => ({
      host: h, ...(subset ? { subset } : {}), ...(c.port !== undefined ? { port: { number: c.port } } : {}),
    });
    const svc = host.services;
    // with ping-pong the ping Service starts as stable, the pong Service as canary
    const stable = dr ? dest(c.subsetHost!, dr.stableSubsetName ?? 'stable') : dest(svc.stableName ?? svc.pingName ?? '');
    const canary = dr ? dest(c.subsetHost!, dr.canarySubsetName ?? 'canary') : dest(svc.canaryName ?? svc.pongName ?? '');
    const vs = new VirtualService(host.scope, 'VirtualService', {
      metadata: { ...c.metadata, name: this.options.virtualService, namespace: host.namespace },
      spec: {
        hosts: [...c.hosts],
        ...(c.gateways ? { gateways: [...c.gateways] } : {}),
        http: routes.map(name => ({ name, route: [{ destination: stable, weight: 100 }, { destination: canary, weight: 0 }] })),
      },
    });
    let drObj: ApiObject | undefined;
    if (dr && c.subsetHost) {
      drObj = new DestinationRule(host.scope, 'DestinationRule', {
        metadata: { ...c.metadata, name: dr.name, namespace: host.namespace },
        spec: {
          host: c.subsetHost,
          subsets: [
            { name: dr.stableSubsetName ?? 'stable', labels: { ...host.selectorLabels } },
            { name: dr.canarySubsetName ?? 'canary', labels: { ...host.selectorLabels } },
          ],
        },
      });
    }
    return [vs, drObj];
  }
}

function virtualServiceToKube(v: IstioVirtualServiceRoutes): any {
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
