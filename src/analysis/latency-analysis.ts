import { Construct } from 'constructs';
import { metricPropsOf } from './input-shapes';
import { PrometheusAnalysis, PrometheusAnalysisOptions } from './prometheus-analysis';
import { LatencyMetricOptions, PrometheusMetric } from './prometheus-metric';

/**
 * Props of a `LatencyAnalysis`.
 */
export interface LatencyAnalysisProps extends PrometheusAnalysisOptions, LatencyMetricOptions {}

/**
 * An AnalysisTemplate (or ClusterAnalysisTemplate) whose Prometheus metric is a latency quantile of a service from a
 * histogram, passing when it is at most `threshold`:
 * `histogram_quantile(<quantile>, sum by (le) (rate(<histogramMetric>_bucket{<serviceLabel>="{{args.service-name}}"}[<window>])))`.
 */
export class LatencyAnalysis extends PrometheusAnalysis {
  /**
   * The latency metric.
   */
  public readonly latencyMetric: PrometheusMetric;

  constructor(scope: Construct, id: string, props: LatencyAnalysisProps) {
    super(scope, id, props);
    this.latencyMetric = PrometheusMetric.latency(metricPropsOf(props));
    this._addMetric(this.latencyMetric, '');
  }
}
