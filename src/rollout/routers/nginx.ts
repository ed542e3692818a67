import { Problem } from '../../core/problem';
import { blankName, BoundTrafficRouting, commonToKube, TrafficRouting } from '../traffic-routing';

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
    const p: Problem[] = [];
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
    p.push(...blankName(`${prop}.nginx.stableIngress`, n.stableIngress, 'an Ingress name'));
    return p;
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
      problems: () => [],
      warnings: () => [],
    };
  }
}
