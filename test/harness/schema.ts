/**
 * Strict schema validation of synthesized Kubernetes objects.
 *
 * - Custom resources: the openAPIV3Schema of the CRDs vendored in crds/, converted to JSON Schema for ajv with
 *   `additionalProperties: false` on every object that lists `properties` (unknown fields are errors, as with
 *   `kubectl apply --validate=strict`), except where the CRD says `x-kubernetes-preserve-unknown-fields`.
 *   `x-kubernetes-int-or-string` becomes integer|string, `nullable` adds null. Formats are not checked.
 *   Compiled validators are cached as standalone code in .cache/crd-validators/, keyed by a hash of the CRD and of
 *   this converter, so a run compiles each schema once (test/harness/global-setup.ts) and test files only load them.
 * - Core kinds (apps/v1 Deployment, v1 Service, ConfigMap, ...): the precompiled validators of the npm package
 *   `kubernetes-models` 4.5.1 (generated from the Kubernetes OpenAPI spec). They check types, enums and required
 *   fields; they do not reject unknown fields (the objects come from cdk8s-plus's typed L1s, which cannot emit any).
 * - Every object: metadata is checked against ObjectMeta and metadata.name must be a DNS-1123 subdomain.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import * as YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const CRD_DIR = path.join(ROOT, 'crds');
const CACHE_DIR = path.join(ROOT, '.cache', 'crd-validators');
/** Bump when convert() changes, so cached validators are rebuilt. */
const CONVERTER_VERSION = '4';

type ValidateFn = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; params?: any }> | null };

interface CrdVersionEntry {
  readonly key: string; // group/version/Kind
  readonly kind: string;
  readonly version: string;
  readonly schema: any;
  readonly hash: string;
}

let crdIndex: Map<string, CrdVersionEntry> | undefined;
const loaded = new Map<string, ValidateFn>();

/** Converts a CRD structural schema to JSON Schema (draft-07 for ajv). */
export function convert(s: any, strict: boolean): any {
  if (Array.isArray(s)) return s.map(x => convert(x, strict));
  if (!s || typeof s !== 'object') return s;
  const out: any = {};
  for (const [k, v] of Object.entries<any>(s)) {
    if (k.startsWith('x-kubernetes-') || k === 'nullable' || k === 'format') continue;
    if (k === 'properties' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries<any>(v).map(([p, ps]) => [p, convert(ps, strict)]));
    } else if (k === 'additionalProperties' && typeof v === 'object') {
      out[k] = convert(v, strict);
    } else if (['items', 'allOf', 'anyOf', 'oneOf', 'not'].includes(k)) {
      out[k] = convert(v, strict);
    } else {
      out[k] = v;
    }
  }
  if (s['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [...(out.anyOf ?? []), { type: 'integer' }, { type: 'string' }];
    if (s.anyOf) { // CRDs that spell int-or-string as anyOf already: keep theirs
      out.anyOf = convert(s.anyOf, strict);
    }
  }
  if (s.nullable && out.type) out.type = [out.type, 'null'];
  if (s['x-kubernetes-embedded-resource'] && out.properties) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (strict && out.properties && !('additionalProperties' in out) && !preserve) {
    out.additionalProperties = false;
  }
  return out;
}

function index(): Map<string, CrdVersionEntry> {
  if (crdIndex) return crdIndex;
  crdIndex = new Map();
  for (const file of fs.readdirSync(CRD_DIR).filter(f => f.endsWith('.yaml')).sort()) {
    const text = fs.readFileSync(path.join(CRD_DIR, file), 'utf8');
    for (const doc of YAML.parseAllDocuments(text)) {
      const crd = doc.toJSON();
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      for (const ver of crd.spec.versions) {
        const schema = convert(ver.schema.openAPIV3Schema, true);
        // metadata is validated separately (ObjectMeta), like the API server does. apiVersion and kind are implicit
        // in every CRD (some, like Istio's, list only spec/status at the root).
        schema.properties.metadata = { type: 'object' };
        schema.properties.apiVersion = { type: 'string' };
        schema.properties.kind = { type: 'string' };
        const key = `${crd.spec.group}/${ver.name}/${crd.spec.names.kind}`;
        const hash = createHash('sha256').update(CONVERTER_VERSION).update(JSON.stringify(schema)).digest('hex').slice(0, 16);
        crdIndex.set(key, { key, kind: crd.spec.names.kind, version: ver.name, schema, hash });
      }
    }
  }
  return crdIndex;
}

/** Every group/version/Kind the vendored CRDs define. */
export function knownCustomKinds(): string[] {
  return [...index().keys()];
}

function cachedValidatorPath(e: CrdVersionEntry): string {
  return path.join(CACHE_DIR, `${e.key.replace(/[^A-Za-z0-9]+/g, '_')}.${e.hash}.js`);
}

/** Compiles the validator of one CRD version to standalone code in the cache (no-op when it is there). */
export function ensureCompiled(key: string): string {
  const e = index().get(key);
  if (!e) throw new Error(`no vendored CRD defines ${key}`);
  const file = cachedValidatorPath(e);
  if (!fs.existsSync(file)) {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { source: true } });
    const fn = ajv.compile(e.schema);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, standaloneCode(ajv, fn));
    fs.renameSync(tmp, file);
  }
  return file;
}

function customValidator(key: string): ValidateFn | undefined {
  if (!index().has(key)) return undefined;
  let fn = loaded.get(key);
  if (!fn) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(ensureCompiled(key));
    fn = (mod.default ?? mod) as ValidateFn;
    loaded.set(key, fn);
  }
  return fn;
}

function coreValidator(apiVersion: string, kind: string): ValidateFn | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const groupPart = group.split('.')[0];
  const id = `IoK8sApi${cap(groupPart)}${cap(version)}${kind}`;
  try {
    // the package's exports map hides _schemas/: load the precompiled validator by file
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(ROOT, 'node_modules', 'kubernetes-models', '_schemas', `${id}.js`)).validate as ValidateFn;
  } catch {
    return undefined;
  }
}

let objectMeta: ValidateFn | undefined;
function objectMetaValidator(): ValidateFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  objectMeta ??= require(path.join(ROOT, 'node_modules', '@kubernetes-models', 'apimachinery', '_schemas',
    'IoK8sApimachineryPkgApisMetaV1ObjectMeta.js')).validate as ValidateFn;
  return objectMeta!;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** ajv's message, or (kubernetes-models ships validators compiled without messages) one built from the keyword. */
function message(e: { keyword?: string; message?: string; params?: any }): string {
  if (e.message) return e.message;
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'type': return `must be ${p.type}`;
    case 'required': return `must have required property '${p.missingProperty}'`;
    case 'enum': return 'must be equal to one of the allowed values';
    case 'additionalProperties': return 'must NOT have additional properties';
    default: return `must pass "${e.keyword}" ${JSON.stringify(p)}`;
  }
}

function render(fn: ValidateFn, prefix = ''): string[] {
  return (fn.errors ?? []).map((e: any) => {
    const extra = e.params?.additionalProperty ? ` (${JSON.stringify(e.params.additionalProperty)})` : '';
    return `${prefix}${e.instancePath || '/'} ${message(e)}${extra}`;
  });
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Validates one object. Returns the errors (empty when valid), each `/json/pointer message`.
 */
export function validateObject(obj: any): string[] {
  if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return ['/ must be a Kubernetes object with apiVersion and kind'];
  }
  const errors: string[] = [];
  const key = `${obj.apiVersion.includes('/') ? obj.apiVersion : `core/${obj.apiVersion}`}/${obj.kind}`;
  const custom = customValidator(`${obj.apiVersion}/${obj.kind}`);
  const fn = custom ?? coreValidator(obj.apiVersion, obj.kind);
  if (!fn) return [`/ no schema for ${key}: vendor its CRD into crds/ or use a core kind`];
  if (!fn(obj)) errors.push(...render(fn));
  const meta = objectMetaValidator();
  if (obj.metadata === undefined) {
    errors.push('/metadata is required');
  } else if (!meta(obj.metadata)) {
    errors.push(...render(meta, '/metadata'));
  }
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || name.length > 253 || !NAME.test(name)) {
    errors.push(`/metadata/name ${JSON.stringify(name)} must be a DNS-1123 subdomain`);
  }
  return errors;
}

/**
 * Validates every object; returns `Kind/name: error` lines (empty when all are valid).
 */
export function validateObjects(objs: readonly any[]): string[] {
  const out: string[] = [];
  for (const o of objs) {
    for (const e of validateObject(o)) out.push(`${o?.kind}/${o?.metadata?.name}: ${e}`);
  }
  return out;
}

/**
 * Throws an error listing every schema violation of the given objects.
 */
export function assertValidObjects(objs: readonly any[]): void {
  const errors = validateObjects(objs);
  if (errors.length > 0) {
    throw new Error(`schema validation failed (${errors.length} error(s)):\n  ${errors.join('\n  ')}`);
  }
}
