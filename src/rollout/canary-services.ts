import * as kplus from 'cdk8s-plus-28';
import { CANARY_SERVICES_OPTIONS } from './input-shapes';
import { createRolloutServices, RolloutServicesHost, serviceNameProblems } from './rollout-services';
import { optionShapeProblems } from '../core/bounds';
import { checkDns1123Label } from '../core/names';
import { Problem, show, throwIfProblems } from '../core/problem';
import { checkStruct } from '../core/struct-shape';

/**
 * Options of `CanaryServices.create`.
 */
export interface CanaryServicesOptions {
  /**
   * Name of the stable Service.
   *
   * @default '<rollout name>-stable'
   */
  readonly stableName?: string;
  /**
   * Name of the canary Service.
   *
   * @default '<rollout name>-canary'
   */
  readonly canaryName?: string;
  /**
   * The Service port.
   *
   * @default - the first container port of the workload
   */
  readonly port?: number;
  /**
   * The container port traffic goes to.
   *
   * @default - the workload's first container port (or `port` when its containers expose none)
   */
  readonly targetPort?: number;
}

/**
 * What the Services are bound to: the rollout they serve.
 *
 * @internal
 */
export interface CanaryServicesHost extends RolloutServicesHost {}

/**
 * The Services of a rollout once bound: their names and, for created ones, the constructs and port.
 *
 * @internal
 */
export interface BoundCanaryServices {
  readonly stableName?: string;
  readonly canaryName?: string;
  readonly pingName?: string;
  readonly pongName?: string;
  /** Whether the construct creates the Services. */
  readonly created: boolean;
  readonly stableService?: kplus.Service;
  readonly canaryService?: kplus.Service;
  /** The Service port, known only for Services the construct creates. */
  readonly servicePort?: number;
}

/**
 * The stable and canary Services the controller pins to stable/canary pods (`canaryService` / `stableService`).
 */
export abstract class CanaryServices {
  /**
   * Create both Services, selecting the Rollout's pod labels (the controller adds the
   * `rollouts-pod-template-hash` selector at runtime).
   */
  public static create(options: CanaryServicesOptions = {}): CanaryServices {
    checkStruct('CanaryServices.create', 'options', options, CANARY_SERVICES_OPTIONS);
    return new CreatedCanaryServices(options);
  }

  /**
   * Use existing Services. Their selectors must be a subset of the Rollout's pod labels (the controller rejects
   * `Service "<svc>" has unmatch label "<k>" in rollout`), which cannot be checked at synth.
   */
  public static fromNames(stableName: string, canaryName: string): CanaryServices {
    return new ExistingCanaryServices(stableName, canaryName);
  }

  /**
   * Ping-pong: two existing Services the controller alternates between stable and canary
   * (`spec.strategy.canary.pingPong`) instead of a fixed stable and canary Service. ALB and Istio only; with ALB the
   * traffic router needs a `rootService`.
   */
  public static pingPong(pingName: string, pongName: string): CanaryServices {
    return new PingPongServices(pingName, pongName);
  }

  /**
   * No canary/stable Services (allowed without a traffic router, or with Istio subset routing).
   */
  public static none(): CanaryServices {
    return new NoCanaryServices();
  }

  /**
   * Names the Services (creating them where asked) for the rollout; throws a `ValidationError` for a bad name.
   *
   * @internal
   */
  public abstract _bind(host: CanaryServicesHost): BoundCanaryServices;
}

class CreatedCanaryServices extends CanaryServices {
  constructor(private readonly options: CanaryServicesOptions) {
    super();
  }

  public _bind(host: CanaryServicesHost): BoundCanaryServices {
    // the options were checked by CanaryServices.create() (CANARY_SERVICES_OPTIONS)
    const o = this.options;
    const stableName = o.stableName ?? `${host.rolloutName}-stable`;
    const canaryName = o.canaryName ?? `${host.rolloutName}-canary`;
    throwIfProblems(host.scope, stableCanaryNameProblems(stableName, canaryName));
    const { services, port } = createRolloutServices(host, o, [{ id: 'StableService', name: stableName }, { id: 'CanaryService', name: canaryName }],
      'CanaryServices.create');
    return {
      stableName,
      canaryName,
      created: true,
      stableService: services[0],
      canaryService: services[1],
      servicePort: port,
    };
  }
}

class ExistingCanaryServices extends CanaryServices {
  constructor(private readonly stableName: string, private readonly canaryName: string) {
    super();
  }

  public _bind(host: CanaryServicesHost): BoundCanaryServices {
    throwIfProblems(host.scope, optionShapeProblems('services', { stableName: this.stableName, canaryName: this.canaryName }, { stableName: 'string', canaryName: 'string' }));
    throwIfProblems(host.scope, stableCanaryNameProblems(this.stableName, this.canaryName));
    return { stableName: this.stableName, canaryName: this.canaryName, created: false };
  }
}

class PingPongServices extends CanaryServices {
  constructor(private readonly pingName: string, private readonly pongName: string) {
    super();
  }

  public _bind(host: CanaryServicesHost): BoundCanaryServices {
    throwIfProblems(host.scope, optionShapeProblems('services', { pingName: this.pingName, pongName: this.pongName }, { pingName: 'string', pongName: 'string' }));
    const problems: Problem[] = [];
    for (const [k, v] of Object.entries({ 'services.pingName': this.pingName, 'services.pongName': this.pongName })) {
      const err = checkDns1123Label(v ?? '');
      if (err) {
        problems.push({
          prop: k,
          given: show(v),
          expected: `a Service name (controller: Ping service and Pong service must to be set to use Ping-Pong feature): ${err}`,
          fix: 'name both Services',
        });
      }
    }
    if (this.pingName === this.pongName) {
      problems.push({
        prop: 'services',
        given: `ping and pong both ${show(this.pingName)}`,
        expected: 'two different Services (controller: This rollout uses the same service for the ping and pong services, but two different services are required.)',
        fix: 'name two different Services',
      });
    }
    throwIfProblems(host.scope, problems);
    return { pingName: this.pingName, pongName: this.pongName, created: false };
  }
}

class NoCanaryServices extends CanaryServices {
  public _bind(): BoundCanaryServices {
    return { created: false };
  }
}

function stableCanaryNameProblems(stableName: string, canaryName: string): Problem[] {
  const fix = 'pass CanaryServices.create({ stableName, canaryName }) with short lowercase names (the defaults are <rollout name>-stable/-canary)';
  const problems: Problem[] = [
    ...serviceNameProblems('services.stableName', stableName, fix),
    ...serviceNameProblems('services.canaryName', canaryName, fix),
  ];
  if (stableName === canaryName) {
    problems.push({
      prop: 'services',
      given: `stable and canary both ${show(stableName)}`,
      expected: 'two different Services (controller: This rollout uses the same service for the stable and canary services, '
        + 'but two different services are required.)',
      fix: 'name two different Services',
    });
  }
  return problems;
}
