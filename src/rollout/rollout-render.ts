import type { EphemeralPodMetadata, ProgressiveRolloutProps } from './progressive-rollout';
import { BoundWorkload } from './rollout-workload';

/**
 * The part of a Rollout's `spec` every strategy shares: replicas, selector, pods and the update timing, around the
 * strategy block. Plain JSON rather than the generated Rollout L1's typed spec, whose mappers drop int-or-string
 * values (probe ports) of the pod template.
 *
 * @param rollout the bound rollout
 * @param props its props
 * @param strategy `{ canary }` or `{ blueGreen }`
 * @internal
 */
export function rolloutSpecToKube(
  rollout: { readonly replicas: number; readonly selectorLabels: { [key: string]: string }; readonly workload: BoundWorkload },
  props: ProgressiveRolloutProps,
  strategy: any,
): any {
  return {
    replicas: rollout.replicas,
    selector: { matchLabels: { ...rollout.selectorLabels } },
    ...rollout.workload.toKube(),
    ...(props.minReady ? { minReadySeconds: props.minReady.toSeconds() } : {}),
    ...(props.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: props.revisionHistoryLimit } : {}),
    ...(props.progressDeadline ? { progressDeadlineSeconds: props.progressDeadline.toSeconds() } : {}),
    ...(props.progressDeadlineAbort !== undefined ? { progressDeadlineAbort: props.progressDeadlineAbort } : {}),
    strategy,
  };
}

/**
 * `canaryMetadata` / `stableMetadata` / `activeMetadata` / `previewMetadata`.
 *
 * @internal
 */
export function ephemeralToKube(m: EphemeralPodMetadata): any {
  return {
    ...(m.labels ? { labels: { ...m.labels } } : {}),
    ...(m.annotations ? { annotations: { ...m.annotations } } : {}),
  };
}
