import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

test('imports/ equals a fresh `cdk8s import` of the vendored CRDs in crds/', () => {
  // GIVEN the imports: list of cdk8s.yaml (the same the `import` task uses)
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'imports-'));
  try {
    // WHEN importing again into a scratch folder
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', '--no-check-upgrade', '-l', 'typescript', '-o', out],
      { cwd: ROOT, stdio: 'pipe' });
    // THEN every generated file equals the committed one, and nothing is missing or extra
    const fresh = fs.readdirSync(out).sort();
    const committed = fs.readdirSync(path.join(ROOT, 'imports')).sort();
    expect(committed).toEqual(fresh);
    for (const f of fresh) {
      const same = fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(ROOT, 'imports', f)));
      if (!same) throw new Error(`imports/${f} differs from a fresh import: run \`npx projen import\` and commit the result`);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
