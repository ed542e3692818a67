import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { assertValidObjects } from './harness/schema';

const ROOT = path.resolve(__dirname, '..');

test('the README usage example runs as written: it writes the GitOps tree and prints the release plan', () => {
  // GIVEN the first TypeScript block of the README, importing the library from this checkout
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  expect(snippet).toContain("outdir: 'dist/gitops'");
  const code = snippet
    .replace(/from 'cdk8s-progressive-delivery'/g, `from '${path.join(ROOT, 'src').replace(/\\/g, '/')}'`)
    .replace("outdir: 'dist/gitops'", `outdir: ${JSON.stringify(outdir)}`);
  const file = path.join(ROOT, '.cache', 'readme-snippet.ts');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  const logs: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { logs.push(a.join(' ')); });
  try {
    // WHEN it runs (stack.synth() included)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => require(file));
  } finally {
    spy.mockRestore();
  }
  // THEN it wrote the tree: the ApplicationSets, the platform, the base, one overlay per cluster and the plan
  const files: string[] = [];
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true })
    .forEach(e => (e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.relative(outdir, path.join(d, e.name)))));
  walk(outdir);
  expect(files.filter(f => f.endsWith('kustomization.yaml')).sort()).toEqual([
    'applicationsets/kustomization.yaml', 'k8s/base/kustomization.yaml', 'k8s/overlays/canary/seoul-1/kustomization.yaml',
    'k8s/overlays/production/seoul-2/kustomization.yaml', 'management/kustomization.yaml', 'platform/my-service/kustomization.yaml',
  ]);
  const objs = files.filter(f => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))
    .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map(d => d.toJSON()));
  expect(objs.map(o => o.kind).sort()).toEqual(['Application', 'ApplicationSet', 'ApplicationSet', 'ApplicationSet', 'ClusterAnalysisTemplate', 'ConfigMap', 'Deployment',
    'Rollout', 'Service', 'Service']);
  assertValidObjects(objs); // stack.synth() writes files: check them like every other synthesized object
  // and printed the release plan it wrote: 2 waves of 1 cluster, each 20m pauses + 4m analysis + 2m start-up
  expect(logs[0]).toBe(fs.readFileSync(path.join(outdir, 'ROLLOUT-PLAN.md'), 'utf8'));
  expect(logs[0]).toContain('| 1 | env In [canary] | 1 | 1 | 1: seoul-1-canary | ≥ 1 × 26m = 26m |');
  expect(logs[0]).toContain('**Total: ≥ 52m** over 2 wave(s) and 2 Application(s)');
});
