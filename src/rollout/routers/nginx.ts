import { Problem } from '../../core/problem';
import { blankName, BoundTrafficRouting, commonToKube, singleOrListProblems, TrafficRouting } from '../traffic-routing';

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
 * NGINX Ingress (`trafficRouting.nginx`): the controller creates the canary Ingress; the only router that honours
 * `maxTrafficWeight`.
 *
 * @internal
 */
export class NginxTrafficRouting extends TrafficRouting {
  public readonly provider = 'nginx';

  constructor(private readonly options: NginxTrafficRoutingOptions) {
    super();
  }

  public _maxTrafficWeightProblem(): Problem | undefined {
    return undefined;
  }

  public _problems(prop: string): Problem[] {
    const n = this.options;
    return [
      ...singleOrListProblems(`${prop}.nginx`, ['stableIngress', 'stableIngresses'], 'Either StableIngress or StableIngresses must be configured.', n.stableIngress,
        n.stableIngresses, 'name the stable Ingress(es) in one of the two'),
      ...blankName(`${prop}.nginx.stableIngress`, n.stableIngress, 'an Ingress name'),
    ];
  }

  public _bind(): BoundTrafficRouting {
    const n = this.options;
    return {
      toKube: (managedRoutes, maxTrafficWeight) => ({
        ...commonToKube(managedRoutes, maxTrafficWeight),
        nginx: {
          ...(n.stableIngress !== undefined ? { stableIngress: n.stableIngress } : { stableIngresses: [...n.stableIngresses!] }),
          ...(n.annotationPrefix ? { annotationPrefix: n.annotationPrefix } : {}),
          ...(n.additionalIngressAnnotations ? { additionalIngressAnnotations: { ...n.additionalIngressAnnotations } } : {}),
          ...(n.canaryIngressAnnotations ? { canaryIngressAnnotations: { ...n.canaryIngressAnnotations } } : {}),
        },
      }),
    };
  }
}
