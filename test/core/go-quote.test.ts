import { argoUnquotableCharacter, argValueJsonProblem } from '../../src/core/go-quote';

describe('characters Go\'s strconv.Quote escapes in a way JSON does not accept', () => {
  test.each([
    ['\u0000', 'U+0000 (a control character)'],
    ['\u0007', 'U+0007 (a control character)'], // \a
    ['\u000b', 'U+000B (a control character)'], // \v
    ['\u001f', 'U+001F (a control character)'], // \x1f
    ['\u007f', 'U+007F (a control character)'], // \x7f
    ['\u{E0041}', 'U+E0041 (not printable: Go escapes it as \\U000e0041)'], // a Unicode tag
    ['\u{F0000}', 'U+F0000 (not printable: Go escapes it as \\U000f0000)'], // private use
  ])('%j', (value, described) => {
    expect(argoUnquotableCharacter(`ok${value}`)).toBe(described);
  });

  test('what Go and JSON escape alike, and printable characters, pass', () => {
    for (const v of ['', 'plain', 'a\bb\tc\nd\fe\rf', '"quoted" \\ back', '\u00a0\u2028', '🚀 中文 é', '\u0080']) {
      expect(argoUnquotableCharacter(v)).toBeUndefined();
    }
  });

  test('the problem names the prop, the character and the controller message', () => {
    expect(argValueJsonProblem('args.v', 'a\u000bb')).toEqual(expect.objectContaining({
      prop: 'args.v', given: 'a value with U+000B (a control character)', expected: expect.stringContaining('invalid character ... in string escape code'),
    }));
    expect(argValueJsonProblem('args.v', 'fine')).toBeUndefined();
  });
});
