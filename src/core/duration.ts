import { Duration } from 'cdk8s';
import { propError } from './problem';
import { isDuration } from './struct-shape';

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
  return undefined;
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
