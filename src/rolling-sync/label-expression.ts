import { requireString, requireStringArray } from '../core/input-types';
import { checkLabelKey } from '../core/names';
import { Problem, show } from '../core/problem';

/**
 * The operators Argo CD's RollingSync understands. Every other operator is logged and fails the expression at
 * runtime when the Application has the key, and passes when it lacks the key.
 */
const ROLLING_SYNC_OPERATORS = ['In', 'NotIn'];

/**
 * The operators of a Kubernetes label selector (cluster selectors).
 */
const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * One label requirement: a key, an operator and values (Kubernetes `matchExpressions` entry).
 *
 * Used by RollingSync steps (only `In` and `NotIn` are allowed there) and by cluster selectors (`Exists` and
 * `DoesNotExist` too).
 */
export class LabelExpression {
  /**
   * The label value is one of `values` (OR within the expression). An Application without the label is not selected.
   *
   * @param key the label key
   * @param values the accepted values (must not be empty)
   */
  public static valueIn(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, 'In', values);
  }

  /**
   * The label value is none of `values`. An Application without the label IS selected (Kubernetes semantics).
   * In a RollingSync step `values` must not be empty (`NotIn []` selects every Application; use
   * `RollingSyncStep.everything()` for a catch-all step).
   *
   * @param key the label key
   * @param values the rejected values
   */
  public static valueNotIn(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, 'NotIn', values);
  }

  /**
   * The label is present (any value). Only valid in cluster selectors: RollingSync steps reject it.
   *
   * @param key the label key
   */
  public static exists(key: string): LabelExpression {
    return new LabelExpression(key, 'Exists', []);
  }

  /**
   * The label is absent. Only valid in cluster selectors: RollingSync steps reject it.
   *
   * @param key the label key
   */
  public static doesNotExist(key: string): LabelExpression {
    return new LabelExpression(key, 'DoesNotExist', []);
  }

  /**
   * An expression with any operator string, e.g. one read from existing YAML. The construct that uses it checks the
   * operator (RollingSync steps accept only `In` and `NotIn`; cluster selectors also `Exists` and `DoesNotExist`).
   *
   * @param key the label key
   * @param operator the operator, case-sensitive
   * @param values the values
   */
  public static of(key: string, operator: string, values: string[]): LabelExpression {
    return new LabelExpression(key, operator, values);
  }

  /** The label key. */
  public readonly key: string;
  /** The operator (`In`, `NotIn`, `Exists`, `DoesNotExist`). */
  public readonly operator: string;
  /** The values (empty for `Exists` / `DoesNotExist`). */
  public readonly values: string[];

  private constructor(key: string, operator: string, values: string[]) {
    requireString('LabelExpression', 'key', key, 'pass the label key, e.g. "env"');
    requireString('LabelExpression', 'operator', operator, 'use "In", "NotIn", "Exists" or "DoesNotExist"');
    requireStringArray('LabelExpression', 'values', values);
    this.key = key;
    this.operator = operator;
    this.values = [...values];
  }

  /**
   * Problems of this expression when used in a RollingSync step (where it belongs); in a cluster selector the
   * Kubernetes label selector rules apply instead (`_selectorProblems`).
   *
   * @internal
   */
  public _problems(prop: string): Problem[] {
    const problems: Problem[] = [];
    const keyProblem = checkLabelKey(this.key);
    if (keyProblem) {
      problems.push({ prop: `${prop}.key`, given: show(this.key), expected: keyProblem, fix: 'select on an Application label key' });
    }
    if (!ROLLING_SYNC_OPERATORS.includes(this.operator)) {
      problems.push({
        prop: `${prop}.operator`,
        given: show(this.operator),
        expected: '"In" or "NotIn" (the only operators RollingSync evaluates; others are logged and match every Application that lacks the key)',
        fix: 'use LabelExpression.valueIn() or LabelExpression.valueNotIn()',
      });
    } else if (this.operator === 'In' && this.values.length === 0) {
      problems.push({
        prop: `${prop}.values`,
        given: '[]',
        expected: 'at least one value ("In" with no values never matches, so the step would be empty)',
        fix: `list the values of label "${this.key}" this step selects`,
      });
    } else if (this.operator === 'NotIn' && this.values.length === 0) {
      problems.push({
        prop: `${prop}.values`,
        given: '[]',
        expected: 'at least one value ("NotIn" with no values selects every Application, which is rarely meant)',
        fix: `list the values of label "${this.key}" this step excludes, or use RollingSyncStep.everything() for a deliberate catch-all step`,
      });
    }
    return problems;
  }

  /**
   * Problems of this expression when used in a cluster selector (Kubernetes label selector rules).
   *
   * @internal
   */
  public _selectorProblems(prop: string): Problem[] {
    const problems: Problem[] = [];
    const keyProblem = checkLabelKey(this.key);
    if (keyProblem) {
      problems.push({ prop: `${prop}.key`, given: show(this.key), expected: keyProblem, fix: 'select on a cluster Secret label key' });
    }
    if (!SELECTOR_OPERATORS.includes(this.operator)) {
      problems.push({
        prop: `${prop}.operator`,
        given: show(this.operator),
        expected: '"In", "NotIn", "Exists" or "DoesNotExist" (the generator fails to parse any other operator)',
        fix: 'use a LabelExpression factory',
      });
    } else if ((this.operator === 'In' || this.operator === 'NotIn') && this.values.length === 0) {
      problems.push({
        prop: `${prop}.values`,
        given: '[]',
        expected: `at least one value for "${this.operator}" (the generator rejects an empty set)`,
        fix: 'list the values, or use LabelExpression.exists()/doesNotExist()',
      });
    } else if ((this.operator === 'Exists' || this.operator === 'DoesNotExist') && this.values.length > 0) {
      problems.push({
        prop: `${prop}.values`,
        given: show(this.values),
        expected: `no values for "${this.operator}"`,
        fix: 'drop the values',
      });
    }
    return problems;
  }

  /**
   * Argo CD v3.5 RollingSync semantics (`labelMatchedExpression`): `In` needs the key present with a listed value;
   * `NotIn` rejects only a present key with a listed value; any other operator fails when the key is present and
   * passes when it is absent.
   *
   * @internal
   */
  public _matchesRollingSync(labels: { [key: string]: string }): boolean {
    const has = Object.prototype.hasOwnProperty.call(labels, this.key);
    if (!has) {
      return this.operator !== 'In';
    }
    const value = labels[this.key];
    if (this.operator === 'In') return this.values.includes(value);
    if (this.operator === 'NotIn') return !this.values.includes(value);
    return false;
  }

  /**
   * Kubernetes label selector semantics (cluster generators).
   *
   * @internal
   */
  public _matchesSelector(labels: { [key: string]: string }): boolean {
    const has = Object.prototype.hasOwnProperty.call(labels, this.key);
    switch (this.operator) {
      case 'In': return has && this.values.includes(labels[this.key]);
      case 'NotIn': return !has || !this.values.includes(labels[this.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  }

  /** @internal */
  public _toKube(): any {
    return this.operator === 'Exists' || this.operator === 'DoesNotExist'
      ? { key: this.key, operator: this.operator }
      : { key: this.key, operator: this.operator, values: [...this.values] };
  }
}
