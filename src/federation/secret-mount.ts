/** @internal A key of a Secret the federation job reads. */
export interface SecretFileRef {
  readonly secretName: string;
  readonly key: string;
}

/** @internal One TLS file: its path in the Prometheus container, and the Secret key it comes from (if any). */
export interface TlsFile {
  readonly path: string;
  readonly secret?: SecretFileRef;
}

/**
 * Where a Secret referenced by the federation job is mounted in the Prometheus container: the directory the
 * prometheus-operator uses for `Prometheus.spec.secrets` (kube-prometheus-stack `prometheusSpec.secrets`), and the
 * one this library mounts with the `prometheus` chart's `server.extraSecretMounts`.
 *
 * @internal
 */
export function secretMountDir(secretName: string): string {
  return `/etc/prometheus/secrets/${secretName}`;
}
