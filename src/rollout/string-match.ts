import { checkArgs, required } from '../core/struct-shape';

/**
 * How a header, path or method value is matched by a managed route (`exact`, `prefix` or `regex`).
 *
 * Exactly one of the three is ever set, which is what the controller requires
 * (`StringMatch match value must have exactly one of the following: exact, regex, prefix`).
 */
export class StringMatch {
  /**
   * Matches the exact value. The only form the ALB router supports.
   */
  public static exact(value: string): StringMatch {
    return new StringMatch('exact', value);
  }

  /**
   * Matches values starting with the prefix.
   */
  public static prefix(value: string): StringMatch {
    return new StringMatch('prefix', value);
  }

  /**
   * Matches values against a regular expression (RE2 syntax for Istio).
   */
  public static regex(value: string): StringMatch {
    return new StringMatch('regex', value);
  }

  /**
   * The match type: `exact`, `prefix` or `regex`.
   */
  public readonly type: string;

  /**
   * The value to match.
   */
  public readonly value: string;

  private constructor(type: string, value: string) {
    checkArgs(`StringMatch.${type}`, { value: [value, required('string')] });
    this.type = type;
    this.value = value;
  }

  /** @internal */
  public _toKube(): { [key: string]: string } {
    return { [this.type]: this.value };
  }
}
