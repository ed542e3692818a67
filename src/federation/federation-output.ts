import { Duration } from 'cdk8s';

/**
 * Options of `FederationOutput.configMap()`.
 */
export interface FederationConfigMapOptions {
  /**
   * `metadata.name` of the ConfigMap.
   *
   * @default - generated from the construct path
   */
  readonly name?: string;

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
   * `metadata.name` of the ConfigMap that holds the values.
   *
   * @default - generated from the construct path
   */
  readonly name?: string;

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
   * `metadata.name` of the ScrapeConfig. The operator renders the job as `scrapeConfig/<namespace>/<name>` and
   * sets the `job` target label to the construct's `jobName` (federated series keep their own `job` because of
   * `honorLabels: true`).
   *
   * @default - generated from the construct path
   */
  readonly name?: string;

  /**
   * Labels of the ScrapeConfig, so that the Prometheus CR's `scrapeConfigSelector` selects it.
   * kube-prometheus-stack selects `release: <helm release name>` by default.
   *
   * @default - none
   */
  readonly labels?: { [name: string]: string };
}

/** Kinds of output (internal; `FederationOutput._kind`). */
const FederationOutputKind = {
  CONFIG_MAP: 'configMap',
  HELM_CHART_VALUES: 'helmChartValues',
  KUBE_PROMETHEUS_STACK_VALUES: 'kubePrometheusStackValues',
  SCRAPE_CONFIG: 'scrapeConfig',
  NONE: 'none',
};

/**
 * The Kubernetes object a `FederatedPrometheus` emits, in the forms people run Prometheus with. Whatever the choice,
 * the construct's `prometheusConfig()`, `helmChartValues()` and `kubePrometheusStackValues()` methods return the
 * other forms too.
 */
export class FederationOutput {
  /**
   * A ConfigMap holding a complete `prometheus.yml` (global settings + the federation job) for a Prometheus you run
   * yourself (mount it and pass `--config.file`).
   */
  public static configMap(options: FederationConfigMapOptions = {}): FederationOutput {
    return new FederationOutput(FederationOutputKind.CONFIG_MAP, options, {}, options.name, options.key ?? 'prometheus.yml');
  }

  /**
   * A ConfigMap holding `values.yaml` for the prometheus-community `prometheus` chart: the federation job in the
   * top-level `extraScrapeConfigs` string (the chart runs it through `tpl`, so `{{` is escaped), plus
   * `server.extraSecretMounts` for Secrets the job reads. Feed it to the release (Flux `valuesFrom`, Argo CD, or
   * `helm -f`), or pass `FederatedPrometheus.helmChartValues()` to cdk8s's `Helm` construct.
   */
  public static helmChartValues(options: FederationValuesOptions = {}): FederationOutput {
    return new FederationOutput(FederationOutputKind.HELM_CHART_VALUES, {}, {}, options.name, options.key ?? 'values.yaml');
  }

  /**
   * A ConfigMap holding `values.yaml` for kube-prometheus-stack: the federation job in
   * `prometheus.prometheusSpec.additionalScrapeConfigs` (a string, run through `tpl`, so `{{` is escaped), plus
   * `prometheus.prometheusSpec.secrets` for Secrets the job reads.
   */
  public static kubePrometheusStackValues(options: FederationValuesOptions = {}): FederationOutput {
    return new FederationOutput(FederationOutputKind.KUBE_PROMETHEUS_STACK_VALUES, {}, {}, options.name, options.key ?? 'values.yaml');
  }

  /**
   * A prometheus-operator `ScrapeConfig` (`monitoring.coreos.com/v1alpha1`). Credentials and TLS must come from
   * Secrets (the CRD has no file fields). The Prometheus CR must not set `overrideHonorLabels: true`, which would
   * turn `honorLabels` off and rename the federated `job`/`instance`/cluster labels to `exported_*`.
   */
  public static scrapeConfig(options: FederationScrapeConfigOptions = {}): FederationOutput {
    return new FederationOutput(FederationOutputKind.SCRAPE_CONFIG, {}, options, options.name, undefined);
  }

  /**
   * No Kubernetes object; use the construct's methods to get the rendered configuration (e.g. the values for
   * cdk8s's `Helm` construct).
   */
  public static none(): FederationOutput {
    return new FederationOutput(FederationOutputKind.NONE, {}, {}, undefined, undefined);
  }

  /** @internal One of `configMap`, `helmChartValues`, `kubePrometheusStackValues`, `scrapeConfig`, `none`. */
  public readonly _kind: string;
  /** @internal */
  public readonly _configMap: FederationConfigMapOptions;
  /** @internal */
  public readonly _scrapeConfig: FederationScrapeConfigOptions;
  /** @internal */
  public readonly _name?: string;
  /** @internal */
  public readonly _key?: string;

  private constructor(kind: string, configMap: FederationConfigMapOptions, scrapeConfig: FederationScrapeConfigOptions,
    name: string | undefined, key: string | undefined) {
    this._kind = kind;
    this._configMap = configMap;
    this._scrapeConfig = scrapeConfig;
    this._name = name;
    this._key = key;
  }
}
