import { Chart } from 'cdk8s';
import { validateObjects } from '../harness/schema';

/**
 * The vendored Istio CRDs (istio/api customresourcedefinitions.gen.yaml) list only `spec` and `status` at the
 * root of their schema; the API server adds `apiVersion`, `kind` and `metadata` implicitly, but the strict harness
 * (which adds only `metadata`) reports `apiVersion`/`kind` as unknown fields for VirtualService/DestinationRule.
 * Charts that contain Istio objects therefore synthesize here: every object is validated with the same strict
 * validators, and only those two implicit-field errors of Istio kinds are dropped.
 */
const IMPLICIT = /^(VirtualService|DestinationRule)\/[^:]+: \/ must NOT have additional properties \("(apiVersion|kind)"\)$/;

export function synthWithIstio(chart: Chart): any[] {
  const objs = chart.toJson();
  const errors = validateObjects(objs).filter(e => !IMPLICIT.test(e));
  if (errors.length > 0) throw new Error(`schema validation failed:\n  ${errors.join('\n  ')}`);
  return objs;
}
