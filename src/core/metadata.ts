import { ApiObjectMetadata } from 'cdk8s';
import { checkDns1123Label, checkDns1123Subdomain, checkLabelKey, checkLabelValue } from './names';
import { Problem, show } from './problem';

/**
 * The metadata without keys whose value is `undefined`: `{ name: undefined }` means "no name" (cdk8s generates one),
 * and `{ namespace: 'argocd', ...{ namespace: undefined } }` must keep the default. Every construct builds its
 * ApiObject's metadata from this.
 *
 * @internal
 */
export function definedMetadata(metadata: ApiObjectMetadata | undefined): ApiObjectMetadata {
  if (metadata === undefined || metadata === null || typeof metadata !== 'object') return {};
  return Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined)) as ApiObjectMetadata;
}

/**
 * The name and namespace of a namespaced object's metadata: a DNS-1123 subdomain and a DNS-1123 label.
 *
 * @internal
 */
export function nameAndNamespaceProblems(prop: string, metadata: ApiObjectMetadata | undefined): Problem[] {
  if (metadata === undefined || metadata === null || typeof metadata !== 'object') return [];
  const problems: Problem[] = [];
  const name = metadata.name === undefined ? undefined : checkDns1123Subdomain(metadata.name);
  if (name) problems.push({ prop: `${prop}.name`, given: show(metadata.name), expected: name, fix: 'use a lowercase name, e.g. "my-service"' });
  const ns = metadata.namespace === undefined ? undefined : checkDns1123Label(metadata.namespace);
  if (ns) problems.push({ prop: `${prop}.namespace`, given: show(metadata.namespace), expected: ns, fix: 'use a valid namespace name' });
  return problems;
}

/**
 * The labels and annotations of an object's metadata as the API server validates them: label keys and values
 * (apimachinery's label syntax) and annotation keys (the same qualified-name syntax; values are free text). Name and
 * namespace are each construct's own rule (a namespaced or cluster-scoped object).
 *
 * @internal
 */
export function labelsAndAnnotationsProblems(prop: string, metadata: ApiObjectMetadata | undefined): Problem[] {
  if (metadata === undefined || metadata === null || typeof metadata !== 'object') return [];
  const problems: Problem[] = [];
  const labels = metadata.labels ?? {};
  for (const [k, v] of Object.entries(labels)) {
    const reason = checkLabelKey(k) ?? checkLabelValue(v);
    if (reason) {
      problems.push({
        prop: `${prop}.labels`,
        given: show(labels),
        expected: `label keys and values the API server accepts (${show(k)}: ${show(v)} is not ${reason})`,
        fix: 'fix or drop the label',
      });
      break;
    }
  }
  const annotations = metadata.annotations ?? {};
  for (const k of Object.keys(annotations)) {
    const reason = checkLabelKey(k);
    if (reason) {
      problems.push({
        prop: `${prop}.annotations`,
        given: show(annotations),
        expected: `annotation keys the API server accepts (${show(k)} is not ${reason.replace(/^a label key/, 'a qualified name')})`,
        fix: 'fix or drop the annotation',
      });
      break;
    }
  }
  return problems;
}
