import type { Duration } from 'cdk8s';
import { propError } from './problem';
import { isDuration } from './struct-shape';

/** Go's `time.Duration` (int64 nanoseconds) ends at 2562047h47m16.854s: longer durations are "out of range". @internal */
export const MAX_GO_DURATION_MS = 9_223_372_036_854;

/**
 * What is wrong with a Duration for Go's `time.ParseDuration` form, or undefined when it renders: a whole,
 * non-negative, finite number of milliseconds.
 *
 * @internal
 */
export function goDurationProblem(d: Duration): string | undefined {
  if (!isDuration(d)) return 'a Duration, e.g. Duration.seconds(30)';
  const ms = d.toMilliseconds({ integral: false });
  if (!Number.isSafeInteger(ms) || ms < 0) return 'a whole, non-negative number of milliseconds';
  if (ms > MAX_GO_DURATION_MS) return 'at most 2562047h47m16.854s (Go\'s time.Duration, which Argo and Prometheus parse durations into)';
  return undefined;
}

/**
 * A duration for people: `1h20m`, `45m`, `30s`, `0s`, rounded to whole seconds. Total: a fractional, NaN or infinite
 * Duration renders (`?` for NaN, `∞` for infinity) instead of cdk8s's "must be a whole number" error.
 *
 * @internal
 */
export function formatHumanDuration(d: Duration): string {
  const seconds = isDuration(d) ? d.toSeconds({ integral: false }) : NaN;
  if (Number.isNaN(seconds)) return '?';
  if (!Number.isFinite(seconds)) return '∞';
  let s = Math.round(seconds);
  if (s === 0) return '0s';
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/**
 * Renders a Duration in the form Go's `time.ParseDuration`, Argo and Prometheus all accept, with the largest unit
 * that represents it exactly: `1h`, `10m`, `90s`, `250ms`. Callers check `goDurationProblem` first; an unchecked
 * bad value is a `ValidationError`.
 *
 * @internal
 */
export function toGoDuration(d: Duration): string {
  const problem = goDurationProblem(d);
  const ms = isDuration(d) ? d.toMilliseconds({ integral: false }) : NaN;
  if (problem) {
    throw propError('Duration', { prop: 'duration', given: `${ms}ms`, expected: problem, fix: 'use e.g. Duration.seconds(15)' });
  }
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
