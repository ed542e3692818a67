import type { AnalysisArgument, QueriedSeries } from './analysis-template';
import type { AnalysisTemplateOptions, MeasurementRetention } from './analysis-template-base';
import type { AnalysisTemplateRefOptions } from './analysis-template-ref';
import type { JobAnalysisProps } from './job-analysis';
import type { LatencyAnalysisProps } from './latency-analysis';
import type { CustomConditionOptions, NoDataOptions } from './metric-condition';
import { NoDataPolicy } from './metric-condition';
import type { MetricOptions } from './metric-options';
import type { PrometheusAnalysisProps } from './prometheus-analysis';
import { HistogramUnit } from './prometheus-metric';
import type { LatencyMetricOptions, PrometheusQueryMetricProps, SuccessRateMetricOptions } from './prometheus-metric';
import type { PrometheusOAuth2Options, PrometheusSecretHeaderOptions, PrometheusServerOptions, PrometheusSigV4Options } from './prometheus-server';
import type { SuccessRateAnalysisProps } from './success-rate-analysis';
import type { SecretKeyReference } from './template-argument';
import type { WebAnalysisProps, WebOAuth2Options, WebSecretHeaderOptions } from './web-analysis';
import { CONTAINER_PROPS } from '../core/container-shape';
import { instance, isInstanceNamed, oneOf, required, Shape, StructShape } from '../core/struct-shape';

/*
 * The shapes of the analysis folder's public props/options structs, one `StructShape<T>` per struct (exactly T's keys,
 * checked by the compiler): each constructor and factory taking one checks it in its first line with `checkStruct` or
 * `checkArgs` (src/core/struct-shape.ts) — unknown keys and wrong types from callers without TypeScript become
 * ValidationErrors. test/core/input-structs.test.ts fails when a public input struct has no shape here.
 */

/**
 * @internal An IAnalysisTemplate: an analysis construct of this library (by class, without reading its getters:
 * `queriedSeries` parses every query), or a reference or another object by its fields.
 */
export const ANALYSIS_TEMPLATE = instance('IAnalysisTemplate', 'a SuccessRateAnalysis or AnalysisTemplateRef.fromName("my-template")',
  (v: any) => isInstanceNamed(v, 'AnalysisTemplateBase') || (
    v !== null && typeof v === 'object' && typeof v.templateName === 'string' && typeof v.clusterScope === 'boolean'
    && Array.isArray(v.declaredArgs) && Array.isArray(v.requiredArgs) && Array.isArray(v.metricNames) && Array.isArray(v.queriedSeries)));

export const NO_DATA_OPTIONS: StructShape<NoDataOptions> = {
  onEmptyResult: oneOf(() => NoDataPolicy),
  onNaN: oneOf(() => NoDataPolicy),
};

export const CUSTOM_CONDITION_OPTIONS: StructShape<CustomConditionOptions> = {
  successCondition: 'string',
  failureCondition: 'string',
};

export const SECRET_KEY_REFERENCE: StructShape<SecretKeyReference> = {
  secretName: required('string'),
  key: required('string'),
};

export const ANALYSIS_ARGUMENT: StructShape<AnalysisArgument> = {
  name: required('string'),
  defaultValue: 'string',
  fromSecret: 'boolean',
};

export const QUERIED_SERIES: StructShape<QueriedSeries> = {
  metricName: required('string'),
  labelNames: required(['string']),
};

export const ANALYSIS_TEMPLATE_REF_OPTIONS: StructShape<AnalysisTemplateRefOptions> = {
  clusterScope: 'boolean',
  args: [ANALYSIS_ARGUMENT],
  metricNames: ['string'],
  queriedSeries: [QUERIED_SERIES],
  perClusterLabel: 'string',
};

export const MEASUREMENT_RETENTION: StructShape<MeasurementRetention> = {
  metricName: required('string'),
  limit: required('number'),
};

/** The options every analysis template takes (spread into each construct's props shape). */
const ANALYSIS_TEMPLATE_OPTIONS: StructShape<AnalysisTemplateOptions> = {
  clusterScope: 'boolean',
  metadata: 'metadata',
  args: [instance('TemplateArgument', 'TemplateArgument.required("service-name")')],
  dryRunMetrics: ['string'],
  measurementRetention: [MEASUREMENT_RETENTION],
};

/** The measurement options of a metric (spread into the shapes of the structs that extend MetricOptions). */
const METRIC_OPTIONS: StructShape<MetricOptions> = {
  interval: 'duration',
  count: 'number',
  initialDelay: 'duration',
  failureLimit: 'number',
  inconclusiveLimit: 'number',
  consecutiveErrorLimit: 'number',
  consecutiveSuccessLimit: 'number',
};

const PROMETHEUS = required(instance('PrometheusServer', 'PrometheusServer.fromAddress("http://prometheus:9090")'));

export const PROMETHEUS_QUERY_METRIC_PROPS: StructShape<PrometheusQueryMetricProps> = {
  metricName: required('string'),
  query: required('string'),
  condition: required(instance('MetricCondition', 'MetricCondition.atMost(0.01)')),
  ...METRIC_OPTIONS,
};

/** How the built-in metrics select and judge their series (shared by the success-rate and latency options). */
const SERIES_OPTIONS: StructShape<Pick<SuccessRateMetricOptions, 'serviceLabel' | 'serviceArgName' | 'serviceName' | 'clusterLabel'
| 'clusterArgName' | 'window' | 'onEmptyResult' | 'onNaN'>> = {
  serviceLabel: 'string',
  serviceArgName: 'string',
  serviceName: 'string',
  clusterLabel: 'string',
  clusterArgName: 'string',
  window: 'duration',
  onEmptyResult: oneOf(() => NoDataPolicy),
  onNaN: oneOf(() => NoDataPolicy),
};

export const SUCCESS_RATE_METRIC_OPTIONS: StructShape<SuccessRateMetricOptions> = {
  threshold: required('number'),
  metricName: 'string',
  requestMetric: 'string',
  statusLabel: 'string',
  errorStatusPattern: 'string',
  ...METRIC_OPTIONS,
  ...SERIES_OPTIONS,
};

export const LATENCY_METRIC_OPTIONS: StructShape<LatencyMetricOptions> = {
  threshold: required('duration'),
  quantile: 'number',
  histogramMetric: 'string',
  histogramUnit: oneOf(() => HistogramUnit),
  metricName: 'string',
  ...METRIC_OPTIONS,
  ...SERIES_OPTIONS,
};

export const LATENCY_ANALYSIS_PROPS: StructShape<LatencyAnalysisProps> = {
  prometheus: PROMETHEUS,
  ...ANALYSIS_TEMPLATE_OPTIONS,
  ...LATENCY_METRIC_OPTIONS,
};

export const SUCCESS_RATE_ANALYSIS_PROPS: StructShape<SuccessRateAnalysisProps> = {
  prometheus: PROMETHEUS,
  ...ANALYSIS_TEMPLATE_OPTIONS,
  ...SUCCESS_RATE_METRIC_OPTIONS,
};

export const PROMETHEUS_ANALYSIS_PROPS: StructShape<PrometheusAnalysisProps> = {
  metrics: [instance('PrometheusMetric', 'PrometheusMetric.successRate({ threshold: 0.95 })')],
  prometheus: PROMETHEUS,
  ...ANALYSIS_TEMPLATE_OPTIONS,
};

export const PROMETHEUS_SECRET_HEADER_OPTIONS: StructShape<PrometheusSecretHeaderOptions> = {
  prefix: 'string',
  argName: 'string',
};

export const PROMETHEUS_SIG_V4_OPTIONS: StructShape<PrometheusSigV4Options> = {
  region: 'string',
  profile: 'string',
  roleArn: 'string',
};

export const PROMETHEUS_OAUTH2_OPTIONS: StructShape<PrometheusOAuth2Options> = {
  tokenUrl: required('string'),
  clientId: required('string'),
  clientSecret: required(SECRET_KEY_REFERENCE),
  scopes: ['string'],
  clientSecretArgName: 'string',
};

export const PROMETHEUS_SERVER_OPTIONS: StructShape<PrometheusServerOptions> = {
  timeout: 'duration',
  insecure: 'boolean',
  headers: [instance('PrometheusHeader', 'PrometheusHeader.fromValue("X-Scope-OrgID", "tenant")')],
  authentication: instance('PrometheusAuthentication', 'PrometheusAuthentication.sigv4({ region: "eu-west-1" })'),
};

export const WEB_SECRET_HEADER_OPTIONS: StructShape<WebSecretHeaderOptions> = {
  prefix: 'string',
  argName: 'string',
};

export const WEB_OAUTH2_OPTIONS: StructShape<WebOAuth2Options> = {
  tokenUrl: required('string'),
  clientId: required('string'),
  clientSecret: required(SECRET_KEY_REFERENCE),
  scopes: ['string'],
  clientSecretArgName: 'string',
};

export const WEB_ANALYSIS_PROPS: StructShape<WebAnalysisProps> = {
  ...ANALYSIS_TEMPLATE_OPTIONS,
  ...METRIC_OPTIONS,
  url: required('string'),
  metricName: 'string',
  method: 'string', // its value is checked by the construct, quoting the CRD's enum
  headers: [instance('WebHeader', 'WebHeader.fromValue("Content-Type", "application/json")')],
  body: 'string',
  jsonBody: 'string',
  timeout: 'duration',
  jsonPath: 'string',
  insecure: 'boolean',
  authentication: instance('WebAuthentication', 'WebAuthentication.oauth2({ tokenUrl, clientId, clientSecret })'),
  successCondition: 'string',
  failureCondition: 'string',
};

export const JOB_ANALYSIS_PROPS: StructShape<JobAnalysisProps> = {
  ...ANALYSIS_TEMPLATE_OPTIONS,
  ...METRIC_OPTIONS,
  job: instance('Job', 'new kplus.Job(chart, "smoke", { containers: [{ image: "curlimages/curl" }] })'),
  containers: [CONTAINER_PROPS],
  metricName: 'string',
  backoffLimit: 'number',
  activeDeadline: 'duration',
};

/**
 * The props of an analysis construct without the template's own options: what its metric factory takes.
 *
 * @internal
 */
export function metricPropsOf<T extends object>(props: T): T {
  const { prometheus: _p, clusterScope: _c, metadata: _m, args: _a, dryRunMetrics: _d, measurementRetention: _r, ...rest } = props as any;
  return rest;
}

/**
 * The shape of an analysis construct's props by its class (a subclass passes its own props to PrometheusAnalysis);
 * an unknown subclass's props are only checked by the subclass.
 *
 * @internal
 */
export function analysisPropsShape(className: string): Shape {
  switch (className) {
    case 'PrometheusAnalysis': return required(PROMETHEUS_ANALYSIS_PROPS);
    case 'SuccessRateAnalysis': return required(SUCCESS_RATE_ANALYSIS_PROPS);
    case 'LatencyAnalysis': return required(LATENCY_ANALYSIS_PROPS);
    case 'WebAnalysis': return required(WEB_ANALYSIS_PROPS);
    case 'JobAnalysis': return required(JOB_ANALYSIS_PROPS);
    default: return required('object');
  }
}
