/**
 * The RE2 check of regex matcher values agrees with Prometheus itself: every pattern below is given to promtool 2.42
 * as `up{job=~"<pattern>"}` and its verdict (accepted, or Go's exact error text) is compared with `matcherRegexError`.
 */
import { matcherRegExp, matcherRegexError, re2Error } from '../../src/core/re2';
import { regexErrorsWithPromtool } from '../harness/promtool';

const ACCEPTED = [
  '5..', '5\\d\\d|429', '[^5]..', '(?i)get|post', '(?i:a)b', '(?-i)a', '(?U)a+', '(?P<code>5)..', 'a*?', 'a??', 'a+?', 'a{2}', 'a{2,}',
  'a{2,5}?', 'a{,3}', 'a{01}', 'a{2', '{', 'a{1000}', '\\z', '\\A', '\\b\\B', '^*', '.*', '', '\\Qa.b(\\E*',
  '[[:alpha:]]', '[[:^digit:]x]', '[]a]', '[^]a]', '[a-]', '[-a]', '[\\d-z]', '[\\]]', '\\pL\\p{Greek}\\PN\\p{^Han}',
  '\\x41\\x{263a}', '\\012', '\\0', '\\_', '\\.\\-\\/', '\\a\\f\\n\\r\\t\\v', 'é|ü+', '()', '()*', '(a|)',
];

const REJECTED = [
  // Perl-only syntax JavaScript accepts
  '5(?!04)..', '5(?=0).', '(?<=a)b', '(?<!a)b', '(?<name>a)', '(a)\\1', '\\2', 'a++', 'a*+', 'a?+', 'a{2}+', '\\Z', '\\G', '\\h', '\\R',
  '\\K', '\\e', '\\u0041', '\\cA', '(?>a)', '(?#c)', '(?P=n)', '(?x)a',
  // plain syntax errors
  'a**', 'a{2}{3}', 'a{2,1}', 'a{1001}', '(?-)a', '(?i-)a', '(?', '(?i', '(?P<>a)', '(?P<a b>c)', '(?P<a', '[[:foo:]]', '[a-', '[z-a]',
  '[', '[a-\\d]', '\\pX', '\\p{}', '\\p{Greek', '\\xZ1', '\\x', '\\x{}', '\\x{110000}', '\\8', '\\C', '\\', 'a\\', '(a', 'a)', 'a)|(b',
  '*a', '(*)', 'a|*', '(?i)*',
  // fine on their own, but not inside Prometheus' anchoring ^(?:…)$
  '\\Qunterminated', '[[:alpha:]',
];

describe('RE2 check of regex matcher values', () => {
  const patterns = [...ACCEPTED, ...REJECTED];
  const prometheus = regexErrorsWithPromtool(patterns);

  test.each(patterns.map((p, i) => [p, i] as const))('%j: same verdict and message as promtool', (pattern, i) => {
    expect(matcherRegexError(pattern)?.message).toEqual(prometheus[i]);
  });

  test('the corpus really has both kinds (promtool accepts the first list and rejects the second)', () => {
    expect(prometheus.slice(0, ACCEPTED.length)).toEqual(ACCEPTED.map(() => undefined));
    expect(prometheus.slice(ACCEPTED.length).filter(e => e === undefined)).toEqual([]);
  });

  test('JavaScript accepts the Perl-only ones (why a JS RegExp check was not enough)', () => {
    for (const p of ['5(?!04)..', '(?<=a)b', '(a)\\1', '(?<name>a)']) {
      expect(() => new RegExp(`^(?:${p})$`)).not.toThrow();
    }
  });

  test.each([
    ['5(?!04)..', 'RE2 has no lookahead or lookbehind'],
    ['(?<=a)b', 'RE2 has no lookahead or lookbehind'],
    ['(?<name>a)', 'names groups (?P<name>…) only'],
    ['(a)\\1', 'RE2 has no backreferences'],
    ['a++', 'RE2 has no possessive quantifiers'],
    ['\\Z', 'use \\z (end of text) or $'],
    ['(?>a)', 'RE2 has no atomic groups'],
  ])('hint for %j', (pattern, hint) => {
    expect(re2Error(pattern)?.hint).toContain(hint);
  });
});

describe('matching as Go\'s regexp does, in linear time (Google RE2)', () => {
  test('full match, RE2 flags, and the patterns a backtracking engine hangs on', () => {
    expect(matcherRegExp('http_.*')!.test('http_requests_total')).toBe(true);
    expect(matcherRegExp('http_')!.test('http_requests_total')).toBe(false); // anchored like Prometheus
    expect(matcherRegExp('(?i)HTTP_.*')!.test('http_x')).toBe(true);
    expect(matcherRegExp('a(?=b)')).toBeUndefined(); // Prometheus rejects it
    // exponential for a backtracking JS RegExp (issue 10: 5–35 s at 28 characters); RE2 answers at once
    expect(matcherRegExp('(a*)*b')!.test('a'.repeat(10_000))).toBe(false);
    expect(matcherRegExp('(a|a)*c')!.test('a'.repeat(10_000))).toBe(false);
  });

  test('the syntax check reads repeated constructs once', () => {
    expect(re2Error('[[:'.repeat(20_000))?.message).toContain('missing closing ]');
    expect(re2Error('\\Q'.repeat(20_000))).toBeUndefined();
    expect(re2Error('(?P<a'.repeat(20_000))?.message).toContain('invalid named capture');
  });
});

describe('the RE2 syntax checker reports, it does not throw (issue 10)', () => {
  test('every failure is a returned value: errors of every kind, and values that are not strings', () => {
    for (const bad of ['(', ')', '[', '[z-a]', '\\', '\\8', '\\x{110000}', '(?<=a)b', '(?P<', '\\p{', 'a**', '*', 'a{2,1}', '[[:bogus:]]']) {
      expect(() => re2Error(bad)).not.toThrow();
      expect(re2Error(bad)?.message).toMatch(/^error parsing regexp: /);
    }
    expect(re2Error(42 as any)).toEqual({ message: 'not a string: number', hint: 'pass the regex as a string' });
  });

  test('its parser has no throw statement: failures are recorded and returned (src/core/re2.ts)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const source: string = require('fs').readFileSync(require('path').join(__dirname, '..', '..', 'src', 'core', 're2.ts'), 'utf8');
    const parser = source.slice(source.indexOf('class Re2Parser'), source.indexOf('function hintFor('));
    expect(parser).not.toMatch(/\bthrow\b|\bcatch\b/);
    // the one try/catch of the file isolates re2-wasm's constructor, which reports an uncompilable pattern only by throwing
    expect([...source.matchAll(/\} catch\b/g)]).toHaveLength(1);
  });
});
