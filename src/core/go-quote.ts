/**
 * Argo Rollouts resolves `{{args.NAME}}` over the JSON of a metric and escapes each value with Go's `strconv.Quote`
 * before substituting it. For most characters that gives a JSON escape too, but not for all: `\a`, `\v`, `\xNN` (the
 * other ASCII control characters and DEL) and `\UNNNNNNNN` (a non-printable character beyond U+FFFF, e.g. a Unicode
 * tag or private-use character) are not JSON, and the AnalysisRun fails ("Unable to resolve metric arguments: invalid
 * character ... in string escape code"). Found by the fuzzer through Argo Rollouts' own code.
 */

/** Astral characters Go's `unicode.IsPrint` accepts: letters, marks, numbers, punctuation and symbols. */
const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/**
 * The first character of an arg value that Go's `strconv.Quote` escapes in a way JSON does not accept, described for a
 * message (e.g. `U+000B (vertical tab)`), or undefined.
 *
 * @internal
 */
export function argoUnquotableCharacter(value: string): string | undefined {
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    // \b \t \n \f \r are JSON escapes too
    if ((cp < 0x20 && ![0x08, 0x09, 0x0a, 0x0c, 0x0d].includes(cp)) || cp === 0x7f) {
      return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} (a control character)`;
    }
    if (cp > 0xffff && !PRINTABLE.test(ch)) {
      return `U+${cp.toString(16).toUpperCase()} (not printable: Go escapes it as \\U${cp.toString(16).padStart(8, '0')})`;
    }
  }
  return undefined;
}

/**
 * The problem of an arg value Argo Rollouts cannot substitute, or undefined.
 *
 * @internal
 */
export function argValueJsonProblem(prop: string, value: string) {
  const ch = argoUnquotableCharacter(value);
  if (ch === undefined) return undefined;
  return {
    prop,
    given: `a value with ${ch}`,
    expected: 'a value the controller can substitute: it escapes arg values with Go\'s strconv.Quote into the metric\'s JSON, '
      + 'and this character\'s escape is not JSON ("Unable to resolve metric arguments: invalid character ... in string escape code")',
    fix: 'remove the control or non-printable character',
  };
}
