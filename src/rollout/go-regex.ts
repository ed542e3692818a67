/**
 * Go (RE2) regular expressions as the controller uses them for `dryRun[].metricName` (`regexp.MatchString`), checked
 * and matched from TypeScript. RE2 differs from JavaScript: it accepts flag groups (`(?i)`, `(?i:...)`, flags
 * i m s U) and `(?P<name>...)`, and it rejects lookarounds, backreferences and unknown escapes.
 */

import { re2Error } from '../core/re2';

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
 * A JavaScript RegExp that matches (at least) what the Go expression matches: flag groups are removed and their
 * flags applied to the whole expression, `(?P<n>` becomes `(?<n>`, `\Q..\E` is quoted, `\z` becomes `$`, `\A` `^`.
 *
 * @internal
 */
export function toJsRegExp(re: string): RegExp {
  const flags = new Set<string>();
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const ch = re[i];
    if (inClass && ch === ']') {
      inClass = false;
    } else if (!inClass && ch === '[') {
      inClass = true;
      out += '[';
      if (re[i + 1] === '^') {
        out += '^';
        i++;
      }
      // Go reads a `]` right after `[` / `[^` as a literal; JavaScript as the end of an empty class
      if (re[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (ch === '\\') {
      const next = re[i + 1] ?? '';
      if (next === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        const lit = re.slice(i + 2, end === -1 ? re.length : end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end === -1 ? re.length : end + 1;
        continue;
      }
      if (next === 'z') out += '$';
      else if (next === 'A') out += '^';
      else out += ch + next;
      i++;
      continue;
    }
    if (!inClass && ch === '(' && re[i + 1] === '?') {
      const m = /^\(\?([imsU-]*)(\)|:)/.exec(re.slice(i));
      if (m && m[1].length > 0) {
        for (const f of m[1].split('-')[0]) if (f !== 'U') flags.add(f);
        out += m[2] === ':' ? '(?:' : '';
        i += m[0].length - 1;
        continue;
      }
      if (re.startsWith('(?P<', i)) {
        out += '(?<';
        i += 3;
        continue;
      }
    }
    out += ch;
  }
  return new RegExp(out, [...flags].join(''));
}
