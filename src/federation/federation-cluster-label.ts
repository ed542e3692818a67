import { checkPrometheusLabelName } from '../core/names';
import { propError } from '../core/problem';
import { checkArgs } from '../core/struct-shape';

/**
 * Where the label that says which fleet cluster a federated series comes from is set.
 *
 * The federation job always scrapes with `honor_labels: true` (without it the workload's `job`/`instance` become
 * `exported_job`/`exported_instance` and every analysis query on `job="…"` returns nothing). That decides the
 * precedence, measured on real Prometheus servers:
 *
 * 1. a label the workload Prometheus attaches to the federated series — its `global.external_labels` — wins;
 * 2. the federation target's label (`static_configs[].labels`) applies only when the series has no such label.
 *
 * So `targetLabel()` is a fallback that is silently ignored for a workload whose Prometheus already sets the label
 * (e.g. to another spelling of the cluster name), and `workloadExternalLabel()` is right when you own the workload
 * Prometheus configuration (render it with `FederatedPrometheus.workloadExternalLabels(cluster)`). Either way, a
 * per-cluster analysis query must filter on the label (`cluster="…"`): all clusters' series land in one Prometheus.
 */
export class FederationClusterLabel {
  /**
   * The management side labels every target with its fleet cluster name (`static_configs[].labels`). Applies to
   * series that carry no label of that name; a workload Prometheus's external label of the same name wins.
   *
   * @param labelName the label name, default "cluster"
   */
  public static targetLabel(labelName?: string): FederationClusterLabel {
    checkArgs('FederationClusterLabel.targetLabel', { labelName: [labelName, 'string'] });
    return new FederationClusterLabel(FederationClusterLabel.check('FederationClusterLabel.targetLabel', labelName ?? 'cluster'), true);
  }

  /**
   * Each workload Prometheus sets `global.external_labels: {<labelName>: <fleet cluster name>}` itself (Helm:
   * `server.global.external_labels` of the `prometheus` chart, `prometheus.prometheusSpec.externalLabels` of
   * kube-prometheus-stack); `/federate` attaches it to every series. The federation job still labels its targets with
   * the same name and value, as a fallback that only applies to a workload whose Prometheus lacks the external label
   * (with `honor_labels: true` it never overrides one), so series of different clusters never merge.
   * Use `FederatedPrometheus.workloadExternalLabels(cluster)` to render each workload's value.
   *
   * @param labelName the label name, default "cluster"
   */
  public static workloadExternalLabel(labelName?: string): FederationClusterLabel {
    checkArgs('FederationClusterLabel.workloadExternalLabel', { labelName: [labelName, 'string'] });
    return new FederationClusterLabel(FederationClusterLabel.check('FederationClusterLabel.workloadExternalLabel', labelName ?? 'cluster'), false);
  }

  private static check(where: string, name: string): string {
    const problem = checkPrometheusLabelName(name);
    if (problem) {
      throw propError(where, { prop: 'labelName', given: JSON.stringify(name), expected: problem, fix: 'use e.g. "cluster"' });
    }
    return name;
  }

  /**
   * The label name.
   */
  public readonly labelName: string;

  /**
   * Whether the target labels are the primary source of the label (`targetLabel()`), rather than the workload
   * Prometheus servers' external labels (`workloadExternalLabel()`, where the target labels are only a fallback).
   */
  public readonly onTargets: boolean;

  private constructor(labelName: string, onTargets: boolean) {
    this.labelName = labelName;
    this.onTargets = onTargets;
  }
}
