import * as kplus from 'cdk8s-plus-28';
import type { BlueGreenRolloutProps } from './blue-green-rollout';
import type { BlueGreenServicesOptions } from './blue-green-services';
import type { BackgroundAnalysisOptions, CanaryRolloutProps } from './canary-rollout';
import type { CanaryServicesOptions } from './canary-services';
import type { CanaryAnalysisOptions, HeaderRouteMatch, MirrorRouteMatch, SetCanaryScaleOptions, SetHeaderRouteOptions, SetMirrorRouteOptions } from './canary-step';
import type { EphemeralPodMetadata, ProgressiveRolloutProps } from './progressive-rollout';
import { WorkloadScaleDown } from './rollout-workload';
import type { RolloutPodTemplateProps, RolloutWorkloadReferenceOptions } from './rollout-workload';
import { ANALYSIS_TEMPLATE } from '../analysis/input-shapes';
import { CONTAINER_PROPS } from '../core/container-shape';
import { instance, mapOf, oneOf, required, StructShape } from '../core/struct-shape';
import type { AlbTrafficRoutingOptions } from './routers/alb';
import type { GatewayApiHttpRouteOptions, GatewayApiRouteRef, GatewayApiTrafficRoutingOptions, GatewayParentRef } from './routers/gateway-api';
import type { IstioDestinationRule, IstioTlsRoute, IstioTrafficRoutingOptions, IstioVirtualServiceOptions, IstioVirtualServiceRoutes } from './routers/istio';
import type { NginxTrafficRoutingOptions } from './routers/nginx';
import type { SmiTrafficRoutingOptions } from './routers/smi';

/*
 * The shapes of the rollout folder's public props/options structs, one `StructShape<T>` per struct (exactly T's keys,
 * checked by the compiler): each constructor and factory taking one checks it in its first line with `checkStruct` or
 * `checkArgs` (src/core/struct-shape.ts) — unknown keys and wrong types from callers without TypeScript become
 * ValidationErrors. test/core/input-structs.test.ts fails when a public input struct has no shape here.
 */

export const CANARY_SERVICES_OPTIONS: StructShape<CanaryServicesOptions> = {
  stableName: 'string',
  canaryName: 'string',
  port: 'number',
  targetPort: 'number',
};

export const CANARY_ANALYSIS_OPTIONS: StructShape<CanaryAnalysisOptions> = {
  templates: required([ANALYSIS_TEMPLATE]),
  args: 'map',
  argsFrom: mapOf(instance('AnalysisArgValue', 'AnalysisArgValue.fieldRef("metadata.labels[\'cluster\']")')),
  dryRunMetrics: ['string'],
  analysisRunLabels: 'map',
  analysisRunAnnotations: 'map',
  expectedDuration: 'duration',
};

export const SET_CANARY_SCALE_OPTIONS: StructShape<SetCanaryScaleOptions> = {
  weight: 'number',
  replicas: 'number',
  matchTrafficWeight: 'boolean',
};

export const HEADER_ROUTE_MATCH: StructShape<HeaderRouteMatch> = {
  headerName: required('string'),
  headerValue: instance('StringMatch', 'StringMatch.exact("GET")'), // missing: the step's own check quotes the controller
};

export const SET_HEADER_ROUTE_OPTIONS: StructShape<SetHeaderRouteOptions> = {
  name: required('string'),
  match: [HEADER_ROUTE_MATCH],
};

export const MIRROR_ROUTE_MATCH: StructShape<MirrorRouteMatch> = {
  method: instance('StringMatch', 'StringMatch.exact("GET")'),
  path: instance('StringMatch', 'StringMatch.exact("GET")'),
  headers: mapOf(instance('StringMatch', 'StringMatch.exact("GET")')),
};

export const SET_MIRROR_ROUTE_OPTIONS: StructShape<SetMirrorRouteOptions> = {
  name: required('string'),
  match: [MIRROR_ROUTE_MATCH],
  percentage: 'number',
};

export const ISTIO_TLS_ROUTE: StructShape<IstioTlsRoute> = {
  port: 'number',
  sniHosts: ['string'],
};

export const ISTIO_VIRTUAL_SERVICE_ROUTES: StructShape<IstioVirtualServiceRoutes> = {
  name: required('string'),
  routes: ['string'],
  tlsRoutes: [ISTIO_TLS_ROUTE],
  tcpRoutePorts: ['number'],
};

export const ISTIO_DESTINATION_RULE: StructShape<IstioDestinationRule> = {
  name: required('string'),
  canarySubsetName: 'string',
  stableSubsetName: 'string',
};

export const ISTIO_VIRTUAL_SERVICE_OPTIONS: StructShape<IstioVirtualServiceOptions> = {
  hosts: required(['string']),
  gateways: ['string'],
  subsetHost: 'string',
  port: 'number',
  metadata: 'metadata',
};

export const ISTIO_TRAFFIC_ROUTING_OPTIONS: StructShape<IstioTrafficRoutingOptions> = {
  virtualService: 'string',
  routes: ['string'],
  tlsRoutes: [ISTIO_TLS_ROUTE],
  tcpRoutePorts: ['number'],
  virtualServices: [ISTIO_VIRTUAL_SERVICE_ROUTES],
  destinationRule: ISTIO_DESTINATION_RULE,
  createVirtualService: ISTIO_VIRTUAL_SERVICE_OPTIONS,
};

export const NGINX_TRAFFIC_ROUTING_OPTIONS: StructShape<NginxTrafficRoutingOptions> = {
  stableIngress: 'string',
  stableIngresses: ['string'],
  annotationPrefix: 'string',
  additionalIngressAnnotations: 'map',
  canaryIngressAnnotations: 'map',
};

export const GATEWAY_API_ROUTE_REF: StructShape<GatewayApiRouteRef> = {
  name: required('string'),
  useHeaderRoutes: 'boolean',
};

export const GATEWAY_PARENT_REF: StructShape<GatewayParentRef> = {
  name: required('string'),
  namespace: 'string',
  sectionName: 'string',
};

export const GATEWAY_API_HTTP_ROUTE_OPTIONS: StructShape<GatewayApiHttpRouteOptions> = {
  parentRefs: required([GATEWAY_PARENT_REF]),
  hostnames: ['string'],
  pathPrefix: 'string',
  port: 'number',
  metadata: 'metadata',
};

export const GATEWAY_API_TRAFFIC_ROUTING_OPTIONS: StructShape<GatewayApiTrafficRoutingOptions> = {
  httpRoute: 'string',
  httpRoutes: [GATEWAY_API_ROUTE_REF],
  grpcRoute: 'string',
  tcpRoute: 'string',
  tlsRoute: 'string',
  namespace: 'string',
  disableInProgressLabel: 'boolean',
  inProgressLabelKey: 'string',
  inProgressLabelValue: 'string',
  createHttpRoute: GATEWAY_API_HTTP_ROUTE_OPTIONS,
};

export const SMI_TRAFFIC_ROUTING_OPTIONS: StructShape<SmiTrafficRoutingOptions> = {
  rootService: 'string',
  trafficSplitName: 'string',
};

export const ALB_TRAFFIC_ROUTING_OPTIONS: StructShape<AlbTrafficRoutingOptions> = {
  ingress: 'string',
  ingresses: ['string'],
  servicePort: required('number'),
  rootService: 'string',
  annotationPrefix: 'string',
  stickiness: 'duration',
};

// BackgroundAnalysisOptions extends CanaryAnalysisOptions with startingStep
export const BACKGROUND_ANALYSIS_OPTIONS: StructShape<BackgroundAnalysisOptions> = {
  startingStep: 'number',
  ...CANARY_ANALYSIS_OPTIONS,
};

export const EPHEMERAL_POD_METADATA: StructShape<EphemeralPodMetadata> = {
  labels: 'map',
  annotations: 'map',
};

export const CANARY_ROLLOUT_PROPS: StructShape<CanaryRolloutProps> = {
  metadata: 'metadata',
  workload: required(instance('RolloutWorkload', 'RolloutWorkload.fromDeployment(deployment)')),
  replicas: 'number',
  steps: [instance('CanaryStep', 'CanaryStep.setWeight(20)')],
  trafficRouting: instance('TrafficRouting', 'TrafficRouting.istio({ virtualService: "web", routes: ["primary"] })'),
  services: instance('CanaryServices', 'CanaryServices.create()'),
  managedRoutes: ['string'],
  maxTrafficWeight: 'number',
  backgroundAnalysis: BACKGROUND_ANALYSIS_OPTIONS,
  maxSurge: instance('PercentOrAbsolute', 'PercentOrAbsolute.percent(25)'),
  maxUnavailable: instance('PercentOrAbsolute', 'PercentOrAbsolute.percent(25)'),
  dynamicStableScale: 'boolean',
  scaleDownDelay: 'duration',
  abortScaleDownDelay: 'duration',
  minPodsPerReplicaSet: 'number',
  antiAffinity: instance('CanaryAntiAffinity', 'CanaryAntiAffinity.preferred(50)'),
  canaryMetadata: EPHEMERAL_POD_METADATA,
  stableMetadata: EPHEMERAL_POD_METADATA,
  progressDeadline: 'duration',
  progressDeadlineAbort: 'boolean',
  minReady: 'duration',
  revisionHistoryLimit: 'number',
};

/** The props every Rollout takes (spread into each strategy's props shape). */
const PROGRESSIVE_ROLLOUT_PROPS: StructShape<ProgressiveRolloutProps> = {
  metadata: 'metadata',
  workload: required(instance('RolloutWorkload', 'RolloutWorkload.fromDeployment(deployment)')),
  replicas: 'number',
  antiAffinity: instance('CanaryAntiAffinity', 'CanaryAntiAffinity.preferred(50)'),
  progressDeadline: 'duration',
  progressDeadlineAbort: 'boolean',
  minReady: 'duration',
  revisionHistoryLimit: 'number',
};

export const BLUE_GREEN_SERVICES_OPTIONS: StructShape<BlueGreenServicesOptions> = {
  activeName: 'string',
  previewName: 'string',
  preview: 'boolean',
  port: 'number',
  targetPort: 'number',
};

export const BLUE_GREEN_ROLLOUT_PROPS: StructShape<BlueGreenRolloutProps> = {
  ...PROGRESSIVE_ROLLOUT_PROPS,
  services: instance('BlueGreenServices', 'BlueGreenServices.create()'),
  promotion: instance('BlueGreenPromotion', 'BlueGreenPromotion.manual()'),
  previewReplicaCount: 'number',
  scaleDownDelay: 'duration',
  scaleDownDelayRevisionLimit: 'number',
  abortScaleDownDelay: 'duration',
  prePromotionAnalysis: CANARY_ANALYSIS_OPTIONS,
  postPromotionAnalysis: CANARY_ANALYSIS_OPTIONS,
  activeMetadata: EPHEMERAL_POD_METADATA,
  previewMetadata: EPHEMERAL_POD_METADATA,
};

export const ROLLOUT_WORKLOAD_REFERENCE_OPTIONS: StructShape<RolloutWorkloadReferenceOptions> = {
  scaleDown: oneOf(() => WorkloadScaleDown),
};

export const ROLLOUT_POD_TEMPLATE_PROPS: StructShape<RolloutPodTemplateProps> = {
  selectorLabels: 'map',
  podMetadata: 'metadata',
  containers: [CONTAINER_PROPS],
  initContainers: [CONTAINER_PROPS],
  volumes: [instance('Volume', 'Volume.fromEmptyDir(scope, "cache", "cache")')],
  restartPolicy: oneOf(() => kplus.RestartPolicy),
  serviceAccount: 'any',
  securityContext: 'any',
  hostAliases: ['any'],
  dns: 'any',
  dockerRegistryAuth: 'any',
  automountServiceAccountToken: 'boolean',
  isolate: 'boolean',
  hostNetwork: 'boolean',
  terminationGracePeriod: 'duration',
  metadata: 'metadata',
};
