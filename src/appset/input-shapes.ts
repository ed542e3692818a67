import type {
  ApplicationIgnoreDifferences, ApplicationSourceProps, HelmSourceOptions, KustomizeSourceOptions, MultiClusterAppSetProps, ResourceIgnoreDifferences,
} from './app-set-props';
import type { ClustersGeneratorOptions, GitDirectoriesGeneratorOptions, GitDirectory, GitFilesGeneratorOptions, ListGeneratorOptions } from './generator';
import { instance, required, StructShape } from '../core/struct-shape';

/*
 * The shapes of the appset folder's public props/options structs, one `StructShape<T>` per struct (exactly T's keys,
 * checked by the compiler): each constructor and factory taking one checks it in its first line with `checkStruct` or
 * `checkArgs` (src/core/struct-shape.ts) — unknown keys and wrong types from callers without TypeScript become
 * ValidationErrors. test/core/input-structs.test.ts fails when a public input struct has no shape here.
 */

export const CLUSTERS_GENERATOR_OPTIONS: StructShape<ClustersGeneratorOptions> = {
  selector: instance('ClusterSelector', 'ClusterSelector.matchLabels({ env: "production" })'),
  values: 'map',
};

export const LIST_GENERATOR_OPTIONS: StructShape<ListGeneratorOptions> = {
  elements: required(['object']),
  elementsYaml: 'string',
};

export const GIT_DIRECTORY: StructShape<GitDirectory> = {
  path: required('string'),
  exclude: 'boolean',
};

export const GIT_DIRECTORIES_GENERATOR_OPTIONS: StructShape<GitDirectoriesGeneratorOptions> = {
  directories: required([GIT_DIRECTORY]),
  repoUrl: required('string'),
  revision: 'string',
  pathParamPrefix: 'string',
  values: 'map',
};

export const GIT_FILES_GENERATOR_OPTIONS: StructShape<GitFilesGeneratorOptions> = {
  files: required(['string']),
  repoUrl: required('string'),
  revision: 'string',
  pathParamPrefix: 'string',
  values: 'map',
};

export const HELM_SOURCE_OPTIONS: StructShape<HelmSourceOptions> = {
  valueFiles: ['string'],
  parameters: 'map',
  values: 'string',
  releaseName: 'string',
};

export const KUSTOMIZE_SOURCE_OPTIONS: StructShape<KustomizeSourceOptions> = {
  namePrefix: 'string',
  nameSuffix: 'string',
  images: ['string'],
  commonLabels: 'map',
  commonAnnotations: 'map',
};

export const APPLICATION_SOURCE_PROPS: StructShape<ApplicationSourceProps> = {
  repoUrl: required('string'),
  targetRevision: 'string',
  path: 'string',
  chart: 'string',
  helm: HELM_SOURCE_OPTIONS,
  kustomize: KUSTOMIZE_SOURCE_OPTIONS,
  ref: 'string',
};

export const RESOURCE_IGNORE_DIFFERENCES: StructShape<ResourceIgnoreDifferences> = {
  kind: required('string'),
  group: 'string',
  name: 'string',
  namespace: 'string',
  jsonPointers: ['string'],
  jqPathExpressions: ['string'],
  managedFieldsManagers: ['string'],
};

export const APPLICATION_IGNORE_DIFFERENCES: StructShape<ApplicationIgnoreDifferences> = {
  name: 'string',
  jsonPointers: ['string'],
  jqPathExpressions: ['string'],
};

export const MULTI_CLUSTER_APP_SET_PROPS: StructShape<MultiClusterAppSetProps> = {
  metadata: 'metadata',
  clusters: instance('ClusterSelector', 'ClusterSelector.matchLabels({ env: "production" })'),
  environments: ['string'],
  environmentKey: 'string',
  environmentClusterLabel: 'string',
  generators: [instance('Generator', 'Generator.clusters()')],
  steps: [instance('RollingSyncStep', 'RollingSyncStep.whereIn(), whereNotIn(), matching() or everything()')],
  applicationName: 'string',
  labels: 'map',
  annotations: 'map',
  project: 'string',
  source: APPLICATION_SOURCE_PROPS, // exactly one of source and sources: checked by the construct
  sources: [APPLICATION_SOURCE_PROPS],
  environmentRevisions: 'map',
  frozen: 'boolean',
  ignoreDifferences: [RESOURCE_IGNORE_DIFFERENCES],
  ignoreApplicationDifferences: [APPLICATION_IGNORE_DIFFERENCES],
  templatePatch: 'string',
  destinationNamespace: required('string'),
  destinationServer: 'string',
  destinationName: 'string',
  createNamespace: 'boolean',
  syncOptions: ['string'],
  autoSync: 'boolean',
  prune: 'boolean',
  retryLimit: 'number',
  retryBackoffDuration: 'duration',
  retryBackoffFactor: 'number',
  retryBackoffMaxDuration: 'duration',
  deletionOrder: instance('DeletionOrder', 'DeletionOrder.REVERSE'),
  applicationsSync: instance('ApplicationsSyncPolicy', 'ApplicationsSyncPolicy.CREATE_ONLY'),
  preserveResourcesOnDeletion: 'boolean',
  goTemplate: 'boolean',
  goTemplateOptions: ['string'],
  fleet: instance('Fleet', 'new Fleet({ clusters: [...] })'),
  allowUnmatchedApplications: 'boolean',
  allowOverlappingSteps: 'boolean',
};
