import { int32Problems } from '../core/bounds';
import { requireNumber, requireString } from '../core/input-types';
import { Problem, show } from '../core/problem';

const PERCENT = /^([1-9][0-9]*|0)%$/;

/**
 * How many Applications of a RollingSync step Argo CD syncs at the same time (`maxUpdate`).
 *
 * Argo CD v3.5 semantics: an integer N allows N in flight; `"P%"` allows `floor(P * appsInStep / 100)`, raised to 1
 * when that is 0 (except for exactly `"0%"`); `0` promotes nothing (a manual gate: the step's Applications must be
 * synced by hand); unset means the whole step at once. Invalid strings (a quoted number such as `"5"`, `"2.5%"`)
 * only log a warning and behave like 1, so steps reject them and this class never emits them.
 */
export class MaxUpdate {
  /**
   * At most `n` Applications in flight (emitted as an integer). Use `manual()` for 0.
   *
   * @param n an integer >= 1
   */
  public static count(n: number): MaxUpdate {
    requireNumber('MaxUpdate.count', 'n', n, 'pass a whole number of Applications, e.g. MaxUpdate.count(2)');
    return new MaxUpdate('count', n);
  }

  /**
   * At most `p`% of the step's Applications in flight (emitted as `"p%"`), rounded down but at least 1.
   *
   * @param p an integer 1..100
   */
  public static percent(p: number): MaxUpdate {
    requireNumber('MaxUpdate.percent', 'p', p, 'pass a whole percentage, e.g. MaxUpdate.percent(25)');
    return new MaxUpdate('percent', p);
  }

  /**
   * `maxUpdate: 0`: Argo CD promotes nothing in this step; each Application has to be synced by hand (e.g.
   * `argocd app sync`) and the step completes when all of them are Synced and Healthy. A deliberate gate.
   */
  public static manual(): MaxUpdate {
    return new MaxUpdate('manual', 0);
  }

  /**
   * Every Application of the step at once (no `maxUpdate` emitted; the Argo CD docs call this 100%).
   */
  public static all(): MaxUpdate {
    return new MaxUpdate('all', 0);
  }

  /**
   * Parses the string form of `maxUpdate` as Argo CD reads it: a percentage such as `"25%"`, or `"0%"` (a manual
   * gate). A string without `%` is invalid for Argo CD, including a quoted number: `maxUpdate: "5"` is NOT 5, the
   * controller logs a warning and syncs 1 Application at a time. Such strings give a value that the step reports as
   * an error (use `MaxUpdate.count(5)` for the integer).
   *
   * @param value the string as written in YAML
   */
  public static fromString(value: string): MaxUpdate {
    requireString('MaxUpdate.fromString', 'value', value, typeof value === 'number' ? `use MaxUpdate.count(${value})` : 'pass the string as written in YAML, e.g. "25%"');
    if (/^[0-9]+$/.test(value)) {
      return new MaxUpdate('quoted-number', Number(value), value);
    }
    const m = /^([0-9]+(?:\.[0-9]+)?)%$/.exec(value);
    if (m && PERCENT.test(value)) {
      const p = Number(m[1]);
      return p === 0 ? MaxUpdate.manual() : MaxUpdate.percent(p);
    }
    return new MaxUpdate('invalid', 0, value);
  }

  private constructor(private readonly kind: string, private readonly n: number, private readonly raw?: string) {}

  /** True for `manual()` (maxUpdate 0). */
  public get isManual(): boolean {
    return this.kind === 'manual';
  }

  /**
   * How the value reads in a plan: `1`, `25%`, `0 (manual)`, `all`.
   */
  public toString(): string {
    switch (this.kind) {
      case 'count': return String(this.n);
      case 'percent': return `${this.n}%`;
      case 'manual': return '0 (manual)';
      case 'all': return 'all';
      default: return String(this.raw);
    }
  }

  /**
   * The problems of this value at `prop` (empty when valid).
   *
   * @internal
   */
  public _problems(prop: string): Problem[] {
    if (this.kind === 'count' && int32Problems(prop, this.n).length > 0) return int32Problems(prop, this.n);
    if (this.kind === 'count' && (!Number.isInteger(this.n) || this.n < 1)) {
      return [{
        prop,
        given: show(this.n),
        expected: 'MaxUpdate.count(n) with an integer n >= 1',
        fix: this.n === 0 ? 'use MaxUpdate.manual() for an explicit manual gate' : 'use a whole number of Applications, or MaxUpdate.percent()',
      }];
    }
    if (this.kind === 'percent' && (!Number.isInteger(this.n) || this.n < 1 || this.n > 100)) {
      return [{
        prop,
        given: `${show(this.n)}%`,
        expected: 'MaxUpdate.percent(p) with an integer p in 1..100 (Argo CD ignores fractions and does not clamp values above 100)',
        fix: this.n === 0 ? 'use MaxUpdate.manual() for an explicit manual gate' : 'use a whole percentage between 1 and 100, or MaxUpdate.all()',
      }];
    }
    if (this.kind === 'quoted-number') {
      return [{
        prop,
        given: `${show(this.raw)} (a quoted number)`,
        expected: 'an integer or a percentage string such as "25%": Argo CD rejects a string without "%", logs a warning and syncs '
          + `1 Application at a time, not ${this.n}`,
        fix: this.n === 0 ? 'use MaxUpdate.manual() for the manual gate (maxUpdate: 0)' : `use MaxUpdate.count(${this.n})`,
      }];
    }
    if (this.kind === 'invalid') {
      return [{
        prop,
        given: show(this.raw),
        expected: 'an integer (MaxUpdate.count) or a whole percentage such as "25%" (Argo CD logs a warning for anything else and syncs 1 Application at a time)',
        fix: 'use MaxUpdate.count(), MaxUpdate.percent() or MaxUpdate.manual()',
      }];
    }
    return [];
  }

  /**
   * The value of `maxUpdate` in the manifest, or undefined for `all()`.
   *
   * @internal
   */
  public _toKube(): number | string | undefined {
    switch (this.kind) {
      case 'count': return this.n;
      case 'percent': return `${this.n}%`;
      case 'manual': return 0;
      case 'all': return undefined;
      default: return this.raw;
    }
  }

  /**
   * The number of Applications Argo CD keeps in flight for a step of `total` Applications
   * (`GetScaledValueFromIntOrPercent(value, total, roundUp=false)`, raised to 1 unless exactly 0%); `undefined`
   * means unlimited.
   *
   * @internal
   */
  public _limit(total: number): number | undefined {
    switch (this.kind) {
      case 'count': return this.n;
      case 'percent': return Math.max(1, Math.floor((this.n * total) / 100));
      case 'manual': return 0;
      case 'all': return undefined;
      default: return 1;
    }
  }
}
