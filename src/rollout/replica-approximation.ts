/**
 * The canary/stable pod counts a weight gives without a traffic router.
 */
export interface WeightApproximation {
  /** Index of the setWeight step. */
  readonly stepIndex: number;
  /** The requested weight. */
  readonly weight: number;
  /** Canary pods at this step. */
  readonly canaryPods: number;
  /** Stable pods at this step. */
  readonly stablePods: number;
  /** The canary share of pods (0..100, rounded to 0.1), i.e. the traffic share a Service selecting both gives it roughly. */
  readonly effectiveWeight: number;
  /**
   * Whether the weight is approximated: no 1..99 weight collapsing to 0 or all canary pods, and the canary share is
   * within 25 % of the weight (relative: 10 → 7.5..12.5; 10 → 20 is double the canary traffic and is not).
   */
  readonly approximated: boolean;
}

function floorCeilingTied(weight: number, total: number): boolean {
  // same float arithmetic as the controller: total * (weight / 100)
  const x = total * (weight / 100);
  return x - Math.floor(x) === 0.5;
}

function weightDelta(weight: number, canary: number, total: number): number {
  return Math.abs((canary * 100) / total - weight);
}

/**
 * Port of Argo Rollouts v1.9.1 `approximateWeightedCanaryStableReplicaCounts` (utils/replicaset/canary.go): the
 * closest canary/stable counts for a weight, summing to `replicas` or (with maxSurge > 0) `replicas + 1`.
 *
 * @returns [canary, stable]
 * @internal
 */
export function approximateCanaryStable(replicas: number, weight: number, maxSurge: number): [number, number] {
  if (replicas === 0) return [0, 0];
  const options: Array<[number, number]> = [];
  // "zero" canary or stable pods are only acceptable for weights 0/100, or a single pod that may not surge
  const zeroAllowed = weight === 100 || weight === 0 || (replicas === 1 && maxSurge === 0);
  const ceil = Math.ceil((replicas * weight) / 100);
  const floor = Math.floor((replicas * weight) / 100);
  if (ceil < replicas || zeroAllowed) options.push([ceil, replicas]);
  if (!floorCeilingTied(weight, replicas) && (floor !== 0 || zeroAllowed)) options.push([floor, replicas]);
  // with surge allowed, the same canary counts over replicas + 1 pods are candidates too
  if (maxSurge > 0) {
    options.push([ceil, replicas + 1]);
    if (!floorCeilingTied(weight, replicas + 1) && (floor !== 0 || zeroAllowed)) options.push([floor, replicas + 1]);
  }
  if (options.length === 0) return [0, replicas];
  let best = options[0];
  for (const o of options.slice(1)) {
    if (weightDelta(weight, o[0], o[1]) < weightDelta(weight, best[0], best[1])) best = o;
  }
  return [best[0], best[1] - best[0]];
}

/**
 * maxSurge in pods as the controller resolves it (percentages round up).
 *
 * @internal
 */
export function resolveMaxSurge(replicas: number, value: number | string): number {
  if (typeof value === 'number') return value;
  const pct = parseInt(value.replace('%', ''), 10);
  return Math.ceil((replicas * pct) / 100);
}
