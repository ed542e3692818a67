import { Duration } from 'cdk8s';
import { wholeSecondsProblems } from '../core/bounds';
import { Problem, show } from '../core/problem';
import { checkArgs, required } from '../core/struct-shape';

/**
 * When a blue-green rollout switches the active Service to the new version, once the preview stack is available
 * and its pre-promotion analysis passed (`autoPromotionEnabled` / `autoPromotionSeconds`).
 */
export abstract class BlueGreenPromotion {
  /**
   * Switch as soon as the preview stack is available and the pre-promotion analysis passed (the controller's
   * default: `autoPromotionEnabled` unset, i.e. true).
   */
  public static automatic(): BlueGreenPromotion {
    return new AutomaticPromotion();
  }

  /**
   * Pause before the switch and promote automatically after `delay` (`autoPromotionSeconds`; whole seconds, at least
   * one). Meanwhile the rollout is paused, so its Argo CD Application is `Suspended` and holds its RollingSync slot
   * for that long; `kubectl argo rollouts promote` ends the wait early.
   */
  public static after(delay: Duration): BlueGreenPromotion {
    checkArgs('BlueGreenPromotion.after', { delay: [delay, required('duration')] });
    return new DelayedPromotion(delay);
  }

  /**
   * Pause before the switch until someone runs `kubectl argo rollouts promote` (`autoPromotionEnabled: false`): a
   * manual gate. The Argo CD Application stays `Suspended`, which holds the ApplicationSet RollingSync wave.
   */
  public static manual(): BlueGreenPromotion {
    return new ManualPromotion();
  }

  /** Whether the rollout waits for a person before the switch. */
  public abstract readonly isManualGate: boolean;

  /** The timed wait before the switch (0 when the switch is immediate or manual). */
  public abstract readonly delay: Duration;

  /**
   * Problems of the variant's own options.
   *
   * @internal
   */
  public abstract _problems(prop: string): Problem[];

  /**
   * The fields of `spec.strategy.blueGreen` it renders.
   *
   * @internal
   */
  public abstract _toKube(): any;
}

class AutomaticPromotion extends BlueGreenPromotion {
  public readonly isManualGate = false;
  public readonly delay = Duration.seconds(0);
  public _problems(): Problem[] {
    return [];
  }
  public _toKube(): any {
    return {};
  }
}

class DelayedPromotion extends BlueGreenPromotion {
  public readonly isManualGate = false;
  constructor(public readonly delay: Duration) {
    super();
  }
  public _problems(prop: string): Problem[] {
    const d = this.delay as unknown;
    if (typeof d !== 'object' || d === null || typeof (d as any).toMilliseconds !== 'function') {
      return [{
        prop: `${prop}.delay`,
        given: `a plain value ${show(d)}`,
        expected: 'a Duration, e.g. Duration.minutes(5)',
        fix: 'pass BlueGreenPromotion.after(Duration.minutes(5))',
      }];
    }
    const whole = wholeSecondsProblems(`${prop}.delay`, this.delay);
    if (whole.length > 0) return whole;
    if (this.delay.toSeconds() < 1) {
      return [{
        prop: `${prop}.delay`,
        given: '0s',
        expected: 'at least 1 second (the controller reads autoPromotionSeconds 0 as no delay)',
        fix: 'use BlueGreenPromotion.automatic() to switch at once, or a delay of at least Duration.seconds(1)',
      }];
    }
    return [];
  }
  public _toKube(): any {
    return { autoPromotionSeconds: this.delay.toSeconds() };
  }
}

class ManualPromotion extends BlueGreenPromotion {
  public readonly isManualGate = true;
  public readonly delay = Duration.seconds(0);
  public _problems(): Problem[] {
    return [];
  }
  public _toKube(): any {
    return { autoPromotionEnabled: false };
  }
}
