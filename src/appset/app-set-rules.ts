import * as YAML from 'yaml';
import { ApplicationSourceProps, ApplicationsSyncPolicy, GeneratedApplication, MultiClusterAppSetProps } from './app-set-props';
import { Simulation } from './app-set-simulation';
import { Generator } from './generator';
import { allStrings, fieldReferences } from './template-engine';
import { int64Problems } from '../core/bounds';
import {
  optionalArray, optionalBoolean, optionalInstance, optionalNumber, optionalObject, optionalString, optionalStringArray,
  optionalStringMap, requireObject, requireString,
} from '../core/input-types';
import { checkDns1123Label, checkDns1123Subdomain, checkLabelKey, checkLabelValue } from '../core/names';
import { Problem, show } from '../core/problem';
import { Fleet } from '../fleet/fleet';
import { RolloutPlan } from '../plan/rollout-plan';
import { RollingSyncStep } from '../rolling-sync/rolling-sync-step';

/**
 * The rules a `MultiClusterAppSet` is checked against, each returning problems (never throwing): the single-prop
 * rules the constructor throws the first of, and the cross-object rules run at synth. Each rule quotes what the
 * ApplicationSet controller does; `docs/rules/appset.md` lists them (ids AS1..AS27) with the upstream references.
 */

/** @internal */
export const GO_TEMPLATE_OPTIONS = ['missingkey=default', 'missingkey=invalid', 'missingkey=zero', 'missingkey=error'];

/**
 * What the rules read from a `MultiClusterAppSet`.
 *
 * @internal
 */
export interface AppSetModel {
  readonly props: MultiClusterAppSetProps;
  /** The ApplicationSet name (`metadata.name`), used in fixes. */
  readonly name: string;
  readonly steps: readonly RollingSyncStep[];
  /** The steps' bakes are rendered into the Rollouts by the caller (ProgressiveDeliveryStack). */
  readonly bakesRendered: boolean;
  readonly generators: readonly Generator[];
  readonly goTemplate: boolean;
  readonly envKey: string;
  readonly templateLabels: { [key: string]: string };
  /** `spec.template` as emitted. */
  readonly template: any;
  /** The Application name pattern. */
  readonly applicationName: string;
  readonly fleet?: Fleet;
  /** The (cached) simulation; only called when `fleet` is set. */
  simulation(): Simulation;
  /** `{{.key}}` or `{{key}}`. */
  param(key: string): string;
  usesClusters(): boolean;
}

const isInstance = (...methods: string[]) => (v: any) => methods.every(m => typeof v[m] === 'function' || (m in v && typeof v[m] !== 'function' && v[m] !== undefined));

/**
 * Wrong types from callers without a compiler (plain JavaScript, Python): thrown as a ValidationError by `check`.
 *
 * @internal
 */
export function checkPropTypes(where: any, props: MultiClusterAppSetProps): void {
  requireObject(where, 'props', props);
  const p = props as any;
  optionalObject(where, 'metadata', p.metadata);
  optionalInstance(where, 'clusters', p.clusters, 'ClusterSelector', isInstance('_problems', '_toKube', 'matches'), 'use ClusterSelector.matchLabels({...}) or ClusterSelector.all()');
  optionalStringArray(where, 'environments', p.environments);
  optionalString(where, 'environmentKey', p.environmentKey);
  optionalString(where, 'environmentClusterLabel', p.environmentClusterLabel);
  optionalArray(where, 'generators', p.generators, (g, prop) => optionalInstance(where, prop, g, 'Generator', isInstance('_generate', '_problems', '_toKube'),
    'use Generator.clusters(), Generator.list(), Generator.matrix(), ... or Generator.fromJson()'));
  optionalArray(where, 'steps', p.steps, (s, prop) => optionalInstance(where, prop, s, 'RollingSyncStep', isInstance('_problems', '_toKube', 'matches'),
    'use RollingSyncStep.whereIn(), whereNotIn(), matching() or everything()'));
  optionalString(where, 'applicationName', p.applicationName);
  optionalStringMap(where, 'labels', p.labels);
  optionalStringMap(where, 'annotations', p.annotations);
  optionalString(where, 'project', p.project);
  if (p.source === undefined && p.sources === undefined) requireObject(where, 'source', p.source, 'pass source: { repoUrl, path } (or sources: [...])');
  if (p.source !== undefined) checkSourceTypes(where, 'source', p.source);
  optionalArray(where, 'sources', p.sources, (x, prop) => checkSourceTypes(where, prop, x));
  optionalStringMap(where, 'environmentRevisions', p.environmentRevisions);
  optionalBoolean(where, 'frozen', p.frozen);
  optionalString(where, 'templatePatch', p.templatePatch);
  optionalArray(where, 'ignoreDifferences', p.ignoreDifferences, (d: any, prop) => {
    requireObject(where, prop, d, 'pass { kind, jsonPointers } or { kind, jqPathExpressions }');
    requireString(where, `${prop}.kind`, d.kind, 'pass the resource kind, e.g. "Rollout"');
    for (const k of ['group', 'name', 'namespace']) optionalString(where, `${prop}.${k}`, d[k]);
    for (const k of ['jsonPointers', 'jqPathExpressions', 'managedFieldsManagers']) optionalStringArray(where, `${prop}.${k}`, d[k]);
  });
  optionalArray(where, 'ignoreApplicationDifferences', p.ignoreApplicationDifferences, (d: any, prop) => {
    requireObject(where, prop, d, 'pass { jsonPointers } or { jqPathExpressions }');
    optionalString(where, `${prop}.name`, d.name);
    for (const k of ['jsonPointers', 'jqPathExpressions']) optionalStringArray(where, `${prop}.${k}`, d[k]);
  });
  requireString(where, 'destinationNamespace', p.destinationNamespace, 'pass the namespace the Applications deploy into');
  optionalString(where, 'destinationServer', p.destinationServer);
  optionalString(where, 'destinationName', p.destinationName);
  for (const k of ['createNamespace', 'autoSync', 'prune', 'preserveResourcesOnDeletion', 'goTemplate', 'allowUnmatchedApplications', 'allowOverlappingSteps']) {
    optionalBoolean(where, k, p[k]);
  }
  optionalStringArray(where, 'syncOptions', p.syncOptions);
  optionalNumber(where, 'retryLimit', p.retryLimit);
  optionalNumber(where, 'retryBackoffFactor', p.retryBackoffFactor);
  for (const k of ['retryBackoffDuration', 'retryBackoffMaxDuration']) {
    optionalInstance(where, k, p[k], 'Duration', isInstance('toSeconds'), 'use Duration.seconds(...)');
  }
  optionalInstance(where, 'deletionOrder', p.deletionOrder, 'DeletionOrder', v => typeof v.value === 'string', 'use DeletionOrder.REVERSE or DeletionOrder.ALL_AT_ONCE');
  optionalInstance(where, 'applicationsSync', p.applicationsSync, 'ApplicationsSyncPolicy', v => typeof v.value === 'string', 'use ApplicationsSyncPolicy.SYNC or CREATE_UPDATE');
  optionalStringArray(where, 'goTemplateOptions', p.goTemplateOptions);
  optionalInstance(where, 'fleet', p.fleet, 'Fleet', isInstance('selectClusters', '_nameOfServer'), 'pass new Fleet({ clusters: [...] })');
}

function checkSourceTypes(where: any, prop: string, s: any): void {
  requireObject(where, prop, s, 'pass { repoUrl, path }');
  requireString(where, `${prop}.repoUrl`, s.repoUrl, 'pass the Git or Helm repository URL');
  for (const k of ['targetRevision', 'path', 'chart', 'ref']) optionalString(where, `${prop}.${k}`, s[k]);
  optionalObject(where, `${prop}.helm`, s.helm);
  if (s.helm) {
    optionalStringArray(where, `${prop}.helm.valueFiles`, s.helm.valueFiles);
    optionalStringMap(where, `${prop}.helm.parameters`, s.helm.parameters);
    optionalString(where, `${prop}.helm.values`, s.helm.values);
    optionalString(where, `${prop}.helm.releaseName`, s.helm.releaseName);
  }
  optionalObject(where, `${prop}.kustomize`, s.kustomize);
  if (s.kustomize) {
    optionalString(where, `${prop}.kustomize.namePrefix`, s.kustomize.namePrefix);
    optionalString(where, `${prop}.kustomize.nameSuffix`, s.kustomize.nameSuffix);
    optionalStringArray(where, `${prop}.kustomize.images`, s.kustomize.images);
    optionalStringMap(where, `${prop}.kustomize.commonLabels`, s.kustomize.commonLabels);
    optionalStringMap(where, `${prop}.kustomize.commonAnnotations`, s.kustomize.commonAnnotations);
  }
}

/** A JSON pointer (RFC 6901): empty, or "/" followed by reference tokens in which "~" is only "~0" or "~1". */
function jsonPointerProblem(pointer: string): string | undefined {
  if (pointer === '') return undefined;
  // Argo CD builds a JSON patch "remove" from it and does not complain: a malformed pointer silently ignores nothing
  if (!pointer.startsWith('/')) return 'a JSON pointer starts with "/" (RFC 6901), e.g. "/spec/replicas" (Argo CD silently ignores nothing otherwise)';
  if (/~(?![01])/.test(pointer)) return 'a JSON pointer escapes "~" as "~0" and "/" as "~1" (RFC 6901; Argo CD silently ignores nothing otherwise)';
  return undefined;
}

/** @internal */
export const PATCH_PROJECT = 'no spec.project: the controller resets it to the template\'s project after the patch ("Prevent changes to the `project` field")';

/**
 * Syntax errors in a jq path expression that this library can see without a jq parser: an empty expression,
 * unterminated strings, unbalanced brackets, a dangling pipe or comma. Argo CD parses `del(<expression>)` with gojq
 * (util/argo/normalizers: NewIgnoreNormalizer) and fails to build the diff normalizer on any parse error.
 */
function jqPathProblem(expr: string): string | undefined {
  const s = expr.trim();
  if (s === '') return 'a jq path expression, not an empty string';
  const open: string[] = [];
  const pairs: { [close: string]: string } = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) return 'a jq path expression with its strings closed (unterminated string)';
      i = j;
    } else if (c === '(' || c === '[' || c === '{') {
      open.push(c);
    } else if (pairs[c]) {
      if (open.pop() !== pairs[c]) return `a jq path expression with balanced brackets (unexpected "${c}")`;
    }
  }
  if (open.length > 0) return `a jq path expression with balanced brackets ("${open[open.length - 1]}" is not closed)`;
  if (/^[|,]|[|,]$/.test(s)) return 'a jq path expression without a dangling "|" or ","';
  return undefined;
}

const JQ_WHY = 'Argo CD parses "del(<expression>)" with gojq and cannot build its diff normalizer otherwise';

const REF_PATTERN = /^[a-zA-Z0-9_-]+$/;

/** AS28-AS31: source/sources (Argo CD util/argo/argo.go validateSourcePermissions, GetRefSources; reposerver resolveReferencedSources). */
function sourceProblems(p: MultiClusterAppSetProps): Problem[] {
  const problems: Problem[] = [];
  const fail = (prop: string, given: string, expected: string, fix: string) => problems.push({ prop, given, expected, fix });
  if (p.source && p.sources) {
    fail('sources', `${p.sources.length} source(s) together with source`,
      'either source or sources: Argo CD ignores spec.source when spec.sources is set (ApplicationSpec.HasMultipleSources)', 'move source into sources, or drop sources');
  }
  if (p.sources && p.sources.length === 0) fail('sources', '[]', 'at least one source', 'list the sources, or use source');
  const multi = p.sources !== undefined;
  const all: Array<[string, ApplicationSourceProps]> = p.sources ? p.sources.map((x, i) => [`sources[${i}]`, x]) : p.source ? [['source', p.source]] : [];
  const refs = new Set<string>();
  for (const [prop, x] of all) {
    if (x.ref !== undefined && !multi) {
      fail(`${prop}.ref`, show(x.ref), 'no ref on a single source (Argo CD: "This field will not be used if used with a `source` tag")', 'use sources: [...] to reference one source from another');
    } else if (x.ref !== undefined && !REF_PATTERN.test(x.ref)) {
      fail(`${prop}.ref`, show(x.ref), `letters, digits, "_" and "-" (Argo CD: "sources.ref ${x.ref} cannot contain any special characters except '_' and '-'")`, 'rename the ref, e.g. "values"');
    } else if (x.ref !== undefined && refs.has(x.ref)) {
      fail(`${prop}.ref`, show(x.ref), 'a ref no other source has (Argo CD: "invalid sources: multiple sources had the same `ref` key")', 'give each referenced source its own ref');
    }
    if (x.ref !== undefined) refs.add(x.ref);
    // a single source without path or chart is rendered with path "." (the repository root, as documented)
    if (multi && x.path === undefined && x.chart === undefined && x.ref === undefined) {
      fail(`${prop}.path`, 'missing',
        'a path, chart or ref (Argo CD: "spec.source.repoURL and either source.path, source.chart, or source.ref are required for source ...")',
        'set path (a directory of the repository, "." for its root), chart (a Helm chart name) or ref (a source other sources read files from)');
    }
    if (x.path !== undefined && x.chart !== undefined) {
      fail(`${prop}.chart`, show(x.chart), 'either path (a Git source) or chart (a Helm repository), not both', 'drop one of them');
    }
    if (x.chart !== undefined && x.targetRevision === undefined && !p.environmentRevisions) {
      fail(`${prop}.targetRevision`, 'missing', 'the chart version (Argo CD: "spec.source.targetRevision is required if the manifest source is a helm chart"; "HEAD" is not a chart version)',
        'set targetRevision to the chart version, e.g. "1.2.3"');
    }
  }
  for (const [prop, x] of all) {
    (x.helm?.valueFiles ?? []).forEach((f, i) => {
      const m = /^\$([^/]+)\//.exec(f);
      if (!m) return;
      if (!multi || refs.size === 0) {
        fail(`${prop}.helm.valueFiles[${i}]`, show(f), `a value file of this source (Argo CD: "source referenced "$${m[1]}", but no source has a 'ref' field defined")`,
          `add a source with ref: "${m[1]}" to sources`);
      } else if (!refs.has(m[1])) {
        fail(`${prop}.helm.valueFiles[${i}]`, show(f), `a ref one of the sources has (Argo CD: "source referenced "$${m[1]}", which is not one of the available sources (${[...refs].map(r => `$${r}`).join(', ')})")`,
          `use one of ${[...refs].map(r => `$${r}`).join(', ')}, or add ref: "${m[1]}" to a source`);
      }
    });
  }
  return problems;
}

/** AS32-AS34: environmentRevisions, ignore differences, templatePatch (single-prop syntax). */
function passthroughProblems(p: MultiClusterAppSetProps): Problem[] {
  const problems: Problem[] = [];
  const fail = (prop: string, given: string, expected: string, fix: string) => problems.push({ prop, given, expected, fix });
  const revisions = p.environmentRevisions;
  if (revisions) {
    if (!p.environments) {
      fail('environmentRevisions', show(revisions), 'environments to be set (each environment\'s list element carries its revision)',
        'set environments; with explicit generators put a "revision" key in the list elements and set source.targetRevision: "{{.revision}}"');
    } else {
      p.environments.forEach((e, i) => {
        if (!Object.prototype.hasOwnProperty.call(revisions, e)) {
          fail('environmentRevisions', show(revisions), `a revision for every environment; environments[${i}] ${show(e)} has none (the Applications would fail to render with missingkey=error)`,
            `add ${JSON.stringify(e)}: "<tag or commit>"`);
        }
      });
      for (const [env, rev] of Object.entries(revisions)) {
        if (!p.environments.includes(env)) {
          fail(`environmentRevisions.${env}`, show(rev), `an environment of environments (${show(p.environments)})`, 'fix the environment name, or drop the entry');
        } else if (rev.trim() === '' || /\s/.test(rev) || rev.includes('{{')) {
          fail(`environmentRevisions.${env}`, show(rev), 'a Git revision: a tag, commit SHA or branch, without whitespace or templates', 'e.g. "v1.4.2" or a commit SHA');
        }
      }
    }
    if ((p.environmentKey ?? 'env') === 'revision') {
      fail('environmentKey', '"revision"', 'a key other than "revision", which holds each environment\'s revision', 'use e.g. "env"');
    }
    const explicit = [...(p.source ? [p.source] : []), ...(p.sources ?? [])];
    if (explicit.length > 0 && explicit.every(x => x.targetRevision !== undefined)) {
      fail('environmentRevisions', show(revisions), 'sources without their own targetRevision (environmentRevisions sets targetRevision: "{{.revision}}" only on those)',
        'drop targetRevision from the source(s) that follow the environment\'s revision');
    }
  }
  const pointerProblems = (prop: string, pointers: string[] | undefined) => (pointers ?? []).forEach((ptr, i) => {
    const problem = jsonPointerProblem(ptr);
    if (problem) fail(`${prop}.jsonPointers[${i}]`, show(ptr), problem, 'e.g. "/spec/replicas"');
  });
  const jqProblems = (prop: string, expressions: string[] | undefined) => (expressions ?? []).forEach((e, i) => {
    const problem = jqPathProblem(e);
    if (problem) fail(`${prop}.jqPathExpressions[${i}]`, show(e), `${problem}: ${JQ_WHY}`, 'e.g. ".spec.replicas" or ".spec.template.spec.containers[] | select(.name == \\"app\\") | .image"');
  });
  (p.ignoreDifferences ?? []).forEach((d, i) => {
    if (d.kind.trim() === '') fail(`ignoreDifferences[${i}].kind`, '""', 'a resource kind (the CRD requires kind)', 'e.g. "Rollout"');
    if (!d.jsonPointers?.length && !d.jqPathExpressions?.length && !d.managedFieldsManagers?.length) {
      fail(`ignoreDifferences[${i}]`, show(d), 'at least one of jsonPointers, jqPathExpressions or managedFieldsManagers (otherwise nothing is ignored)', 'name the fields to ignore');
    }
    pointerProblems(`ignoreDifferences[${i}]`, d.jsonPointers);
    jqProblems(`ignoreDifferences[${i}]`, d.jqPathExpressions);
  });
  (p.ignoreApplicationDifferences ?? []).forEach((d, i) => {
    if (!d.jsonPointers?.length && !d.jqPathExpressions?.length) {
      fail(`ignoreApplicationDifferences[${i}]`, show(d), 'at least one of jsonPointers or jqPathExpressions (otherwise nothing is ignored)', 'e.g. jsonPointers: ["/spec/syncPolicy"]');
    }
    pointerProblems(`ignoreApplicationDifferences[${i}]`, d.jsonPointers);
    jqProblems(`ignoreApplicationDifferences[${i}]`, d.jqPathExpressions);
  });
  if (p.templatePatch !== undefined) {
    if (p.goTemplate === false) {
      fail('templatePatch', show(p.templatePatch), 'goTemplate (Argo CD documents templatePatch for Go templates only)', 'drop goTemplate: false, or drop templatePatch');
    } else if (p.templatePatch.trim() === '') {
      fail('templatePatch', '""', 'a YAML patch of the Application, e.g. "spec:\\n  syncPolicy: ..."', 'drop templatePatch');
    } else if (!p.templatePatch.includes('{{')) {
      try {
        const doc = YAML.parse(p.templatePatch, { version: '1.1' });
        if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
          fail('templatePatch', show(p.templatePatch), 'a YAML mapping that decodes into an Application (metadata, spec)', 'write the patch as the Application fields to change');
        } else if (doc.spec && typeof doc.spec === 'object' && doc.spec.project !== undefined) {
          fail('templatePatch', show(p.templatePatch), PATCH_PROJECT, 'set the project prop instead');
        }
      } catch (e) {
        fail('templatePatch', show(p.templatePatch), `valid YAML (the controller fails with "error while converting template to json"): ${(e as Error).message.split('\n')[0]}`, 'fix the YAML');
      }
    }
  }
  return problems;
}

/**
 * Single-prop rules (docs/rules/appset.md AS9, AS11, AS12, AS22 and the props' own syntax), in the order the
 * constructor reports them (it throws the first).
 *
 * @internal
 */
export function propProblems(p: MultiClusterAppSetProps): Problem[] {
  const problems: Problem[] = [];
  const fail = (prop: string, given: string, expected: string, fix: string) => problems.push({ prop, given, expected, fix });
  if (p.autoSync) {
    fail('autoSync', 'true', 'false: under RollingSync the ApplicationSet controller forces automated sync off on every Application (automated.enabled=false) '
      + 'and syncs each Application itself, step by step, when its target revision or spec changes',
    'remove autoSync; to start a rollout, push the new target revision from CI (a Git webhook or an Application refresh makes Argo CD notice it at once)');
  }
  if (p.applicationsSync === ApplicationsSyncPolicy.CREATE_ONLY || p.applicationsSync === ApplicationsSyncPolicy.CREATE_DELETE) {
    fail('applicationsSync', show(p.applicationsSync.value),
      '"sync" or "create-update": with create-only/create-delete the controller never updates existing Applications, so RollingSync cannot trigger their syncs (argo-cd#29142)',
      'use ApplicationsSyncPolicy.CREATE_UPDATE (or SYNC), or leave applicationsSync unset');
  }
  if (p.generators && (p.clusters || p.environments)) {
    fail('generators', `${p.generators.length} generator(s) together with clusters/environments`, 'either generators or the clusters × environments shape',
      'express the cluster × environment matrix with Generator.matrix() inside generators, or drop generators');
  }
  if (!p.generators && !p.clusters) {
    fail('clusters', 'missing', 'a ClusterSelector (or explicit generators)', 'set clusters: ClusterSelector.matchLabels({...}) or ClusterSelector.all()');
  }
  if (p.generators && p.generators.length === 0) {
    fail('generators', '[]', 'at least one generator', 'add a generator, e.g. Generator.clusters()');
  }
  if (p.generators && !p.applicationName) {
    fail('applicationName', 'missing', 'an Application name pattern when explicit generators are used', 'set applicationName, e.g. "{{.cluster}}-guestbook"');
  }
  if (p.environments) {
    if (p.environments.length === 0) fail('environments', '[]', 'at least one environment', 'list the environments, or drop the prop');
    p.environments.forEach((e, i) => {
      const problem = checkLabelValue(e) ?? checkDns1123Label(e);
      if (problem) fail(`environments[${i}]`, show(e), `${problem} (it becomes a label value and part of Application names)`, 'use a short lowercase name');
    });
    const dup = p.environments.find((e, i) => p.environments!.indexOf(e) !== i);
    if (dup) fail('environments', show(p.environments), 'each environment once', `remove the duplicate "${dup}"`);
  }
  if (p.environmentClusterLabel !== undefined) {
    const problem = checkLabelKey(p.environmentClusterLabel);
    if (problem) fail('environmentClusterLabel', show(p.environmentClusterLabel), problem, 'use the cluster Secret label that holds the environment, e.g. "env"');
    if (!p.environments) fail('environmentClusterLabel', show(p.environmentClusterLabel), 'environments to be set', 'set environments, or drop environmentClusterLabel');
    if (p.clusters && Object.prototype.hasOwnProperty.call(p.clusters.labels, p.environmentClusterLabel)) {
      fail('environmentClusterLabel', show(p.environmentClusterLabel), 'a label the clusters selector does not already fix', 'drop it from clusters.matchLabels');
    }
  }
  if (p.clusters) problems.push(...p.clusters._problems('clusters'));
  if (p.destinationName && p.destinationServer) {
    fail('destinationName', show(p.destinationName), 'either destinationName or destinationServer (Argo CD rejects a destination with both)', 'drop one of them');
  }
  if (p.goTemplate === false && p.goTemplateOptions) {
    fail('goTemplateOptions', show(p.goTemplateOptions), 'no options with goTemplate false', 'drop goTemplateOptions or use goTemplate');
  }
  (p.goTemplateOptions ?? []).forEach((o, i) => {
    if (!GO_TEMPLATE_OPTIONS.includes(o)) {
      fail(`goTemplateOptions[${i}]`, show(o), `one of ${GO_TEMPLATE_OPTIONS.join(', ')} (anything else makes text/template panic in the controller)`, 'use "missingkey=error"');
    }
  });
  problems.push(...int64Problems('retryLimit', p.retryLimit), ...int64Problems('retryBackoffFactor', p.retryBackoffFactor));
  if (p.retryLimit !== undefined && !Number.isInteger(p.retryLimit)) {
    fail('retryLimit', show(p.retryLimit), 'an integer (a negative value retries without limit)', 'set the number of retries');
  }
  if (p.retryBackoffFactor !== undefined && (!Number.isInteger(p.retryBackoffFactor) || p.retryBackoffFactor < 1)) {
    fail('retryBackoffFactor', show(p.retryBackoffFactor), 'an integer >= 1 (the CRD field is int64)', 'use e.g. 2');
  }
  for (const [k, v] of Object.entries(p.labels ?? {})) {
    const problem = checkLabelKey(k) ?? (v.includes('{{') ? undefined : checkLabelValue(v));
    if (problem) fail('labels', `${show(k)}: ${show(v)}`, problem, 'use valid Kubernetes label keys and values');
  }
  problems.push(...sourceProblems(p), ...passthroughProblems(p));
  return problems;
}

/**
 * The cross-object rules of one ApplicationSet, run at synth after every `addStep()` (the rule across
 * ApplicationSets is `nameClashProblems`).
 *
 * @internal
 */
export function synthProblems(m: AppSetModel): Problem[] {
  const problems: Problem[] = [];
  if (m.steps.length === 0) { // AS1
    problems.push({
      prop: 'steps',
      given: '[]',
      expected: m.props.prune
        // prune emits `automated: {prune: true}`, which the controller leaves enabled when there are no steps
        ? 'at least one RollingSync step (with no steps the controller ignores the strategy and leaves the template\'s automated sync on, '
          + 'which prune: true sets, so every Application would sync at once)'
        : 'at least one RollingSync step (with no steps the controller ignores the strategy, and since this library never enables '
          + 'automated sync, no Application would be synced automatically)',
      fix: 'pass steps or call addStep(), e.g. RollingSyncStep.whereIn("env", ["canary"], MaxUpdate.count(1))',
    });
  }
  problems.push(...bakeProblems(m));
  problems.push(...labelGlueProblems(m));
  problems.push(...clusterLabelValueProblems(m));
  m.generators.forEach((g, i) => problems.push(...g._problems(`generators[${i}]`, m.goTemplate)));
  problems.push(...templateProblems(m));
  if (problems.length > 0 || !m.fleet) return problems;
  return fleetProblems(m);
}

/** AS35: a bake is rendered into the Rollouts, which only the stack writes (Argo CD's RollingSync has no wait step). */
function bakeProblems(m: AppSetModel): Problem[] {
  if (m.bakesRendered) return [];
  return m.steps.flatMap((s, i) => (s.bake ? [{
    prop: `steps[${i}]`,
    given: `a step with a bake of ${s.bake.toSeconds()}s`,
    expected: 'a bake only where it is rendered: Argo CD\'s RollingSync step has no wait field (argo-cd#11932), so a bake is a final timed pause in the '
      + 'Rollout of each cluster of the wave, which ProgressiveDeliveryStack writes into the cluster\'s Kustomize overlay; this ApplicationSet does not render the Rollouts',
    fix: 'use ProgressiveDeliveryStack waves for the bake, or end the Rollout your source deploys with setWeight 100 and a timed pause and drop withBake()',
  }] : []));
}

/** AS7: every key a step selects on must be a label the template sets (the glue between steps and Applications). */
function labelGlueProblems(m: AppSetModel): Problem[] {
  const problems: Problem[] = [];
  const labels = m.templateLabels;
  m.steps.forEach((s, i) => s.matchExpressions.forEach((e, j) => {
    if (!Object.prototype.hasOwnProperty.call(labels, e.key)) {
      problems.push({
        prop: `steps[${i}].matchExpressions[${j}].key`,
        given: show(e.key),
        expected: `a label the Application template sets (it sets ${show(Object.keys(labels))}); without it ${e.operator === 'In' ? 'no Application joins this step' : 'the expression matches every Application'}`,
        fix: missingLabelFix(m, e.key, e.values),
      });
    }
  }));
  return problems;
}

/**
 * How to set a label a step selects on: from a generator param of that name; from a list-element param that holds
 * the values the step selects (custom generators, e.g. `{ env: '{{.stage}}' }`); from the cluster Secret's label
 * when the Secrets can carry it; by adding it to the list elements; or a literal.
 */
function missingLabelFix(m: AppSetModel, key: string, values: readonly string[]): string {
  const params = new Set<string>();
  for (const g of m.generators) g._paramKeys(m.goTemplate)?.forEach(k => params.add(k));
  if (params.has(key)) return `add labels: { ${JSON.stringify(key)}: '${m.param(key)}' }`;
  const elements = listElements(m.generators);
  const holder = values.length > 0 ? [...new Set(elements.flatMap(e => Object.keys(e)))].sort()
    .find(k => typeof k === 'string' && values.every(v => elements.some(e => e[k] === v))) : undefined;
  if (holder) {
    return `add labels: { ${JSON.stringify(key)}: '${m.param(holder)}' } (the list elements' "${holder}" holds ${values.map(v => show(v)).join(', ')})`;
  }
  const secretsMayCarryIt = !m.fleet || m.fleet._hasLabelKey(key);
  if (m.usesClusters() && (secretsMayCarryIt || elements.length === 0)) {
    const fromSecret = m.goTemplate ? `{{index .metadata.labels ${JSON.stringify(key)}}}` : `{{metadata.labels.${key}}}`;
    return `add labels: { ${JSON.stringify(key)}: '${fromSecret}' } to copy the cluster Secret's label (or a literal value)`;
  }
  if (elements.length > 0) {
    const example = values.length > 0 ? `{ ${key}: ${show(values[0])}, ... }` : `{ ${key}: '<value>', ... }`;
    return `set "${key}" in each list element (e.g. ${example}) and add labels: { ${JSON.stringify(key)}: '${m.param(key)}' }`;
  }
  return `add labels: { ${JSON.stringify(key)}: '<a value or a template over the generator params>' }`;
}

/** The literal elements of every list generator, nested ones included. */
function listElements(generators: readonly Generator[]): Array<{ [key: string]: unknown }> {
  const out: Array<{ [key: string]: unknown }> = [];
  const walk = (g: Generator) => {
    if (g.type === 'list') {
      const kube = g._toKube();
      for (const e of kube.list?.elements ?? []) if (e && typeof e === 'object') out.push(e);
    }
    g.children.forEach(walk);
  };
  generators.forEach(walk);
  return out;
}

/**
 * AS8, with a fleet: step values on the injected `cluster` label that are raw cluster names whose normalized form
 * differs (the label holds `nameNormalized`, so such a value never matches).
 */
function clusterLabelValueProblems(m: AppSetModel): Problem[] {
  if (!m.fleet || m.templateLabels.cluster !== m.param('nameNormalized')) return [];
  const fleet = m.fleet;
  const problems: Problem[] = [];
  m.steps.forEach((s, i) => s.matchExpressions.forEach((e, j) => {
    if (e.key !== 'cluster') return;
    const raw = e.values.find(v => fleet._hasCluster(v) && Fleet.normalizeClusterName(v) !== v);
    if (raw !== undefined) {
      problems.push({
        prop: `steps[${i}].matchExpressions[${j}].values`,
        given: show(e.values),
        expected: `values of the "cluster" label, which holds the normalized cluster name (${show(raw)} is labelled ${show(Fleet.normalizeClusterName(raw))})`,
        fix: 'use Fleet.normalizeClusterName() of the cluster name',
      });
    }
  }));
  return problems;
}

/** AS20: template strings the controller cannot render: unknown params (missingkey=error), syntax errors, engine mix-ups. */
function templateProblems(m: AppSetModel): Problem[] {
  const problems: Problem[] = [];
  let keys: Set<string> | undefined = new Set<string>();
  for (const g of m.generators) {
    const k = g._paramKeys(m.goTemplate);
    if (!k) { keys = undefined; break; }
    k.forEach(x => keys!.add(x));
  }
  const patch = m.props.templatePatch !== undefined && m.goTemplate ? [m.props.templatePatch] : [];
  for (const s of [...allStrings(m.template), ...patch]) {
    if (!s.includes('{{')) continue;
    if (m.goTemplate) {
      const refs = fieldReferences(s, keys);
      if (!refs.ok) {
        problems.push({ prop: 'template', given: show(s), expected: `a valid template: ${refs.failure.message}`, fix: 'fix the template syntax' });
        continue;
      }
      for (const path of refs.value) {
        if (keys && !keys.has(path[0])) {
          problems.push({
            prop: 'template',
            given: show(s),
            expected: `params the generators produce (${[...keys].sort().map(k => `.${k}`).join(', ')}); ".${path.join('.')}" is not one of them and fails with missingkey=error`,
            fix: 'fix the param name or add it to the generator elements',
          });
        }
      }
    } else {
      for (const match of s.matchAll(/\{\{([^{}]*)\}\}/g)) {
        const k = match[1].trim();
        if (k.startsWith('.') || /[\s|(]/.test(k)) {
          problems.push({ prop: 'template', given: show(s), expected: 'fasttemplate placeholders {{key}} (goTemplate is false)', fix: 'set goTemplate: true or use {{key}}' });
        } else if (keys && !keys.has(k) && !k.startsWith('metadata.')) {
          problems.push({
            prop: 'template',
            given: show(s),
            expected: `params the generators produce (${[...keys].sort().join(', ')}); fasttemplate leaves "{{${k}}}" verbatim`,
            fix: 'fix the param name',
          });
        }
      }
    }
  }
  return problems;
}

/** AS21, AS23-AS26: what the controller would do with the fleet: names, labels, destinations, and which step each Application joins. */
function fleetProblems(m: AppSetModel): Problem[] {
  const r = m.simulation();
  const fleet = m.fleet!;
  if (r.unsupported) {
    const names = fleet.clusters.map(c => c.name);
    return [{ prop: 'fleet', given: `a Fleet of ${names.length} cluster(s) (${names.join(', ')})`, expected: `generators and templates that can be rendered statically; ${r.unsupported}`, fix: 'drop the fleet prop for this ApplicationSet, or use clusters/list/matrix/merge generators' }];
  }
  const problems = [...r.problems];
  const byName = new Map<string, number>();
  for (const a of r.apps) {
    byName.set(a.name, (byName.get(a.name) ?? 0) + 1);
    const nameProblem = checkDns1123Subdomain(a.name);
    if (nameProblem || a.name.includes('<no value>')) {
      problems.push({ prop: 'applicationName', given: `${show(a.name)} (rendered)`, expected: nameProblem ?? 'no "<no value>" (a missing param)', fix: 'use params that render to lowercase alphanumerics and "-", e.g. {{.nameNormalized}}' });
    }
    const labels = a.labels ?? {};
    for (const k of Object.keys(labels)) {
      const v = labels[k];
      const problem = checkLabelKey(k) ?? checkLabelValue(v);
      if (problem || v.includes('<no value>')) {
        problems.push({ prop: `labels.${k}`, given: `${show(v)} (rendered for Application ${show(a.name)})`, expected: problem ?? 'a value without "<no value>"', fix: 'template a shorter or valid label value' });
      }
    }
  }
  for (const [name, n] of byName) {
    if (n > 1) {
      problems.push({
        prop: 'applicationName',
        given: `${show(m.applicationName)}, rendering ${show(name)} ${n} times`,
        expected: 'a unique name per generated Application (the controller skips every copy of a duplicate name)',
        fix: `include the params that distinguish the elements, e.g. ${m.param('nameNormalized')}-${m.param(m.envKey)}`,
      });
    }
  }
  // per destination, its first Application and (only when it has several) all their names
  const byDest = new Map<string, { first: GeneratedApplication; names?: string[] }>();
  for (const a of r.apps) {
    // the same cluster may be addressed by server in one Application and by name in another
    const cluster = a.clusterName ?? a.destinationServer ?? a.destinationName;
    const key = destinationKey(cluster, a.destinationNamespace);
    const entry = byDest.get(key);
    if (!entry) byDest.set(key, { first: a });
    else (entry.names ??= [entry.first.name]).push(a.name);
  }
  for (const { first, names } of byDest.values()) {
    if (names) {
      const where = first.clusterName ? `cluster ${show(first.clusterName)}` : first.destinationServer ?? `cluster ${show(first.destinationName)}`;
      const namespace = first.destinationNamespace;
      problems.push({
        prop: 'destinationNamespace',
        given: `${show(m.props.destinationNamespace)}, which puts ${names.sort().join(', ')} into namespace ${show(namespace)} on ${where}`,
        expected: 'one Application per namespace and cluster (two Applications managing the same resources fight over them)',
        fix: m.props.environments
          ? `include the environment in the namespace (e.g. "${m.props.destinationNamespace}-${m.param(m.envKey)}"), `
            + 'or set environmentClusterLabel so each cluster only gets its own environment'
          : 'include a param that distinguishes them in destinationNamespace',
      });
    }
  }
  if (problems.length > 0 || m.steps.length === 0) return problems;
  return [...problems, ...stepCoverageProblems(m, r)];
}

/**
 * `JSON.stringify([cluster, namespace])` (equal for equal destinations), built without the array and the quoting
 * when both are plain strings: a JSON array text starts with "[", never with "\u0001", so the two forms never meet.
 */
function destinationKey(cluster: unknown, namespace: unknown): string {
  if (typeof cluster === 'string' && typeof namespace === 'string' && !cluster.includes('\u0001')) return `\u0001${cluster}\u0001${namespace}`;
  return JSON.stringify([cluster, namespace]);
}

/** AS5, AS6: every generated Application in exactly one step. */
function stepCoverageProblems(m: AppSetModel, r: Simulation): Problem[] {
  const problems: Problem[] = [];
  const steps = [...m.steps];
  // the steps were checked by addStep() and the names are unique (checked above): the planner skips its input checks
  const plan = RolloutPlan._computeChecked(steps, r.apps);
  if (plan.unmatched.length > 0 && !m.props.allowUnmatchedApplications) {
    const typo = nearMatchHint(m, r, new Set(plan.unmatched));
    problems.push({
      prop: 'steps',
      given: `${steps.length} step(s) that select none of ${plan.unmatched.join(', ')}`,
      expected: 'every generated Application in a step (the controller never syncs an Application no step selects)',
      fix: typo ?? `add a step that selects them${catchAllHint(m)}, or set allowUnmatchedApplications: true to sync them by hand`,
    });
  }
  for (const mm of m.props.allowOverlappingSteps ? [] : plan.multiMatched) {
    problems.push({
      prop: `steps[${mm.steps[1] - 1}]`,
      given: `a step that also selects ${show(mm.application)} (steps ${mm.steps.join(', ')})`,
      expected: 'each Application selected by one step (it syncs in the first; the later step also waits for it)',
      fix: 'narrow the later step (e.g. add LabelExpression.valueNotIn() for what earlier steps take), or set allowOverlappingSteps: true',
    });
  }
  return problems;
}

/**
 * A step value no Application has whose near match the unmatched Applications do have (`env In [prod]` when they
 * are labelled `production`): the fix is the value, not a catch-all step that would hide the typo.
 */
function nearMatchHint(m: AppSetModel, r: Simulation, unmatched: Set<string>): string | undefined {
  const present = new Map<string, Set<string>>();
  const unmatchedValues = new Map<string, Set<string>>();
  for (const a of r.apps) {
    for (const [k, v] of Object.entries(a.labels ?? {})) {
      if (!present.has(k)) present.set(k, new Set());
      present.get(k)!.add(v);
      if (unmatched.has(a.name)) {
        if (!unmatchedValues.has(k)) unmatchedValues.set(k, new Set());
        unmatchedValues.get(k)!.add(v);
      }
    }
  }
  for (const [i, s] of m.steps.entries()) {
    for (const [j, e] of s.matchExpressions.entries()) {
      if (e.operator !== 'In') continue;
      for (const v of e.values) {
        if (present.get(e.key)?.has(v)) continue;
        const near = [...(unmatchedValues.get(e.key) ?? [])].filter(u => isNearMatch(v, u)).sort();
        if (near.length > 0) {
          return `steps[${i}].matchExpressions[${j}] selects ${e.key} In [${e.values.join(', ')}], but no Application has ${e.key}=${show(v)}; `
            + `did you mean ${near.map(x => show(x)).join(' or ')} (the value of ${r.apps.filter(a => unmatched.has(a.name) && a.labels?.[e.key] === near[0]).map(a => a.name).join(', ')})? `
            + 'Fix the value rather than adding a catch-all step, which would hide the typo';
        }
      }
    }
  }
  return undefined;
}

/** `prod`/`production`, `canray`/`canary`: a prefix of one another, or at most a third of the characters apart. */
function isNearMatch(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length >= 2 && b.length >= 2 && (b.startsWith(a) || a.startsWith(b))) return true;
  return editDistance(a, b) <= Math.max(1, Math.floor(Math.min(a.length, b.length) / 3));
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** When every step is a single `In` on one key, the catch-all step that takes the rest without overlapping. */
function catchAllHint(m: AppSetModel): string {
  const exprs = m.steps.map(st => st.matchExpressions);
  if (exprs.length === 0 || !exprs.every(e => e.length === 1 && e[0].operator === 'In' && e[0].key === exprs[0][0].key)) return '';
  const values = [...new Set(exprs.flatMap(e => e[0].values))];
  return ` (e.g. RollingSyncStep.whereNotIn(${JSON.stringify(exprs[0][0].key)}, ${JSON.stringify(values)}))`;
}

/**
 * AS27: Applications are named per Argo CD namespace, not per ApplicationSet: two ApplicationSets of the app that render
 * the same Application name would fight over it. Reported on the later one (tree order).
 *
 * @internal
 */
export function nameClashProblem(m: AppSetModel, otherPath: string, shared: readonly string[], namespace: string | undefined): Problem {
  return {
    prop: 'applicationName',
    given: `${show(m.applicationName)}, rendering ${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ` and ${shared.length - 3} more` : ''}, `
      + `names ${otherPath} renders too`,
    expected: `Application names unique in the Argo CD namespace ${show(namespace)} across ApplicationSets (an Application belongs to one ApplicationSet; `
      + 'the other fails to create or update it)',
    fix: `prefix the names with the service, e.g. applicationName: "${m.name}-${m.param('nameNormalized')}${m.props.environments ? `-${m.param(m.envKey)}` : ''}"`,
  };
}
