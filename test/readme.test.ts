import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { assertValidObjects } from './harness/schema';

const ROOT = path.resolve(__dirname, '..');

test('the README usage example runs as written and prints the plan', () => {
  // GIVEN the first TypeScript block of the README, importing the library from this checkout
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  const code = snippet
    .replace(/from 'cdk8s-progressive-delivery'/g, `from '${path.join(ROOT, 'src').replace(/\\/g, '/')}'`)
    .replace('new App()', `new App({ outdir: ${JSON.stringify(outdir)} })`);
  const file = path.join(ROOT, '.cache', 'readme-snippet.ts');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  const logs: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { logs.push(a.join(' ')); });
  try {
    // WHEN it runs (app.synth() included)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => require(file));
  } finally {
    spy.mockRestore();
  }
  // THEN it synthesized both charts and printed the plan and the estimate
  expect(fs.readdirSync(outdir).sort()).toEqual(['management.k8s.yaml', 'my-service.k8s.yaml']);
  const objs = fs.readdirSync(outdir).flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map(d => d.toJSON()));
  expect(objs.map(o => o.kind).sort()).toEqual(['ApplicationSet', 'ClusterAnalysisTemplate', 'ConfigMap', 'Deployment', 'Rollout', 'Service', 'Service']);
  assertValidObjects(objs); // app.synth() writes files: check them like every other synthesized object
  expect(logs[0]).toContain('| 1 | env In [canary] | 1 | 1 | 1: seoul-1-canary |');
  expect(logs[1]).toMatch(/^wave 1: 1 application\(s\) in 1 round\(s\), 24m\nwave 2: 1 application\(s\) in 1 round\(s\), 24m\ntotal: 48m\n$/);
});
