import { AnalysisArgument, IAnalysisTemplate, QueriedSeries } from './analysis-template';
import { ANALYSIS_TEMPLATE_REF_OPTIONS } from './input-shapes';
import { checkDns1123Subdomain, checkPrometheusLabelName } from '../core/names';
import { propError, show } from '../core/problem';
import { checkStruct } from '../core/struct-shape';

/**
 * What is known about a template that lives elsewhere (applied by another tool or another chart).
 */
export interface AnalysisTemplateRefOptions {
  /**
   * Whether it is a ClusterAnalysisTemplate.
   *
   * @default false
   */
  readonly clusterScope?: boolean;

  /**
   * The args it declares, so the Rollout side can check what it passes.
   *
   * @default - none
   */
  readonly args?: AnalysisArgument[];

  /**
   * Its metric names (`spec.metrics[].name`), so duplicates across merged templates are caught.
   *
   * @default - none known
   */
  readonly metricNames?: string[];

  /**
   * The Prometheus series its queries read, so a federation can carry them.
   *
   * @default - none known
   */
  readonly queriedSeries?: QueriedSeries[];

  /**
   * Per-cluster mode: the label its queries filter on to judge one cluster, so a federation can be checked to set it.
   *
   * @default - not per-cluster, or unknown: not checked
   */
  readonly perClusterLabel?: string;
}

/**
 * A reference to an existing AnalysisTemplate or ClusterAnalysisTemplate, described well enough for synth-time checks.
 */
export class AnalysisTemplateRef implements IAnalysisTemplate {
  /**
   * References a template by `metadata.name`.
   *
   * @throws if the name is not a DNS-1123 subdomain, or an arg or metric name is invalid or listed twice
   */
  public static fromName(name: string, options: AnalysisTemplateRefOptions = {}): IAnalysisTemplate {
    checkStruct('AnalysisTemplateRef.fromName', 'options', options, ANALYSIS_TEMPLATE_REF_OPTIONS);
    return new AnalysisTemplateRef(name, options);
  }

  public readonly templateName: string;
  public readonly clusterScope: boolean;
  public readonly declaredArgs: AnalysisArgument[];
  public readonly requiredArgs: string[];
  public readonly metricNames: string[];
  public readonly queriedSeries: QueriedSeries[];
  public readonly perClusterLabel: string | undefined;

  private constructor(name: string, options: AnalysisTemplateRefOptions) {
    const where = 'AnalysisTemplateRef.fromName';
    const p = checkDns1123Subdomain(name);
    if (p) throw propError(where, { prop: 'name', given: show(name), expected: p, fix: 'give the template\'s metadata.name' });
    const args = options.args ?? [];
    args.forEach((a, i) => {
      if (!/^[A-Za-z0-9_.-]+$/.test(a.name)) {
        throw propError(where, { prop: `args[${i}].name`, given: show(a.name), expected: 'letters, digits, "_", "." or "-"', fix: 'copy the arg name from the template' });
      }
      if (args.findIndex(o => o.name === a.name) !== i) {
        throw propError(where, { prop: `args[${i}].name`, given: show(a.name), expected: 'each arg once', fix: 'drop the duplicate' });
      }
      if (a.defaultValue !== undefined && a.fromSecret) {
        throw propError(where, {
          prop: `args[${i}]`,
          given: 'both defaultValue and fromSecret',
          expected: 'at most one (the controller rejects "both Value and ValueFrom")',
          fix: 'keep the one the template declares',
        });
      }
    });
    const metricNames = options.metricNames ?? [];
    metricNames.forEach((m, i) => {
      if (m.length === 0 || metricNames.indexOf(m) !== i) {
        throw propError(where, { prop: `metricNames[${i}]`, given: show(m), expected: 'non-empty, unique metric names', fix: 'copy spec.metrics[].name' });
      }
    });
    if (options.perClusterLabel !== undefined) {
      const problem = checkPrometheusLabelName(options.perClusterLabel);
      if (problem) throw propError(where, { prop: 'perClusterLabel', given: show(options.perClusterLabel), expected: problem, fix: 'give the label the template filters clusters on, e.g. "cluster"' });
    }
    this.perClusterLabel = options.perClusterLabel;
    this.templateName = name;
    this.clusterScope = options.clusterScope ?? false;
    this.declaredArgs = args.map(a => ({ ...a }));
    this.requiredArgs = args.filter(a => a.defaultValue === undefined && !a.fromSecret).map(a => a.name);
    this.metricNames = [...metricNames];
    this.queriedSeries = (options.queriedSeries ?? []).map(s => ({ metricName: s.metricName, labelNames: [...s.labelNames] }));
  }
}
