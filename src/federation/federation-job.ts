import { Duration } from 'cdk8s';
import * as YAML from 'yaml';
import { FederationAuthorization, FederationTls } from './federation-auth';
import { FederationClusterLabel } from './federation-cluster-label';
import { secretMountDir } from './secret-mount';
import { toGoDuration } from '../core/duration';

/**
 * The URL scheme the federation job uses to reach the workload Prometheus servers.
 */
export enum FederationScheme {
  /** Plain HTTP. */
  HTTP = 'http',
  /** HTTPS (see `tls` for CA and client certificates). */
  HTTPS = 'https',
}

/**
 * One federation target: a fleet cluster's Prometheus.
 */
export interface FederationTarget {
  /**
   * The cluster's name in Argo CD (`FleetClusterProps.name`).
   */
  readonly clusterName: string;

  /**
   * The value of the cluster label: the normalized cluster name (`Fleet.normalizeClusterName`, Argo CD's
   * `nameNormalized`), the same value as the `cluster` label `MultiClusterAppSet` puts on the cluster's Applications.
   */
  readonly cluster: string;

  /**
   * `host:port` scraped on `/federate`.
   */
  readonly endpoint: string;
}

/**
 * The federation job with every setting resolved: what each output renders.
 *
 * @internal
 */
export interface FederationJob {
  readonly jobName: string;
  readonly scrapeInterval: Duration;
  readonly scrapeTimeout: Duration;
  readonly scheme: FederationScheme;
  readonly match: string[];
  readonly authorization?: FederationAuthorization;
  readonly tls?: FederationTls;
  readonly dropLabels: string[];
  readonly targets: FederationTarget[];
  readonly clusterLabel: FederationClusterLabel;
}

/** @internal A prometheus.yml `scrape_configs` entry as this library writes it (Prometheus's snake_case keys). */
export interface PrometheusScrapeJob {
  readonly job_name: string;
  readonly scrape_interval: string;
  readonly scrape_timeout: string;
  readonly honor_labels: true;
  readonly metrics_path: '/federate';
  readonly scheme: string;
  readonly params: { 'match[]': string[] };
  readonly authorization?: { type: string; credentials_file: string };
  readonly tls_config?: { ca_file?: string; cert_file?: string; key_file?: string; server_name?: string; insecure_skip_verify?: true };
  readonly metric_relabel_configs?: Array<{ action: 'labeldrop'; regex: string }>;
  readonly static_configs: Array<{ targets: string[]; labels: { [name: string]: string } }>;
}

/**
 * One static config per target, labelled with its cluster. Also with `workloadExternalLabel()`: the target label is
 * the fallback for a workload that lacks its external label (with honor_labels it never overrides one), so series of
 * different clusters never merge.
 *
 * @internal
 */
export function staticConfigs(job: FederationJob): Array<{ targets: string[]; labels: { [name: string]: string } }> {
  return job.targets.map(t => ({ targets: [t.endpoint], labels: { [job.clusterLabel.labelName]: t.cluster } }));
}

/**
 * The federation job as a prometheus.yml `scrape_configs` entry.
 *
 * @internal
 */
export function renderScrapeJob(job: FederationJob): PrometheusScrapeJob {
  const a = job.authorization;
  const t = job.tls;
  return {
    job_name: job.jobName,
    scrape_interval: toGoDuration(job.scrapeInterval),
    scrape_timeout: toGoDuration(job.scrapeTimeout),
    honor_labels: true,
    metrics_path: '/federate',
    scheme: job.scheme,
    params: { 'match[]': job.match },
    ...(a ? { authorization: { type: a._type, credentials_file: a._file ?? `${secretMountDir(a._secret!.secretName)}/${a._secret!.key}` } } : {}),
    ...(t ? {
      tls_config: {
        ...(t._ca ? { ca_file: t._ca.path } : {}),
        ...(t._cert ? { cert_file: t._cert.path } : {}),
        ...(t._key ? { key_file: t._key.path } : {}),
        ...(t._serverName ? { server_name: t._serverName } : {}),
        ...(t._insecureSkipVerify ? { insecure_skip_verify: true as const } : {}),
      },
    } : {}),
    ...(job.dropLabels.length > 0 ? { metric_relabel_configs: [{ action: 'labeldrop' as const, regex: job.dropLabels.join('|') }] } : {}),
    static_configs: staticConfigs(job),
  };
}

/** @internal Names of the Secrets the job reads (credentials and TLS), each once. */
export function secretNames(job: FederationJob): string[] {
  const names = [
    ...(job.authorization?._secret ? [job.authorization._secret.secretName] : []),
    ...(job.tls?._secretNames ?? []),
  ];
  return [...new Set(names)];
}

/**
 * YAML for a Go program (Prometheus, Helm). Written as YAML 1.1, which is how go-yaml v2 (Prometheus's config loader,
 * Helm's values) reads it: strings such as `y`, `on` or `no` are quoted, where YAML 1.2 output would leave them plain
 * and Go would read a boolean.
 *
 * @internal
 */
export function goYaml(value: unknown): string {
  return YAML.stringify(value, { lineWidth: 0, version: '1.1' });
}
