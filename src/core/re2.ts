/**
 * A syntax check of regular expressions as Prometheus compiles them: Go's `regexp` (RE2 syntax, Perl flags), which
 * rejects Perl-only constructs that JavaScript accepts (lookarounds, backreferences, possessive quantifiers, `\Z`…).
 * It follows Go's `regexp/syntax` parser (Go 1.19, the toolchain of Prometheus 2.42) and returns Go's error text;
 * it does not build the regexp, and it does not check Unicode class names beyond their form nor Go's size limits.
 */
// Google's RE2 compiled to WebAssembly: the same linear-time automaton semantics as Go's regexp (no backtracking).
import { RE2 } from 're2-wasm';

/** @internal A regexp Go's `regexp.Compile` rejects: Go's message and a hint for the fix. */
export interface Re2Error {
  /** Go's message, e.g. ``error parsing regexp: invalid or unsupported Perl syntax: `(?!` ``. */
  readonly message: string;
  /** How to write it in RE2. */
  readonly hint: string;
}

const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);
const UNICODE_CATEGORY_LETTERS = new Set(['C', 'L', 'M', 'N', 'P', 'S', 'Z']);

/** Where Go's parser stops: its error code, the offending text and, for some, a hint. A value, never thrown. */
interface Fail {
  readonly code: string;
  readonly expr: string;
  readonly hint?: string;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isAlnum = (c: string) => /^[0-9A-Za-z]$/.test(c);

/** Stack entries that matter for "missing argument to repetition operator": Go's pseudo-ops `(` and `|`. */
type Top = 'none' | 'pseudo' | 'atom';

/**
 * Go's `regexp/syntax` parser, reduced to what decides acceptance. It never throws: the first error is recorded in
 * `failure` and every step returns false (or undefined) from there, so `parse()` returns it to the caller.
 */
class Re2Parser {
  private readonly chars: string[];
  private pos = 0;
  /** One entry per open group: what the top of Go's stack was before it. */
  private readonly groups: number[] = [];
  private top: Top = 'none';
  /** Every `:]` before this index has been searched for in vain: keeps repeated `[:` scans linear. */
  private noPosixEndFrom = Number.MAX_SAFE_INTEGER;
  private failure: Fail | undefined;

  constructor(private readonly source: string) {
    this.chars = [...source];
  }

  /** The first error Go reports, or undefined when Go accepts the expression. */
  public parse(): Fail | undefined {
    this.run();
    return this.failure;
  }

  /** Records the first failure; returns false so callers can `return this.fail(…)`. */
  private fail(code: string, expr: string, hint?: string): false {
    this.failure ??= { code, expr, hint };
    return false;
  }

  private run(): boolean {
    let lastRepeatStart = -1;
    while (this.pos < this.chars.length) {
      let repeatStart = -1;
      const c = this.chars[this.pos];
      switch (c) {
        case '(':
          if (this.chars[this.pos + 1] === '?') {
            if (!this.perlFlags()) return false;
          } else {
            this.pos++;
            this.groups.push(this.pos);
            this.top = 'pseudo';
          }
          break;
        case '|':
          this.pos++;
          this.top = 'pseudo';
          break;
        case ')':
          if (this.groups.length === 0) return this.fail('unexpected )', this.source);
          this.groups.pop();
          this.pos++;
          this.top = 'atom';
          break;
        case '[':
          if (!this.charClass()) return false;
          this.top = 'atom';
          break;
        case '*': case '+': case '?': {
          const start = this.pos;
          this.pos++;
          if (this.chars[this.pos] === '?') this.pos++; // non-greedy
          if (!this.repeat(start, lastRepeatStart)) return false;
          repeatStart = start;
          break;
        }
        case '{': {
          const start = this.pos;
          const r = this.repeatCount();
          if (!r) {
            this.pos++; // `{` that does not start a repeat is a literal
            this.top = 'atom';
            break;
          }
          this.pos = r.end;
          if (r.min < 0 || r.min > 1000 || r.max > 1000 || (r.max >= 0 && r.min > r.max)) {
            return this.fail('invalid repeat count', this.slice(start, this.pos));
          }
          if (this.chars[this.pos] === '?') this.pos++;
          if (!this.repeat(start, lastRepeatStart)) return false;
          repeatStart = start;
          break;
        }
        case '\\':
          if (!this.escapeOutsideClass()) return false;
          break;
        default: // literal, `.`, `^`, `$`
          this.pos++;
          this.top = 'atom';
      }
      lastRepeatStart = repeatStart;
    }
    if (this.groups.length > 0) return this.fail('missing closing )', this.source);
    return true;
  }

  /** The index of the next `:]` from `from`, or -1. */
  private findPosixEnd(from: number): number {
    for (let i = from; i + 1 < this.chars.length; i++) {
      if (this.chars[i] === ':' && this.chars[i + 1] === ']') return i;
    }
    this.noPosixEndFrom = Math.min(this.noPosixEndFrom, from);
    return -1;
  }

  private slice(from: number, to: number): string {
    return this.chars.slice(from, to).join('');
  }

  private repeat(start: number, lastRepeatStart: number): boolean {
    if (lastRepeatStart >= 0) {
      // Perl does not stack repetition operators: `a**`, `a++` (possessive), `a{2}{3}`.
      return this.fail('invalid nested repetition operator', this.slice(lastRepeatStart, this.pos));
    }
    if (this.top !== 'atom') return this.fail('missing argument to repetition operator', this.slice(start, this.pos));
    return true;
  }

  /** `{n}`, `{n,}`, `{n,m}` at pos; undefined when the text is not a repeat (then `{` is a literal). */
  private repeatCount(): { min: number; max: number; end: number } | undefined {
    let i = this.pos + 1;
    const int = (): number | undefined => {
      const from = i;
      while (isDigit(this.chars[i])) i++;
      if (i === from) return undefined;
      const digits = this.slice(from, i);
      if (digits.length >= 2 && digits[0] === '0') return undefined; // Go disallows leading zeros
      return digits.length > 8 ? -1 : Number(digits);
    };
    const min = int();
    if (min === undefined) return undefined;
    let max = min;
    if (this.chars[i] === ',') {
      i++;
      if (this.chars[i] === '}') {
        max = -1;
      } else {
        const m = int();
        if (m === undefined) return undefined;
        max = m;
      }
    }
    if (this.chars[i] !== '}') return undefined;
    return { min, max, end: i + 1 };
  }

  /** `(?…`: flags, non-capturing groups and `(?P<name>…)`; everything else is Perl syntax Go rejects. */
  private perlFlags(): boolean {
    const start = this.pos;
    if (this.chars.length - start > 4 && this.chars[start + 2] === 'P' && this.chars[start + 3] === '<') {
      const end = this.chars.indexOf('>', start); // a missing `>` fails: one scan per expression at most
      if (end < 0) return this.fail('invalid named capture', this.slice(start, this.chars.length));
      const name = this.slice(start + 4, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) return this.fail('invalid named capture', this.slice(start, end + 1));
      this.pos = end + 1;
      this.groups.push(this.pos);
      this.top = 'pseudo';
      return true;
    }
    let i = start + 2;
    let negated = false;
    let sawFlag = false;
    while (i < this.chars.length) {
      const c = this.chars[i++];
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        sawFlag = true;
      } else if (c === '-' && !negated) {
        negated = true;
        sawFlag = false;
      } else if (c === ':' || c === ')') {
        if (negated && !sawFlag) break;
        this.pos = i;
        if (c === ':') {
          this.groups.push(this.pos);
          this.top = 'pseudo';
        }
        return true; // `(?flags)` pushes nothing
      } else {
        break;
      }
    }
    const after = this.slice(start + 2, start + 4);
    const hint = /^<[=!]/.test(after) || /^[=!]/.test(after)
      ? 'RE2 has no lookahead or lookbehind: list the values to match instead, e.g. "50[0-35-9]|5[1-9][0-9]" for 5xx except 504'
      : after.startsWith('<') ? 'Prometheus 2.x (Go 1.19 RE2) names groups (?P<name>…) only'
        : undefined;
    return this.fail('invalid or unsupported Perl syntax', this.slice(start, i), hint);
  }

  private escapeOutsideClass(): boolean {
    const next = this.chars[this.pos + 1];
    if (next === 'C') return this.fail('invalid escape sequence', '\\C');
    if (next === 'Q') {
      // \Q…\E: literal text
      let end = this.pos + 2; // the literal text runs to the next \\E: scanned once
      while (end < this.chars.length && !(this.chars[end] === '\\' && this.chars[end + 1] === 'E')) end++;
      const length = end - (this.pos + 2);
      this.pos = end < this.chars.length ? end + 2 : end;
      if (length > 0) this.top = 'atom';
      return true;
    }
    this.top = 'atom';
    if (next === 'A' || next === 'b' || next === 'B' || next === 'z') {
      this.pos += 2;
      return true;
    }
    const unicode = this.unicodeClass();
    if (unicode !== undefined) return unicode;
    if (this.perlClass()) return true;
    return this.escape() !== undefined;
  }

  /** `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}` at pos: undefined when there is none, else whether it is valid. */
  private unicodeClass(): boolean | undefined {
    const next = this.chars[this.pos + 1];
    if (this.chars[this.pos] !== '\\' || (next !== 'p' && next !== 'P')) return undefined;
    const start = this.pos;
    const c = this.chars[this.pos + 2];
    if (c === undefined) return this.fail('invalid character class range', this.slice(start, this.chars.length));
    if (c !== '{') {
      this.pos += 3;
      if (!UNICODE_CATEGORY_LETTERS.has(c)) return this.fail('invalid character class range', this.slice(start, this.pos));
      return true;
    }
    const close = this.chars.indexOf('}', this.pos + 3);
    if (close < 0) return this.fail('invalid character class range', this.slice(start, this.chars.length));
    const name = this.slice(this.pos + 3, close).replace(/^\^/, '');
    this.pos = close + 1;
    if (!/^[A-Za-z_]+$/.test(name)) return this.fail('invalid character class range', this.slice(start, this.pos));
    return true;
  }

  /** `\d \D \s \S \w \W` at pos. */
  private perlClass(): boolean {
    if (this.chars[this.pos] === '\\' && /^[dDsSwW]$/.test(this.chars[this.pos + 1] ?? '')) {
      this.pos += 2;
      return true;
    }
    return false;
  }

  /** One escaped character (Go's parseEscape): its code point, or undefined after recording the failure. */
  private escape(): number | undefined {
    const start = this.pos;
    this.pos++; // backslash
    const c = this.chars[this.pos++];
    if (c === undefined) {
      this.fail('trailing backslash at end of expression', '');
      return undefined;
    }
    const invalid = (): undefined => {
      this.fail('invalid escape sequence', this.slice(start, this.pos));
      return undefined;
    };
    if (c >= '1' && c <= '7' && !isOctal(this.chars[this.pos])) {
      return invalid(); // a single non-zero digit is a backreference
    }
    if (isOctal(c)) {
      let value = Number(c);
      for (let k = 1; k < 3 && isOctal(this.chars[this.pos]); k++) value = value * 8 + Number(this.chars[this.pos++]);
      return value;
    }
    if (c === 'x') {
      if (this.chars[this.pos] === '{') {
        this.pos++;
        let value = 0;
        let digits = 0;
        for (;;) {
          const h = this.chars[this.pos];
          if (h === undefined) return invalid();
          this.pos++;
          if (h === '}') break;
          if (!isHex(h)) return invalid();
          value = value * 16 + parseInt(h, 16);
          if (value > 0x10ffff) return invalid();
          digits++;
        }
        if (digits === 0) return invalid();
        return value;
      }
      const h1 = this.chars[this.pos];
      const h2 = this.chars[this.pos + 1];
      if (!isHex(h1) || !isHex(h2)) {
        this.pos = Math.min(this.chars.length, this.pos + 2);
        return invalid();
      }
      this.pos += 2;
      return parseInt(h1 + h2, 16);
    }
    const cEscapes: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (c in cEscapes) return cEscapes[c];
    if (c.codePointAt(0)! < 0x80 && !isAlnum(c)) return c.codePointAt(0)!; // escaped punctuation is itself
    return invalid();
  }

  /** `[…]` at pos (Go's parseClass). */
  private charClass(): boolean {
    const start = this.pos;
    const whole = () => this.slice(start, this.chars.length);
    this.pos++;
    if (this.chars[this.pos] === '^') this.pos++;
    let first = true; // `]` is a literal as the first character
    while (this.pos >= this.chars.length || this.chars[this.pos] !== ']' || first) {
      first = false;
      if (this.chars[this.pos] === '[' && this.chars[this.pos + 1] === ':' && this.pos + 2 < this.noPosixEndFrom) {
        const close = this.findPosixEnd(this.pos + 2);
        if (close >= 0) {
          const name = this.slice(this.pos + 2, close);
          const text = `[:${name}:]`;
          this.pos += [...text].length;
          if (!POSIX_CLASSES.has(name.replace(/^\^/, ''))) return this.fail('invalid character class range', text);
          continue;
        }
      }
      const unicode = this.unicodeClass();
      if (unicode === false) return false;
      if (unicode === true || this.perlClass()) continue;
      const rangeStart = this.pos;
      const lo = this.classChar(whole);
      if (lo === undefined) return false;
      if (this.chars[this.pos] === '-' && this.pos + 1 < this.chars.length && this.chars[this.pos + 1] !== ']') {
        this.pos++;
        const hi = this.classChar(whole);
        if (hi === undefined) return false;
        if (hi < lo) return this.fail('invalid character class range', this.slice(rangeStart, this.pos));
      }
    }
    this.pos++; // `]`
    return true;
  }

  private classChar(whole: () => string): number | undefined {
    if (this.pos >= this.chars.length) {
      this.fail('missing closing ]', whole());
      return undefined;
    }
    if (this.chars[this.pos] === '\\') return this.escape();
    return this.chars[this.pos++].codePointAt(0)!;
  }
}

function hintFor(code: string, expr: string): string {
  if (code === 'invalid or unsupported Perl syntax') {
    if (expr.startsWith('(?>')) return 'RE2 has no atomic groups: use a plain group (RE2 never backtracks)';
    if (expr.startsWith('(?#')) return 'RE2 has no comments in patterns: remove the (?#…)';
    return 'RE2 flags are i, m, s and U only: (?i), (?i:…), (?-i)';
  }
  if (code === 'invalid escape sequence') {
    if (/^\\[1-9]$/.test(expr)) return 'RE2 has no backreferences: spell out the repeated text';
    if (expr === '\\Z') return 'use \\z (end of text) or $';
    return 'RE2 escapes are \\d \\s \\w \\b \\A \\z \\pN \\xHH \\x{…} \\Q…\\E, C escapes and escaped punctuation; write the character itself otherwise';
  }
  if (code === 'invalid nested repetition operator') {
    return 'RE2 has no possessive quantifiers and does not stack them: use one of *, +, ?, {n,m} (optionally followed by ? for non-greedy)';
  }
  return 'fix the regex: it must compile with Go\'s regexp package (RE2 syntax)';
}

/**
 * Checks a regex as Prometheus compiles a `=~`/`!~` matcher value (Go `regexp`, RE2 syntax).
 *
 * @returns undefined when Go accepts it, else Go's error text and a hint
 * @internal
 */
export function re2Error(pattern: string): Re2Error | undefined {
  if (typeof pattern !== 'string') return { message: `not a string: ${typeof pattern}`, hint: 'pass the regex as a string' };
  const failure = new Re2Parser(pattern).parse();
  if (failure === undefined) return undefined;
  return { message: `error parsing regexp: ${failure.code}: \`${failure.expr}\``, hint: failure.hint ?? hintFor(failure.code, failure.expr) };
}

/**
 * Checks a `=~` / `!~` matcher value as Prometheus 2.x does: compiled anchored (`^(?:<value>)$`, so `a)` fails as
 * `` unexpected ): `^(?:a))$` ``) and parsed on its own (so `a)|(b`, which the anchored form hides, fails too).
 *
 * @returns undefined when Prometheus accepts it, else Go's error text (as Prometheus reports it) and a hint
 * @internal
 */
export function matcherRegexError(value: string): Re2Error | undefined {
  return re2Error(`^(?:${value})$`) ?? re2Error(value);
}

/**
 * A JavaScript RegExp that matches (at least) what the Go expression matches: flag groups are removed and their
 * flags applied to the whole expression (an approximation: Go applies them from where they stand), `(?P<n>` becomes `(?<n>`, `\Q..\E` is quoted, `\z` becomes `$`, `\A` `^`.
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

/** @internal A compiled Go regexp: tests a whole string in time linear in its length. */
export interface GoRegExp {
  test(input: string): boolean;
}

const compiled = new Map<string, GoRegExp | undefined>();

/**
 * Compiles a Go (RE2) regexp with Google's RE2 (`re2-wasm`), which, like Go's `regexp`, matches in time linear in the
 * input: `(a*)*b` against a long name takes microseconds, where a backtracking JavaScript RegExp takes seconds per
 * character. Cached per pattern.
 *
 * @returns undefined when RE2 rejects the pattern
 * @internal
 */
export function goRegExp(pattern: string): GoRegExp | undefined {
  if (compiled.has(pattern)) return compiled.get(pattern);
  let re: GoRegExp | undefined;
  // The one try/catch of the RE2 paths, on purpose: re2-wasm's public API reports a pattern RE2 cannot compile only
  // by throwing a SyntaxError from its constructor (the non-throwing `ok()`/`error()` are on its internal wasm
  // wrapper, not part of the package's API). Callers reach this after the non-throwing Go syntax check above
  // (`matcherRegexError`) accepted the pattern, so it only guards the few patterns where RE2 and Go's parser differ.
  try {
    re = new RE2(pattern, 'u');
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    re = undefined;
  }
  if (compiled.size > 2000) compiled.clear();
  compiled.set(pattern, re);
  return re;
}

/**
 * A linear-time matcher that fully matches what a Prometheus `=~` matcher with this value matches (Prometheus anchors
 * it as `^(?:<value>)$` and compiles it with Go's RE2: flag groups such as `(?i)` are honoured), or undefined when
 * Prometheus rejects the regex.
 *
 * @internal
 */
export function matcherRegExp(value: string): GoRegExp | undefined {
  if (matcherRegexError(value)) return undefined;
  return goRegExp(`^(?:${value})$`);
}
