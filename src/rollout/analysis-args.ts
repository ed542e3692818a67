/**
 * Synth-time wiring checks between the args a Rollout passes to one analysis block (a step analysis or the
 * background analysis) and the (Cluster)AnalysisTemplates that block merges into one AnalysisRun.
 *
 * Pure functions over `IAnalysisTemplate` and the passed args: no cdk8s, no I/O. They reproduce what the Argo
 * Rollouts controller (v1.9.1) does when it flattens templates and merges args (utils/analysis/helpers.go
 * FlattenTemplates / MergeArgs) and the cases it lets through silently.
 */
import { AnalysisArgValue } from './analysis-arg-value';
import { IAnalysisTemplate } from '../analysis/analysis-template';
import { argUseViolation } from '../analysis/arg-use';
import { argValueJsonProblem } from '../core/go-quote';
import { Problem, show } from '../core/problem';

/**
 * One arg a Rollout passes to an analysis block.
 *
 * @internal
 */
export interface PassedAnalysisArg {
  readonly name: string;
  readonly value: AnalysisArgValue;
}

const DOWNWARD_API_PATH = /^metadata\.(name|namespace|uid|labels|annotations)$|^metadata\.(labels|annotations)\['[^']+'\]$/;

/**
 * The args of the merged AnalysisRun after the controller's flattening, by name: the first non-empty template
 * default wins (a later template's default replaces a missing one), `fromSecret` args are resolved by the template.
 *
 * @internal
 */
export interface MergedTemplateArg {
  readonly name: string;
  readonly defaultValue?: string;
  readonly fromSecret: boolean;
  /** Templates that declare it, in order. */
  readonly declaredBy: string[];
}

/** @internal */
export function mergeTemplateArgs(templates: readonly IAnalysisTemplate[]): Map<string, MergedTemplateArg> {
  const merged = new Map<string, MergedTemplateArg>();
  for (const t of templates) {
    for (const a of t.declaredArgs) {
      const prev = merged.get(a.name);
      const value = a.defaultValue !== undefined && a.defaultValue !== '' ? a.defaultValue : undefined;
      if (!prev) {
        merged.set(a.name, { name: a.name, defaultValue: value, fromSecret: a.fromSecret ?? false, declaredBy: [t.templateName] });
      } else {
        merged.set(a.name, {
          name: a.name,
          defaultValue: prev.defaultValue ?? value,
          fromSecret: prev.fromSecret || (a.fromSecret ?? false),
          declaredBy: [...prev.declaredBy, t.templateName],
        });
      }
    }
    // `requiredArgs` is authoritative for "must be passed": make sure an arg listed there is known even if a
    // template implementation forgot to list it in declaredArgs.
    for (const r of t.requiredArgs) {
      if (!merged.has(r)) merged.set(r, { name: r, fromSecret: false, declaredBy: [t.templateName] });
    }
  }
  return merged;
}

/**
 * The first place (in template and use order) where the literal value of arg `name` breaks out of where it lands,
 * computed only for that arg's uses.
 */
function firstViolation(templates: readonly IAnalysisTemplate[], name: string, literal: string) {
  for (const t of templates) {
    for (const u of t.quotedArgUses ?? []) {
      if (u.argName !== name) continue;
      const v = argUseViolation(u, literal);
      if (v !== undefined) return { t, u, v };
    }
  }
  return undefined;
}

function templateRef(t: IAnalysisTemplate): string {
  return `${t.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'} "${t.templateName}"`;
}

/**
 * Every wiring problem of one analysis block.
 *
 * @param prop the prop path of the block, e.g. `steps[1].analysis` or `backgroundAnalysis`
 * @param templates the templates the block references, in order
 * @param passed the args the Rollout passes, in order
 *
 * @internal
 */
export function analysisArgsProblems(prop: string, templates: readonly IAnalysisTemplate[], passed: readonly PassedAnalysisArg[]): Problem[] {
  const problems: Problem[] = [];
  if (templates.length === 0) {
    problems.push({
      prop: `${prop}.templates`,
      given: 'empty',
      expected: 'at least one analysis template',
      fix: 'pass the template(s) the analysis runs, e.g. templates: [successRate]',
    });
    return problems;
  }

  // the same template twice (by kind and name) merges its metrics twice
  const seenTemplates = new Set<string>();
  templates.forEach((t, i) => {
    const key = `${t.clusterScope}/${t.templateName}`;
    if (seenTemplates.has(key)) {
      problems.push({
        prop: `${prop}.templates[${i}]`,
        given: `${templateRef(t)} again`,
        expected: 'each template referenced once per analysis (the controller would fail with "two metrics have the same name")',
        fix: 'remove the duplicate reference',
      });
    }
    seenTemplates.add(key);
  });

  // R6 (docs/rules/rollouts.md): same arg declared with different defaults across the merged templates
  const defaults = new Map<string, { value: string; template: string }>();
  for (const t of templates) {
    for (const a of t.declaredArgs) {
      if (a.defaultValue === undefined || a.defaultValue === '') continue;
      const prev = defaults.get(a.name);
      if (prev && prev.value !== a.defaultValue && prev.template !== t.templateName) {
        problems.push({
          prop: `${prop}.templates`,
          given: `merging templates "${prev.template}" and "${t.templateName}" that both declare arg "${a.name}" with different defaults `
            + `${show(prev.value)} and ${show(a.defaultValue)}`,
          expected: 'templates merged into one analysis to agree on arg defaults (the controller fails the merge: '
            + `Argument \`${a.name}\` specified multiple times with different values: '${prev.value}', '${a.defaultValue}')`,
          fix: `give "${a.name}" the same default in both templates, drop one default, or run the templates in separate analysis steps`,
        });
      } else if (!prev) {
        defaults.set(a.name, { value: a.defaultValue, template: t.templateName });
      }
    }
  }

  // R7 (docs/rules/rollouts.md): duplicate metric names across the merged templates
  const metricOwner = new Map<string, string>();
  for (const t of templates) {
    for (const m of t.metricNames) {
      const owner = metricOwner.get(m);
      if (owner !== undefined && owner !== t.templateName) {
        problems.push({
          prop: `${prop}.templates`,
          given: `merging templates "${owner}" and "${t.templateName}" that both define metric "${m}"`,
          expected: `unique metric names across the templates of one analysis (the controller fails: two metrics have the same name '${m}')`,
          fix: 'rename one of the metrics, or run the templates in separate analysis steps',
        });
      } else if (owner === undefined) {
        metricOwner.set(m, t.templateName);
      }
    }
  }

  const merged = mergeTemplateArgs(templates);
  const passedNames = new Map<string, PassedAnalysisArg>();
  passed.forEach((p) => {
    const argProp = `${prop}.args["${p.name}"]`;
    if (passedNames.has(p.name)) {
      problems.push({ prop: argProp, given: 'passed twice', expected: 'each arg passed once', fix: 'pass it once (in args or in argsFrom)' });
    }
    passedNames.set(p.name, p);
    const declared = merged.get(p.name);
    if (!declared) {
      const known = [...merged.keys()];
      problems.push({
        prop: argProp,
        given: `${p.value._show()}, but no referenced template declares "${p.name}"`,
        expected: `one of the declared args ${known.length > 0 ? show(known) : '(the templates declare none)'} `
          + '(the controller silently ignores an undeclared arg)',
        fix: 'fix the arg name or remove it',
      });
    } else if (declared.fromSecret) {
      problems.push({
        prop: argProp,
        given: `${p.value._show()}, but template(s) ${show(declared.declaredBy)} resolve "${p.name}" from a Secret`,
        expected: 'no Rollout value for a Secret-backed arg (a passed value would override the Secret)',
        fix: 'remove the arg from the Rollout',
      });
    }
    if (p.value.value !== undefined && p.value.value.trim() === '') {
      problems.push({
        prop: argProp,
        given: show(p.value.value),
        expected: 'a non-empty value (the controller substitutes the empty string into {{args.' + p.name + '}}, '
          + 'overriding any template default, and the query silently matches the wrong series or none)',
        fix: 'pass the real value, or remove the arg to use the template default',
      });
    }
    const literal = p.value.value;
    const unquotable = literal === undefined ? undefined : argValueJsonProblem(argProp, literal);
    if (unquotable) problems.push(unquotable);
    if (literal !== undefined) {
      // A value known at synth lands in the query as raw text: inside a string literal it must not end the string
      // (`x",job=~".+` would add a matcher that widens the gate to every service; `my"svc` breaks every measurement).
      const use = firstViolation(templates, p.name, literal);
      if (use) {
        problems.push({
          prop: argProp,
          given: show(literal),
          expected: `a value that ${use.v!.stays} it lands in (template ${templateRef(use.t)}, metric `
            + `${show(use.u.metricName)}): ${use.v!.consequence}`
            + (use.u.where === undefined ? ' (e.g. another matcher that widens the selector, or a syntax error that fails every measurement)' : ''),
          fix: `pass ${use.v!.fix}`,
        });
      }
    }
    if (p.value.fieldPath !== undefined) {
      const fp = p.value.fieldPath;
      if (fp.trim() === '' || (fp.startsWith('metadata') && !DOWNWARD_API_PATH.test(fp))) {
        problems.push({
          prop: `${argProp}.fieldRef`,
          given: show(fp),
          expected: 'a downward-API metadata path: metadata.name, metadata.namespace, metadata.uid, metadata.labels[\'KEY\'], '
            + 'metadata.annotations[\'KEY\'] (controller: Analyses arguments must refer to valid object metadata supported by downwardAPI), '
            + 'or a path into the Rollout such as status.alb.canaryTargetGroup.name',
          fix: 'use one of the supported paths',
        });
      }
    }
  });

  // R5 (docs/rules/rollouts.md): args without a value after merging, not passed by the Rollout
  for (const a of merged.values()) {
    if (a.defaultValue !== undefined || a.fromSecret || passedNames.has(a.name)) continue;
    problems.push({
      prop: `${prop}.args`,
      given: `missing "${a.name}" (required by template(s) ${show(a.declaredBy)})`,
      expected: 'a value for every arg the templates declare without a default (the controller marks the Rollout '
        + `InvalidSpec/Degraded: args.${a.name} was not resolved)`,
      fix: `pass args: { '${a.name}': '<value>' }`,
    });
  }
  return problems;
}
