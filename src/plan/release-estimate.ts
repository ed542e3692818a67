import { Duration } from 'cdk8s';
import { RELEASE_ESTIMATE_OPTIONS } from './input-shapes';
import { RolloutPlan } from './rollout-plan';
import { formatHumanDuration } from '../core/duration';
import { optionalBoolean, optionalInstance, optionalNumber, requireInstance, requireObject } from '../core/input-types';
import { propError } from '../core/problem';
import { checkStruct, required } from '../core/struct-shape';

/**
 * What a release estimate needs to know about the update each Application runs once Argo CD syncs it (an Argo
 * Rollouts canary, say): how long it takes at least, whether that is the whole time, and whether it can stop for a
 * person. Argo CD reports a paused Rollout as `Suspended`, and a RollingSync step completes only when every
 * Application of the step is Healthy, so any pause for a person holds the wave.
 */
export interface UpdateFacts {
  /**
   * The least time from the sync until the Application is Healthy and Synced again (when RollingSync frees its
   * slot): timed pauses plus analyses of known duration. 0 when the update only waits at manual gates.
   */
  readonly minimum: Duration;

  /**
   * Whether `minimum` accounts for every step (false when an analysis step's duration is unknown).
   *
   * @default true
   */
  readonly exact?: boolean;

  /**
   * Indefinite pauses: each waits until someone promotes the rollout (`kubectl argo rollouts promote`).
   *
   * @default 0
   */
  readonly manualGates?: number;

  /**
   * Analyses that can pause the rollout for a person: a result evaluated Inconclusive (e.g. NaN from no traffic at a
   * low canary weight) with `inconclusiveLimit: 0` pauses the Rollout until someone promotes or aborts it.
   *
   * @default 0
   */
  readonly inconclusivePauses?: number;
}

/**
 * Something that knows the `UpdateFacts` of the update it runs, e.g. a canary rollout.
 */
export interface IUpdateFactsProvider {
  /** The facts of one update. */
  readonly updateFacts: UpdateFacts;
}

/**
 * What a release estimate needs to know about one Application's update.
 */
export interface ReleaseEstimateOptions {
  /** The update each Application runs, e.g. from the canary's `canaryDuration` and `manualGates`. */
  readonly update: UpdateFacts;

  /**
   * Time each Application needs on top of `update.minimum`, e.g. for its pods to become ready.
   *
   * @default Duration.seconds(0)
   */
  readonly startup?: Duration;
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
  /**
   * `rounds` × (`update.minimum` + `startup` + `bake`): the wave's duration when every Application takes that long.
   */
  readonly duration: Duration;
  /** The wave's bake time (0 without one), counted once per round: each Application holds its slot while it bakes. */
  readonly bake: Duration;
  /** The step has `maxUpdate: 0`: nothing happens until its Applications are synced by hand. */
  readonly manualGate: boolean;
}

/**
 * How long a release takes through a RolloutPlan: waves run one after another, and inside a wave Argo CD keeps
 * `maxUpdate` Applications in flight, starting the next one when one becomes Healthy, so a wave of n Applications
 * with concurrency c takes ceil(n / c) × (per-Application time) when they all take the same time.
 *
 * Pure: computed from the plan and the update's facts. Controller reconcile latency (seconds) is ignored. An update
 * that can stop for a person (manual gates, Inconclusive analyses) or whose analyses take an unknown time makes the
 * total a lower bound.
 */
export class ReleaseEstimate {
  /**
   * Estimates a release.
   *
   * @throws if the per-Application time is negative, or zero for an update that needs no person
   */
  public static of(plan: RolloutPlan, options: ReleaseEstimateOptions): ReleaseEstimate {
    checkStruct('ReleaseEstimate.of', 'options', options, required(RELEASE_ESTIMATE_OPTIONS));
    const where = 'ReleaseEstimate.of';
    requireInstance(where, 'plan', plan, 'RolloutPlan', (v: any) => Array.isArray(v.waves) && Array.isArray(v.unmatched), 'pass RolloutPlan.compute(...) or appSet.plan()');
    requireObject(where, 'options', options, 'pass { update: { minimum: Duration.minutes(20) } }');
    requireObject(where, 'update', options.update, 'pass update: { minimum, exact, manualGates, inconclusivePauses }');
    const u = options.update;
    const isDuration = (v: any) => typeof v.toSeconds === 'function';
    requireInstance(where, 'update.minimum', u.minimum, 'Duration', isDuration, 'pass e.g. Duration.minutes(20)');
    optionalBoolean(where, 'update.exact', u.exact);
    optionalNumber(where, 'update.manualGates', u.manualGates);
    optionalNumber(where, 'update.inconclusivePauses', u.inconclusivePauses);
    optionalInstance(where, 'startup', options.startup, 'Duration', isDuration, 'pass e.g. Duration.minutes(2)');
    const facts = { exact: u.exact ?? true, manualGates: u.manualGates ?? 0, inconclusivePauses: u.inconclusivePauses ?? 0 };
    for (const k of ['manualGates', 'inconclusivePauses'] as const) {
      if (!Number.isInteger(facts[k]) || facts[k] < 0) {
        throw propError(where, { prop: `update.${k}`, given: String(facts[k]), expected: 'a whole number >= 0', fix: 'count the pauses of one update' });
      }
    }
    const per = u.minimum.toSeconds({ integral: false }) + (options.startup?.toSeconds({ integral: false }) ?? 0);
    const waitsForPerson = facts.manualGates > 0 || facts.inconclusivePauses > 0;
    if (!Number.isFinite(per) || (!(per > 0) && !(per === 0 && (waitsForPerson || !facts.exact)))) {
      throw propError(where, {
        prop: 'update.minimum',
        given: `${per}s`,
        expected: 'a positive duration (an update that needs no person takes some time)',
        fix: 'pass how long one Application takes to become Healthy after a sync, e.g. CanaryRollout.canaryDuration.minimum plus pod start-up (startup)',
      });
    }
    const waves: WaveEstimate[] = plan.waves.map(w => {
      const bake = w.bake?.toSeconds({ integral: false }) ?? 0;
      return {
        step: w.step,
        applications: w.applications.length,
        rounds: w.batches.length,
        duration: Duration.seconds(w.batches.length * (per + bake)),
        bake: Duration.seconds(bake),
        manualGate: w.manualGate,
      };
    });
    return new ReleaseEstimate(waves, facts, plan.unmatched.length, plan.frozen === true);
  }

  /**
   * Estimates a release from what the rollout each Application runs tells about its update (a rollout construct
   * implements `IUpdateFactsProvider`).
   *
   * @param plan the plan
   * @param rollout the update each Application runs
   * @param startup time each Application needs on top of the update's minimum, e.g. for its pods to become ready
   * @throws as `of()`
   */
  public static forRollout(plan: RolloutPlan, rollout: IUpdateFactsProvider, startup?: Duration): ReleaseEstimate {
    requireObject('ReleaseEstimate.forRollout', 'rollout', rollout, 'pass a rollout that provides updateFacts');
    return ReleaseEstimate.of(plan, { update: rollout.updateFacts, startup });
  }

  /** One estimate per wave, in order. */
  public readonly waves: WaveEstimate[];
  /** The sum of the waves' durations: the release's duration when no person has to act and every step's time is known. */
  public readonly minimum: Duration;
  /**
   * True when the release finishes without a person: no manual-gate wave, no manual gate in the update and no
   * analysis that can pause it on Inconclusive. When false, `minimum` is a lower bound.
   */
  public readonly automatic: boolean;
  /** True when `minimum` is the release's duration: it is `automatic` and every step of the update has a known duration. */
  public readonly exact: boolean;
  /** Applications the plan never syncs (not part of the estimate). */
  public readonly unsyncedApplications: number;
  /**
   * The ApplicationSet is frozen (every step `maxUpdate: 0`): no wave proceeds, so the release has no duration until
   * it is unfrozen (`minimum` is 0, `automatic` and `exact` are false).
   */
  public readonly frozen: boolean;
  private readonly facts: { readonly exact: boolean; readonly manualGates: number; readonly inconclusivePauses: number };

  private constructor(
    waves: WaveEstimate[], facts: { exact: boolean; manualGates: number; inconclusivePauses: number }, unsynced: number, frozen: boolean,
  ) {
    this.waves = waves;
    this.frozen = frozen;
    this.minimum = Duration.seconds(waves.reduce((s, w) => s + w.duration.toSeconds({ integral: false }), 0));
    this.facts = facts;
    this.automatic = !frozen && facts.manualGates === 0 && facts.inconclusivePauses === 0 && !waves.some(w => w.manualGate && w.applications > 0);
    this.exact = this.automatic && facts.exact;
    this.unsyncedApplications = unsynced;
  }

  /**
   * One line per wave and a total, e.g. `wave 2: 8 applications in 4 rounds, 1h20m`.
   */
  public describe(): string {
    if (this.frozen) {
      const apps = this.waves.reduce((n, w) => n + w.applications, 0);
      return `frozen: every RollingSync step has maxUpdate 0, so no wave proceeds (${apps} application(s) in ${this.waves.length} wave(s) wait; `
        + 'those already syncing finish). No duration until the ApplicationSet is unfrozen.\n';
    }
    const lines = this.waves.map(w => {
      if (w.manualGate && w.applications > 0) return `wave ${w.step}: ${w.applications} application(s) behind a manual gate (maxUpdate 0): sync each by hand`;
      if (w.applications === 0) return `wave ${w.step}: no applications`;
      const bake = w.bake.toSeconds({ integral: false }) > 0 ? ` (each round bakes ${formatDuration(w.bake)})` : '';
      return `wave ${w.step}: ${w.applications} application(s) in ${w.rounds} round(s), ${formatDuration(w.duration)}${bake}`;
    });
    const qualifiers: string[] = [];
    if (this.facts.manualGates > 0) qualifiers.push('every rollout also waits for a manual promotion');
    if (this.facts.inconclusivePauses > 0) qualifiers.push('a rollout may pause for a person when an analysis is Inconclusive (e.g. no traffic)');
    if (!this.facts.exact) qualifiers.push('analyses of unknown duration not counted');
    if (this.waves.some(w => w.manualGate && w.applications > 0)) qualifiers.push('plus the manual-gate waves');
    if (this.unsyncedApplications > 0) qualifiers.push(`${this.unsyncedApplications} application(s) are never synced`);
    if (this.facts.manualGates > 0 || this.facts.inconclusivePauses > 0) {
      qualifiers.push('a paused (Suspended) or failed (Degraded) Application keeps its maxUpdate slot, so it holds the rest of its wave until a person acts');
    }
    const total = `total: ${this.exact ? '' : 'at least '}${formatDuration(this.minimum)}`;
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
  return formatHumanDuration(d);
}
