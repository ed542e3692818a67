// HTTP header rules shared by the Prometheus and web providers (not re-exported by index.ts).
import { SecretKeyReference, TemplateArgument, secretProblems } from './template-argument';
import { requireString } from '../core/input-types';
import { propError, show } from '../core/problem';

/** Header names that carry credentials: their value must come from a Secret. @internal */
export const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|password|api[-_]?key|auth/i;
/** Values that look like credentials. @internal */
export const CREDENTIAL_VALUE = /^(bearer|basic|token|apikey)\s+\S/i;
/** An HTTP header name (token characters). @internal */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Characters a header value must not hold: Go's net/http refuses the request ("invalid header field value"). @internal */
export const BAD_HEADER_VALUE = /[\r\n\0]/;

/**
 * Throws unless `name` is an HTTP header name (token characters).
 *
 * @internal
 */
export function checkHeaderName(where: string, name: unknown, example: string): void {
  requireString(where, 'name', name, `pass the header name, e.g. "${example}"`);
  if (!HEADER_NAME.test(name as string)) {
    throw propError(where, { prop: 'name', given: show(name), expected: 'an HTTP header name (token characters)', fix: `e.g. "${example}"` });
  }
}

/**
 * The rules of a header with a literal value (`XxxHeader.fromValue`), for the Prometheus and web providers alike: no
 * credential by name or by value (the value is never echoed, only the scheme word that gave it away), not empty, a
 * single line. `secretFactory` is the factory the fix points to (e.g. `WebHeader.fromSecret`); `bearerFactory`, if
 * given, is named for bearer tokens.
 *
 * @internal
 */
export function checkLiteralHeader(where: string, name: string, value: string, secretFactory: string, bearerFactory?: string): void {
  const fix = `reference a Secret: ${secretFactory}('${name}', { secretName, key })`;
  if (CREDENTIAL_HEADER.test(name)) {
    throw propError(where, { prop: name, given: 'a literal value', expected: `no inline credential: the header name ${show(name)} says it carries one`, fix });
  }
  const scheme = CREDENTIAL_VALUE.exec(value);
  if (scheme) {
    const [schemeWord] = scheme[0].split(/\s/);
    throw propError(where, {
      prop: name,
      given: `a literal value starting with ${show(`${schemeWord} `)} (rest not shown)`,
      expected: `no inline credential: the value looks like one (a "${schemeWord} <credential>" value)`,
      fix: bearerFactory && schemeWord.toLowerCase() === 'bearer'
        ? `${fix}, with { prefix: '${schemeWord} ' } (or ${bearerFactory} for Authorization)`
        : `${fix}, with { prefix: '${schemeWord} ' }`,
    });
  }
  if (value.length === 0) {
    throw propError(where, { prop: name, given: '""', expected: 'a non-empty value', fix: 'drop the header or give it a value' });
  }
  if (BAD_HEADER_VALUE.test(value)) {
    throw propError(where, {
      prop: name,
      given: show(value),
      expected: 'no carriage return, line feed or NUL (Go\'s net/http refuses the request: "invalid header field value", every measurement Errors)',
      fix: 'give a single-line value',
    });
  }
}

/**
 * A Secret-backed header (`XxxHeader.fromSecret`), for the Prometheus and web providers alike: the value is
 * `<prefix>{{args.<arg>}}` and the arg reads the Secret key (`valueFrom.secretKeyRef`). The arg is named
 * `<provider>-header-<name>` unless `argName` is given; the prefix is a single line.
 *
 * @internal
 */
export function secretHeader(where: string, provider: string, name: string, secret: SecretKeyReference,
  options: { readonly prefix?: string; readonly argName?: string }): { readonly value: string; readonly argument: TemplateArgument } {
  checkHeaderName(where, name, 'Authorization');
  for (const p of secretProblems(secret, 'secret')) throw propError(where, p);
  if (options.prefix !== undefined && BAD_HEADER_VALUE.test(options.prefix)) {
    throw propError(where, {
      prop: 'options.prefix',
      given: show(options.prefix),
      expected: 'no carriage return, line feed or NUL (Go\'s net/http refuses the request: invalid header field value)',
      fix: 'e.g. "Bearer "',
    });
  }
  const argName = options.argName ?? `${provider}-header-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
  const argument = TemplateArgument.fromSecret(argName, secret);
  return { value: `${options.prefix ?? ''}{{args.${argument.name}}}`, argument };
}

