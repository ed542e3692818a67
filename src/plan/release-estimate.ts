import { Duration } from 'cdk8s';
import { RolloutPlan } from './rollout-plan';
import { propError } from '../core/problem';

/**
 * What a release estimate needs to know about one Application's update.
 */
export interface ReleaseEstimateOptions {
  /**
   * How long one Application takes from the moment Argo CD syncs it until it is Healthy and Synced again, which is
   * when RollingSync frees its slot. With an Argo Rollouts canary this is at least the canary's timed pauses and
   * analyses (`CanaryRollout.canaryDuration.minimum`) plus the time its pods need to become ready.
   */
  readonly perApplication: Duration;

  /**
   * Whether each Application's rollout stops at an indefinite pause until someone promotes it
   * (`CanaryRollout.blocksRollingSyncWave`). The Application is `Suspended` meanwhile, so its wave cannot finish
   * without a person and the release has no upper bound.
   *
   * @default false
   */
  readonly waitsForPromotion?: boolean;
}

/**
 * The estimated duration of one wave (RollingSync step).
 */
export interface WaveEstimate {
  /** The 1-based step number. */
  readonly step: number;
  /** How many Applications the wave syncs. */
  readonly applications: number;
  /** Sequential sync rounds: the number of batches `maxUpdate` cuts the wave into (0 for an empty wave or a manual gate). */
  readonly rounds: number;
  /** `rounds` × `perApplication`: the wave's duration when every Application takes `perApplication`. */
  readonly duration: Duration;
  /** The step has `maxUpdate: 0`: nothing happens until its Applications are synced by hand. */
  readonly manualGate: boolean;
}

/**
 * How long a release takes through a RolloutPlan: waves run one after another, and inside a wave Argo CD keeps
 * `maxUpdate` Applications in flight, starting the next one when one becomes Healthy, so a wave of n Applications
 * with concurrency c takes ceil(n / c) × `perApplication` when they all take the same time.
 *
 * Pure: computed from the plan and the per-Application duration. Controller reconcile latency (seconds) is ignored.
 */
export class ReleaseEstimate {
  /**
   * Estimates a release.
   *
   * @throws if `perApplication` is zero
   */
  public static of(plan: RolloutPlan, options: ReleaseEstimateOptions): ReleaseEstimate {
    const per = options.perApplication.toSeconds({ integral: false });
    if (!(per > 0)) {
      throw propError('ReleaseEstimate.of', {
        prop: 'perApplication',
        given: `${per}s`,
        expected: 'a positive duration',
        fix: 'pass how long one Application takes to become Healthy after a sync, e.g. CanaryRollout.canaryDuration.minimum plus pod start-up',
      });
    }
    const waves: WaveEstimate[] = plan.waves.map(w => ({
      step: w.step,
      applications: w.applications.length,
      rounds: w.batches.length,
      duration: Duration.seconds(w.batches.length * per),
      manualGate: w.manualGate,
    }));
    return new ReleaseEstimate(waves, per, options.waitsForPromotion ?? false, plan.unmatched.length);
  }

  /** One estimate per wave, in order. */
  public readonly waves: WaveEstimate[];
  /** The sum of the waves' durations: the release's duration when no person has to act. */
  public readonly minimum: Duration;
  /**
   * True when the release finishes without a person: no manual-gate wave and no rollout waiting for promotion.
   * When false, `minimum` is a lower bound.
   */
  public readonly automatic: boolean;
  /** Applications the plan never syncs (not part of the estimate). */
  public readonly unsyncedApplications: number;
  private readonly waitsForPromotion: boolean;

  private constructor(waves: WaveEstimate[], perSeconds: number, waitsForPromotion: boolean, unsynced: number) {
    this.waves = waves;
    this.minimum = Duration.seconds(waves.reduce((s, w) => s + w.rounds * perSeconds, 0));
    this.waitsForPromotion = waitsForPromotion;
    this.automatic = !waitsForPromotion && !waves.some(w => w.manualGate && w.applications > 0);
    this.unsyncedApplications = unsynced;
  }

  /**
   * One line per wave and a total, e.g. `wave 2: 8 applications in 4 rounds, 1h20m`.
   */
  public describe(): string {
    const lines = this.waves.map(w => {
      if (w.manualGate && w.applications > 0) return `wave ${w.step}: ${w.applications} application(s) behind a manual gate (maxUpdate 0): sync each by hand`;
      if (w.applications === 0) return `wave ${w.step}: no applications`;
      return `wave ${w.step}: ${w.applications} application(s) in ${w.rounds} round(s), ${formatDuration(w.duration)}`;
    });
    const qualifiers: string[] = [];
    if (this.waitsForPromotion) qualifiers.push('every rollout also waits for a manual promotion');
    if (this.waves.some(w => w.manualGate && w.applications > 0)) qualifiers.push('plus the manual-gate waves');
    if (this.unsyncedApplications > 0) qualifiers.push(`${this.unsyncedApplications} application(s) are never synced`);
    const total = `total: ${this.automatic ? '' : 'at least '}${formatDuration(this.minimum)}`;
    lines.push(qualifiers.length > 0 ? `${total} (${qualifiers.join('; ')})` : total);
    return lines.join('\n') + '\n';
  }
}

/**
 * `1h20m`, `45m`, `30s`, `0s`.
 *
 * @internal
 */
export function formatDuration(d: Duration): string {
  let s = Math.round(d.toSeconds());
  if (s === 0) return '0s';
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
