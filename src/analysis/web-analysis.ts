import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { QuotedArgUse } from './analysis-template';
import { AnalysisTemplateBase, AnalysisTemplateOptions } from './analysis-template-base';
import { checkHeaderName, checkLiteralHeader, secretHeader } from './http-header';
import { SECRET_KEY_REFERENCE, WEB_OAUTH2_OPTIONS, WEB_SECRET_HEADER_OPTIONS } from './input-shapes';
import { conditionProblem } from './metric-condition';
import { MeasurementOptions, MetricOptions, metricNameProblems } from './metric-options';
import { SecretKeyReference, TemplateArgument, secretProblems } from './template-argument';
import { WebMethod } from './web-method';
import { URL_PART_RULES, urlPlaceholders, urlProblems } from './web-url';
import { INT32_MAX } from '../core/bounds';
import { Problem, propError, show } from '../core/problem';
import { scanPlaceholders } from '../core/promql';
import { checkArgs, checkStruct, required } from '../core/struct-shape';

/**
 * Options of a Secret-backed header of a web metric.
 */
export interface WebSecretHeaderOptions {
  /**
   * Text put before the Secret's value, e.g. `Bearer ` for a bearer token.
   *
   * @default - none: the header value is the Secret's value
   */
  readonly prefix?: string;

  /**
   * Name of the template arg that carries the Secret's value.
   *
   * @default - `web-header-<header name in kebab case>`, e.g. `web-header-authorization`
   */
  readonly argName?: string;
}

/**
 * An HTTP header of a web metric (`provider.web.headers[]`).
 *
 * Credentials are never inlined: `fromSecret` renders the value as a `{{args.x}}` placeholder and declares that arg
 * with `valueFrom.secretKeyRef`, so the token stays in the Secret (the controller redacts it from logs). A literal
 * value is only for what is not a secret (e.g. `Content-Type`, a tenant id).
 */
export class WebHeader {
  /**
   * A header whose value comes from a Secret key (through a template arg with `valueFrom.secretKeyRef`, read from the
   * AnalysisRun's namespace when the measurement is taken).
   *
   * @param name the header name, e.g. `Authorization`
   * @param secret the Secret key holding the value
   */
  public static fromSecret(name: string, secret: SecretKeyReference, options: WebSecretHeaderOptions = {}): WebHeader {
    checkArgs('WebHeader.fromSecret', { name: [name, required('string')], secret: [secret, required(SECRET_KEY_REFERENCE)], options: [options, WEB_SECRET_HEADER_OPTIONS] });
    const header = secretHeader('WebHeader.fromSecret', 'web', name, secret, options);
    return new WebHeader(name, header.value, header.argument);
  }

  /**
   * `Authorization: Bearer <token>` with the token from a Secret key.
   *
   * @param secret the Secret key holding the bare token
   */
  public static bearerToken(secret: SecretKeyReference): WebHeader {
    checkArgs('WebHeader.bearerToken', { secret: [secret, required(SECRET_KEY_REFERENCE)] });
    return WebHeader.fromSecret('Authorization', secret, { prefix: 'Bearer ', argName: 'web-bearer-token' });
  }

  /**
   * A header with a literal, non-secret value, e.g. `Content-Type: text/plain` or `X-Canary: true`. The value may use
   * `{{args.NAME}}` placeholders for args the template declares.
   *
   * @throws if the header name or the value looks like a credential (use `fromSecret` for those), or the value holds a
   * carriage return, line feed or NUL
   */
  public static fromValue(name: string, value: string): WebHeader {
    checkArgs('WebHeader.fromValue', { name: [name, required('string')], value: [value, required('string')] });
    const where = 'WebHeader.fromValue';
    checkHeaderName(where, name, 'X-Request-Source');
    checkLiteralHeader(where, name, value, 'WebHeader.fromSecret');
    return new WebHeader(name, value, undefined);
  }

  /**
   * The header name.
   */
  public readonly name: string;

  /**
   * The rendered value (a `{{args.x}}` placeholder for Secret-backed headers).
   */
  public readonly value: string;

  /**
   * The Secret-backed arg the value needs, if any.
   */
  public readonly argument?: TemplateArgument;

  private constructor(name: string, value: string, argument: TemplateArgument | undefined) {
    this.name = name;
    this.value = value;
    this.argument = argument;
  }
}

/**
 * Options of the OAuth2 client-credentials flow of a web metric.
 */
export interface WebOAuth2Options {
  /**
   * Token endpoint URL (absolute http(s)).
   */
  readonly tokenUrl: string;

  /**
   * OAuth2 client id (not a secret).
   */
  readonly clientId: string;

  /**
   * Secret key holding the client secret; rendered as `{{args.<clientSecretArgName>}}` with that arg declared
   * `valueFrom.secretKeyRef` (never inline).
   */
  readonly clientSecret: SecretKeyReference;

  /**
   * Scopes to request.
   *
   * @default - none
   */
  readonly scopes?: string[];

  /**
   * Name of the template arg that carries the client secret.
   *
   * @default 'web-oauth2-client-secret'
   */
  readonly clientSecretArgName?: string;
}

/**
 * How the controller authenticates a web metric's request (`provider.web.authentication`). Argo Rollouts v1.9.1's web
 * provider implements OAuth2 client credentials only: the type also has `sigv4`, which the web provider ignores, so
 * it is not offered here.
 */
export class WebAuthentication {
  /**
   * OAuth2 client credentials: the controller fetches a token from `tokenUrl` and sends it as `Authorization:
   * Bearer` (the controller requires tokenUrl, clientId and clientSecret together: "missing mandatory parameter in
   * metric for OAuth2 setup").
   */
  public static oauth2(options: WebOAuth2Options): WebAuthentication {
    checkStruct('WebAuthentication.oauth2', 'options', options, required(WEB_OAUTH2_OPTIONS));
    const where = 'WebAuthentication.oauth2';
    const url = urlProblems('tokenUrl', options.tokenUrl, {});
    if (url.length > 0 || scanPlaceholders(options.tokenUrl).length > 0) {
      throw propError(where, url[0] ?? { prop: 'tokenUrl', given: show(options.tokenUrl), expected: 'a literal absolute http(s) URL', fix: 'give the token endpoint URL' });
    }
    if (options.clientId.trim().length === 0) {
      throw propError(where, {
        prop: 'clientId',
        given: show(options.clientId),
        expected: 'a non-empty client id (every measurement errors: "missing mandatory parameter in metric for OAuth2 setup")',
        fix: 'give the OAuth2 client id',
      });
    }
    for (const p of secretProblems(options.clientSecret, 'clientSecret')) throw propError(where, p);
    const arg = TemplateArgument.fromSecret(options.clientSecretArgName ?? 'web-oauth2-client-secret', options.clientSecret);
    const oauth2: Record<string, unknown> = { tokenUrl: options.tokenUrl, clientId: options.clientId, clientSecret: `{{args.${arg.name}}}` };
    if (options.scopes && options.scopes.length > 0) oauth2.scopes = [...options.scopes];
    return new WebAuthentication({ oauth2 }, arg);
  }

  private constructor(private readonly rendered: Record<string, unknown>, private readonly arg: TemplateArgument) {}

  /** @internal */
  public _toKube(): Record<string, unknown> {
    return this.rendered;
  }

  /** @internal */
  public _args(): TemplateArgument[] {
    return [this.arg];
  }
}

/**
 * Props of a `WebAnalysis`: the request, how its answer is judged, and the measurement options.
 */
export interface WebAnalysisProps extends AnalysisTemplateOptions, MetricOptions {
  /**
   * The URL (absolute http or https). May use `{{args.NAME}}` placeholders: the whole URL (e.g. from a
   * `TemplateArgument.fromSecret`, as in the upstream example), or parts of it (host, path segment, query value); a
   * value known at synth (a default, a literal Rollout arg) must stay inside the part it lands in. No credentials in
   * the URL: use a header from a Secret or `authentication`.
   */
  readonly url: string;

  /**
   * The metric name (`metrics[].name`), unique across the templates merged into one AnalysisRun.
   *
   * @default 'web'
   */
  readonly metricName?: string;

  /**
   * The HTTP method.
   *
   * @default - not rendered: the controller sends GET
   */
  readonly method?: WebMethod;

  /**
   * Headers sent with the request. Credentials only through `WebHeader.fromSecret` / `bearerToken`. With `jsonBody`
   * the controller sets `Content-Type: application/json` itself, so a Content-Type header is refused there.
   *
   * @default - none
   */
  readonly headers?: WebHeader[];

  /**
   * A raw request body (POST or PUT only). Args are substituted into it as raw text; inside a `"…"` string a value
   * must not hold a quote, a backslash or a line break. Prefer `jsonBody` for JSON, where the controller escapes
   * substituted values.
   *
   * @default - no body
   */
  readonly body?: string;

  /**
   * A JSON object as the request body (POST or PUT only), given as JSON text and rendered as an object
   * (`jsonBody`); the controller sends it with `Content-Type: application/json`. Placeholders may stand inside its
   * strings, where the controller JSON-escapes substituted values.
   *
   * @default - no body
   */
  readonly jsonBody?: string;

  /**
   * Request timeout, rendered as whole seconds (`timeoutSeconds`).
   *
   * @default - not rendered: the controller's 10 seconds
   */
  readonly timeout?: Duration;

  /**
   * A Kubernetes JSONPath (`{...}`, as `kubectl -o jsonpath`) selecting `result` in a JSON response, e.g.
   * `{$.status}`; its first match is `result`. A path that matches nothing makes the measurement an Error.
   *
   * @default - not rendered: the controller uses `{$}`, the whole response
   */
  readonly jsonPath?: string;

  /**
   * Skip TLS certificate verification.
   *
   * @default false
   */
  readonly insecure?: boolean;

  /**
   * OAuth2 client-credentials authentication.
   *
   * @default - none
   */
  readonly authentication?: WebAuthentication;

  /**
   * Argo Rollouts' expression (expr) over `result`, the JSON value `jsonPath` selects (a string, number, bool,
   * list or map, e.g. `result == 'ok'`, `result.errors == 0`, `asInt(result) >= 3`). A non-2xx response is a
   * measurement Error (not Failed: the metric errs after `consecutiveErrorLimit` + 1 in a row). A response that is not
   * JSON is Successful without evaluating any condition (the controller's behaviour).
   *
   * @default - none: a 2xx JSON response is Successful unless `failureCondition` holds
   */
  readonly successCondition?: string;

  /**
   * Argo Rollouts' expression over `result` that fails the measurement. With both conditions, a measurement where
   * neither holds is Inconclusive (it pauses the rollout).
   *
   * @default - none: a measurement fails when `successCondition` is false
   */
  readonly failureCondition?: string;
}

/** The characters a value must not hold outside a string literal of a condition (anything that is expr syntax). */
const EXPR_SYNTAX = ' \t()[]{}\'"`\\!&|=<>+*/%,;:?~^$#@';

/**
 * Placeholders of a text standing inside `"…"`/`'…'`/backquoted strings (and, with `outside`, outside them).
 */
function quotedUses(text: string, metricName: string, where: string,
  outside: { forbidden: string; consequence: string } | undefined): QuotedArgUse[] {
  const out: QuotedArgUse[] = [];
  const placeholders = scanPlaceholders(text);
  let next = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const p = placeholders[next];
    if (p && i === p.from) {
      const m = /^args\.(.+)$/.exec(p.inner);
      if (m && quote !== undefined) {
        out.push({
          argName: m[1],
          metricName,
          quote,
          where: `a ${quote}…${quote} string of ${where}`,
          forbiddenCharacters: quote === '`' ? '`' : `${quote}\\\n\r`,
          consequence: 'ends the string and the rest becomes code',
        });
      } else if (m && outside) {
        out.push({ argName: m[1], metricName, quote: '', where, forbiddenCharacters: outside.forbidden, consequence: outside.consequence });
      }
      i = p.to - 1;
      next++;
      continue;
    }
    const c = text[i];
    if (quote !== undefined) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '\'' || c === '`') {
      quote = c;
    }
  }
  return out;
}

/**
 * An AnalysisTemplate or ClusterAnalysisTemplate with one metric that calls an HTTP endpoint (Argo Rollouts' `web`
 * provider): a smoke or load-test gate, Flagger's webhook style. Usable wherever a template is (canary steps,
 * background analysis, blue-green pre/post promotion); args are declared and checked like a Prometheus template's.
 */
export class WebAnalysis extends AnalysisTemplateBase {
  /**
   * The metric name.
   */
  public readonly metricName: string;

  /**
   * The URL as rendered (with placeholders).
   */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: WebAnalysisProps) {
    super(scope, id, props); // checks props against WEB_ANALYSIS_PROPS (analysisPropsShape) first
    this.metricName = props.metricName ?? 'web';
    this.url = props.url;
    const measurement = new MeasurementOptions(props);
    const headers = props.headers ?? [];
    const args = [...headers.flatMap(h => (h.argument ? [h.argument] : [])), ...(props.authentication?._args() ?? [])];
    const jsonBody = parseJsonBody(props.jsonBody);
    const name = this.metricName;
    const metricWhere = `metric ${show(name)}`;
    this._addTemplateMetric({
      metricName: name,
      prefix: '',
      measurement,
      args,
      texts: () => [
        { prop: 'url', text: props.url },
        ...headers.map(h => ({ prop: `headers.${h.name}`, text: h.value })),
        { prop: 'body', text: props.body },
        { prop: 'jsonBody', text: props.jsonBody },
        { prop: 'jsonPath', text: props.jsonPath },
        { prop: 'successCondition', text: props.successCondition },
        { prop: 'failureCondition', text: props.failureCondition },
        { prop: 'authentication', text: props.authentication ? JSON.stringify(props.authentication._toKube()) : undefined },
      ],
      argUses: () => [
        ...urlPlaceholders(props.url).filter(u => u.argName !== undefined && u.part !== 'scheme').map((u) => {
          const rule = URL_PART_RULES[u.part as keyof typeof URL_PART_RULES];
          return { argName: u.argName!, metricName: name, quote: '', where: `${rule.where} of ${metricWhere}`, forbiddenCharacters: rule.forbidden, consequence: rule.consequence };
        }),
        ...headers.flatMap(h => (h.argument ? [] : scanPlaceholders(h.value)).flatMap((p) => {
          const m = /^args\.(.+)$/.exec(p.inner);
          return m ? [{
            argName: m[1],
            metricName: name,
            quote: '',
            where: `the ${h.name} header of ${metricWhere}`,
            forbiddenCharacters: '\r\n\0',
            consequence: 'is refused by Go\'s net/http (invalid header field value), so every measurement Errors',
          }] : [];
        })),
        ...(props.body !== undefined ? quotedUses(props.body, name, `the body of ${metricWhere}`, undefined) : []),
        ...[props.successCondition, props.failureCondition].flatMap((c, i) => (c === undefined ? [] : quotedUses(c, name,
          `the ${i === 0 ? 'successCondition' : 'failureCondition'} of ${metricWhere}`,
          { forbidden: EXPR_SYNTAX, consequence: 'becomes part of the expression (a bare value may only be a number or a name)' }))),
      ],
      inconclusive: () => props.successCondition !== undefined && props.failureCondition !== undefined,
      problems: () => [
        ...metricNameProblems(name, 'smoke-test'),
        ...measurement.problems(),
        ...requestProblems(props, headers, jsonBody),
      ],
      synthProblems: (declared) => {
        const defaults: Record<string, string> = {};
        for (const a of declared) if (a.defaultValue !== undefined) defaults[a.name] = a.defaultValue;
        return urlProblems('url', props.url, defaults);
      },
      render: () => {
        const web: Record<string, unknown> = {};
        if (props.method !== undefined) web.method = props.method;
        web.url = props.url;
        if (headers.length > 0) web.headers = headers.map(h => ({ key: h.name, value: h.value }));
        if (props.body !== undefined) web.body = props.body;
        if (jsonBody.value !== undefined) web.jsonBody = jsonBody.value;
        if (props.timeout !== undefined) web.timeoutSeconds = props.timeout.toSeconds();
        if (props.jsonPath !== undefined) web.jsonPath = props.jsonPath;
        if (props.insecure) web.insecure = true;
        if (props.authentication) web.authentication = props.authentication._toKube();
        return {
          name,
          ...measurement.renderSchedule(),
          ...(props.successCondition !== undefined ? { successCondition: props.successCondition } : {}),
          ...(props.failureCondition !== undefined ? { failureCondition: props.failureCondition } : {}),
          ...measurement.renderLimits(),
          provider: { web },
        };
      },
    });
  }
}

function parseJsonBody(text: string | undefined): { value?: Record<string, unknown>; error?: string } {
  if (text === undefined) return {};
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: 'a JSON object' };
    return { value: v };
  } catch (e) {
    return { error: `valid JSON (${(e as Error).message})` };
  }
}

/** The web provider's own rules on one request, props relative to the metric. */
function requestProblems(props: WebAnalysisProps, headers: WebHeader[], jsonBody: { value?: unknown; error?: string }): Problem[] {
  const problems: Problem[] = [];
  const method = props.method ?? WebMethod.GET;
  if (!Object.values(WebMethod).includes(method)) {
    problems.push({ prop: 'method', given: show(props.method), expected: 'WebMethod.GET, POST or PUT (the CRD enumerates no other)', fix: 'use WebMethod.POST' });
  }
  if (props.body !== undefined && props.jsonBody !== undefined) {
    problems.push({
      prop: 'jsonBody',
      given: 'set together with body',
      expected: 'one of body and jsonBody (controller: "use either Body or JSONBody; both cannot exists for WebMetric payload", every measurement Errors)',
      fix: 'drop body or jsonBody',
    });
  }
  const bodyProp = props.body !== undefined ? 'body' : props.jsonBody !== undefined ? 'jsonBody' : undefined;
  if (bodyProp && method === WebMethod.GET) {
    problems.push({
      prop: bodyProp,
      given: `set with method ${props.method === undefined ? 'unset (GET)' : 'GET'}`,
      expected: 'method POST or PUT (controller: "Body/JSONBody can only be used with POST or PUT WebMetric Method types", every measurement Errors)',
      fix: 'set method: WebMethod.POST, or drop the body',
    });
  }
  if (props.body !== undefined && props.body.length === 0) {
    problems.push({ prop: 'body', given: '""', expected: 'a non-empty body (the controller treats "" as no body)', fix: 'drop body or give it content' });
  }
  if (jsonBody.error !== undefined) {
    problems.push({ prop: 'jsonBody', given: show(props.jsonBody), expected: `${jsonBody.error} (the CRD types jsonBody as an object)`, fix: 'pass JSON.stringify({ ... })' });
  }
  const seen = new Map<string, string>();
  headers.forEach((h, i) => {
    const key = h.name.toLowerCase();
    if (seen.has(key)) {
      problems.push({
        prop: `headers[${i}]`,
        given: `${show(h.name)} again (also ${show(seen.get(key))})`,
        expected: 'each header once (the controller sets them in order with Header.Set, so the last one silently wins)',
        fix: 'drop the duplicate',
      });
    }
    seen.set(key, h.name);
    if (key === 'content-type' && props.jsonBody !== undefined) {
      problems.push({
        prop: `headers[${i}]`,
        given: `${show(h.name)} with jsonBody`,
        expected: 'no Content-Type header with jsonBody (the controller overwrites it with application/json)',
        fix: 'drop the header, or send a raw body',
      });
    }
  });
  if (props.timeout !== undefined) {
    const s = props.timeout.toSeconds({ integral: false });
    if (!Number.isInteger(s) || s < 1 || s > INT32_MAX) {
      problems.push({
        prop: 'timeout',
        given: `${props.timeout.toMilliseconds({ integral: false })}ms`,
        expected: 'a whole number of seconds ≥ 1 (timeoutSeconds is an integer; 0 or less means the controller\'s 10 s)',
        fix: 'e.g. Duration.seconds(5)',
      });
    }
  }
  if (props.jsonPath !== undefined && !jsonPathShape(props.jsonPath)) {
    problems.push({
      prop: 'jsonPath',
      given: show(props.jsonPath),
      expected: 'one Kubernetes JSONPath expression in braces with balanced brackets, e.g. "{$.status}" (text outside braces is returned as '
        + 'literal text, so the condition would judge the path itself, not the response; an unbalanced one fails every measurement)',
      fix: `write it in braces: ${show(`{${props.jsonPath.replace(/^\{|\}$/g, '')}}`)}`,
    });
  }
  for (const [prop, expr] of [['successCondition', props.successCondition], ['failureCondition', props.failureCondition]] as const) {
    if (expr === undefined) continue;
    const p = conditionProblem(expr, false);
    if (p) problems.push({ prop, given: show(expr), expected: p.expected, fix: p.fix });
  }
  return problems;
}

/** `{…}` with balanced braces, nothing outside, something inside. */
function jsonPathShape(path: string): boolean {
  if (!path.startsWith('{') || !path.endsWith('}') || path.trim().length < 3) return false;
  let depth = 0;
  let quote: string | undefined;
  const brackets: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === '\'') {quote = c;} else if (c === '[' || c === '(') {brackets.push(c);} else if (c === ']' || c === ')') {
      if (brackets.pop() !== (c === ']' ? '[' : '(')) return false;
    } else if (c === '{') {depth++;} else if (c === '}') {
      depth--;
      if (depth === 0 && i !== path.length - 1) return false;
      if (depth < 0) return false;
    }
  }
  return depth === 0 && quote === undefined && brackets.length === 0 && path.slice(1, -1).trim().length > 0;
}
