import { Duration } from 'cdk8s';
import { int32Problems } from '../core/bounds';
import { goDurationProblem, toGoDuration } from '../core/duration';
import { showTyped } from '../core/input-types';
import { Problem, show } from '../core/problem';

/**
 * When and how often a metric is measured, and how many bad measurements it tolerates; shared by every metric
 * provider (Prometheus, web, job). The controller's defaults (failureLimit 0, inconclusiveLimit 0,
 * consecutiveErrorLimit 4) are always rendered explicitly so the YAML says what will happen.
 */
export interface MetricOptions {
  /**
   * Time between measurements (`interval`).
   *
   * @default - none: a single measurement (with `count` unset)
   */
  readonly interval?: Duration;

  /**
   * Number of measurements (`count`). A step analysis must end, so give `count` when `interval` is set and the
   * template is used in a canary step; without `count` an interval metric runs until the rollout completes, which
   * only a background analysis allows.
   *
   * @default - 1 measurement without `interval`; unlimited (until the rollout completes) with `interval`
   */
  readonly count?: number;

  /**
   * Delay before the first measurement (`initialDelay`), e.g. to let the canary receive traffic.
   *
   * @default - none
   */
  readonly initialDelay?: Duration;

  /**
   * Failed measurements tolerated (`failureLimit`); the metric fails at failureLimit + 1. Must be below the number
   * of measurements (`count`, or 1 when neither `count` nor `interval` is set), or the metric could never fail.
   * `-1` disables failing by count (the controller then needs `consecutiveSuccessLimit`, and a metric that has not
   * reached it when `count` is exhausted is Failed).
   *
   * @default 0 - the first Failed measurement fails the analysis (the controller's default, rendered explicitly)
   */
  readonly failureLimit?: number;

  /**
   * Inconclusive measurements tolerated (`inconclusiveLimit`); at inconclusiveLimit + 1 the analysis is
   * Inconclusive and the rollout pauses. Must be below the number of measurements (`count`, or 1 when neither
   * `count` nor `interval` is set): once the last measurement is taken the metric is Successful, so a higher limit
   * would let Inconclusive measurements pass.
   *
   * @default 0 - the first Inconclusive measurement pauses the rollout (the controller's default, rendered explicitly)
   */
  readonly inconclusiveLimit?: number;

  /**
   * Consecutive errored measurements (query, request or evaluation errors, retried every 10 s) tolerated
   * (`consecutiveErrorLimit`); the metric is Error at consecutiveErrorLimit + 1, which aborts the rollout.
   *
   * @default 4 - the controller's default, rendered explicitly
   */
  readonly consecutiveErrorLimit?: number;

  /**
   * Consecutive Successful measurements after which the metric is Successful early (`consecutiveSuccessLimit`,
   * Argo Rollouts ≥ 1.8). When `count` is exhausted without reaching it the metric is Inconclusive (the rollout
   * pauses for a person) while `failureLimit` ≥ 0, or Failed with `failureLimit: -1`. With `count`, the controller
   * requires `count ≥ failureLimit + consecutiveSuccessLimit` (or `count ≥ consecutiveSuccessLimit` with
   * failureLimit -1).
   *
   * @default - not rendered: disabled (the controller's 0); the metric runs `count` measurements
   */
  readonly consecutiveSuccessLimit?: number;
}

/**
 * The measurement schedule and limits of one metric: the controller's rules on them (docs/rules/rollouts.md A3–A10
 * and the library's own limit-below-count rules), rendering and the facts the rollout reads.
 *
 * @internal
 */
export class MeasurementOptions {
  constructor(private readonly o: MetricOptions) {}

  /** The options as given. */
  public get options(): MetricOptions {
    return this.o;
  }

  /** `interval` without `count`: the metric runs until the rollout completes (background analysis only, R8). */
  public get openEnded(): boolean {
    return this.o.interval !== undefined && this.o.count === undefined;
  }

  /**
   * `initialDelay + (n - 1) x interval`, `n` the count (1 without count and interval), or `consecutiveSuccessLimit`
   * when that is set and smaller; undefined when open-ended.
   */
  public get minimumDuration(): Duration | undefined {
    if (this.openEnded) return undefined;
    const delay = this.o.initialDelay?.toSeconds({ integral: false }) ?? 0;
    const count = this.o.count ?? 1;
    const s = this.o.consecutiveSuccessLimit ?? 0;
    const n = s > 0 ? Math.min(count, s) : count;
    const interval = this.o.interval?.toSeconds({ integral: false }) ?? 0;
    return Duration.seconds(delay + (n - 1) * interval);
  }

  /**
   * Whether the metric ends Inconclusive when its measurements run out: `consecutiveSuccessLimit` set and not reached
   * within `count`, with `failureLimit` ≥ 0 (controller: "ConsecutiveSuccessLimit (s) Not Reached and FailureLimit (f)
   * Not Violated"). Such a metric can pause the rollout for a person.
   */
  public get inconclusiveWhenExhausted(): boolean {
    return (this.o.consecutiveSuccessLimit ?? 0) > 0 && (this.o.failureLimit ?? 0) >= 0 && !this.openEnded;
  }

  /** Problems of the options, props relative to the metric. */
  public problems(): Problem[] {
    const problems: Problem[] = [];
    const o = this.o;
    const intProblem = (prop: string, v: number | undefined, min: number, controller?: string) => {
      if (v !== undefined && (!Number.isInteger(v) || v < min)) {
        problems.push({
          prop,
          given: show(v),
          expected: `${min === -1 ? 'an integer ≥ 0, or -1 to disable it' : `an integer ≥ ${min}`}${controller ? ` (the AnalysisRun errors: "${controller}")` : ''}`,
          fix: min === -1 ? 'give a whole number ≥ 0 (or -1 with consecutiveSuccessLimit)' : `give a whole number ≥ ${min}`,
        });
        return true;
      }
      if (int32Problems(prop, v).length > 0) {
        problems.push(...int32Problems(prop, v));
        return true;
      }
      return false;
    };
    const badCount = intProblem('count', o.count, 1);
    // A4: failureLimit must be >= 0, or -1 to be disabled
    const badFailure = intProblem('failureLimit', o.failureLimit, -1, 'failureLimit must be >= 0, or -1 to be disabled');
    const badInconclusive = intProblem('inconclusiveLimit', o.inconclusiveLimit, 0, 'inconclusiveLimit must be >= 0');
    intProblem('consecutiveErrorLimit', o.consecutiveErrorLimit, 0, 'consecutiveErrorLimit must be >= 0');
    // A3: consecutiveSuccessLimit must be >= 0
    const badSuccess = intProblem('consecutiveSuccessLimit', o.consecutiveSuccessLimit, 0, 'consecutiveSuccessLimit must be >= 0');
    const durationProblem = (prop: string, d: Duration | undefined, positive: boolean) => {
      if (d === undefined) return;
      if (d === null || typeof (d as any).toMilliseconds !== 'function') {
        // plain-JS / Python callers: a string or number instead of a Duration
        problems.push({ prop, given: showTyped(d), expected: 'a Duration', fix: 'use Duration.seconds(n) / Duration.minutes(n)' });
        return;
      }
      const ms = d.toMilliseconds({ integral: false });
      if (goDurationProblem(d) !== undefined || (positive && ms <= 0)) {
        problems.push({
          prop,
          given: `${ms}ms`,
          expected: `a whole number of milliseconds${positive ? ' > 0' : ' ≥ 0'}`,
          fix: 'use Duration.seconds(n) / Duration.minutes(n)',
        });
      }
    };
    durationProblem('interval', o.interval, true);
    durationProblem('initialDelay', o.initialDelay, false);
    if (o.count !== undefined && !badCount && o.count > 1 && o.interval === undefined) {
      problems.push({
        prop: 'interval',
        given: `missing with count ${o.count}`,
        expected: 'an interval when count > 1 (the controller rejects the run: "interval must be specified when count > 1")',
        fix: 'set interval, e.g. Duration.minutes(1)',
      });
    }
    const failureLimit = o.failureLimit ?? 0;
    const successLimit = o.consecutiveSuccessLimit ?? 0;
    // A5: both disabled
    if (!badFailure && !badSuccess && failureLimit === -1 && successLimit === 0) {
      problems.push({
        prop: 'failureLimit',
        given: `-1 with ${o.consecutiveSuccessLimit === undefined ? 'no consecutiveSuccessLimit' : 'consecutiveSuccessLimit 0'}`,
        expected: 'a consecutiveSuccessLimit > 0 when failing by count is disabled (the AnalysisRun errors: "failureLimit and '
          + 'consecutiveSuccessLimit cannot both be disabled")',
        fix: 'set consecutiveSuccessLimit, e.g. 3, or give failureLimit ≥ 0',
      });
    }
    // The number of measurements the controller takes: count, else 1 without interval (it measures once), else
    // unbounded. Once that many are taken the metric is decided, so a limit must stay below it to ever take effect.
    const implicitOnce = o.count === undefined && o.interval === undefined;
    const effectiveCount = badCount ? undefined : o.count ?? (implicitOnce ? 1 : undefined);
    if (effectiveCount === undefined) return problems;
    const given = (limit: number) => `${limit} ${implicitOnce ? 'with neither count nor interval' : `with count ${effectiveCount}`}`;
    const bound = (prop: string) => implicitOnce
      ? `${prop} 0 (without count or interval the controller measures once`
      : `${prop} < count (the controller measures count times`;
    const fix = (prop: string) => implicitOnce
      ? `drop ${prop}, or set count and interval, e.g. count: 3, interval: Duration.minutes(1)`
      : `lower ${prop} below ${effectiveCount} or raise count`;
    if (!badFailure && !badSuccess && successLimit > 0) {
      if (failureLimit >= 0 && effectiveCount < failureLimit + successLimit) {
        // A7 (with an explicit count; the library applies it to the implicit single measurement too)
        problems.push({
          prop: 'consecutiveSuccessLimit',
          given: `${successLimit} with ${implicitOnce ? 'neither count nor interval' : `count ${effectiveCount}`} and failureLimit ${failureLimit}`,
          expected: `count ≥ failureLimit + consecutiveSuccessLimit (the AnalysisRun errors: "count (${effectiveCount}) must be >= failureLimit + `
            + `consecutiveSuccessLimit (${failureLimit} + ${successLimit}) if both >= 0")`,
          fix: `raise count to at least ${failureLimit + successLimit} or lower the limits`,
        });
      } else if (failureLimit === -1 && effectiveCount < successLimit) {
        // A8 (first message)
        problems.push({
          prop: 'consecutiveSuccessLimit',
          given: `${successLimit} with ${implicitOnce ? 'neither count nor interval' : `count ${effectiveCount}`} and failureLimit -1`,
          expected: 'count ≥ consecutiveSuccessLimit (the AnalysisRun errors: "count must be >= consecutiveSuccessLimit")',
          fix: `raise count to at least ${successLimit} or lower consecutiveSuccessLimit`,
        });
      }
    }
    if (!badFailure && failureLimit >= 0 && failureLimit >= effectiveCount) {
      problems.push({
        prop: 'failureLimit',
        given: given(failureLimit),
        expected: `${bound('failureLimit')}; the metric fails at failureLimit + 1 failed measurements, so it could never fail)`,
        fix: fix('failureLimit'),
      });
    }
    const inconclusiveLimit = o.inconclusiveLimit ?? 0;
    if (!badInconclusive && inconclusiveLimit >= effectiveCount) {
      problems.push({
        prop: 'inconclusiveLimit',
        given: given(inconclusiveLimit),
        expected: `${bound('inconclusiveLimit')}; the metric is Inconclusive at inconclusiveLimit + 1 inconclusive measurements and `
          + 'Successful after the last one, so Inconclusive measurements would pass instead of pausing the rollout'
          // A8 (second message): the controller itself only rejects a limit above count
          + `${inconclusiveLimit > effectiveCount && !implicitOnce ? '; above count the AnalysisRun errors: "count must be >= inconclusiveLimit"' : ''})`,
        fix: fix('inconclusiveLimit'),
      });
    }
    return problems;
  }

  /** `interval`, `initialDelay`, `count`, in that order (the fields before the conditions). */
  public renderSchedule(): Record<string, unknown> {
    const o = this.o;
    const out: Record<string, unknown> = {};
    if (o.interval) out.interval = toGoDuration(o.interval);
    if (o.initialDelay) out.initialDelay = toGoDuration(o.initialDelay);
    if (o.count !== undefined) out.count = o.count;
    return out;
  }

  /** The limits, the controller's defaults explicit; `consecutiveSuccessLimit` only when set. */
  public renderLimits(): Record<string, unknown> {
    const o = this.o;
    return {
      failureLimit: o.failureLimit ?? 0,
      inconclusiveLimit: o.inconclusiveLimit ?? 0,
      consecutiveErrorLimit: o.consecutiveErrorLimit ?? 4,
      ...(o.consecutiveSuccessLimit !== undefined ? { consecutiveSuccessLimit: o.consecutiveSuccessLimit } : {}),
    };
  }
}

/** Argo metric names end up in AnalysisRun status, Job names and `dryRun` regexes: keep them DNS-label-like. */
const ANALYSIS_METRIC_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;

/**
 * Problems of a metric name (`metrics[].name`).
 *
 * @internal
 */
export function metricNameProblems(name: string, example: string): Problem[] {
  if (typeof name === 'string' && ANALYSIS_METRIC_NAME.test(name) && name.length <= 63) return [];
  return [{
    prop: 'metricName',
    given: show(name),
    expected: 'at most 63 lowercase alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric',
    fix: `e.g. "${example}"`,
  }];
}
