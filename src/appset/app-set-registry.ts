import { IConstruct } from 'constructs';
import { Fleet } from '../fleet/fleet';

/**
 * What the registry reads from an ApplicationSet construct.
 *
 * @internal
 */
export interface RegisteredAppSet extends IConstruct {
  /** The Argo CD namespace of the ApplicationSet (its Applications are created there). */
  readonly _argoNamespace: string | undefined;
  /** The fleet it renders for, if any. */
  readonly fleet?: Fleet;
  /** The names of the Applications it renders (cached by the construct), or undefined when they cannot be rendered. */
  _renderedNames(): readonly string[] | undefined;
}

/**
 * Application names another ApplicationSet earlier in the tree renders too.
 *
 * @internal
 */
export interface NameClash {
  /** The construct path of the earlier ApplicationSet. */
  readonly otherPath: string;
  /** The shared Application names, sorted. */
  readonly shared: string[];
}

const REGISTRIES = new WeakMap<IConstruct, AppSetRegistry>();

/**
 * The ApplicationSets of one construct tree, and an index of the Application names they render per Argo CD
 * namespace. The index is built once and reused by every validation pass until an ApplicationSet is added or
 * changes (`touch()`) or a fleet gains a cluster, so the cross-ApplicationSet rule costs O(Applications) per pass
 * instead of a tree walk and a re-render of every earlier ApplicationSet for each one.
 *
 * @internal
 */
export class AppSetRegistry {
  /** The registry of the tree `scope` belongs to. */
  public static of(scope: IConstruct): AppSetRegistry {
    const root = scope.node.root;
    let r = REGISTRIES.get(root);
    if (!r) {
      r = new AppSetRegistry();
      REGISTRIES.set(root, r);
    }
    return r;
  }

  private readonly members: RegisteredAppSet[] = [];
  private readonly fleets = new Set<Fleet>();
  private version = 0;
  private index?: { key: string; position: Map<RegisteredAppSet, number>; clashes: Map<RegisteredAppSet, Map<RegisteredAppSet, Set<string>>> };

  private constructor() {}

  /** Adds an ApplicationSet. */
  public register(member: RegisteredAppSet): void {
    this.members.push(member);
    if (member.fleet) this.fleets.add(member.fleet);
    this.touch();
  }

  /** An ApplicationSet changed (e.g. `addStep()`): the index is rebuilt on next use. */
  public touch(): void {
    this.version++;
  }

  /**
   * The ApplicationSets before `member` in tree order (construct path pre-order, as `node.findAll()` visits them)
   * that render Application names `member` renders too in the same Argo CD namespace, in tree order.
   */
  public clashesOf(member: RegisteredAppSet): NameClash[] {
    const index = this.currentIndex();
    const byOther = index.clashes.get(member);
    if (!byOther) return [];
    return [...byOther.entries()]
      .sort(([a], [b]) => index.position.get(a)! - index.position.get(b)!)
      .map(([other, names]) => ({ otherPath: other.node.path, shared: [...names].sort() }));
  }

  /**
   * Changes whenever an ApplicationSet of the tree is added or changes, or one of their fleets gains a cluster:
   * a result computed from the tree's ApplicationSets stays valid while the stamp does.
   */
  public stamp(): string {
    let fleetVersions = 0;
    for (const f of this.fleets) fleetVersions += f._version;
    return `${this.version}/${fleetVersions}`;
  }

  /**
   * The tree order of the ApplicationSets and, for each one that shares names with earlier ones, those names by
   * earlier ApplicationSet: one pass over every rendered name, in tree order, so each name's earlier owners are the
   * ones already seen.
   */
  private currentIndex() {
    const key = this.stamp();
    if (this.index?.key === key) return this.index;
    const childIndexes = new Map<IConstruct, Map<IConstruct, number>>();
    const treePositions = new Map(this.members.map(m => [m, treePosition(m, childIndexes)]));
    const ordered = [...this.members].sort((a, b) => comparePaths(treePositions.get(a)!, treePositions.get(b)!));
    const position = new Map(ordered.map((m, i) => [m, i]));
    /** Per Argo CD namespace, each name's owners so far (one, or several in tree order). */
    const owners = new Map<string, Map<string, RegisteredAppSet | RegisteredAppSet[]>>();
    const clashes = new Map<RegisteredAppSet, Map<RegisteredAppSet, Set<string>>>();
    for (const m of ordered) {
      if (!m.fleet) continue;
      const names = m._renderedNames();
      if (!names) continue;
      const ns = m._argoNamespace ?? '';
      let byName = owners.get(ns);
      if (!byName) {
        byName = new Map();
        owners.set(ns, byName);
      }
      for (const n of names) {
        const prev = byName.get(n);
        if (prev === undefined) {
          byName.set(n, m);
          continue;
        }
        const earlier = Array.isArray(prev) ? prev : [prev];
        if (earlier[earlier.length - 1] === m) continue; // m renders the name twice (its own rule reports that)
        let mine = clashes.get(m);
        if (!mine) {
          mine = new Map();
          clashes.set(m, mine);
        }
        for (const other of earlier) {
          if (!mine.has(other)) mine.set(other, new Set());
          mine.get(other)!.add(n);
        }
        if (Array.isArray(prev)) prev.push(m);
        else byName.set(n, [prev, m]);
      }
    }
    this.index = { key, position, clashes };
    return this.index;
  }
}

/**
 * The child indexes from the root down to the construct: pre-order is the lexicographic order of these.
 * `childIndexes` memoizes each parent's children (`node.children` copies them on every call).
 */
function treePosition(c: IConstruct, childIndexes: Map<IConstruct, Map<IConstruct, number>>): number[] {
  const out: number[] = [];
  let cur: IConstruct = c;
  while (cur.node.scope) {
    const parent: IConstruct = cur.node.scope;
    let indexes = childIndexes.get(parent);
    if (!indexes) {
      indexes = new Map(parent.node.children.map((child, i) => [child, i]));
      childIndexes.set(parent, indexes);
    }
    out.push(indexes.get(cur)!);
    cur = parent;
  }
  return out.reverse();
}

function comparePaths(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}
