import { CLUSTERS_GENERATOR_OPTIONS, GIT_DIRECTORIES_GENERATOR_OPTIONS, GIT_FILES_GENERATOR_OPTIONS, LIST_GENERATOR_OPTIONS } from './input-shapes';
import { TemplateOptions, TemplateResult, invalid, ok, renderDeep, unsupported } from './template-engine';
import {
  optionalInstance, optionalString, optionalStringMap, requireArray, requireInstance, requireObject, requireString, requireStringArray,
} from '../core/input-types';
import { normalize } from '../core/names';
import { Problem, show } from '../core/problem';
import { checkStruct, required } from '../core/struct-shape';
import { ClusterSelector } from '../fleet/cluster-selector';
import { Fleet, SelectedCluster } from '../fleet/fleet';
import { LabelExpression } from '../rolling-sync/label-expression';

/**
 * Options of `Generator.clusters()`.
 */
export interface ClustersGeneratorOptions {
  /**
   * Which cluster Secrets to select.
   *
   * @default - every cluster, including the local in-cluster
   */
  readonly selector?: ClusterSelector;

  /**
   * Extra params per cluster (`{{.values.<key>}}`); each value may itself reference the cluster params.
   *
   * @default - no values
   */
  readonly values?: { [key: string]: string };
}

/**
 * Options of `Generator.list()`.
 */
export interface ListGeneratorOptions {
  /**
   * The param sets, one per Application. With fasttemplate every value must be a string, except `values`
   * (a map of strings, read as `{{values.<key>}}`).
   */
  readonly elements: Array<{ [key: string]: any }>;

  /**
   * A YAML list of maps appended after `elements`, usually a template over the params of the other matrix child.
   * It cannot be rendered at synth time.
   *
   * @default - none
   */
  readonly elementsYaml?: string;
}

/**
 * One directory pattern of a git directories generator.
 */
export interface GitDirectory {
  /** A path glob in the repository, e.g. `apps/*`. */
  readonly path: string;
  /**
   * Exclude the directories matching `path` instead of including them.
   *
   * @default false
   */
  readonly exclude?: boolean;
}

/**
 * Options of `Generator.gitDirectories()` and `Generator.gitFiles()`.
 */
export interface GitGeneratorOptions {
  /** The repository URL. */
  readonly repoUrl: string;
  /**
   * The revision to scan.
   *
   * @default 'HEAD'
   */
  readonly revision?: string;
  /**
   * Prefix of the path params (`{{.<prefix>.path.path}}`); required when both children of a matrix are git generators.
   *
   * @default - no prefix
   */
  readonly pathParamPrefix?: string;
  /**
   * Extra params (`{{.values.<key>}}`).
   *
   * @default - no values
   */
  readonly values?: { [key: string]: string };
}

/**
 * Options of `Generator.gitDirectories()`.
 */
export interface GitDirectoriesGeneratorOptions extends GitGeneratorOptions {
  /** The directory patterns. */
  readonly directories: GitDirectory[];
}

/**
 * Options of `Generator.gitFiles()`.
 */
export interface GitFilesGeneratorOptions extends GitGeneratorOptions {
  /** Globs of JSON/YAML files whose content become params. */
  readonly files: string[];
}

const IN_CLUSTER = { name: 'in-cluster', server: 'https://kubernetes.default.svc' };
const COMBINERS = ['matrix', 'merge'];
/** The sibling key of a generator that filters its param sets; not a generator itself. */
const POST_SELECTOR = 'selector';

const isGenerator = (v: any) => typeof v._generate === 'function' && typeof v._toKube === 'function';
const GENERATOR_FIX = 'use Generator.clusters(), list(), matrix(), merge(), gitDirectories(), gitFiles() or fromJson()';

function checkGenerators(where: string, generators: unknown): void {
  requireArray(where, 'generators', generators, (g, prop) => requireInstance(where, prop, g, 'Generator', isGenerator, GENERATOR_FIX));
}

function checkGitOptions(where: string, options: GitGeneratorOptions): void {
  requireObject(where, 'options', options);
  requireString(where, 'repoUrl', options.repoUrl, 'pass the repository URL');
  optionalString(where, 'revision', options.revision);
  optionalString(where, 'pathParamPrefix', options.pathParamPrefix);
  optionalStringMap(where, 'values', options.values);
}

/** @internal What a generator needs to render statically. */
export interface GenerateContext {
  readonly fleet: Fleet;
  readonly opts: TemplateOptions;
  /** Renders a child's strings with the params of the first matrix child. */
  readonly interpolate?: (value: any) => TemplateResult<any>;
}

/**
 * An ApplicationSet generator: produces the param sets the Application template is rendered with.
 */
export class Generator {
  /**
   * One param set per selected Argo CD cluster: `name`, `nameNormalized`, `server`, `project`, `metadata.labels`,
   * `metadata.annotations`, `values`.
   *
   * @param options selector and values
   */
  public static clusters(options: ClustersGeneratorOptions = {}): Generator {
    checkStruct('Generator.clusters', 'options', options, CLUSTERS_GENERATOR_OPTIONS);
    requireObject('Generator.clusters', 'options', options);
    optionalInstance('Generator.clusters', 'selector', options.selector, 'ClusterSelector', (v: any) => typeof v.matches === 'function' && typeof v._toKube === 'function',
      'use ClusterSelector.matchLabels({...})');
    optionalStringMap('Generator.clusters', 'values', options.values);
    return new Generator('clusters', { selector: options.selector ?? ClusterSelector.all(), values: options.values ? { ...options.values } : undefined });
  }

  /**
   * A literal list of param sets.
   *
   * @param options the elements
   */
  public static list(options: ListGeneratorOptions): Generator {
    checkStruct('Generator.list', 'options', options, required(LIST_GENERATOR_OPTIONS));
    requireObject('Generator.list', 'options', options, 'pass { elements: [...] }');
    requireArray('Generator.list', 'elements', options.elements, (e, prop) => requireObject('Generator.list', prop, e, 'pass one map of params per element'));
    optionalString('Generator.list', 'elementsYaml', options.elementsYaml);
    return new Generator('list', { elements: options.elements.map(e => ({ ...e })), elementsYaml: options.elementsYaml });
  }

  /**
   * The cartesian product of exactly two generators; the second may reference the first one's params.
   *
   * @param generators the two children (a child may itself be a matrix or merge of terminal generators)
   */
  public static matrix(generators: Generator[]): Generator {
    checkGenerators('Generator.matrix', generators);
    return new Generator('matrix', { generators: [...generators] });
  }

  /**
   * The first generator's param sets, overridden by the later generators' sets with the same `mergeKeys` values.
   *
   * @param mergeKeys the param keys that identify a set
   * @param generators at least two children; the first is the base
   */
  public static merge(mergeKeys: string[], generators: Generator[]): Generator {
    requireStringArray('Generator.merge', 'mergeKeys', mergeKeys);
    checkGenerators('Generator.merge', generators);
    return new Generator('merge', { mergeKeys: [...mergeKeys], generators: [...generators] });
  }

  /**
   * One param set per directory of a git repository (`path`, `path.basename`, ...). Not renderable at synth time.
   *
   * @param options repository and directories
   */
  public static gitDirectories(options: GitDirectoriesGeneratorOptions): Generator {
    checkStruct('Generator.gitDirectories', 'options', options, required(GIT_DIRECTORIES_GENERATOR_OPTIONS));
    checkGitOptions('Generator.gitDirectories', options);
    requireArray('Generator.gitDirectories', 'directories', options.directories, (d: any, prop) => {
      requireObject('Generator.gitDirectories', prop, d, 'pass { path: "apps/*" }');
      requireString('Generator.gitDirectories', `${prop}.path`, d.path);
    });
    return new Generator('git', {
      repoURL: options.repoUrl,
      revision: options.revision ?? 'HEAD',
      directories: options.directories.map(d => ({ path: d.path, ...(d.exclude ? { exclude: true } : {}) })),
      ...(options.pathParamPrefix ? { pathParamPrefix: options.pathParamPrefix } : {}),
      ...(options.values ? { values: { ...options.values } } : {}),
    });
  }

  /**
   * One param set per JSON/YAML file of a git repository. Not renderable at synth time.
   *
   * @param options repository and file globs
   */
  public static gitFiles(options: GitFilesGeneratorOptions): Generator {
    checkStruct('Generator.gitFiles', 'options', options, required(GIT_FILES_GENERATOR_OPTIONS));
    checkGitOptions('Generator.gitFiles', options);
    requireStringArray('Generator.gitFiles', 'files', options.files);
    return new Generator('git', {
      repoURL: options.repoUrl,
      revision: options.revision ?? 'HEAD',
      files: options.files.map(path => ({ path })),
      ...(options.pathParamPrefix ? { pathParamPrefix: options.pathParamPrefix } : {}),
      ...(options.values ? { values: { ...options.values } } : {}),
    });
  }

  /**
   * Escape hatch: a generator given as its manifest JSON, e.g. `{ pullRequest: {...} }`, optionally with its
   * post-`selector` sibling (`{ list: {...}, selector: { matchLabels: {...} } }`). It is emitted as is and cannot be
   * rendered at synth time.
   *
   * @param generator the generator object, with exactly one generator key (plus an optional `selector`)
   */
  public static fromJson(generator: { [key: string]: any }): Generator {
    requireObject('Generator.fromJson', 'generator', generator, 'pass the generator object, e.g. { pullRequest: {...} }');
    const keys = Object.keys(generator).filter(k => k !== POST_SELECTOR);
    return new Generator(keys.length === 1 ? keys[0] : keys.join('+') || 'none', JSON.parse(JSON.stringify(generator[keys[0]] ?? {})), generator);
  }

  /** The generator type: `clusters`, `list`, `matrix`, `merge`, `git`, or the key given to `fromJson`. */
  public readonly type: string;
  private readonly spec: any;
  private readonly raw?: { [key: string]: any };

  private constructor(type: string, spec: any, raw?: { [key: string]: any }) {
    this.type = type;
    this.spec = spec;
    this.raw = raw;
  }

  /**
   * The child generators of a matrix or merge (empty otherwise).
   */
  public get children(): Generator[] {
    return COMBINERS.includes(this.type) && !this.raw ? [...this.spec.generators] : [];
  }

  /** @internal */
  public _toKube(): any {
    if (this.raw) return JSON.parse(JSON.stringify(this.raw));
    switch (this.type) {
      case 'clusters': {
        const selector = (this.spec.selector as ClusterSelector)._toKube();
        return {
          clusters: {
            ...(Object.keys(selector).length > 0 ? { selector } : {}),
            ...(this.spec.values ? { values: this.spec.values } : {}),
          },
        };
      }
      case 'list':
        return { list: { elements: this.spec.elements, ...(this.spec.elementsYaml ? { elementsYaml: this.spec.elementsYaml } : {}) } };
      case 'matrix':
        return { matrix: { generators: this.children.map(g => g._toKube()) } };
      case 'merge':
        return { merge: { mergeKeys: this.spec.mergeKeys, generators: this.children.map(g => g._toKube()) } };
      default:
        return { [this.type]: this.spec };
    }
  }

  /**
   * Structural problems (matrix/merge rules, selectors, list values) at `prop`, e.g. `generators[0]`.
   *
   * @internal
   */
  public _problems(prop: string, goTemplate: boolean, depth = 0, matrixSecondChild = false): Problem[] {
    const problems: Problem[] = [];
    const rawKeys = this.raw ? Object.keys(this.raw).filter(k => k !== POST_SELECTOR) : [];
    if (this.raw && rawKeys.length !== 1) {
      problems.push({
        prop,
        given: show(rawKeys),
        expected: `exactly one generator type per entry (${rawKeys.length > 1 ? 'found more than one generator' : 'found none; "selector" only filters a generator\'s params'})`,
        fix: 'split it into separate generators',
      });
      return problems;
    }
    if (this.type === 'clusters') {
      problems.push(...(this.spec.selector as ClusterSelector)._problems(`${prop}.clusters.selector`, matrixSecondChild));
    }
    if (this.type === 'list' && !goTemplate) {
      (this.spec.elements as any[]).forEach((e, i) => {
        for (const [k, v] of Object.entries(e)) {
          const isString = k === 'values'
            ? v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(x => typeof x === 'string')
            : typeof v === 'string';
          if (!isString) {
            problems.push({
              prop: `${prop}.list.elements[${i}].${k}`,
              given: show(v),
              expected: 'a string (fasttemplate only substitutes strings; "values" must be a map of strings): the controller fails with "error parsing value as string"',
              fix: 'quote the value, or use goTemplate (the default)',
            });
          }
        }
      });
    }
    if (COMBINERS.includes(this.type) && !this.raw) {
      const children = this.children;
      if (depth >= 1 && children.some(c => COMBINERS.includes(c.type))) {
        problems.push({
          prop: `${prop}.${this.type}.generators`,
          given: 'a matrix/merge nested two levels deep',
          expected: 'at most one level of nesting: a nested matrix or merge may contain only terminal generators (the CRD cannot express more)',
          fix: 'flatten the nested combination',
        });
      }
      if (this.type === 'matrix' && children.length !== 2) {
        problems.push({
          prop: `${prop}.matrix.generators`,
          given: `${children.length} generator(s)`,
          expected: `exactly 2 child generators (the controller fails with "found ${children.length < 2 ? 'less' : 'more'} than two generators")`,
          fix: 'nest matrices to combine more than two generators',
        });
      }
      if (this.type === 'matrix' && children.length === 2 && children.every(c => c.type === 'git') &&
        children.filter(c => c.spec.pathParamPrefix).length < 1) {
        problems.push({
          prop: `${prop}.matrix.generators`,
          given: 'two git generators without pathParamPrefix',
          expected: 'a pathParamPrefix on at least one git child (their path params collide)',
          fix: 'set pathParamPrefix on one of them',
        });
      }
      if (this.type === 'merge') {
        if (children.length < 2) {
          problems.push({ prop: `${prop}.merge.generators`, given: `${children.length} generator(s)`, expected: 'at least 2 child generators', fix: 'add the generator whose sets override the base' });
        }
        if (this.spec.mergeKeys.length === 0) {
          problems.push({ prop: `${prop}.merge.mergeKeys`, given: '[]', expected: 'at least one merge key', fix: 'name the param(s) that identify a set, e.g. ["server"]' });
        }
      }
      if (this.type === 'matrix' && children[0]?.type === 'list' && JSON.stringify(children[0].spec.elements).includes('{{')) {
        problems.push({
          prop: `${prop}.matrix.generators[0].list.elements`,
          given: show(children[0].spec.elements),
          expected: 'no template placeholders in the first child (only the second child is rendered with the other child\'s params)',
          fix: 'swap the two children so the list that references params comes second',
        });
      }
      children.forEach((c, i) => problems.push(...c._problems(`${prop}.${this.type}.generators[${i}]`, goTemplate, depth + 1, this.type === 'matrix' && i === 1)));
    }
    return problems;
  }

  /**
   * The top-level param keys this generator produces, or undefined when unknown (git files, fromJson, elementsYaml).
   *
   * @internal
   */
  public _paramKeys(goTemplate: boolean): Set<string> | undefined {
    const flatValues = (prefix: string, m?: { [k: string]: any }) => Object.keys(m ?? {}).map(k => `${prefix}.${k}`);
    if (this.raw) return undefined;
    switch (this.type) {
      case 'clusters':
        return new Set(goTemplate ? ['name', 'nameNormalized', 'server', 'project', 'metadata', 'values']
          : ['name', 'nameNormalized', 'server', 'project', ...flatValues('values', this.spec.values)]);
      case 'list': {
        if (this.spec.elementsYaml) return undefined;
        const keys = new Set<string>();
        for (const e of this.spec.elements) {
          for (const [k, v] of Object.entries(e)) {
            if (!goTemplate && k === 'values') flatValues('values', v as any).forEach(x => keys.add(x));
            else keys.add(k);
          }
        }
        return keys;
      }
      case 'git': {
        if (this.spec.files) return undefined;
        const p = this.spec.pathParamPrefix;
        if (goTemplate) return new Set([p ?? 'path', ...(this.spec.values ? ['values'] : [])]);
        const base = ['path', 'path.basename', 'path.basenameNormalized', 'path.filename', 'path.filenameNormalized'];
        return new Set([...base.map(b => (p ? `${p}.${b}` : b)), ...flatValues('values', this.spec.values)]);
      }
      case 'matrix':
      case 'merge': {
        const all = new Set<string>();
        for (const c of this.children) {
          const keys = c._paramKeys(goTemplate);
          if (!keys) return undefined;
          keys.forEach(k => all.add(k));
        }
        return all;
      }
      default:
        return undefined;
    }
  }

  /**
   * Everything `_generate` reads from this generator (type, selector with every expression's values, values,
   * elements, merge keys, children), as a string: equal strings generate equal param sets for the same fleet and
   * options. Undefined when it cannot be told by a string: `fromJson` generators, or list elements that are not
   * plain JSON.
   *
   * @internal
   */
  public _paramsKey(): string | undefined {
    if (this.raw) return undefined;
    switch (this.type) {
      case 'clusters': {
        const selector = this.spec.selector as ClusterSelector;
        const expressions = selector.expressions.map(e => [e.key, e.operator, e.values]);
        return JSON.stringify(['clusters', selector.labels, expressions, this.spec.values ?? null]);
      }
      case 'list':
        return isPlainJson(this.spec.elements) ? JSON.stringify(['list', this.spec.elements, this.spec.elementsYaml ?? null]) : undefined;
      case 'matrix':
      case 'merge': {
        const children: string[] = [];
        for (const c of this.children) {
          const k = c._paramsKey();
          if (k === undefined) return undefined;
          children.push(k);
        }
        return `${JSON.stringify([this.type, this.spec.mergeKeys ?? null])}[${children.join(',')}]`;
      }
      default:
        return undefined;
    }
  }

  /**
   * The param sets this generator produces for a fleet, as the controller builds them (goTemplate: nested maps;
   * fasttemplate: flat string maps), or why it cannot: `invalid` when the controller fails too (a key collision, a
   * merge child with duplicate keys), `unsupported` for generators that need the Git provider or an external source.
   *
   * @internal
   */
  public _generate(ctx: GenerateContext): TemplateResult<any[]> {
    const interp = ctx.interpolate ?? ((v: any) => ok(v));
    switch (this.raw ? 'raw' : this.type) {
      case 'clusters': return this.generateClusters(ctx, interp);
      case 'list': {
        if (this.spec.elementsYaml) return unsupported('list.elementsYaml');
        const rendered = interp(this.spec.elements);
        if (!rendered.ok) return rendered;
        const elements = rendered.value as any[];
        if (ctx.opts.goTemplate) return ok(elements.map(e => JSON.parse(JSON.stringify(e))));
        return ok(elements.map(e => {
          const flat: any = {};
          for (const [k, v] of Object.entries(e)) {
            if (k === 'values' && v && typeof v === 'object') {
              for (const [vk, vv] of Object.entries(v)) flat[`values.${vk}`] = vv;
            } else {
              flat[k] = v;
            }
          }
          return flat;
        }));
      }
      case 'matrix': {
        const [first, second] = this.children;
        const out: any[] = [];
        const firstSets = first._generate(ctx);
        if (!firstSets.ok) return firstSets;
        for (const p1 of firstSets.value) {
          const interpolate = (v: any): TemplateResult<any> => {
            const outer = interp(v);
            return outer.ok ? renderDeep(outer.value, p1, ctx.opts) : outer;
          };
          const secondSets = second._generate({ ...ctx, interpolate });
          if (!secondSets.ok) return secondSets;
          for (const p2 of secondSets.value) {
            const combined = combine(p1, p2, ctx.opts.goTemplate);
            if (!combined.ok) return combined;
            out.push(combined.value);
          }
        }
        return ok(out);
      }
      case 'merge': return this.generateMerge(ctx);
      default:
        return unsupported(`the ${this.type} generator (its params come from ${this.type === 'git' ? 'a Git repository' : 'an external source'})`);
    }
  }

  private generateClusters(ctx: GenerateContext, interp: (v: any) => TemplateResult<any>): TemplateResult<any[]> {
    // the second child of a matrix sees the first child's params rendered into its selector
    const declared = this.spec.selector as ClusterSelector;
    const expressions: LabelExpression[] = [];
    for (const e of declared.expressions) {
      const values = interp(e.values);
      if (!values.ok) return values;
      expressions.push(LabelExpression.of(e.key, e.operator, values.value));
    }
    const labels = interp(declared.labels);
    if (!labels.ok) return labels;
    const secrets = selectClusters(ctx.fleet, labels.value, expressions);
    const out: any[] = [];
    for (const { cluster: c, secretLabels: selected, nameNormalized } of secrets) {
      const secretLabels = { ...selected };
      const base: any = { name: c.name, nameNormalized, server: c.server, project: '' };
      if (ctx.opts.goTemplate) {
        base.metadata = { labels: secretLabels };
      } else {
        for (const [k, v] of Object.entries(secretLabels)) base[`metadata.labels.${k}`] = v;
      }
      const withValues = this.withValues(base, ctx, interp);
      if (!withValues.ok) return withValues;
      out.push(withValues.value);
    }
    if (declared.isEmpty && !secrets.some(s => s.cluster.server === IN_CLUSTER.server)) {
      const inCluster = this.withValues({ ...IN_CLUSTER, nameNormalized: IN_CLUSTER.name, project: '' }, ctx, interp);
      if (!inCluster.ok) return inCluster;
      out.push(inCluster.value);
    }
    return ok(out);
  }

  private withValues(base: any, ctx: GenerateContext, interp: (v: any) => TemplateResult<any>): TemplateResult<any> {
    // no values: interpolating {} always gives {} (and would only cost a fresh object for the static-subtree memo)
    const values = this.spec.values === undefined ? ok({}) : interp(this.spec.values);
    if (!values.ok) return values;
    const rendered: { [key: string]: any } = {};
    for (const [k, v] of Object.entries(values.value)) {
      const r = renderDeep(v, base, ctx.opts);
      if (!r.ok) return r;
      rendered[k] = r.value;
    }
    if (ctx.opts.goTemplate) {
      base.values = rendered;
    } else {
      for (const [k, v] of Object.entries(rendered)) base[`values.${k}`] = v;
    }
    return ok(base);
  }

  private generateMerge(ctx: GenerateContext): TemplateResult<any[]> {
    const keys: string[] = this.spec.mergeKeys;
    const id = (p: any) => JSON.stringify(keys.map(k => p[k]));
    const childSets: Array<Map<string, any>> = [];
    let base: any[] = [];
    for (const [i, c] of this.children.entries()) {
      const sets = c._generate(ctx);
      if (!sets.ok) return sets;
      const byId = new Map<string, any>();
      for (const s of sets.value) {
        const k = id(s);
        if (byId.has(k)) return invalid(`merge: generators[${i}] produces two param sets with the same merge keys ${k}; every child's sets must be unique by merge keys`);
        byId.set(k, s);
      }
      if (i === 0) base = sets.value;
      else childSets.push(byId);
    }
    // Go templates: the clusters generator's `values`, `metadata.labels` and `metadata.annotations` are Go
    // map[string]string; Argo CD's merge (mergo, applicationset/generators/merge.go) panics deep-merging another
    // generator's map (map[string]interface{}) into one: "reflect.Value.SetMapIndex: value of type interface {} is not
    // assignable to type string" (found by the conformance harness against Argo CD v3.5.1).
    if (ctx.opts.goTemplate && this.children[0]?.type === 'clusters') {
      for (const b of base) {
        for (const [j, byId] of childSets.entries()) {
          if (this.children[j + 1].type === 'clusters') continue; // map[string]string into map[string]string merges fine
          const match = byId.get(id(b));
          const path = match && STRING_MAP_PARAMS.find(p => isObject(at(b, p)) && isObject(at(match, p)));
          if (path) {
            return invalid(`merge: generators[${j + 1}] overrides the clusters generator's ${path.join('.')} with a map; Argo CD's merge generator `
              + 'panics deep-merging it into the clusters generator\'s map[string]string ("reflect.Value.SetMapIndex: value of type interface {} is '
              + 'not assignable to type string") and the ApplicationSet generates nothing; put the overriding values under another key '
              + `(e.g. "override"), or set ${path.join('.')} in one generator only`);
          }
        }
      }
    }
    return ok(base.map(b => {
      let merged = b;
      for (const byId of childSets) {
        const match = byId.get(id(b));
        if (match) merged = ctx.opts.goTemplate ? deepMerge(merged, match) : { ...merged, ...match };
      }
      return merged;
    }));
  }
}

/** Strings, finite numbers, booleans, null, arrays and plain objects of those: what JSON.stringify keeps as is. */
function isPlainJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isPlainJson);
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && Object.values(v as object).every(isPlainJson);
}

/** The clusters generator's params that are Go map[string]string under goTemplate. */
const STRING_MAP_PARAMS: ReadonlyArray<readonly string[]> = [['values'], ['metadata', 'labels'], ['metadata', 'annotations']];

function at(o: any, path: readonly string[]): unknown {
  return path.reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), o);
}

function isObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function deepMerge(a: any, b: any): any {
  const out: any = { ...a };
  for (const k of Object.keys(b)) {
    const v = b[k];
    const o = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && o && typeof o === 'object' ? deepMerge(o, v) : v;
  }
  return out;
}

/** A cluster a clusters generator selects, with its normalized name. */
interface SelectedClusterParams extends SelectedCluster {
  readonly nameNormalized: string;
}

/**
 * The clusters each selector selects in a fleet, by fleet version: the clusters generator of every ApplicationSet over
 * the same fleet asks for the same few selectors (one per environment in the seed shape).
 */
const SELECTIONS = new WeakMap<Fleet, { version: number; byKey: Map<string, readonly SelectedClusterParams[]> }>();
const SELECTIONS_MAX = 10_000;

/** `fleet._selectClusters(ClusterSelector.of(labels, expressions))` with each cluster's `nameNormalized`, cached. */
function selectClusters(fleet: Fleet, labels: { [key: string]: string }, expressions: readonly LabelExpression[]): readonly SelectedClusterParams[] {
  let cache = SELECTIONS.get(fleet);
  if (!cache || cache.version !== fleet._version) {
    cache = { version: fleet._version, byKey: new Map() };
    SELECTIONS.set(fleet, cache);
  }
  const key = JSON.stringify([labels, expressions.map(e => [e.key, e.operator, e.values])]);
  let selected = cache.byKey.get(key);
  if (!selected) {
    selected = fleet._selectClusters(ClusterSelector.of(labels, [...expressions]))
      .map(s => ({ cluster: s.cluster, secretLabels: s.secretLabels, nameNormalized: normalize(s.cluster.name) }));
    if (cache.byKey.size >= SELECTIONS_MAX) cache.byKey.clear();
    cache.byKey.set(key, selected);
  }
  return selected;
}

/** Matrix: goTemplate deep-merges with the first child winning; fasttemplate rejects a key with two values. */
function combine(p1: any, p2: any, goTemplate: boolean): TemplateResult<any> {
  if (goTemplate) return ok(deepMerge(p2, p1));
  const out: any = { ...p1 };
  for (const [k, v] of Object.entries(p2)) {
    if (Object.prototype.hasOwnProperty.call(out, k) && out[k] !== v) {
      return invalid(`found duplicate key ${k} with different value, a: ${out[k]} ,b: ${v}`);
    }
    out[k] = v;
  }
  return ok(out);
}
