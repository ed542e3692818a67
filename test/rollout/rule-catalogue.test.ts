import * as fs from 'fs';
import * as path from 'path';

/**
 * The rule ids in src/rollout, src/analysis, test/rollout and test/analysis (e.g. `C25`, `R8`, `B1`, `A5`) point into
 * docs/rules/rollouts.md, and each controller message listed there is quoted verbatim by the rollout or analysis source
 * (the errors quote the controller).
 */
const ROOT = path.join(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'rules', 'rollouts.md'), 'utf8');
const ID = /\b([SCRAGB]\d{1,2})\b/g;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

/** id → the catalogue row. */
function catalogue(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of DOC.split('\n')) {
    const m = /^\| ([SCRAGB]\d{1,2}) \|/.exec(line);
    if (m) rows.set(m[1], line);
  }
  return rows;
}

describe('docs/rules/rollouts.md', () => {
  const rows = catalogue();

  test('defines every rule id the rollout code and tests use', () => {
    const used = new Map<string, string>();
    for (const f of [...files(path.join(ROOT, 'src', 'rollout')), ...files(path.join(ROOT, 'src', 'analysis')), ...files(__dirname),
      ...files(path.join(ROOT, 'test', 'analysis'))]) {
      if (f === __filename) continue;
      for (const m of fs.readFileSync(f, 'utf8').matchAll(ID)) used.set(m[1], path.relative(ROOT, f));
    }
    expect(used.size).toBeGreaterThan(20);
    const undefinedIds = [...used].filter(([id]) => !rows.has(id)).map(([id, f]) => `${id} (${f})`);
    expect(undefinedIds).toEqual([]);
  });

  test('every fixed controller message it lists for a rule checked at synth or construction is quoted by src/rollout or src/analysis', () => {
    const src = [...files(path.join(ROOT, 'src', 'rollout')), ...files(path.join(ROOT, 'src', 'analysis'))].map(f => fs.readFileSync(f, 'utf8')).join('\n')
      .replace(/['`]\s*\+\s*['`]/g, '') // join string literals split over lines
      .replace(/\\'/g, '\''); // unescape quotes
    const missing: string[] = [];
    for (const [id, row] of rows) {
      const cells = row.split(' | ');
      const message = cells[2];
      const library = cells[4] ?? '';
      if (library.startsWith('not ')) continue; // not checked, or not needed
      // backticked messages without placeholders (`<name>`) are quoted verbatim
      for (const m of message.matchAll(/`([^`<]+)`/g)) {
        if (!src.includes(m[1].replace(/\\'/g, '\''))) missing.push(`${id}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
