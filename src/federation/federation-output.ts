import { createHash } from 'crypto';
import { ApiObject, ApiObjectMetadata, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FederationJob, FederationScheme, goYaml, renderScrapeJob, secretNames, staticConfigs } from './federation-job';
import { escapeHelmTpl } from './helm-tpl';
import { FEDERATION_CONFIG_MAP_OPTIONS, FEDERATION_SCRAPE_CONFIG_OPTIONS, FEDERATION_VALUES_OPTIONS } from './input-shapes';
import { secretMountDir } from './secret-mount';
import { ScrapeConfig, ScrapeConfigSpec, ScrapeConfigSpecMetricRelabelingsAction, ScrapeConfigSpecScheme } from '../../imports/promop-monitoring.coreos.com';
import { MAX_GO_DURATION_MS, goDurationProblem, toGoDuration } from '../core/duration';
import { definedMetadata, labelsAndAnnotationsProblems } from '../core/metadata';
import { checkConfigMapKey, checkDns1123Label, checkDns1123Subdomain, checkLabelKey, checkLabelValue, checkPrometheusLabelName } from '../core/names';
import { Problem, show } from '../core/problem';
import { checkStruct } from '../core/struct-shape';

/**
 * Options of `FederationOutput.configMap()`.
 */
export interface FederationConfigMapOptions {
  /**
   * Metadata of the ConfigMap (name, namespace, labels, annotations).
   *
   * @default - a name generated from the construct path, no namespace
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The data key that holds the configuration.
   *
   * @default "prometheus.yml"
   */
  readonly key?: string;

  /**
   * `global.external_labels` of the management Prometheus itself (what it attaches when it is federated or
   * remote-writes). They do not change the labels of the series it federates.
   *
   * @default - none
   */
  readonly externalLabels?: { [name: string]: string };

  /**
   * `global.evaluation_interval` (recording and alerting rules).
   *
   * @default - the federation scrape interval
   */
  readonly evaluationInterval?: Duration;
}

/**
 * Options of the Helm values outputs.
 */
export interface FederationValuesOptions {
  /**
   * Metadata of the ConfigMap that holds the values (name, namespace, labels, annotations).
   *
   * @default - a name generated from the construct path, no namespace
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The data key that holds the values (Flux `HelmRelease.spec.valuesFrom[].valuesKey` defaults to `values.yaml`).
   *
   * @default "values.yaml"
   */
  readonly key?: string;
}

/**
 * Options of `FederationOutput.scrapeConfig()`.
 */
export interface FederationScrapeConfigOptions {
  /**
   * Metadata of the ScrapeConfig. The operator renders the job as `scrapeConfig/<namespace>/<name>` and sets the
   * `job` target label to the construct's `jobName` (federated series keep their own `job` because of
   * `honorLabels: true`). Its `labels` are what the Prometheus CR's `scrapeConfigSelector` selects
   * (kube-prometheus-stack selects `release: <helm release name>` by default).
   *
   * @default - a name generated from the construct path, no namespace, no labels
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * A Secret the `prometheus` chart mounts into the server (`server.extraSecretMounts[]`).
 */
export interface PrometheusChartSecretMount {
  /** The volume name. */
  readonly name: string;
  /** Where the Secret is mounted: `/etc/prometheus/secrets/<secretName>`. */
  readonly mountPath: string;
  /** The Secret's name. */
  readonly secretName: string;
  /** Always true. */
  readonly readOnly: boolean;
}

/**
 * `server` values of the prometheus-community `prometheus` chart set by the federation.
 */
export interface PrometheusChartServerValues {
  /** The Secrets the federation job reads. */
  readonly extraSecretMounts: PrometheusChartSecretMount[];
}

/**
 * Values for the prometheus-community `prometheus` chart (a JSON-shaped document handed to Helm).
 */
export interface PrometheusChartValues {
  /** The federation job as a YAML list, with `{{` escaped for the chart's `tpl` pass. */
  readonly extraScrapeConfigs: string;
  /**
   * Secret mounts for the job's credentials and TLS files.
   *
   * @default - none (the job reads no Secret)
   */
  readonly server?: PrometheusChartServerValues;
}

/**
 * `prometheus.prometheusSpec` values of kube-prometheus-stack set by the federation.
 */
export interface KubePrometheusStackPrometheusSpecValues {
  /** The federation job as a YAML list string, with `{{` escaped for the chart's `tpl` pass. */
  readonly additionalScrapeConfigs: string;
  /**
   * The Secrets the job reads, mounted at `/etc/prometheus/secrets/<secret>/`.
   *
   * @default - none (the job reads no Secret)
   */
  readonly secrets?: string[];
}

/**
 * `prometheus` values of kube-prometheus-stack set by the federation.
 */
export interface KubePrometheusStackPrometheusValues {
  /** The Prometheus CR spec values. */
  readonly prometheusSpec: KubePrometheusStackPrometheusSpecValues;
}

/**
 * Values for kube-prometheus-stack (a JSON-shaped document handed to Helm).
 */
export interface KubePrometheusStackValues {
  /** The `prometheus` section. */
  readonly prometheus: KubePrometheusStackPrometheusValues;
}

/**
 * The Kubernetes object a `FederatedPrometheus` emits, in the forms people run Prometheus with: one subclass per
 * form, each owning its options, their validation, its rendering and the object it creates. Whatever the choice, the
 * construct's `prometheusConfig()`, `helmChartValues()` and `kubePrometheusStackValues()` methods return the other
 * forms too.
 */
export abstract class FederationOutput {
  /**
   * A ConfigMap holding a complete `prometheus.yml` (global settings + the federation job) for a Prometheus you run
   * yourself (mount it and pass `--config.file`).
   */
  public static configMap(options: FederationConfigMapOptions = {}): FederationOutput {
    checkStruct('FederationOutput.configMap', 'options', options, FEDERATION_CONFIG_MAP_OPTIONS);
    return new ConfigMapOutput(options);
  }

  /**
   * A ConfigMap holding `values.yaml` for the prometheus-community `prometheus` chart: the federation job in the
   * top-level `extraScrapeConfigs` string (the chart runs it through `tpl`, so `{{` is escaped), plus
   * `server.extraSecretMounts` for Secrets the job reads. Feed it to the release (Flux `valuesFrom`, Argo CD, or
   * `helm -f`), or pass `FederatedPrometheus.helmChartValues()` to cdk8s's `Helm` construct.
   */
  public static helmChartValues(options: FederationValuesOptions = {}): FederationOutput {
    checkStruct('FederationOutput.helmChartValues', 'options', options, FEDERATION_VALUES_OPTIONS);
    return new PrometheusChartValuesOutput(options);
  }

  /**
   * A ConfigMap holding `values.yaml` for kube-prometheus-stack: the federation job in
   * `prometheus.prometheusSpec.additionalScrapeConfigs` (a string, run through `tpl`, so `{{` is escaped), plus
   * `prometheus.prometheusSpec.secrets` for Secrets the job reads.
   */
  public static kubePrometheusStackValues(options: FederationValuesOptions = {}): FederationOutput {
    checkStruct('FederationOutput.kubePrometheusStackValues', 'options', options, FEDERATION_VALUES_OPTIONS);
    return new KubePrometheusStackValuesOutput(options);
  }

  /**
   * A prometheus-operator `ScrapeConfig` (`monitoring.coreos.com/v1alpha1`). Credentials and TLS must come from
   * Secrets (the CRD has no file fields). The Prometheus CR must not set `overrideHonorLabels: true`, which would
   * turn `honorLabels` off and rename the federated `job`/`instance`/cluster labels to `exported_*`.
   */
  public static scrapeConfig(options: FederationScrapeConfigOptions = {}): FederationOutput {
    checkStruct('FederationOutput.scrapeConfig', 'options', options, FEDERATION_SCRAPE_CONFIG_OPTIONS);
    return new ScrapeConfigOutput(options);
  }

  /**
   * No Kubernetes object; use the construct's methods to get the rendered configuration (e.g. the values for
   * cdk8s's `Helm` construct).
   */
  public static none(): FederationOutput {
    return new NoOutput();
  }

  /** Outputs come from the static factories. */
  protected constructor() {}

  /**
   * Problems of the output's own options, props relative to `output`.
   *
   * @internal
   */
  public abstract _problems(): Problem[];

  /**
   * Problems of the job's settings with this output (e.g. files the ScrapeConfig CRD cannot reference).
   *
   * @internal
   */
  public _jobProblems(_job: FederationJob): Problem[] {
    return [];
  }

  /**
   * The `global` settings of a prometheus.yml rendered for this output.
   *
   * @internal
   */
  public _configMapOptions(): FederationConfigMapOptions {
    return {};
  }

  /**
   * Creates the output's object in `scope` (rendered lazily, after every `addMatch()`/`addAnalysis()`).
   *
   * @internal
   */
  public abstract _bind(scope: Construct, job: () => FederationJob): ApiObject | undefined;
}

function metadataProblems(metadata: ApiObjectMetadata | undefined): Problem[] {
  const problems: Problem[] = [];
  if (metadata?.name !== undefined) {
    const p = checkDns1123Subdomain(metadata.name);
    if (p) problems.push({ prop: 'metadata.name', given: show(metadata.name), expected: p, fix: 'use a lowercase name such as "federation"' });
  }
  if (metadata?.namespace !== undefined) {
    const p = checkDns1123Label(metadata.namespace);
    if (p) problems.push({ prop: 'metadata.namespace', given: show(metadata.namespace), expected: p, fix: 'use the namespace of the Prometheus, e.g. "monitoring"' });
  }
  for (const [k, v] of Object.entries(metadata?.labels ?? {})) {
    const p = checkLabelKey(k) ?? checkLabelValue(v);
    if (p) problems.push({ prop: 'metadata.labels', given: `${JSON.stringify(k)}: ${JSON.stringify(v)}`, expected: p, fix: 'use valid Kubernetes labels, e.g. release: kube-prometheus-stack' });
  }
  // annotation keys: the core's check of every construct's metadata
  problems.push(...labelsAndAnnotationsProblems('metadata', { annotations: metadata?.annotations }));
  return problems;
}

function keyProblems(key: string): Problem[] {
  return checkConfigMapKey(key) === undefined ? []
    : [{ prop: 'key', given: show(key), expected: 'a ConfigMap data key (alphanumerics, "-", "_" or ".")', fix: 'use e.g. "prometheus.yml"' }];
}

/** A ConfigMap holding one document under one key. */
abstract class ConfigMapDocumentOutput extends FederationOutput {
  constructor(private readonly metadata: ApiObjectMetadata | undefined, protected readonly key: string) {
    super();
  }

  public _problems(): Problem[] {
    return [...metadataProblems(this.metadata), ...keyProblems(this.key)];
  }

  public _bind(scope: Construct, job: () => FederationJob): ApiObject {
    // a plain ApiObject: a ConfigMap has no spec to type, and cdk8s-plus's ConfigMap would add its own defaults
    return new ApiObject(scope, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: definedMetadata(this.metadata),
      data: Lazy.any({ produce: () => ({ [this.key]: this._document(job()) }) }),
    });
  }

  /** The document stored under the key. */
  protected abstract _document(job: FederationJob): string;
}

class ConfigMapOutput extends ConfigMapDocumentOutput {
  constructor(private readonly options: FederationConfigMapOptions) {
    super(options.metadata, options.key ?? 'prometheus.yml');
  }

  public _problems(): Problem[] {
    const problems = super._problems();
    for (const k of Object.keys(this.options.externalLabels ?? {})) {
      const p = checkPrometheusLabelName(k);
      if (p) problems.push({ prop: 'externalLabels', given: show(k), expected: p, fix: 'use Prometheus label names such as "cluster"' });
    }
    const e = this.options.evaluationInterval;
    if (e !== undefined) {
      const p = durationProblem(e);
      if (p) problems.push({ prop: 'evaluationInterval', ...p });
    }
    return problems;
  }

  public _configMapOptions(): FederationConfigMapOptions {
    return this.options;
  }

  protected _document(job: FederationJob): string {
    return renderPrometheusConfig(job, this.options);
  }
}

class PrometheusChartValuesOutput extends ConfigMapDocumentOutput {
  constructor(options: FederationValuesOptions) {
    super(options.metadata, options.key ?? 'values.yaml');
  }

  protected _document(job: FederationJob): string {
    return goYaml(renderPrometheusChartValues(job));
  }
}

class KubePrometheusStackValuesOutput extends ConfigMapDocumentOutput {
  constructor(options: FederationValuesOptions) {
    super(options.metadata, options.key ?? 'values.yaml');
  }

  protected _document(job: FederationJob): string {
    return goYaml(renderKubePrometheusStackValues(job));
  }
}

class ScrapeConfigOutput extends FederationOutput {
  constructor(private readonly options: FederationScrapeConfigOptions) {
    super();
  }

  public _problems(): Problem[] {
    return metadataProblems(this.options.metadata);
  }

  public _jobProblems(job: FederationJob): Problem[] {
    const problems: Problem[] = [];
    if (job.authorization?._file !== undefined) {
      problems.push({
        prop: 'authorization',
        given: `credentialsFile(${JSON.stringify(job.authorization._file)})`,
        expected: 'FederationAuthorization.fromSecret(...) with FederationOutput.scrapeConfig() (the ScrapeConfig CRD only references Secrets)',
        fix: 'put the credentials in a Secret and use FederationAuthorization.fromSecret',
      });
    }
    if (job.tls?._usesFiles) {
      problems.push({
        prop: 'tls',
        given: 'FederationTls.fromFiles(...)',
        expected: 'FederationTls.fromSecret(...) with FederationOutput.scrapeConfig() (the ScrapeConfig CRD only references Secrets and ConfigMaps)',
        fix: 'put the certificates in a Secret and use FederationTls.fromSecret',
      });
    }
    return problems;
  }

  public _bind(scope: Construct, job: () => FederationJob): ApiObject {
    return new ScrapeConfig(scope, 'Resource', {
      metadata: definedMetadata(this.options.metadata),
      spec: Lazy.any({ produce: () => renderScrapeConfigSpec(job()) }),
    });
  }
}

class NoOutput extends FederationOutput {
  public _problems(): Problem[] {
    return [];
  }

  public _bind(): undefined {
    return undefined;
  }
}

/**
 * What is wrong with a scrape or evaluation interval, or undefined: a positive whole number of milliseconds that
 * Prometheus can read (promtool rejects `1000000000000s`, beyond Go's `time.Duration`).
 *
 * @internal
 */
export function durationProblem(d: Duration): { given: string; expected: string; fix: string } | undefined {
  const ms = d.toMilliseconds({ integral: false });
  if (Number.isSafeInteger(ms) && ms > MAX_GO_DURATION_MS) {
    return {
      given: ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`,
      expected: 'at most 2562047h (Prometheus reads durations into Go\'s time.Duration and rejects longer ones as invalid)',
      fix: 'use e.g. Duration.seconds(15)',
    };
  }
  if (goDurationProblem(d) !== undefined || ms < 1) {
    return { given: `${ms}ms`, expected: 'a positive whole number of milliseconds', fix: 'use e.g. Duration.seconds(15)' };
  }
  return undefined;
}

/**
 * A complete prometheus.yml: `global` (scrape and evaluation interval, external labels) and the federation job.
 *
 * @internal
 */
export function renderPrometheusConfig(job: FederationJob, options: FederationConfigMapOptions): string {
  const externalLabels = options.externalLabels ?? {};
  const global = {
    scrape_interval: toGoDuration(job.scrapeInterval),
    scrape_timeout: toGoDuration(job.scrapeTimeout),
    evaluation_interval: toGoDuration(options.evaluationInterval ?? job.scrapeInterval),
    ...(Object.keys(externalLabels).length > 0 ? { external_labels: { ...externalLabels } } : {}),
  };
  return goYaml({ global, scrape_configs: [renderScrapeJob(job)] });
}

/**
 * The volume name for a Secret the `prometheus` chart mounts: `federation-<secret>` when that is a DNS-1123 label,
 * else a sanitized, truncated form with a hash of the Secret name, so that `fed.token` and `fed-token` (or two long
 * names sharing their first 63 characters) get distinct volumes.
 */
function secretVolumeName(secretName: string): string {
  const plain = `federation-${secretName}`;
  if (checkDns1123Label(plain) === undefined) return plain;
  const hash = createHash('sha256').update(secretName).digest('hex').slice(0, 8);
  const base = `federation-${secretName.replace(/[^-a-z0-9]/g, '-')}`.slice(0, 63 - hash.length - 1).replace(/-+$/, '');
  return `${base}-${hash}`;
}

/**
 * Values for the `prometheus` chart: the job in `extraScrapeConfigs`, Secrets in `server.extraSecretMounts`.
 *
 * @internal
 */
export function renderPrometheusChartValues(job: FederationJob): PrometheusChartValues {
  const secrets = secretNames(job);
  return {
    extraScrapeConfigs: escapeHelmTpl(goYaml([renderScrapeJob(job)])),
    ...(secrets.length > 0 ? {
      server: {
        extraSecretMounts: secrets.map(s => ({ name: secretVolumeName(s), mountPath: secretMountDir(s), secretName: s, readOnly: true })),
      },
    } : {}),
  };
}

/**
 * Values for kube-prometheus-stack. `additionalScrapeConfigs` is a string (the chart also takes a list): the chart
 * runs a string through `tpl` as is, a list through `tpl (toYaml …)`, whose quoting of the escaped text this library
 * would not control.
 *
 * @internal
 */
export function renderKubePrometheusStackValues(job: FederationJob): KubePrometheusStackValues {
  const secrets = secretNames(job);
  return {
    prometheus: {
      prometheusSpec: {
        additionalScrapeConfigs: escapeHelmTpl(goYaml([renderScrapeJob(job)])),
        ...(secrets.length > 0 ? { secrets } : {}),
      },
    },
  };
}

/**
 * The ScrapeConfig CR's spec (the generated L1 type).
 *
 * @internal
 */
export function renderScrapeConfigSpec(job: FederationJob): ScrapeConfigSpec {
  const secretRef = (r: { secretName: string; key: string }) => ({ name: r.secretName, key: r.key });
  const t = job.tls;
  const a = job.authorization;
  return {
    jobName: job.jobName,
    honorLabels: true,
    metricsPath: '/federate',
    scrapeInterval: toGoDuration(job.scrapeInterval),
    scrapeTimeout: toGoDuration(job.scrapeTimeout),
    scheme: job.scheme === FederationScheme.HTTPS ? ScrapeConfigSpecScheme.HTTPS : ScrapeConfigSpecScheme.HTTP,
    params: { 'match[]': job.match },
    ...(a?._secret ? { authorization: { type: a._type, credentials: secretRef(a._secret) } } : {}),
    ...(t ? {
      tlsConfig: {
        ...(t._ca?.secret ? { ca: { secret: secretRef(t._ca.secret) } } : {}),
        ...(t._cert?.secret ? { cert: { secret: secretRef(t._cert.secret) } } : {}),
        ...(t._key?.secret ? { keySecret: secretRef(t._key.secret) } : {}),
        ...(t._serverName ? { serverName: t._serverName } : {}),
        ...(t._insecureSkipVerify ? { insecureSkipVerify: true } : {}),
      },
    } : {}),
    ...(job.dropLabels.length > 0
      ? { metricRelabelings: [{ action: ScrapeConfigSpecMetricRelabelingsAction.LABELDROP, regex: job.dropLabels.join('|') }] } : {}),
    staticConfigs: staticConfigs(job).map(s => ({ targets: s.targets, labels: s.labels })),
  };
}
