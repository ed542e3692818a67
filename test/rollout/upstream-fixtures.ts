/**
 * The upstream Argo Rollouts examples vendored in test/fixtures/rollout/upstream (v1.9.1 examples/) and the helpers
 * the upstream-example tests compare synthesized objects with.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-28';
import * as YAML from 'yaml';

const DIR = path.join(__dirname, '..', 'fixtures', 'rollout', 'upstream');

/** The documents of an upstream file (documents that are not valid YAML upstream are skipped). */
export function docs(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(DIR, file), 'utf8'))
    .filter(d => d.errors.length === 0)
    .map(d => d.toJSON())
    .filter(Boolean);
}
export function upstream(file: string, kind: string, name?: string): any {
  const found = docs(file).find(d => d.kind === kind && (name === undefined || d.metadata.name === name));
  if (!found) throw new Error(`${file} has no ${kind} ${name ?? ''}`);
  return found;
}
export function find(objs: any[], kind: string, name?: string): any {
  return objs.find(o => o.kind === kind && (name === undefined || o.metadata.name === name));
}
/**
 * The synthesized containers restricted to the fields the upstream containers set. cdk8s-plus adds defaults the
 * upstream examples do not have (securityContext, resource requests/limits, a startup probe); the fields upstream
 * does set (name, image, ports, imagePullPolicy, resource requests) must be equal.
 */
export function sameContainers(ours: any[], theirs: any[]): void {
  expect(ours.length).toBe(theirs.length);
  ours.forEach((c, i) => {
    const picked: any = {};
    for (const k of Object.keys(theirs[i])) picked[k] = k === 'resources' ? { requests: c.resources?.requests } : c[k];
    expect(picked).toEqual(theirs[i]);
  });
}
/** Pod labels without the cdk8s-plus address label, which cdk8s-plus adds to every pod it renders. */
export function withoutAddressLabel(labels: any): any {
  const { [kplus.Pod.ADDRESS_LABEL]: _addr, ...rest } = labels;
  return rest;
}
