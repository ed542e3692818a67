import { Duration } from 'cdk8s';

/**
 * Renders a Duration in the form Go's `time.ParseDuration`, Argo and Prometheus all accept, with the largest unit
 * that represents it exactly: `1h`, `10m`, `90s`, `250ms`.
 *
 * @internal
 */
export function toGoDuration(d: Duration): string {
  const ms = d.toMilliseconds();
  if (!Number.isInteger(ms) || ms < 0) {
    throw new Error(`duration ${ms}ms cannot be rendered: expected a whole, non-negative number of milliseconds`);
  }
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
