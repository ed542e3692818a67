import { FEDERATION_SECRET_AUTHORIZATION_PROPS, FEDERATION_TLS_FILES_PROPS, FEDERATION_TLS_SECRET_PROPS } from './input-shapes';
import { SecretFileRef, secretMountDir, TlsFile } from './secret-mount';
import { checkConfigMapKey, checkDns1123Subdomain } from '../core/names';
import { propError } from '../core/problem';
import { checkArgs, checkStruct, required } from '../core/struct-shape';

function checkSecretRef(where: string, prop: string, secretName: string, key: string): void {
  if (checkDns1123Subdomain(secretName) !== undefined) {
    throw propError(where, {
      prop: `${prop}.secretName`,
      given: JSON.stringify(secretName),
      expected: 'the name of a Secret (a DNS-1123 subdomain)',
      fix: 'reference an existing Secret by its metadata.name',
    });
  }
  if (checkConfigMapKey(key) !== undefined) {
    throw propError(where, {
      prop: `${prop}.key`,
      given: JSON.stringify(key),
      expected: 'a Secret data key (alphanumerics, "-", "_" or ".")',
      fix: 'use a key of the Secret\'s data',
    });
  }
}

function checkPath(where: string, prop: string, path: string): void {
  if (!path.startsWith('/') || /\s/.test(path)) {
    throw propError(where, {
      prop,
      given: JSON.stringify(path),
      expected: 'an absolute path inside the Prometheus container, without whitespace',
      fix: 'mount the file into the Prometheus container and give its absolute path',
    });
  }
}

/**
 * Props of `FederationAuthorization.fromSecret`.
 */
export interface FederationSecretAuthorizationProps {
  /**
   * Name of the Secret (in the namespace of the federating Prometheus) that holds the credentials.
   */
  readonly secretName: string;

  /**
   * Key of the Secret's data that holds the credentials (e.g. a bearer token).
   */
  readonly key: string;

  /**
   * The authorization type sent in the `Authorization` header.
   *
   * @default "Bearer"
   */
  readonly type?: string;
}

/**
 * How the federating Prometheus authenticates to the workload Prometheus servers (`authorization:` of the scrape
 * job). Credentials are never inlined: they come from a file in the Prometheus container or from a Secret.
 */
export class FederationAuthorization {
  /**
   * Credentials read from a file in the Prometheus container (`authorization.credentials_file`), e.g. a projected
   * service account token. Not available with `FederationOutput.scrapeConfig()` (the ScrapeConfig CRD only takes
   * Secret references).
   *
   * @param path absolute path of the file in the Prometheus container
   * @param type the authorization type, default "Bearer"
   */
  public static credentialsFile(path: string, type?: string): FederationAuthorization {
    checkArgs('FederationAuthorization.credentialsFile', { path: [path, required('string')], type: [type, 'string'] });
    const where = 'FederationAuthorization.credentialsFile';
    checkPath(where, 'path', path);
    return new FederationAuthorization(FederationAuthorization.checkType(where, type ?? 'Bearer'), path, undefined);
  }

  /**
   * Credentials from a key of a Secret. With `FederationOutput.scrapeConfig()` the ScrapeConfig references the
   * Secret (`authorization.credentials`); in a plain prometheus.yml the Secret must be mounted at
   * `/etc/prometheus/secrets/<secretName>/` (the chart values outputs add that mount), and the job reads
   * `credentials_file: /etc/prometheus/secrets/<secretName>/<key>`.
   */
  public static fromSecret(props: FederationSecretAuthorizationProps): FederationAuthorization {
    checkStruct('FederationAuthorization.fromSecret', 'props', props, required(FEDERATION_SECRET_AUTHORIZATION_PROPS));
    const where = 'FederationAuthorization.fromSecret';
    checkSecretRef(where, 'props', props.secretName, props.key);
    const type = FederationAuthorization.checkType(where, props.type ?? 'Bearer');
    return new FederationAuthorization(type, undefined, { secretName: props.secretName, key: props.key });
  }

  private static checkType(where: string, type: string): string {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(type) || type.toLowerCase() === 'basic') {
      throw propError(where, {
        prop: 'type',
        given: JSON.stringify(type),
        expected: 'an authorization scheme token such as "Bearer" (Prometheus rejects "Basic" here)',
        fix: 'use "Bearer" (the default) or the scheme the workload Prometheus expects',
      });
    }
    return type;
  }

  /** @internal */
  public readonly _type: string;
  /** @internal */
  public readonly _file?: string;
  /** @internal */
  public readonly _secret?: SecretFileRef;

  private constructor(type: string, file: string | undefined, secret: SecretFileRef | undefined) {
    this._type = type;
    this._file = file;
    this._secret = secret;
  }
}

/**
 * Props of `FederationTls.fromFiles`.
 */
export interface FederationTlsFilesProps {
  /**
   * CA certificate file that verifies the workload Prometheus servers.
   *
   * @default - the system trust store
   */
  readonly caFile?: string;

  /**
   * Client certificate file (mutual TLS). Requires `keyFile`.
   *
   * @default - no client certificate
   */
  readonly certFile?: string;

  /**
   * Client key file (mutual TLS). Requires `certFile`.
   *
   * @default - no client key
   */
  readonly keyFile?: string;

  /**
   * Server name checked against the workload servers' certificates.
   *
   * @default - the target's host name
   */
  readonly serverName?: string;

  /**
   * Skip verification of the workload servers' certificates. Only for tests.
   *
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
}

/**
 * Props of `FederationTls.fromSecret`.
 */
export interface FederationTlsSecretProps {
  /**
   * Name of the Secret that holds the CA certificate and/or the client certificate and key.
   */
  readonly secretName: string;

  /**
   * Key of the CA certificate in the Secret.
   *
   * @default - the system trust store
   */
  readonly caKey?: string;

  /**
   * Key of the client certificate in the Secret (mutual TLS). Requires `keyKey`.
   *
   * @default - no client certificate
   */
  readonly certKey?: string;

  /**
   * Key of the client key in the Secret (mutual TLS). Requires `certKey`.
   *
   * @default - no client key
   */
  readonly keyKey?: string;

  /**
   * Server name checked against the workload servers' certificates.
   *
   * @default - the target's host name
   */
  readonly serverName?: string;

  /**
   * Skip verification of the workload servers' certificates. Only for tests.
   *
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
}

/**
 * TLS settings of the federation job (`tls_config:`); setting them makes the default scheme `https`.
 */
export class FederationTls {
  /**
   * TLS files already present in the Prometheus container. Not available with `FederationOutput.scrapeConfig()`.
   */
  public static fromFiles(props: FederationTlsFilesProps): FederationTls {
    checkStruct('FederationTls.fromFiles', 'props', props, required(FEDERATION_TLS_FILES_PROPS));
    const where = 'FederationTls.fromFiles';
    const file = (prop: string, p?: string): TlsFile | undefined => {
      if (p === undefined) return undefined;
      checkPath(where, prop, p);
      return { path: p };
    };
    FederationTls.checkPair(where, 'certFile', props.certFile, 'keyFile', props.keyFile);
    return new FederationTls(file('caFile', props.caFile), file('certFile', props.certFile), file('keyFile', props.keyFile),
      props.serverName, props.insecureSkipVerify ?? false);
  }

  /**
   * TLS files from keys of a Secret. With `FederationOutput.scrapeConfig()` the ScrapeConfig references the Secret;
   * in a plain prometheus.yml the Secret must be mounted at `/etc/prometheus/secrets/<secretName>/` (the chart values
   * outputs add that mount).
   */
  public static fromSecret(props: FederationTlsSecretProps): FederationTls {
    checkStruct('FederationTls.fromSecret', 'props', props, required(FEDERATION_TLS_SECRET_PROPS));
    const where = 'FederationTls.fromSecret';
    const file = (prop: string, key?: string): TlsFile | undefined => {
      if (key === undefined) return undefined;
      checkSecretRef(where, prop, props.secretName, key);
      return { path: `${secretMountDir(props.secretName)}/${key}`, secret: { secretName: props.secretName, key } };
    };
    FederationTls.checkPair(where, 'certKey', props.certKey, 'keyKey', props.keyKey);
    if (props.caKey === undefined && props.certKey === undefined) {
      throw propError(where, {
        prop: 'caKey',
        given: 'missing',
        expected: 'caKey and/or certKey + keyKey',
        fix: 'name the Secret keys that hold the CA certificate or the client certificate and key',
      });
    }
    return new FederationTls(file('caKey', props.caKey), file('certKey', props.certKey), file('keyKey', props.keyKey),
      props.serverName, props.insecureSkipVerify ?? false);
  }

  private static checkPair(where: string, a: string, av: string | undefined, b: string, bv: string | undefined): void {
    if ((av === undefined) !== (bv === undefined)) {
      const [set, missing] = av === undefined ? [b, a] : [a, b];
      throw propError(where, {
        prop: missing,
        given: 'missing',
        expected: `${missing} together with ${set} (a client certificate needs its key)`,
        fix: `set both ${a} and ${b}, or neither`,
      });
    }
  }

  /** @internal */
  public readonly _ca?: TlsFile;
  /** @internal */
  public readonly _cert?: TlsFile;
  /** @internal */
  public readonly _key?: TlsFile;
  /** @internal */
  public readonly _serverName?: string;
  /** @internal */
  public readonly _insecureSkipVerify: boolean;

  private constructor(ca: TlsFile | undefined, cert: TlsFile | undefined, key: TlsFile | undefined,
    serverName: string | undefined, insecureSkipVerify: boolean) {
    this._ca = ca;
    this._cert = cert;
    this._key = key;
    this._serverName = serverName;
    this._insecureSkipVerify = insecureSkipVerify;
  }

  /** @internal Whether any file comes from a path rather than a Secret. */
  public get _usesFiles(): boolean {
    return [this._ca, this._cert, this._key].some(f => f !== undefined && f.secret === undefined);
  }

  /** @internal Names of the Secrets this TLS config reads. */
  public get _secretNames(): string[] {
    return [...new Set([this._ca, this._cert, this._key].flatMap(f => (f?.secret ? [f.secret.secretName] : [])))];
  }
}
