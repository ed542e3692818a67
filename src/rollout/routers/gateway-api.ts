import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from '../../../imports/gatewayapi-gateway.networking.k8s.io';
import { portProblems } from '../../core/bounds';
import { checkDns1123Label, checkDns1123Subdomain } from '../../core/names';
import { Problem, show, throwIfProblems } from '../../core/problem';
import { CanaryStep, CanaryStepType } from '../canary-step';
import {
  blankName, BoundTrafficRouting, commonToKube, createdMetadataProblems, GATEWAY_API_PLUGIN, TrafficRouting,
  TrafficRoutingHost,
} from '../traffic-routing';

/** The Gateway API `Hostname` (the HTTPRoute CRD's pattern): a DNS name, optionally with a leading `*.` label. */
const GATEWAY_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

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
  /**
   * Labels and annotations of the created HTTPRoute. Its name comes from `httpRoute` and its namespace from
   * `namespace` (default: the Rollout's), so `name` and `namespace` may not be set here.
   *
   * @default - no labels or annotations
   */
  readonly metadata?: ApiObjectMetadata;
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
   * Do not stamp the in-progress label on the routes during a canary. Off by default here, unlike the plugin: the
   * label only serves the conditional Argo CD `ignoreDifferences` the plugin's docs recommend
   * (`select(.metadata.labels["rollouts.argoproj.io/gatewayapi-canary"] == "in-progress") | .spec.rules`), which
   * matches the live route but never the route in Git, so Argo CD 3.x reports the Application OutOfSync during a
   * canary (plugin issue #208) and a RollingSync step waits. Ignore the controller-managed weights unconditionally
   * instead (e.g. `jqPathExpressions: ['.spec.rules[].backendRefs[].weight']`), which keeps the Application Synced.
   *
   * @default true (the plugin's own default is false)
   */
  readonly disableInProgressLabel?: boolean;
  /**
   * Key of the label the plugin stamps on routes during a canary; only with `disableInProgressLabel: false`.
   *
   * @default - the plugin's default key, `rollouts.argoproj.io/gatewayapi-canary`
   */
  readonly inProgressLabelKey?: string;
  /**
   * Value of that label; only with `disableInProgressLabel: false`.
   *
   * @default - the plugin's default value, `in-progress`
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
 * The Gateway API plugin (`trafficRouting.plugins["argoproj-labs/gatewayAPI"]`); optionally creates the HTTPRoute
 * it patches. Needs the canary/stable Services (the plugin locates the backendRefs by their names).
 *
 * @internal
 */
export class GatewayApiTrafficRouting extends TrafficRouting {
  public readonly provider = 'gatewayApi';
  public readonly _supports = { headerRoute: true };

  constructor(private readonly options: GatewayApiTrafficRoutingOptions) {
    super();
  }


  public _maxTrafficWeightProblem(maxTrafficWeight: number): Problem | undefined {
    // the controller accepts maxTrafficWeight with plugins, but this plugin ignores it
    return {
      prop: 'maxTrafficWeight',
      given: `${maxTrafficWeight} with traffic router ${show(this.provider)}`,
      expected: 'NGINX: the controller accepts maxTrafficWeight with plugins, but the Gateway API plugin ignores it and sets the '
        + 'stable weight to 100 - setWeight, so weights are percentages and a setWeight above 100 gives a negative stable weight',
      fix: 'remove maxTrafficWeight and use setWeight percentages 0..100',
    };
  }

  /** Whether the plugin's in-progress label is off (the library's default). */
  private get labelDisabled(): boolean {
    return this.options.disableInProgressLabel ?? true;
  }

  public _problems(prop: string): Problem[] {
    const g = this.options;
    const p: Problem[] = [];
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
      p.push(...blankName(`${prop}.gatewayApi.${k}`, v, 'a route name'));
    }
    // the plugin looks every route up in this namespace, and a created HTTPRoute lives there: a name no namespace can
    // have (Argo Rollouts substitutes no {{args}} in trafficRouting) fails at runtime, or at the API server
    const namespaceErr = g.namespace !== undefined ? checkDns1123Label(g.namespace) : undefined;
    if (namespaceErr) {
      p.push({
        prop: `${prop}.gatewayApi.namespace`,
        given: show(g.namespace),
        expected: `the namespace of the routes, ${namespaceErr}`,
        fix: 'name an existing namespace, or leave namespace out for the Rollout\'s',
      });
    }
    if (this.labelDisabled) {
      for (const [k, v] of Object.entries({ inProgressLabelKey: g.inProgressLabelKey, inProgressLabelValue: g.inProgressLabelValue })) {
        if (v === undefined) continue;
        p.push({
          prop: `${prop}.gatewayApi.${k}`,
          given: `${show(v)} with the in-progress label disabled${g.disableInProgressLabel === undefined ? ' (disableInProgressLabel defaults to true)' : ''}`,
          expected: 'no label key or value while the label is off',
          fix: `set disableInProgressLabel: false to have the plugin stamp the label, or remove ${k}`,
        });
      }
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
      const nameErr = g.httpRoute !== undefined && g.httpRoute.trim() !== '' ? checkDns1123Subdomain(g.httpRoute) : undefined;
      if (nameErr) {
        p.push({ prop: `${prop}.gatewayApi.httpRoute`, given: show(g.httpRoute), expected: `the name of the created HTTPRoute, ${nameErr}`, fix: 'use a lowercase DNS name' });
      }
      (c.hostnames ?? []).forEach((h, i) => {
        if (h.length > 253 || !GATEWAY_HOSTNAME.test(h)) {
          p.push({
            prop: `${prop}.gatewayApi.createHttpRoute.hostnames[${i}]`,
            given: show(h),
            expected: 'a hostname: lowercase DNS labels separated by ".", optionally starting with "*." (Gateway API Hostname), without a port',
            fix: 'use a name such as "shop.example.com" or "*.example.com"',
          });
        }
      });
      p.push(...createdMetadataProblems(`${prop}.gatewayApi.createHttpRoute.metadata`, c.metadata,
        'the HTTPRoute is named by httpRoute and lives in namespace (default: the Rollout\'s)'));
      if (!c.parentRefs || c.parentRefs.length === 0) {
        p.push({ prop: `${prop}.gatewayApi.createHttpRoute.parentRefs`, given: 'empty', expected: 'at least one Gateway', fix: 'attach the route to a Gateway' });
      }
      (c.parentRefs ?? []).forEach((r, i) => p.push(...parentRefProblems(`${prop}.gatewayApi.createHttpRoute.parentRefs[${i}]`, r)));
      if (c.port !== undefined) p.push(...portProblems(`${prop}.gatewayApi.createHttpRoute.port`, c.port, 'use a valid port'));
      if (c.pathPrefix !== undefined && !c.pathPrefix.startsWith('/')) {
        p.push({ prop: `${prop}.gatewayApi.createHttpRoute.pathPrefix`, given: show(c.pathPrefix), expected: 'a path starting with "/"', fix: 'prefix it with "/"' });
      }
    }
    return p;
  }

  public _bind(host: TrafficRoutingHost): BoundTrafficRouting {
    const g = this.options;
    return {
      route: g.createHttpRoute ? this.createHttpRoute(host, g.createHttpRoute) : undefined,
      toKube: (managedRoutes, maxTrafficWeight) => {
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
        // Rendered explicitly: the plugin (v0.15.0, pkg/plugin/labels.go ensureInProgressLabel) stamps
        // rollouts.argoproj.io/gatewayapi-canary=in-progress (internal/defaults/defaults.go) on every route it shifts
        // weight on unless disableInProgressLabel is true; see the prop's docs for why the library turns it off.
        cfg.disableInProgressLabel = this.labelDisabled;
        if (g.inProgressLabelKey !== undefined) cfg.inProgressLabelKey = g.inProgressLabelKey;
        if (g.inProgressLabelValue !== undefined) cfg.inProgressLabelValue = g.inProgressLabelValue;
        return { ...commonToKube(managedRoutes, maxTrafficWeight), plugins: { [GATEWAY_API_PLUGIN]: cfg } };
      },
      warnings: steps => this.warnings(steps),
    };
  }

  private warnings(steps: readonly CanaryStep[]): string[] {
    const routes = this.options.httpRoutes;
    if (routes && !routes.some(r => r.useHeaderRoutes) && steps.some(s => s.type === CanaryStepType.SET_HEADER_ROUTE)) {
      return ['setHeaderRoute steps with trafficRouting.gatewayApi.httpRoutes, but no route has useHeaderRoutes: true: '
        + 'the plugin adds header routes only to routes marked so'];
    }
    return [];
  }

  /** The HTTPRoute with one rule: stable weight 100, canary weight 0. */
  private createHttpRoute(host: TrafficRoutingHost, c: GatewayApiHttpRouteOptions): ApiObject {
    const g = this.options;
    // the Service port: known only for Services the construct creates (never the container port)
    const port = c.port ?? host.services.servicePort;
    if (port === undefined) {
      const existing = !host.services.created;
      throwIfProblems(host.scope, [{
        prop: 'trafficRouting.gatewayApi.createHttpRoute.port',
        given: existing ? 'missing with existing Services (CanaryServices.fromNames)' : 'missing',
        expected: existing
          ? 'the Service port of the backendRefs: the construct does not know the port the existing Services expose '
            + '(the container port is not the Service port)'
          : 'the Service port of the backendRefs',
        fix: 'set createHttpRoute.port',
      }]);
    }
    return new HttpRoute(host.scope, 'HTTPRoute', {
      metadata: { ...c.metadata, name: g.httpRoute, namespace: g.namespace ?? host.namespace },
      spec: {
        parentRefs: c.parentRefs.map(r => ({
          name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}), ...(r.sectionName ? { sectionName: r.sectionName } : {}),
        })),
        ...(c.hostnames ? { hostnames: [...c.hostnames] } : {}),
        rules: [{
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: c.pathPrefix ?? '/' } }],
          backendRefs: [
            { name: host.services.stableName!, port, weight: 100 },
            { name: host.services.canaryName!, port, weight: 0 },
          ],
        }],
      },
    });
  }
}

/**
 * A parentRef the Gateway API CRD accepts (gateway.networking.k8s.io/v1 HTTPRoute: `name` an ObjectName of 1-253
 * characters, `namespace` a DNS-1123 label, `sectionName` a DNS-1123 subdomain); the API server refuses the route
 * otherwise.
 */
function parentRefProblems(prop: string, r: GatewayParentRef): Problem[] {
  const p: Problem[] = [];
  if (typeof r.name !== 'string' || r.name.length === 0 || r.name.length > 253) {
    p.push({ prop: `${prop}.name`, given: show(r.name), expected: 'the Gateway\'s name (1 to 253 characters)', fix: 'name the Gateway' });
  }
  // an empty namespace or sectionName is left out of the route (the renderer's rule): only a given one is checked
  const ns = r.namespace ? checkDns1123Label(r.namespace) : undefined;
  if (ns) p.push({ prop: `${prop}.namespace`, given: show(r.namespace), expected: `the Gateway's namespace, ${ns}`, fix: 'name its namespace, or leave it out for the route\'s' });
  const section = r.sectionName ? checkDns1123Subdomain(r.sectionName) : undefined;
  if (section) p.push({ prop: `${prop}.sectionName`, given: show(r.sectionName), expected: `a listener name, ${section}`, fix: 'use the listener\'s name' });
  return p;
}

