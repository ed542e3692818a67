import type { Duration } from 'cdk8s';
import { LabelExpression } from './label-expression';
import { MaxUpdate } from './max-update';
import { optionalInstance, requireArray, requireObject, requireInstance, requireString, requireStringArray } from '../core/input-types';
import { Problem, propError } from '../core/problem';
import { checkArgs, required } from '../core/struct-shape';

const isMaxUpdate = (v: any) => typeof v._problems === 'function' && typeof v._limit === 'function';
const isLabelExpression = (v: any) => typeof v._matchesRollingSync === 'function' && typeof v._toKube === 'function';

/** Plain-JS callers: a number where a MaxUpdate is expected is told which factory to use. */
function checkMaxUpdate(where: string, maxUpdate: unknown): void {
  const fix = typeof maxUpdate === 'number' ? `use MaxUpdate.count(${maxUpdate})` : typeof maxUpdate === 'string' ? `use MaxUpdate.fromString(${JSON.stringify(maxUpdate)})`
    : 'use MaxUpdate.count(), MaxUpdate.percent(), MaxUpdate.manual() or MaxUpdate.all()';
  optionalInstance(where, 'maxUpdate', maxUpdate, 'MaxUpdate', isMaxUpdate, fix);
}

/**
 * One step of an ApplicationSet RollingSync strategy: the Applications whose labels match every expression (AND),
 * synced at most `maxUpdate` at a time. Steps run in order; a step starts when every Application of the previous
 * steps is Synced and Healthy. An Application takes the FIRST step it matches; one that matches no step is never
 * synced by the controller.
 */
export class RollingSyncStep {
  /**
   * Applications whose label `key` has one of `values`.
   *
   * @param key the Application label key, e.g. `env`
   * @param values the values this step selects
   * @param maxUpdate how many to sync at a time
   * @default maxUpdate - MaxUpdate.all()
   */
  public static whereIn(key: string, values: string[], maxUpdate?: MaxUpdate): RollingSyncStep {
    requireString('RollingSyncStep.whereIn', 'key', key);
    requireStringArray('RollingSyncStep.whereIn', 'values', values);
    checkMaxUpdate('RollingSyncStep.whereIn', maxUpdate);
    return new RollingSyncStep([LabelExpression.valueIn(key, values)], maxUpdate);
  }

  /**
   * Applications whose label `key` is absent or has none of `values`.
   *
   * @param key the Application label key
   * @param values the values this step excludes
   * @param maxUpdate how many to sync at a time
   * @default maxUpdate - MaxUpdate.all()
   */
  public static whereNotIn(key: string, values: string[], maxUpdate?: MaxUpdate): RollingSyncStep {
    requireString('RollingSyncStep.whereNotIn', 'key', key);
    requireStringArray('RollingSyncStep.whereNotIn', 'values', values);
    checkMaxUpdate('RollingSyncStep.whereNotIn', maxUpdate);
    return new RollingSyncStep([LabelExpression.valueNotIn(key, values)], maxUpdate);
  }

  /**
   * Applications matching every expression (AND across expressions, OR within one expression's values).
   *
   * @param expressions `In`/`NotIn` label expressions; at least one (use `everything()` for a catch-all step)
   * @param maxUpdate how many to sync at a time
   * @default maxUpdate - MaxUpdate.all()
   */
  public static matching(expressions: LabelExpression[], maxUpdate?: MaxUpdate): RollingSyncStep {
    requireArray('RollingSyncStep.matching', 'expressions', expressions, (e, prop) => requireInstance('RollingSyncStep.matching', prop, e, 'LabelExpression',
      isLabelExpression, 'use LabelExpression.valueIn() or LabelExpression.valueNotIn()'));
    checkMaxUpdate('RollingSyncStep.matching', maxUpdate);
    return new RollingSyncStep(expressions, maxUpdate, true);
  }

  /**
   * A catch-all step without `matchExpressions`: Argo CD selects every Application for it (those that matched an
   * earlier step stay in their first step).
   *
   * @param maxUpdate how many to sync at a time
   * @default maxUpdate - MaxUpdate.all()
   */
  public static everything(maxUpdate?: MaxUpdate): RollingSyncStep {
    checkMaxUpdate('RollingSyncStep.everything', maxUpdate);
    return new RollingSyncStep([], maxUpdate);
  }

  /** The label expressions, ANDed. Empty for `everything()`. */
  public readonly matchExpressions: LabelExpression[];
  /** How many Applications are synced at a time. */
  public readonly maxUpdate: MaxUpdate;
  /**
   * The bake time of this wave (`withBake()`): after full weight, each Application's Rollout pauses this long with its
   * background analysis still running, so the Application stays Suspended and the next wave waits.
   *
   * @default - no bake
   */
  public readonly bake?: Duration;
  private readonly requireExpressions: boolean;

  private constructor(expressions: LabelExpression[], maxUpdate?: MaxUpdate, requireExpressions = false, bake?: Duration) {
    this.matchExpressions = [...expressions];
    this.maxUpdate = maxUpdate ?? MaxUpdate.all();
    this.requireExpressions = requireExpressions;
    this.bake = bake;
  }

  /**
   * This step with a bake time: once a cluster of the wave reaches full weight, its Rollout pauses for `duration`
   * (a final `setWeight` to full weight, then `pause: {duration}`, rendered into the cluster's Kustomize overlay by
   * `ProgressiveDeliveryStack`) while the Rollout's background analysis keeps running. Argo CD reports a paused
   * Rollout as Suspended, and a RollingSync step completes only when all its Applications are Healthy, so the next
   * wave starts only after every cluster of this one has baked (or aborts it: a failed background analysis makes
   * the Application Degraded and holds the wave). Argo CD's RollingSync has no wait step of its own (argo-cd#11932).
   * The release plan and `ReleaseEstimate` count the bake once per round of the wave.
   *
   * @param duration the bake time, a whole number of seconds >= 1
   */
  public withBake(duration: Duration): RollingSyncStep {
    checkArgs('RollingSyncStep.withBake', { duration: [duration, required('duration')] });
    const ms = duration.toMilliseconds({ integral: false });
    if (!Number.isSafeInteger(ms) || ms < 1000 || ms % 1000 !== 0) {
      throw propError('RollingSyncStep.withBake', {
        prop: 'duration',
        given: `${ms}ms`,
        expected: 'a whole number of seconds >= 1 (the Rollout pause it renders to takes a Go duration; 0 would not pause)',
        fix: 'pass e.g. Duration.minutes(30), or drop withBake()',
      });
    }
    return new RollingSyncStep(this.matchExpressions, this.maxUpdate, this.requireExpressions, duration);
  }

  /**
   * This step without its bake (for ApplicationSets that do not deploy the Rollout, e.g. the platform's).
   *
   * @internal
   */
  public _withoutBake(): RollingSyncStep {
    return this.bake ? new RollingSyncStep(this.matchExpressions, this.maxUpdate, this.requireExpressions) : this;
  }

  /**
   * The label keys this step selects on.
   */
  public get labelKeys(): string[] {
    return [...new Set(this.matchExpressions.map(e => e.key))];
  }

  /**
   * Whether Argo CD v3.5 assigns an Application with these labels to this step (ignoring earlier steps).
   *
   * @param labels the Application's labels
   */
  public matches(labels: { [key: string]: string }): boolean {
    requireObject('RollingSyncStep.matches', 'labels', labels, 'pass the Application labels, e.g. { env: "canary" }');
    for (const e of this.matchExpressions) {
      if (!e._matchesRollingSync(labels)) return false;
    }
    return true;
  }

  /**
   * One line for plans and messages, e.g. `env In [canary]`.
   */
  public describe(): string {
    if (this.matchExpressions.length === 0) return 'every Application';
    return this.matchExpressions.map(e => `${e.key} ${e.operator} [${e.values.join(', ')}]`).join(' AND ');
  }

  /**
   * The problems of this step at `prop`, e.g. `steps[1]`.
   *
   * @internal
   */
  public _problems(prop: string): Problem[] {
    const problems: Problem[] = [];
    if (this.requireExpressions && this.matchExpressions.length === 0) {
      problems.push({
        prop: `${prop}.matchExpressions`,
        given: '[]',
        expected: 'at least one expression (a step without expressions selects every Application)',
        fix: 'use RollingSyncStep.everything() if a catch-all step is meant',
      });
    }
    this.matchExpressions.forEach((e, i) => problems.push(...e._problems(`${prop}.matchExpressions[${i}]`)));
    problems.push(...this.maxUpdate._problems(`${prop}.maxUpdate`));
    return problems;
  }

  /** @internal */
  public _toKube(): any {
    const maxUpdate = this.maxUpdate._toKube();
    return {
      ...(this.matchExpressions.length > 0 ? { matchExpressions: this.matchExpressions.map(e => e._toKube()) } : {}),
      ...(maxUpdate !== undefined ? { maxUpdate } : {}),
    };
  }
}
