import { checkArgs, required } from '../core/struct-shape';

/**
 * Which ReplicaSet's pod-template hash an analysis arg receives (`valueFrom.podTemplateHashValue`).
 */
export enum PodTemplateHash {
  /** The hash of the stable ReplicaSet (`Stable`), e.g. to query stable pods only. */
  STABLE = 'Stable',
  /** The hash of the newest ReplicaSet, i.e. the canary (`Latest`). */
  LATEST = 'Latest',
}

/**
 * The value a Rollout passes to an analysis template arg (`analysis.args[].value` / `valueFrom`).
 *
 * Rollout-side args have no Secret form (`secretKeyRef` is only allowed in the template itself).
 */
export class AnalysisArgValue {
  /**
   * A literal value (`value`).
   */
  public static of(value: string): AnalysisArgValue {
    checkArgs('AnalysisArgValue.of', { value: [value, required('string')] });
    return new AnalysisArgValue(value, undefined, undefined);
  }

  /**
   * The pod-template hash of the stable or the canary ReplicaSet (`valueFrom.podTemplateHashValue`), usually matched
   * against the `rollouts-pod-template-hash` label in a query.
   */
  public static podTemplateHash(which: PodTemplateHash): AnalysisArgValue {
    return new AnalysisArgValue(undefined, which, undefined);
  }

  /**
   * A field of the Rollout object (`valueFrom.fieldRef.fieldPath`): a downward-API metadata path
   * (`metadata.name`, `metadata.namespace`, `metadata.uid`, `metadata.labels['k']`, `metadata.annotations['k']`)
   * or any other path into the Rollout, e.g. `status.alb.canaryTargetGroup.name`.
   */
  public static fieldRef(fieldPath: string): AnalysisArgValue {
    checkArgs('AnalysisArgValue.fieldRef', { fieldPath: [fieldPath, required('string')] });
    return new AnalysisArgValue(undefined, undefined, fieldPath);
  }

  /** The literal value, if this is one. */
  public readonly value?: string;
  /** The pod-template hash choice, if this is one. */
  public readonly podTemplateHashValue?: PodTemplateHash;
  /** The Rollout field path, if this is one. */
  public readonly fieldPath?: string;

  private constructor(value?: string, hash?: PodTemplateHash, fieldPath?: string) {
    this.value = value;
    this.podTemplateHashValue = hash;
    this.fieldPath = fieldPath;
  }

  /** @internal */
  public _toKube(name: string): any {
    if (this.podTemplateHashValue !== undefined) return { name, valueFrom: { podTemplateHashValue: this.podTemplateHashValue } };
    if (this.fieldPath !== undefined) return { name, valueFrom: { fieldRef: { fieldPath: this.fieldPath } } };
    return { name, value: this.value };
  }

  /** @internal human rendering for messages */
  public _show(): string {
    if (this.podTemplateHashValue !== undefined) return `podTemplateHash(${this.podTemplateHashValue})`;
    if (this.fieldPath !== undefined) return `fieldRef(${JSON.stringify(this.fieldPath)})`;
    return JSON.stringify(this.value);
  }
}
