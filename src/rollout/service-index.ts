import { IConstruct } from 'constructs';
import { Problem, show } from '../core/problem';

/**
 * The Services one Rollout (canary or blue-green) pins to its pods, in its resolved namespace.
 *
 * @internal
 */
export interface ServiceUse {
  /** The resolved namespace ('' for none). */
  readonly namespace: string;
  /** `metadata.name` of the Rollout. */
  readonly rolloutName: string;
  /** Construct path of the Rollout. */
  readonly path: string;
  /** The Service names (stable/canary/ping/pong, or active/preview). */
  readonly services: readonly string[];
}

/**
 * A Service the controller pins to one Rollout's pods must not be used by another Rollout in the namespace
 * (rule R3 in docs/rules/rollouts.md), whatever the strategy of either Rollout.
 *
 * @param mine this rollout's Services
 * @param others the other rollouts of the app
 * @param fix how to fix it, in the words of this rollout's strategy
 * @internal
 */
export function sharedServiceProblems(mine: ServiceUse, others: readonly ServiceUse[], fix = 'give each Rollout its own canary/stable Services'): Problem[] {
  if (mine.services.length === 0) return [];
  const p: Problem[] = [];
  for (const other of others) {
    if (other.namespace !== mine.namespace) continue;
    for (const name of mine.services) {
      if (other.services.includes(name)) {
        p.push({
          prop: 'services',
          given: `Service ${show(name)}, also used by Rollout ${show(other.rolloutName)} (${other.path})`,
          expected: `a Service per Rollout (controller: Service "${name}" is managed by another Rollout)`,
          fix,
        });
      }
    }
  }
  return p;
}

/**
 * Per construct tree (keyed by its root): the Rollouts that pin each Service, by namespace and name. Filled as
 * rollouts are constructed, so the shared-Service rule (R3) looks its candidates up instead of walking the whole tree
 * for every rollout in every validation pass.
 */
const SERVICE_INDEX = new WeakMap<IConstruct, Map<string, ServiceUse[]>>();

function serviceKey(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

/**
 * Adds a rollout's Services to the index of its tree (names and namespace are fixed once constructed).
 *
 * @internal
 */
export function indexServices(scope: IConstruct, use: ServiceUse): void {
  const root = scope.node.root;
  let index = SERVICE_INDEX.get(root);
  if (!index) {
    index = new Map();
    SERVICE_INDEX.set(root, index);
  }
  for (const name of use.services) {
    const key = serviceKey(use.namespace, name);
    index.set(key, [...(index.get(key) ?? []), use]);
  }
}

/**
 * The other Rollouts of the tree that pin one of `mine`'s Services in its namespace.
 *
 * @internal
 */
export function otherServiceUses(scope: IConstruct, mine: ServiceUse): ServiceUse[] {
  const index = SERVICE_INDEX.get(scope.node.root);
  const others = new Set<ServiceUse>();
  for (const name of mine.services) {
    for (const use of index?.get(serviceKey(mine.namespace, name)) ?? []) {
      if (use.path !== mine.path) others.add(use);
    }
  }
  return [...others];
}
