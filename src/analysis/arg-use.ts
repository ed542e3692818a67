import { QuotedArgUse } from './analysis-template';
import { show } from '../core/problem';

/** Printable names of the characters messages mention. */
const NAMES: Record<string, string> = {
  '\n': 'a line break',
  '\r': 'a carriage return',
  '\0': 'a NUL',
  '\\': 'a backslash',
  '"': 'a double quote',
  '\'': 'a single quote',
  '`': 'a backquote',
  ' ': 'a space',
  '\t': 'a tab',
};

/** The characters a value must not contain where the placeholder lands. */
function forbidden(use: QuotedArgUse): string {
  if (use.forbiddenCharacters !== undefined) return use.forbiddenCharacters;
  return use.quote === '`' ? '`' : `${use.quote}\\\n\r`;
}

/** The first forbidden character of a value, as a message names it (e.g. `a line break`, `"/"`). */
function firstForbidden(use: QuotedArgUse, value: string): string | undefined {
  const chars = forbidden(use);
  const controls = use.forbiddenCharacters !== undefined;
  // a character the loop below reports has a code unit in `chars` (or is a control character): most values have none
  let suspect = false;
  for (let i = 0; i < value.length && !suspect; i++) {
    const u = value.charCodeAt(i);
    suspect = (controls && (u <= 0x1f || u === 0x7f)) || chars.includes(value[i]);
  }
  if (!suspect) return undefined;
  for (const c of value) {
    if (chars.includes(c) || (use.forbiddenCharacters !== undefined && /[\u0000-\u001f\u007f]/.test(c))) return NAMES[c] ?? show(c);
  }
  return undefined;
}

/**
 * How a value breaks out of where an arg lands, or undefined when it stays there. `expected` reads after "a value
 * that …": the caller adds where the value comes from.
 *
 * @internal
 */
export function argUseViolation(use: QuotedArgUse, value: string): { stays: string; consequence: string; fix: string } | undefined {
  const found = firstForbidden(use, value);
  if (found === undefined) return undefined;
  if (use.where === undefined) {
    // a string literal of a PromQL query
    return {
      stays: `stays inside the ${use.quote}…${use.quote} string`,
      consequence: `the controller substitutes args as raw text, so ${use.quote === '`' ? 'a backquote' : 'a quote, a backslash or a line break'} ends `
        + 'the string and the rest becomes PromQL',
      fix: 'the plain label value, without quotes, backslashes or line breaks',
    };
  }
  return {
    stays: `stays inside ${use.where}`,
    consequence: `the controller substitutes args as raw text, and ${found} there ${use.consequence ?? 'ends that part of the text'}`,
    fix: `a value without ${describeForbidden(use)}`,
  };
}

/** The forbidden characters of a use, for a fix. */
/** @internal */
export function describeForbidden(use: QuotedArgUse): string {
  const chars = [...forbidden(use)].map(c => NAMES[c] ?? show(c));
  return `${chars.join(', ')}${use.forbiddenCharacters !== undefined ? ' or control characters' : ''}`;
}
