import { Problem, show } from '../core/problem';
import { scanPlaceholders } from '../core/promql';

/** The part of a URL a placeholder stands in. @internal */
export type UrlPart = 'whole' | 'scheme' | 'authority' | 'port' | 'path' | 'query' | 'fragment';

/** @internal What each part forbids in a substituted value, and what a forbidden character does there. */
export const URL_PART_RULES: Record<Exclude<UrlPart, 'scheme'>, { where: string; forbidden: string; consequence: string }> = {
  whole: { where: 'the URL', forbidden: ' ', consequence: 'makes the URL unparsable (every request errors)' },
  authority: { where: 'the host of the URL', forbidden: '/?#@:\\ %[]', consequence: 'ends the host and sends the request (and its headers) to another host or path' },
  port: { where: 'the port of the URL', forbidden: '/?#@:\\ %[]abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_', consequence: 'is not a port number' },
  path: { where: 'a path segment of the URL', forbidden: '/?#\\ %', consequence: 'ends the segment and changes which resource is requested' },
  query: { where: 'the query of the URL', forbidden: '&#=\\ %+', consequence: 'ends the parameter and adds or overrides query parameters' },
  fragment: { where: 'the fragment of the URL', forbidden: ' ', consequence: 'makes the URL unparsable' },
};

/** The placeholders of a URL template with the part each stands in. @internal */
export function urlPlaceholders(url: string): Array<{ argName?: string; inner: string; part: UrlPart; from: number; to: number }> {
  const placeholders = scanPlaceholders(url);
  if (placeholders.length === 1 && placeholders[0].from === 0 && placeholders[0].to === url.length) {
    const m = /^args\.(.+)$/.exec(placeholders[0].inner);
    return [{ argName: m?.[1], inner: placeholders[0].inner, part: 'whole', from: 0, to: url.length }];
  }
  // the parts, read on the text with the placeholders blanked out (a placeholder holds no delimiter of its own)
  const blank = placeholders.reduce((t, p) => t.slice(0, p.from) + 'x'.repeat(p.to - p.from) + t.slice(p.to), url);
  const schemeEnd = blank.indexOf('://');
  const authStart = schemeEnd >= 0 ? schemeEnd + 3 : 0;
  const find = (chars: string, from: number) => {
    for (let i = from; i < blank.length; i++) if (chars.includes(blank[i])) return i;
    return blank.length;
  };
  const pathStart = find('/?#', authStart);
  const queryStart = find('?#', pathStart);
  const fragStart = find('#', queryStart);
  return placeholders.map((p) => {
    let part: UrlPart;
    if (p.from < authStart) part = 'scheme';
    else if (p.from < pathStart) part = blank[p.from - 1] === ':' && p.from > authStart ? 'port' : 'authority';
    else if (p.from < queryStart) part = 'path';
    else if (p.from < fragStart) part = 'query';
    else part = 'fragment';
    const m = /^args\.(.+)$/.exec(p.inner);
    return { argName: m?.[1], inner: p.inner, part, from: p.from, to: p.to };
  });
}

/**
 * Problems of a web metric URL (a template, with placeholders): an absolute http(s) URL with a host, no credentials
 * in it, no placeholder in the scheme. Arg defaults are substituted where known; other placeholders get a value that
 * fits their part.
 *
 * @internal
 */
export function urlProblems(prop: string, url: string, defaults: Record<string, string>): Problem[] {
  if (url.trim().length === 0) {
    return [{ prop, given: show(url), expected: 'an absolute http(s) URL', fix: 'e.g. "http://checkout.shop.svc:8080/healthz"' }];
  }
  const uses = urlPlaceholders(url);
  const problems: Problem[] = [];
  for (const u of uses) {
    if (u.part === 'scheme') {
      problems.push({
        prop,
        given: `${show(url)} (placeholder {{${u.inner}}} in the scheme)`,
        expected: 'a literal http:// or https:// scheme',
        fix: 'write the scheme literally and put the arg in the host or path',
      });
    }
  }
  if (problems.length > 0) return problems;
  const whole = uses.length === 1 && uses[0].part === 'whole';
  if (whole && (uses[0].argName === undefined || defaults[uses[0].argName] === undefined)) return []; // a value known only at run time
  let text = url;
  for (const u of [...uses].reverse()) {
    const known = u.argName !== undefined ? defaults[u.argName] : undefined;
    const dummy = u.part === 'port' ? '8080' : 'x';
    text = text.slice(0, u.from) + (known ?? dummy) + text.slice(u.to);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    parsed = undefined;
  }
  const shown = whole ? `${show(url)} (default ${show(text)})` : show(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname.length === 0 || /[\s\u0000-\u001f\u007f]/.test(text)) {
    problems.push({
      prop,
      given: shown,
      expected: 'an absolute http:// or https:// URL with a host (the controller\'s request fails otherwise and every measurement Errors)',
      fix: 'e.g. "http://checkout.shop.svc:8080/healthz"',
    });
  } else if (parsed.username !== '' || parsed.password !== '') {
    problems.push({
      prop,
      given: `${whole ? 'a default' : 'a URL'} with credentials in it (not shown)`,
      expected: 'no credentials in the URL: the URL is stored in the template and the AnalysisRun in plain text',
      fix: 'send them in a header from a Secret (WebHeader.fromSecret / bearerToken) or use WebAuthentication.oauth2',
    });
  }
  return problems;
}
