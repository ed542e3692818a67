import { Construct } from 'constructs';
import { metricPropsOf } from './input-shapes';
import { PrometheusAnalysis, PrometheusAnalysisOptions } from './prometheus-analysis';
import { PrometheusMetric, SuccessRateMetricOptions } from './prometheus-metric';

/**
 * Props of a `SuccessRateAnalysis`.
 */
export interface SuccessRateAnalysisProps extends PrometheusAnalysisOptions, SuccessRateMetricOptions {}

/**
 * An AnalysisTemplate (or ClusterAnalysisTemplate) whose Prometheus metric is a service's success rate: the ratio of
 * non-error to all requests over a window, passing at `threshold` or above.
 *
 * The query is
 * `(sum(rate(<requestMetric>{<serviceLabel>="{{args.service-name}}",<statusLabel>!~"<errorStatusPattern>"}[<window>]))
 * or vector(0)) / sum(rate(<requestMetric>{<serviceLabel>="{{args.service-name}}"}[<window>]))`, with
 * `<clusterLabel>="{{args.cluster}}"` added to both selectors in per-cluster mode. A service that only returns
 * errors measures 0 (the `or vector(0)`), a service without request series gives an empty result and one without
 * requests in the window gives NaN; the empty-result and NaN policies are rendered into `successCondition` and
 * `failureCondition`. More metrics (e.g. a latency metric) can be added with `addMetric`.
 *
 * @example
 * const successRate = new SuccessRateAnalysis(chart, 'success-rate', {
 *   prometheus: PrometheusServer.fromAddress('http://prometheus.monitoring.svc.cluster.local:9090'),
 *   threshold: 0.95, interval: Duration.minutes(1), window: Duration.minutes(2), failureLimit: 3,
 * });
 * successRate.requiredArgs; // ['service-name']
 */
export class SuccessRateAnalysis extends PrometheusAnalysis {
  /**
   * The success-rate metric.
   */
  public readonly successRateMetric: PrometheusMetric;

  constructor(scope: Construct, id: string, props: SuccessRateAnalysisProps) {
    super(scope, id, props);
    this.successRateMetric = PrometheusMetric.successRate(metricPropsOf(props));
    this._addMetric(this.successRateMetric, '');
  }
}
