/** The Gateway API traffic-router plugin's key in `trafficRouting.plugins`. */
const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/**
 * One Argo CD `ignoreDifferences` entry of an Application.
 *
 * @internal
 */
export interface IgnoreDifference {
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
  readonly jqPathExpressions: string[];
}

/**
 * The fields the traffic router rewrites while a canary runs, which a sync in the middle of a canary must not reset
 * (Argo Rollouts docs, "Integrating with GitOps"): the route weights. Read from the rendered Rollout spec, so it works
 * for routes the Rollout creates and for routes it only references.
 *
 * The Gateway API plugin also labels the HTTPRoute `rollouts.argoproj.io/gatewayapi-canary: in-progress` during a
 * canary. The plugin's once-recommended conditional expression (`select(.metadata.labels[...] == "in-progress") |
 * .spec.rules`) is evaluated by Argo CD 3.x on the live object (label present) and the desired one (label absent)
 * differently and manufactures a permanent OutOfSync (rollouts-plugin-trafficrouter-gatewayapi#208), which would
 * hold a RollingSync step forever. The expressions here are unconditional: identical on live and desired.
 *
 * @internal
 */
export function routerIgnoreDifferences(rolloutSpecs: readonly any[]): IgnoreDifference[] {
  const out: IgnoreDifference[] = [];
  const seen = new Set<string>();
  const push = (d: IgnoreDifference) => {
    const key = JSON.stringify(d);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  };
  for (const spec of rolloutSpecs) {
    const routing = spec?.strategy?.canary?.trafficRouting;
    if (!routing) continue;
    const istio = routing.istio;
    if (istio) {
      const names: string[] = [
        ...(istio.virtualService?.name ? [istio.virtualService.name] : []),
        ...((istio.virtualServices ?? []) as any[]).map(v => v.name).filter(Boolean),
      ];
      for (const name of names) {
        push({ group: 'networking.istio.io', kind: 'VirtualService', name, jqPathExpressions: ['.spec.http[].route[].weight'] });
      }
    }
    const gw = routing.plugins?.[GATEWAY_API_PLUGIN];
    if (gw) {
      const names: string[] = [
        ...(gw.httpRoute ? [gw.httpRoute] : []),
        ...((gw.httpRoutes ?? []) as any[]).map(r => r.name).filter(Boolean),
      ];
      for (const name of names) {
        push({
          group: 'gateway.networking.k8s.io',
          kind: 'HTTPRoute',
          name,
          // the label, then the labels map if that left it empty (a route without labels in Git)
          jqPathExpressions: [
            '.spec.rules[].backendRefs[].weight',
            '.metadata.labels["rollouts.argoproj.io/gatewayapi-canary"]',
            '.metadata | select(.labels == {}) | .labels',
          ],
        });
      }
    }
  }
  return out;
}

/**
 * Whether a rendered Rollout spec routes through the Gateway API plugin.
 *
 * @internal
 */
export function usesGatewayApiPlugin(rolloutSpec: any): boolean {
  return rolloutSpec?.strategy?.canary?.trafficRouting?.plugins?.[GATEWAY_API_PLUGIN] !== undefined;
}
