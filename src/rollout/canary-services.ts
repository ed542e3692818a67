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
 * The stable and canary Services the controller pins to stable/canary pods (`canaryService` / `stableService`).
 */
export class CanaryServices {
  /**
   * Create both Services, selecting the Rollout's pod labels (the controller adds the
   * `rollouts-pod-template-hash` selector at runtime).
   */
  public static create(options: CanaryServicesOptions = {}): CanaryServices {
    return new CanaryServices('create', options);
  }

  /**
   * Use existing Services. Their selectors must be a subset of the Rollout's pod labels (the controller rejects
   * `Service "<svc>" has unmatch label "<k>" in rollout`), which cannot be checked at synth.
   */
  public static fromNames(stableName: string, canaryName: string): CanaryServices {
    return new CanaryServices('existing', { stableName, canaryName });
  }

  /**
   * Ping-pong: two existing Services the controller alternates between stable and canary
   * (`spec.strategy.canary.pingPong`) instead of a fixed stable and canary Service. ALB and Istio only; with ALB the
   * traffic router needs a `rootService`.
   */
  public static pingPong(pingName: string, pongName: string): CanaryServices {
    return new CanaryServices('pingPong', { stableName: pingName, canaryName: pongName });
  }

  /**
   * No canary/stable Services (allowed without a traffic router, or with Istio subset routing).
   */
  public static none(): CanaryServices {
    return new CanaryServices('none', {});
  }

  /** @internal */
  public readonly _mode: 'create' | 'existing' | 'none' | 'pingPong';
  /** @internal */
  public readonly _options: CanaryServicesOptions;

  private constructor(mode: 'create' | 'existing' | 'none' | 'pingPong', options: CanaryServicesOptions) {
    this._mode = mode;
    this._options = options;
  }
}
