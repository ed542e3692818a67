import { AnalysisArgument } from './analysis-template';
import { SECRET_KEY_REFERENCE } from './input-shapes';
import { AnalysisTemplateSpecArgs } from '../../imports/rollouts-argoproj.io';
import { argValueJsonProblem } from '../core/go-quote';
import { checkConfigMapKey, checkDns1123Subdomain } from '../core/names';
import { Problem, propError, show } from '../core/problem';
import { checkArgs, required } from '../core/struct-shape';

/**
 * A key of an existing Kubernetes Secret. The library only references Secrets; it never accepts a credential as a
 * string.
 */
export interface SecretKeyReference {
  /**
   * The Secret's name. For an analysis template the Secret is read from the namespace of the AnalysisRun, i.e. the
   * namespace of the Rollout that runs the analysis (also for a ClusterAnalysisTemplate).
   */
  readonly secretName: string;

  /**
   * The key in the Secret's `data`.
   */
  readonly key: string;
}

/** Arg names the library accepts: what `{{args.NAME}}` placeholders can name. */
const ARG_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * An argument an analysis template declares (`spec.args[]`): required (every referencing Rollout must pass it),
 * with a default, or resolved from a Secret by the template itself.
 */
export class TemplateArgument {
  /**
   * An arg without a default: every Rollout that references the template must pass it.
   *
   * The controller substitutes the value into the query as raw text. A value the library sees at synth (a template
   * default, a literal Rollout arg) is checked against where it lands; a value resolved at run time (`fieldRef`,
   * `podTemplateHashValue`, a Secret) is not: inside a quoted label value it is safe only if it cannot hold a quote, a
   * backslash or a line break (Kubernetes names, labels and pod-template hashes cannot), and it must never carry PromQL.
   *
   * @param name the arg name, used as `{{args.NAME}}`
   */
  public static required(name: string): TemplateArgument {
    checkArgs('TemplateArgument.required', { name: [name, required('string')] });
    return new TemplateArgument(name, undefined, undefined);
  }

  /**
   * An arg with a default value (`value`); a Rollout may override it.
   *
   * @param name the arg name, used as `{{args.NAME}}`
   * @param defaultValue the default; must not be empty (an empty value usually turns a label matcher into one that
   * matches nothing)
   */
  public static withDefault(name: string, defaultValue: string): TemplateArgument {
    checkArgs('TemplateArgument.withDefault', { name: [name, required('string')], defaultValue: [defaultValue, required('string')] });
    const unquotable = argValueJsonProblem('defaultValue', defaultValue);
    if (unquotable) throw propError('TemplateArgument.withDefault', unquotable);
    return new TemplateArgument(name, defaultValue, undefined);
  }

  /**
   * An arg the template resolves from a Secret key (`valueFrom.secretKeyRef`) at measurement time; Rollouts never
   * pass it. Use it for tokens in headers or the OAuth2 client secret.
   *
   * @param name the arg name, used as `{{args.NAME}}`
   * @param secret the Secret key, read from the AnalysisRun's namespace
   */
  public static fromSecret(name: string, secret: SecretKeyReference): TemplateArgument {
    checkArgs('TemplateArgument.fromSecret', { name: [name, required('string')], secret: [secret, required(SECRET_KEY_REFERENCE)] });
    return new TemplateArgument(name, undefined, secret);
  }

  /**
   * What is wrong with an arg name and a default value, each on its own (so a caller can report it under its own
   * prop without reading the message).
   *
   * @internal
   */
  public static _problems(name: string, defaultValue: string | undefined): { name?: Problem; defaultValue?: Problem } {
    return {
      ...(ARG_NAME.test(name) ? {} : {
        name: {
          prop: 'name',
          given: show(name),
          expected: 'letters, digits, "_", "." or "-" (what a {{args.NAME}} placeholder can name)',
          fix: 'rename the arg, e.g. "service-name"',
        },
      }),
      ...(defaultValue !== undefined && defaultValue.length === 0 ? {
        defaultValue: {
          prop: `${name}.defaultValue`,
          given: '""',
          expected: 'a non-empty value (the controller would substitute an empty string)',
          fix: `use TemplateArgument.required("${name}") if the Rollout must pass it`,
        },
      } : {}),
    };
  }

  /**
   * The arg name.
   */
  public readonly name: string;

  /**
   * The default value, if any.
   */
  public readonly defaultValue?: string;

  /**
   * The Secret key the value comes from, if any.
   */
  public readonly secret?: SecretKeyReference;

  private constructor(name: string, defaultValue: string | undefined, secret: SecretKeyReference | undefined) {
    const where = 'TemplateArgument';
    const problems = TemplateArgument._problems(name, defaultValue);
    if (problems.name) throw propError(where, problems.name);
    if (problems.defaultValue) throw propError(where, problems.defaultValue);
    if (secret) {
      for (const p of secretProblems(secret, `${name}.secret`)) throw propError(where, p);
    }
    this.name = name;
    this.defaultValue = defaultValue;
    this.secret = secret;
  }

  /**
   * Whether a referencing Rollout must pass this arg: no default and not from a Secret.
   */
  public get isRequired(): boolean {
    return this.defaultValue === undefined && this.secret === undefined;
  }

  /**
   * The arg as the rest of the library sees it.
   */
  public toAnalysisArgument(): AnalysisArgument {
    return {
      name: this.name,
      ...(this.defaultValue !== undefined ? { defaultValue: this.defaultValue } : {}),
      ...(this.secret ? { fromSecret: true } : {}),
    };
  }

  /**
   * Whether two declarations of the same arg are interchangeable.
   *
   * @internal
   */
  public _sameAs(other: TemplateArgument): boolean {
    return this.name === other.name && this.defaultValue === other.defaultValue
      && this.secret?.secretName === other.secret?.secretName && this.secret?.key === other.secret?.key;
  }

  /**
   * How the declaration reads in a message.
   *
   * @internal
   */
  public _describe(): string {
    if (this.secret) return `from Secret ${this.secret.secretName}/${this.secret.key}`;
    if (this.defaultValue !== undefined) return `default ${show(this.defaultValue)}`;
    return 'required';
  }

  /**
   * `spec.args[]` entry.
   *
   * @internal
   */
  public _toKube(): AnalysisTemplateSpecArgs {
    if (this.secret) {
      return { name: this.name, valueFrom: { secretKeyRef: { name: this.secret.secretName, key: this.secret.key } } };
    }
    return this.defaultValue !== undefined ? { name: this.name, value: this.defaultValue } : { name: this.name };
  }
}

/** @internal Problems of a Secret key reference. */
export function secretProblems(secret: SecretKeyReference, prop: string): Problem[] {
  const problems: Problem[] = [];
  const nameProblem = checkDns1123Subdomain(secret.secretName);
  if (nameProblem) {
    problems.push({ prop: `${prop}.secretName`, given: show(secret.secretName), expected: nameProblem, fix: 'name an existing Secret' });
  }
  if (checkConfigMapKey(secret.key) !== undefined) {
    problems.push({
      prop: `${prop}.key`,
      given: show(secret.key),
      expected: 'a Secret data key: alphanumerics, "-", "_" or "."',
      fix: 'name a key of the Secret\'s data',
    });
  }
  return problems;
}
