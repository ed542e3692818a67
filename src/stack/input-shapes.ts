import { YamlOutputType } from 'cdk8s';
import type { ProgressiveDeliveryStackProps } from './progressive-delivery-stack';
import type { RolloutsHelmChartOptions } from './rollouts-bootstrap';
import { APPLICATION_IGNORE_DIFFERENCES, RESOURCE_IGNORE_DIFFERENCES } from '../appset/input-shapes';
import { instance, oneOf, required, StructShape } from '../core/struct-shape';

/*
 * The shapes of the stack folder's public props/options structs, one `StructShape<T>` per struct (exactly T's keys,
 * checked by the compiler): each constructor and factory taking one checks it in its first line with `checkStruct` or
 * `checkArgs` (src/core/struct-shape.ts) — unknown keys and wrong types from callers without TypeScript become
 * ValidationErrors. test/core/input-structs.test.ts fails when a public input struct has no shape here.
 */

export const PROGRESSIVE_DELIVERY_STACK_PROPS: StructShape<ProgressiveDeliveryStackProps> = {
  serviceName: required('string'),
  repoUrl: required('string'),
  targetRevision: 'string',
  fleet: required(instance('Fleet', 'new Fleet({ clusters: [...] })')),
  clusters: instance('ClusterSelector', 'ClusterSelector.matchLabels({ env: "production" })'),
  environments: required(['string']),
  environmentClusterLabel: 'string',
  waves: required([instance('RollingSyncStep', 'RollingSyncStep.whereIn(), whereNotIn(), matching() or everything()')]),
  applicationLabels: 'map',
  namespace: 'string',
  argocdNamespace: 'string',
  project: 'string',
  bootstrap: instance('RolloutsBootstrap', 'RolloutsBootstrap.helmChart()'),
  preinstalledTemplates: ['string'],
  podStartup: 'duration',
  prune: 'boolean',
  frozen: 'boolean',
  environmentRevisions: 'map',
  ignoreDifferences: [RESOURCE_IGNORE_DIFFERENCES],
  ignoreApplicationDifferences: [APPLICATION_IGNORE_DIFFERENCES],
  templatePatch: 'string',
  outdir: 'string',
  outputFileExtension: 'string',
  yamlOutputType: oneOf(() => YamlOutputType),
  recordConstructMetadata: 'boolean',
  resolvers: ['any'],
};

export const ROLLOUTS_HELM_CHART_OPTIONS: StructShape<RolloutsHelmChartOptions> = {
  chartVersion: 'string',
  namespace: 'string',
  gatewayApiPlugin: 'boolean',
  gatewayApiPluginLocation: 'string',
};
