import * as YAML from 'yaml';
import { GeneratedApplication } from './app-set-props';
import { Generator } from './generator';
import { TemplateOptions, TemplateResult, compileDeep, renderString } from './template-engine';
import { Problem, show } from '../core/problem';
import { Fleet } from '../fleet/fleet';

/**
 * What the ApplicationSet controller generates for a fleet, computed at synth time: the Applications, the param
 * sets the controller would fail on, or why the generators cannot be evaluated statically.
 *
 * @internal
 */
export interface Simulation {
  /** The Applications of every param set that renders, in generator order. */
  readonly apps: GeneratedApplication[];
  /**
   * The same Applications as rendered objects (`metadata`, `spec`), templatePatch applied: only from
   * `simulateWithObjects` (the conformance harness), else empty — a synth reads the Applications, and keeping every
   * rendered object alive until the app is dropped costs memory and GC time in proportion to the fleet.
   */
  readonly objects: any[];
  /**
   * Why the Applications cannot be rendered at synth time (a git generator, a template function this evaluator does
   * not know); `apps` is empty then.
   */
  readonly unsupported?: string;
  /** Generators and param sets the controller would fail on (`ApplicationGenerationFromParamsError`, `RenderTemplateParamsError`). */
  readonly problems: Problem[];
}

/** @internal What the simulation reads. */
export interface SimulationInput {
  readonly generators: readonly Generator[];
  /** `spec.template` of the ApplicationSet. */
  readonly template: any;
  /** `spec.templatePatch`, if any. */
  readonly templatePatch?: string;
  readonly fleet: Fleet;
  readonly opts: TemplateOptions;
}

/**
 * Renders the Applications the controller would generate: every generator's param sets for the fleet, the template
 * rendered with each. Linear in the number of param sets; the cluster of each Application is looked up in the
 * fleet's index.
 *
 * @internal
 */
export function simulate(input: SimulationInput): Simulation {
  return run(input, false);
}

/**
 * `simulate`, keeping the rendered objects (`Simulation.objects`): for the conformance harness, which compares them
 * with Argo CD's rendering.
 *
 * @internal
 */
export function simulateWithObjects(input: SimulationInput): Simulation {
  return run(input, true);
}

function run(input: SimulationInput, keepObjects: boolean): Simulation {
  const { template, fleet, opts } = input;
  const apps: GeneratedApplication[] = [];
  const objects: any[] = [];
  const problems: Problem[] = [];
  // compiled once: each Application renders only the template's dynamic strings
  const render = compileDeep(template, opts);
  for (const [gi, g] of input.generators.entries()) {
    const sets = paramSets(g, fleet, opts);
    if (!sets.ok) {
      if (sets.failure.kind === 'unsupported') {
        return { apps: [], objects: [], unsupported: `generators[${gi}] cannot be rendered at synth time: ${sets.failure.message}`, problems };
      }
      problems.push({ prop: `generators[${gi}]`, given: show(g.type), expected: `generators the controller can evaluate: ${sets.failure.message}`, fix: 'fix the generator' });
      continue;
    }
    for (const params of sets.value) {
      const rendered = render(params);
      if (!rendered.ok) {
        if (rendered.failure.kind === 'unsupported') {
          return { apps: [], objects: [], unsupported: `the template cannot be rendered at synth time: ${rendered.failure.message}`, problems };
        }
        const inCluster = params.name === 'in-cluster' && params.metadata === undefined && !Object.keys(params).some(k => k.startsWith('metadata.'));
        problems.push({
          prop: 'template',
          given: show(rendered.failure.template),
          expected: `a template every generated param set renders, but for ${show(params)} it fails: ${rendered.failure.message}`,
          fix: `fix the template or the generator params${inCluster ? ' (the local in-cluster has no metadata: give the clusters generator a selector)' : ''}`,
        });
        continue;
      }
      let app = rendered.value;
      if (input.templatePatch !== undefined) {
        const patched = applyTemplatePatch(app, input.templatePatch, params, opts);
        if (patched.kind === 'unsupported') {
          return { apps: [], objects: [], unsupported: `templatePatch cannot be rendered at synth time: ${patched.message}`, problems };
        }
        if (patched.kind === 'invalid') {
          problems.push({
            prop: 'templatePatch',
            given: show(input.templatePatch),
            expected: `a patch every generated param set renders and applies, but for ${show(params)} it fails: ${patched.message}`,
            fix: 'fix the templatePatch or the generator params',
          });
          continue;
        }
        app = patched.app;
      }
      if (keepObjects) objects.push(app);
      const dest = app.spec.destination ?? {};
      const firstSource = app.spec.sources?.[0] ?? app.spec.source ?? {};
      const clusterName = dest.server !== undefined ? fleet._nameOfServer(dest.server) : (fleet._hasCluster(dest.name) ? dest.name : undefined);
      apps.push({
        clusterName,
        name: app.metadata.name,
        labels: app.metadata.labels ?? {},
        destinationNamespace: dest.namespace,
        destinationServer: dest.server,
        destinationName: dest.name,
        sourcePath: firstSource.path,
        targetRevision: firstSource.targetRevision,
      });
    }
  }
  return { apps, objects, problems };
}

/**
 * The param sets of a generator, shared by every simulation of an equal generator over the same fleet version (every
 * service over one fleet with the same environments has the same seed generator). Go templates only (their params are
 * built from JSON: list elements are copied through JSON, cluster params come from the fleet), for generators whose
 * whole spec is plain JSON (`Generator._paramsKey`). The simulation only reads the params.
 */
const SHARED_PARAMS = new WeakMap<Fleet, { version: number; byKey: Map<string, TemplateResult<any[]>> }>();
const SHARED_PARAMS_MAX = 1_000;

function paramSets(g: Generator, fleet: Fleet, opts: TemplateOptions): TemplateResult<any[]> {
  const spec = opts.goTemplate ? g._paramsKey() : undefined;
  if (spec === undefined) return g._generate({ fleet, opts });
  let cache = SHARED_PARAMS.get(fleet);
  if (!cache || cache.version !== fleet._version) {
    cache = { version: fleet._version, byKey: new Map() };
    SHARED_PARAMS.set(fleet, cache);
  }
  const key = `${opts.missingKeyError}/${spec}`;
  let sets = cache.byKey.get(key);
  if (!sets) {
    sets = g._generate({ fleet, opts });
    if (cache.byKey.size >= SHARED_PARAMS_MAX) cache.byKey.clear();
    cache.byKey.set(key, sets);
  }
  return sets;
}

type PatchResult = { kind: 'ok'; app: any } | { kind: 'invalid'; message: string } | { kind: 'unsupported'; message: string };

/**
 * What the controller does with `spec.templatePatch` (applicationset/controllers/template: renderTemplatePatch,
 * applyTemplatePatch): render it with the param set, read it as YAML, check it decodes into an Application, apply it
 * as a strategic merge patch to the rendered Application, then reset `spec.project` to the unpatched value. The
 * Application type has no list merge keys, so the patch merges objects, replaces lists and deletes on `null`
 * (RFC 7386 semantics); patch directives (`$patch`, `$retainKeys`, ...) are not evaluated here.
 */
function applyTemplatePatch(app: any, patch: string, params: any, opts: TemplateOptions): PatchResult {
  const rendered = renderString(patch, params, opts);
  if (!rendered.ok) {
    return rendered.failure.kind === 'unsupported' ? { kind: 'unsupported', message: rendered.failure.message }
      : { kind: 'invalid', message: `error replacing values in templatePatch: ${rendered.failure.message}` };
  }
  let doc: any;
  try {
    doc = YAML.parse(rendered.value, { version: '1.1' });
  } catch (e) {
    return { kind: 'invalid', message: `error while converting template to json: ${(e as Error).message.split('\n')[0]}` };
  }
  if (doc === null || doc === undefined) return { kind: 'ok', app };
  const decodeProblem = applicationDecodeProblem(doc);
  if (decodeProblem) return { kind: 'invalid', message: `invalid templatePatch: ${decodeProblem}` };
  if (doc.spec && typeof doc.spec === 'object' && doc.spec.project !== undefined) {
    return { kind: 'invalid', message: 'the patch sets spec.project, which the controller resets to the template\'s project ("Prevent changes to the `project` field")' };
  }
  if (JSON.stringify(doc).includes('"$')) return { kind: 'unsupported', message: 'strategic merge patch directives ($patch, $retainKeys, ...)' };
  const patched = mergePatch(app, doc);
  patched.spec = { ...(patched.spec ?? {}), project: app.spec.project };
  return { kind: 'ok', app: patched };
}

/** Why a JSON value does not decode into an Application (json.Unmarshal type errors on the fields the library reads). */
function applicationDecodeProblem(doc: any): string | undefined {
  const isObject = (v: any) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(doc)) return `cannot unmarshal ${Array.isArray(doc) ? 'array' : typeof doc} into Go value of type v1alpha1.Application`;
  for (const k of ['metadata', 'spec']) {
    if (doc[k] !== undefined && doc[k] !== null && !isObject(doc[k])) return `cannot unmarshal ${typeof doc[k]} into Go struct field Application.${k}`;
  }
  for (const k of ['labels', 'annotations']) {
    const m = doc.metadata?.[k];
    if (m === undefined || m === null) continue;
    if (!isObject(m) || Object.values(m).some(v => typeof v !== 'string' && v !== null)) {
      return `cannot unmarshal into Go struct field Application.metadata.${k} of type map[string]string`;
    }
  }
  const spec = doc.spec ?? {};
  for (const k of ['source', 'destination', 'syncPolicy']) {
    if (spec[k] !== undefined && spec[k] !== null && !isObject(spec[k])) return `cannot unmarshal ${typeof spec[k]} into Go struct field ApplicationSpec.spec.${k}`;
  }
  for (const k of ['sources', 'ignoreDifferences']) {
    if (spec[k] !== undefined && spec[k] !== null && !Array.isArray(spec[k])) return `cannot unmarshal ${typeof spec[k]} into Go struct field ApplicationSpec.spec.${k}`;
  }
  return undefined;
}

/** RFC 7386 merge: objects merged key by key, anything else replaced, `null` deletes. */
function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: any = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
