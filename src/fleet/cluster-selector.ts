import { optionalStringMap, requireArray, requireInstance } from '../core/input-types';
import { checkLabelKey, checkLabelValue } from '../core/names';
import { Problem, show } from '../core/problem';
import { LabelExpression } from '../rolling-sync/label-expression';

/**
 * Which Argo CD cluster Secrets a clusters generator selects (a Kubernetes label selector, ANDed by Argo CD with
 * `argocd.argoproj.io/secret-type=cluster`).
 *
 * Any non-empty selector excludes the local `in-cluster` cluster, which has no Secret.
 */
export class ClusterSelector {
  /**
   * Clusters whose Secret has all these labels.
   *
   * @param labels label key/values that must all match
   */
  public static matchLabels(labels: { [key: string]: string }): ClusterSelector {
    return new ClusterSelector(labels, []);
  }

  /**
   * Clusters whose Secret labels satisfy every expression.
   *
   * @param expressions `In`, `NotIn`, `Exists`, `DoesNotExist` expressions
   */
  public static matchExpressions(expressions: LabelExpression[]): ClusterSelector {
    return new ClusterSelector({}, expressions);
  }

  /**
   * Both `matchLabels` and `matchExpressions` (ANDed).
   *
   * @param labels label key/values that must all match
   * @param expressions further expressions
   */
  public static of(labels: { [key: string]: string }, expressions: LabelExpression[]): ClusterSelector {
    return new ClusterSelector(labels, expressions);
  }

  /**
   * Every registered cluster, including the local `in-cluster` (`https://kubernetes.default.svc`) unless a Secret
   * already registers that server. Renders as `clusters: {}`.
   */
  public static all(): ClusterSelector {
    return new ClusterSelector({}, []);
  }

  /** The `matchLabels`. */
  public readonly labels: { [key: string]: string };
  /** The `matchExpressions`. */
  public readonly expressions: LabelExpression[];

  private constructor(labels: { [key: string]: string }, expressions: LabelExpression[]) {
    optionalStringMap('ClusterSelector', 'labels', labels);
    requireArray('ClusterSelector', 'expressions', expressions, (e, prop) => requireInstance('ClusterSelector', prop, e, 'LabelExpression',
      (v: any) => typeof v._matchesSelector === 'function', 'use LabelExpression.valueIn(), valueNotIn(), exists() or doesNotExist()'));
    this.labels = { ...labels };
    this.expressions = [...expressions];
  }

  /** True when the selector selects everything (`all()`). */
  public get isEmpty(): boolean {
    return Object.keys(this.labels).length === 0 && this.expressions.length === 0;
  }

  /**
   * Whether a cluster Secret with these labels is selected.
   *
   * @param labels the cluster Secret's labels
   */
  public matches(labels: { [key: string]: string }): boolean {
    for (const [k, v] of Object.entries(this.labels)) {
      if (labels[k] !== v) return false;
    }
    return this.expressions.every(e => e._matchesSelector(labels));
  }

  /** @internal */
  public _problems(prop: string, templated = false): Problem[] {
    const problems: Problem[] = [];
    for (const [k, v] of Object.entries(this.labels)) {
      // a value may reference the first matrix child's params (rendered before the selector is parsed)
      const problem = checkLabelKey(k) ?? (templated && v.includes('{{') ? undefined : checkLabelValue(v));
      if (problem) {
        problems.push({ prop: `${prop}.matchLabels`, given: `${show(k)}: ${show(v)}`, expected: problem, fix: 'use the labels of the Argo CD cluster Secrets' });
      }
    }
    this.expressions.forEach((e, i) => {
      problems.push(...e._selectorProblems(`${prop}.matchExpressions[${i}]`));
      // the generator parses the selector with apimachinery, which rejects a value that is not a label value
      e.values.forEach((v, j) => {
        const problem = templated && v.includes('{{') ? undefined : checkLabelValue(v);
        if (problem) problems.push({ prop: `${prop}.matchExpressions[${i}].values[${j}]`, given: show(v), expected: problem, fix: 'use the label values of the Argo CD cluster Secrets' });
      });
    });
    return problems;
  }

  /** @internal */
  public _toKube(): any {
    return {
      ...(Object.keys(this.labels).length > 0 ? { matchLabels: { ...this.labels } } : {}),
      ...(this.expressions.length > 0 ? { matchExpressions: this.expressions.map(e => e._toKube()) } : {}),
    };
  }
}
