import { Duration } from 'cdk8s';
import { checkHeaderName, checkLiteralHeader, secretHeader } from './http-header';
import { PROMETHEUS_OAUTH2_OPTIONS, PROMETHEUS_SECRET_HEADER_OPTIONS, SECRET_KEY_REFERENCE, PROMETHEUS_SERVER_OPTIONS, PROMETHEUS_SIG_V4_OPTIONS } from './input-shapes';
import { SecretKeyReference, TemplateArgument, secretProblems } from './template-argument';
import { AnalysisTemplateSpecMetricsProviderPrometheus, AnalysisTemplateSpecMetricsProviderPrometheusAuthentication } from '../../imports/rollouts-argoproj.io';
import { Problem, propError, show } from '../core/problem';
import { checkArgs, checkStruct, required } from '../core/struct-shape';


/**
 * Options of a Secret-backed header.
 */
export interface PrometheusSecretHeaderOptions {
  /**
   * Text put before the Secret's value, e.g. `Bearer ` for a bearer token.
   *
   * @default - none: the header value is the Secret's value
   */
  readonly prefix?: string;

  /**
   * Name of the template arg that carries the Secret's value.
   *
   * @default - `prometheus-header-<header name in kebab case>`, e.g. `prometheus-header-authorization`
   */
  readonly argName?: string;
}

/**
 * An HTTP header the Argo Rollouts controller sends with every Prometheus query (`provider.prometheus.headers[]`).
 *
 * Credentials are never inlined: `fromSecret` renders the value as a `{{args.x}}` placeholder and declares that
 * arg with `valueFrom.secretKeyRef`, so the token stays in the Secret.
 */
export class PrometheusHeader {
  /**
   * A header whose value comes from a Secret key (through a template arg with `valueFrom.secretKeyRef`).
   *
   * @param name the header name, e.g. `Authorization`
   * @param secret the Secret key holding the value (read from the AnalysisRun's namespace)
   */
  public static fromSecret(name: string, secret: SecretKeyReference, options: PrometheusSecretHeaderOptions = {}): PrometheusHeader {
    checkArgs('PrometheusHeader.fromSecret', { name: [name, required('string')], secret: [secret, required(SECRET_KEY_REFERENCE)], options: [options, PROMETHEUS_SECRET_HEADER_OPTIONS] });
    const header = secretHeader('PrometheusHeader.fromSecret', 'prometheus', name, secret, options);
    return new PrometheusHeader(name, header.value, header.argument);
  }

  /**
   * `Authorization: Bearer <token>` with the token from a Secret key.
   *
   * @param secret the Secret key holding the bare token (read from the AnalysisRun's namespace)
   */
  public static bearerToken(secret: SecretKeyReference): PrometheusHeader {
    checkArgs('PrometheusHeader.bearerToken', { secret: [secret, required(SECRET_KEY_REFERENCE)] });
    return PrometheusHeader.fromSecret('Authorization', secret, { prefix: 'Bearer ', argName: 'prometheus-bearer-token' });
  }

  /**
   * A header with a literal, non-secret value, e.g. a tenant `X-Scope-OrgID`.
   *
   * @throws if the header name or the value looks like a credential (use `fromSecret` for those)
   */
  public static fromValue(name: string, value: string): PrometheusHeader {
    checkArgs('PrometheusHeader.fromValue', { name: [name, required('string')], value: [value, required('string')] });
    const where = 'PrometheusHeader.fromValue';
    checkHeaderName(where, name, 'Authorization');
    checkLiteralHeader(where, name, value, 'PrometheusHeader.fromSecret', 'PrometheusHeader.bearerToken');
    return new PrometheusHeader(name, value, undefined);
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
 * Options of SigV4 signing (Amazon Managed Service for Prometheus).
 */
export interface PrometheusSigV4Options {
  /**
   * AWS region.
   *
   * @default - the controller's AWS default region
   */
  readonly region?: string;

  /**
   * AWS profile.
   *
   * @default - the controller's default credentials chain
   */
  readonly profile?: string;

  /**
   * IAM role ARN to assume.
   *
   * @default - no role is assumed
   */
  readonly roleArn?: string;
}

/**
 * Options of the OAuth2 client-credentials flow.
 */
export interface PrometheusOAuth2Options {
  /**
   * Token endpoint URL.
   */
  readonly tokenUrl: string;

  /**
   * OAuth2 client id.
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
   * @default 'prometheus-oauth2-client-secret'
   */
  readonly clientSecretArgName?: string;
}

/**
 * How the controller authenticates to Prometheus (`provider.prometheus.authentication`).
 */
export class PrometheusAuthentication {
  /**
   * SigV4 request signing for Amazon Managed Service for Prometheus. The controller applies it only when the address
   * contains `aps-workspaces`, so `PrometheusServer.fromAddress` rejects it for any other address.
   */
  public static sigv4(options: PrometheusSigV4Options = {}): PrometheusAuthentication {
    checkStruct('PrometheusAuthentication.sigv4', 'options', options, PROMETHEUS_SIG_V4_OPTIONS);
    if (options.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(options.roleArn)) {
      throw propError('PrometheusAuthentication.sigv4', {
        prop: 'roleArn',
        given: show(options.roleArn),
        expected: 'an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)',
        fix: 'copy the role ARN from IAM',
      });
    }
    const sigv4: Record<string, string> = {};
    if (options.region) sigv4.region = options.region;
    if (options.profile) sigv4.profile = options.profile;
    if (options.roleArn) sigv4.roleArn = options.roleArn;
    return new PrometheusAuthentication({ sigv4 }, [], true);
  }

  /**
   * OAuth2 client credentials; the controller fetches a token and sends it as `Authorization: Bearer`.
   */
  public static oauth2(options: PrometheusOAuth2Options): PrometheusAuthentication {
    checkStruct('PrometheusAuthentication.oauth2', 'options', options, required(PROMETHEUS_OAUTH2_OPTIONS));
    const where = 'PrometheusAuthentication.oauth2';
    if (!/^https?:\/\/[^\s/]+/.test(options.tokenUrl)) {
      throw propError(where, { prop: 'tokenUrl', given: show(options.tokenUrl), expected: 'an absolute http(s) URL', fix: 'give the token endpoint URL' });
    }
    if (options.clientId.trim().length === 0) {
      throw propError(where, { prop: 'clientId', given: show(options.clientId), expected: 'a non-empty client id', fix: 'give the OAuth2 client id' });
    }
    for (const p of secretProblems(options.clientSecret, 'clientSecret')) throw propError(where, p);
    const arg = TemplateArgument.fromSecret(options.clientSecretArgName ?? 'prometheus-oauth2-client-secret', options.clientSecret);
    const oauth2 = {
      tokenUrl: options.tokenUrl,
      clientId: options.clientId,
      clientSecret: `{{args.${arg.name}}}`,
    };
    const scopes = options.scopes && options.scopes.length > 0 ? { scopes: [...options.scopes] } : {};
    return new PrometheusAuthentication({ oauth2: { ...oauth2, ...scopes } }, [arg], false);
  }

  private constructor(
    private readonly rendered: AnalysisTemplateSpecMetricsProviderPrometheusAuthentication,
    private readonly args: TemplateArgument[],
    private readonly needsAmp: boolean,
  ) {}

  /** @internal */
  public _toKube(): AnalysisTemplateSpecMetricsProviderPrometheusAuthentication {
    return this.rendered;
  }

  /** @internal */
  public _args(): TemplateArgument[] {
    return this.args;
  }

  /** @internal */
  public _needsAmazonManagedPrometheus(): boolean {
    return this.needsAmp;
  }
}

/**
 * Options of `PrometheusServer.fromAddress`.
 */
export interface PrometheusServerOptions {
  /**
   * Query timeout, rendered as an integer number of seconds (`timeout`), the only form the controller accepts.
   *
   * @default - field omitted: the controller's default of 30 seconds
   */
  readonly timeout?: Duration;

  /**
   * Skip TLS certificate verification.
   *
   * @default false
   */
  readonly insecure?: boolean;

  /**
   * Headers sent with every query. Credentials only through `PrometheusHeader.fromSecret` / `bearerToken`.
   *
   * @default - none
   */
  readonly headers?: PrometheusHeader[];

  /**
   * SigV4 or OAuth2 authentication.
   *
   * @default - none
   */
  readonly authentication?: PrometheusAuthentication;
}

/**
 * The Prometheus an analysis queries (`provider.prometheus` without the query), shared by every metric of a template.
 */
export class PrometheusServer {
  /**
   * A Prometheus reachable from the Argo Rollouts controller at `address`.
   *
   * @param address absolute http(s) URL, e.g. `http://prometheus.monitoring.svc.cluster.local:9090`
   * @throws on a relative or non-http(s) address, a timeout that is not a whole number of seconds ≥ 1,
   * a duplicate header, or SigV4 with an address that is not Amazon Managed Prometheus
   */
  public static fromAddress(address: string, options: PrometheusServerOptions = {}): PrometheusServer {
    checkStruct('PrometheusServer.fromAddress', 'options', options, PROMETHEUS_SERVER_OPTIONS);
    return new PrometheusServer(address, options);
  }

  /**
   * The address.
   */
  public readonly address: string;

  /**
   * The query timeout (a whole number of seconds, rendered as integer seconds), if set.
   */
  public readonly timeout?: Duration;

  private readonly options: PrometheusServerOptions;

  private constructor(address: string, options: PrometheusServerOptions) {
    const problems: Problem[] = [];
    let url: URL | undefined;
    try {
      url = new URL(address);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.hostname.length === 0 || /\s/.test(address)) {
      problems.push({
        prop: 'address',
        given: show(address),
        expected: 'an absolute http(s) URL with a host, e.g. "http://prometheus.monitoring.svc.cluster.local:9090"',
        fix: 'give scheme, host and port as the Argo Rollouts controller reaches Prometheus',
      });
    }
    if (options.timeout !== undefined) {
      const ms = options.timeout.toMilliseconds({ integral: false });
      if (!Number.isInteger(ms) || ms % 1000 !== 0 || ms < 1000) {
        problems.push({
          prop: 'timeout',
          given: `${ms}ms`,
          expected: 'a whole number of seconds ≥ 1 (the controller takes `timeout` as integer seconds)',
          fix: 'use Duration.seconds(n) with an integer n ≥ 1',
        });
      }
    }
    const headers = options.headers ?? [];
    headers.forEach((h, i) => {
      if (headers.findIndex(o => o.name.toLowerCase() === h.name.toLowerCase()) !== i) {
        problems.push({ prop: `headers[${i}].name`, given: show(h.name), expected: 'each header once', fix: 'drop the duplicate header' });
      }
    });
    if (options.authentication?._needsAmazonManagedPrometheus() && !address.includes('aps-workspaces')) {
      problems.push({
        prop: 'authentication',
        given: `sigv4 with address ${show(address)}`,
        expected: 'an Amazon Managed Prometheus address (containing "aps-workspaces"); the controller ignores sigv4 otherwise',
        fix: 'use the workspace URL https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/ or drop sigv4',
      });
    }
    for (const p of problems) throw propError('PrometheusServer.fromAddress', p);
    this.address = address;
    this.timeout = options.timeout;
    this.options = options;
  }

  /**
   * The template args the server's headers and authentication need (all Secret-backed).
   */
  public get templateArguments(): TemplateArgument[] {
    const args: TemplateArgument[] = [];
    for (const h of this.options.headers ?? []) if (h.argument) args.push(h.argument);
    for (const a of this.options.authentication?._args() ?? []) args.push(a);
    return args;
  }

  /**
   * `provider.prometheus` for a query.
   *
   * @internal
   */
  public _toKube(query: string): AnalysisTemplateSpecMetricsProviderPrometheus {
    const headers = this.options.headers ?? [];
    return {
      address: this.address,
      query,
      ...(this.timeout !== undefined ? { timeout: this.timeout.toSeconds() } : {}),
      ...(this.options.insecure ? { insecure: true } : {}),
      ...(headers.length > 0 ? { headers: headers.map(h => ({ key: h.name, value: h.value })) } : {}),
      ...(this.options.authentication ? { authentication: this.options.authentication._toKube() } : {}),
    };
  }

}
