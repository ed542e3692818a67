import { Duration } from 'cdk8s';
import { portProblems } from '../../core/bounds';
import { Problem, show } from '../../core/problem';
import { CanaryStepType } from '../canary-step';
import { BoundTrafficRouting, commonToKube, singleOrListProblems, TrafficRouting, TrafficRoutingRuleContext } from '../traffic-routing';

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

/**
 * AWS ALB (`trafficRouting.alb`): the controller rewrites the Ingress action annotation. Header routes match exact
 * values only; ping-pong needs a root Service.
 *
 * @internal
 */
export class AlbTrafficRouting extends TrafficRouting {
  public readonly provider = 'alb';
  public readonly _supports = { headerRoute: true, pingPong: true };

  constructor(private readonly options: AlbTrafficRoutingOptions) {
    super();
  }


  public _problems(prop: string): Problem[] {
    const a = this.options;
    const p = singleOrListProblems(`${prop}.alb`, ['ingress', 'ingresses'], 'Either Ingress or Ingresses must be configured.', a.ingress, a.ingresses,
      'name the Ingress(es) in one of the two');
    p.push(...portProblems(`${prop}.alb.servicePort`, a.servicePort, 'use the Service port the Ingress routes to'));
    if (a.stickiness !== undefined) {
      const s = a.stickiness.toMilliseconds({ integral: false });
      if (!Number.isInteger(s) || s % 1000 !== 0 || s < 1000 || s > 7 * 24 * 3600 * 1000) {
        p.push({
          prop: `${prop}.alb.stickiness`,
          given: `${s}ms`,
          expected: 'whole seconds between 1 second and 7 days (the ALB target-group limit)',
          fix: 'use a duration between Duration.seconds(1) and Duration.days(7)',
        });
      }
    }
    return p;
  }

  public _bind(): BoundTrafficRouting {
    const a = this.options;
    return {
      toKube: (managedRoutes, maxTrafficWeight) => ({
        ...commonToKube(managedRoutes, maxTrafficWeight),
        alb: {
          ...(a.ingress !== undefined ? { ingress: a.ingress } : { ingresses: [...a.ingresses!] }),
          servicePort: a.servicePort,
          ...(a.rootService ? { rootService: a.rootService } : {}),
          ...(a.annotationPrefix ? { annotationPrefix: a.annotationPrefix } : {}),
          ...(a.stickiness ? { stickinessConfig: { enabled: true, durationSeconds: a.stickiness.toSeconds() } } : {}),
        },
      }),
      problems: ctx => this.ruleProblems(ctx),
    };
  }

  private ruleProblems(ctx: TrafficRoutingRuleContext): Problem[] {
    const p: Problem[] = [];
    ctx.steps.forEach((s, i) => {
      if (s.type !== CanaryStepType.SET_HEADER_ROUTE) return;
      (s._data.headerRoute!.match ?? []).forEach((m, j) => {
        if (m.headerValue.type !== 'exact') {
          p.push({
            prop: `steps[${i}].setHeaderRoute.match[${j}].headerValue`,
            given: `StringMatch.${m.headerValue.type}(${show(m.headerValue.value)})`,
            expected: 'StringMatch.exact (controller: SetHeaderRoute match value invalid. ALB supports \'exact\' value only)',
            fix: 'match the exact header value',
          });
        }
      });
    });
    if (ctx.pingPong && !this.options.rootService) {
      p.push({
        prop: 'trafficRouting.alb.rootService',
        given: 'missing with CanaryServices.pingPong()',
        expected: 'the root Service (controller: Root service field is required for the configuration with ALB and ping-pong feature enabled)',
        fix: 'set rootService to the Service the Ingress routes to',
      });
    }
    return p;
  }
}
