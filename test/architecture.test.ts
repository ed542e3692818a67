import * as fs from 'fs';
import * as path from 'path';

/**
 * Folders of `src/` form layers: a folder imports only from the folders listed for it here, and the import graph
 * between folders has no cycle. A new folder must be added to `ALLOWED` (its place in the layering is a decision).
 */
const ALLOWED: Record<string, readonly string[]> = {
  'core': [],
  'rolling-sync': ['core'],
  'fleet': ['core', 'rolling-sync'],
  'plan': ['core', 'rolling-sync'],
  'analysis': ['core'],
  'appset': ['core', 'rolling-sync', 'fleet', 'plan'],
  'rollout': ['core', 'analysis', 'plan'],
  'federation': ['core', 'analysis', 'fleet'],
  'stack': ['core', 'rolling-sync', 'fleet', 'plan', 'analysis', 'appset', 'rollout', 'federation'],
};

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

/** folder → folder edges, with one example import each. */
function folderEdges(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const rel = path.relative(SRC, file);
    const from = rel.includes(path.sep) ? rel.split(path.sep)[0] : '.';
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+'(\.[^']*)'/g)) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), m[1]));
      if (target.startsWith('..')) continue; // outside src/ (the generated imports/)
      const to = target.includes(path.sep) ? target.split(path.sep)[0] : (fs.existsSync(path.join(SRC, target)) ? target : '.');
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      edges.get(from)!.set(to, `${rel} imports '${m[1]}'`);
    }
  }
  return edges;
}

describe('src/ folder layering', () => {
  const edges = folderEdges();

  test('every folder is placed in the layering', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name);
    expect(folders.filter(f => !(f in ALLOWED))).toEqual([]);
  });

  test('no import runs back up between folders', () => {
    const violations: string[] = [];
    for (const [from, tos] of edges) {
      if (from === '.') continue; // src/index.ts re-exports every folder
      for (const [to, example] of tos) {
        if (!(ALLOWED[from] ?? []).includes(to)) violations.push(`${from} -> ${to}: ${example}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('the allowed graph itself is acyclic', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycle: string[] = [];
    const visit = (n: string, trail: string[]): boolean => {
      if (state.get(n) === 'done') return false;
      if (state.get(n) === 'visiting') { cycle.push(...trail, n); return true; }
      state.set(n, 'visiting');
      for (const m of ALLOWED[n] ?? []) if (visit(m, [...trail, n])) return true;
      state.set(n, 'done');
      return false;
    };
    for (const n of Object.keys(ALLOWED)) if (visit(n, [])) break;
    expect(cycle).toEqual([]);
  });

  test('the checker sees a back edge (plan -> appset would fail)', () => {
    expect(ALLOWED.plan).not.toContain('appset');
    expect(ALLOWED.appset).toContain('plan');
    // The edge list is built from real imports: appset imports plan today.
    expect([...(edges.get('appset')?.keys() ?? [])]).toContain('plan');
  });

  test('index files only re-export', () => {
    const offenders = sourceFiles(SRC).filter(f => path.basename(f) === 'index.ts').filter(f =>
      fs.readFileSync(f, 'utf8').split('\n').some(l => l.trim() !== '' && !/^export (\*|\{[^}]*\}|type \{[^}]*\}) from '[^']+';$/.test(l.trim())));
    expect(offenders.map(f => path.relative(SRC, f))).toEqual([]);
  });
});
