import { checkArgs, required } from '../core/struct-shape';

/**
 * Keep canary pods away from nodes that run stable pods (`spec.strategy.canary.antiAffinity`).
 */
export class CanaryAntiAffinity {
  /**
   * Prefer other nodes (`preferredDuringSchedulingIgnoredDuringExecution`) with this weight 1..100.
   */
  public static preferred(weight: number): CanaryAntiAffinity {
    checkArgs('CanaryAntiAffinity.preferred', { weight: [weight, required('number')] });
    return new CanaryAntiAffinity(weight);
  }

  /**
   * Require other nodes (`requiredDuringSchedulingIgnoredDuringExecution`); pods may stay pending.
   */
  public static required(): CanaryAntiAffinity {
    return new CanaryAntiAffinity(undefined);
  }

  /** The weight of the preferred mode. */
  public readonly weight?: number;

  private constructor(weight?: number) {
    this.weight = weight;
  }

  /** @internal */
  public _toKube(): any {
    return this.weight !== undefined
      ? { preferredDuringSchedulingIgnoredDuringExecution: { weight: this.weight } }
      : { requiredDuringSchedulingIgnoredDuringExecution: {} };
  }
}
