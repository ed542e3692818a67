/**
 * Go (RE2) regular expressions as the controller uses them for `dryRun[].metricName` (`regexp.MatchString`), checked
 * and matched from TypeScript. RE2 differs from JavaScript: it accepts flag groups (`(?i)`, `(?i:...)`, flags
 * i m s U) and `(?P<name>...)`, and it rejects lookarounds, backreferences and unknown escapes.
 */

import { re2Error, toJsRegExp } from '../core/re2';

/**
 * Why `re` is not a valid Go regular expression, or undefined when it is. Checked by the RE2 parser in
 * src/core/re2.ts (the one Prometheus matchers are checked with), which reports Go's own error text.
 *
 * @internal
 */
export function goRegexProblem(re: string): string | undefined {
  const err = re2Error(re);
  return err ? `rejected by Go's regexp package (${err.message})` : undefined;
}

/**
 * A JavaScript RegExp that matches (at least) what the Go expression matches; see `toJsRegExp` in src/core/re2.ts.
 *
 * @internal
 */
export { toJsRegExp };
