import type { FederatedPrometheusProps } from './federated-prometheus';
import type { FederationSecretAuthorizationProps, FederationTlsFilesProps, FederationTlsSecretProps } from './federation-auth';
import { FederationScheme } from './federation-job';
import type { FederationConfigMapOptions, FederationScrapeConfigOptions, FederationValuesOptions } from './federation-output';
import { ANALYSIS_TEMPLATE } from '../analysis/input-shapes';
import { instance, oneOf, required, StructShape } from '../core/struct-shape';

/*
 * The shapes of the federation folder's public props/options structs, one `StructShape<T>` per struct (exactly T's keys,
 * checked by the compiler): each constructor and factory taking one checks it in its first line with `checkStruct` or
 * `checkArgs` (src/core/struct-shape.ts) — unknown keys and wrong types from callers without TypeScript become
 * ValidationErrors. test/core/input-structs.test.ts fails when a public input struct has no shape here.
 */

export const FEDERATED_PROMETHEUS_PROPS: StructShape<FederatedPrometheusProps> = {
  fleet: required(instance('Fleet', 'new Fleet({ clusters: [...] })')),
  match: ['string'],
  analyses: [ANALYSIS_TEMPLATE],
  autoAddAnalysisSeries: 'boolean',
  output: instance('FederationOutput', 'FederationOutput.configMap()'),
  jobName: 'string',
  scrapeInterval: 'duration',
  scrapeTimeout: 'duration',
  scheme: oneOf(() => FederationScheme),
  tls: instance('FederationTls', 'FederationTls.fromSecret({ secretName: "federation-tls" })'),
  authorization: instance('FederationAuthorization', 'FederationAuthorization.fromSecret({ secretName: "federation", key: "token" })'),
  clusterLabel: instance('FederationClusterLabel', 'FederationClusterLabel.targetLabel()'),
  skipClustersWithoutMetricsEndpoint: 'boolean',
  dropLabels: ['string'],
  allowFleetWideAnalyses: 'boolean',
};

export const FEDERATION_SECRET_AUTHORIZATION_PROPS: StructShape<FederationSecretAuthorizationProps> = {
  secretName: required('string'),
  key: required('string'),
  type: 'string',
};

export const FEDERATION_TLS_FILES_PROPS: StructShape<FederationTlsFilesProps> = {
  caFile: 'string',
  certFile: 'string',
  keyFile: 'string',
  serverName: 'string',
  insecureSkipVerify: 'boolean',
};

export const FEDERATION_TLS_SECRET_PROPS: StructShape<FederationTlsSecretProps> = {
  secretName: required('string'),
  caKey: 'string',
  certKey: 'string',
  keyKey: 'string',
  serverName: 'string',
  insecureSkipVerify: 'boolean',
};

export const FEDERATION_CONFIG_MAP_OPTIONS: StructShape<FederationConfigMapOptions> = {
  metadata: 'metadata',
  key: 'string',
  externalLabels: 'map',
  evaluationInterval: 'duration',
};

export const FEDERATION_VALUES_OPTIONS: StructShape<FederationValuesOptions> = {
  metadata: 'metadata',
  key: 'string',
};

export const FEDERATION_SCRAPE_CONFIG_OPTIONS: StructShape<FederationScrapeConfigOptions> = {
  metadata: 'metadata',
};
