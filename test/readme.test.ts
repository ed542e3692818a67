import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { assertValidObjects } from './harness/schema';

const ROOT = path.resolve(__dirname, '..');

/** The README's TypeScript block that contains `marker`. */
function block(marker: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]).filter(b => b.includes(marker));
  expect(blocks).toHaveLength(1);
  return blocks[0].replace(/from 'cdk8s-progressive-delivery'/g, `from '${path.join(ROOT, 'src').replace(/\\/g, '/')}'`);
}

/** Runs a snippet as a module (ts-jest compiles it, type checks included) and returns what it logged. */
function run(code: string, name: string): string[] {
  const file = path.join(ROOT, '.cache', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  const logs: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { logs.push(a.join(' ')); });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => require(file));
  } finally {
    spy.mockRestore();
  }
  return logs;
}

/** Every object of the YAML files under `dir`. */
function objectsUnder(dir: string): any[] {
  const out: any[] = [];
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach(e => {
    const f = path.join(d, e.name);
    if (e.isDirectory()) walk(f);
    else if (f.endsWith('.yaml') && !f.endsWith('kustomization.yaml')) out.push(...YAML.parseAllDocuments(fs.readFileSync(f, 'utf8')).map(doc => doc.toJSON()));
  });
  walk(dir);
  return out;
}

test('the README usage example runs as written: it writes the GitOps tree and prints the release plan', () => {
  // GIVEN the first TypeScript block of the README, importing the library from this checkout
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  expect(snippet).toContain("outdir: 'dist/gitops'");
  const code = snippet
    .replace(/from 'cdk8s-progressive-delivery'/g, `from '${path.join(ROOT, 'src').replace(/\\/g, '/')}'`)
    .replace("outdir: 'dist/gitops'", `outdir: ${JSON.stringify(outdir)}`);
  // WHEN it runs (stack.synth() included)
  const logs = run(code, 'readme-snippet.ts');
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

test('the README wave-controls example runs as written: bake, pinned revisions and a web smoke test in the plan', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-waves-'));
  const code = block("serviceName: 'checkout'").replace("outdir: 'dist/checkout'", `outdir: ${JSON.stringify(outdir)}`);
  const logs = run(code, 'readme-waves-snippet.ts');
  const objs = objectsUnder(outdir);
  assertValidObjects(objs);
  // the smoke test is a namespaced template of the service (synced before the Rollout) and the Rollout's second step
  const smoke = objs.find(o => o.kind === 'AnalysisTemplate');
  expect(smoke.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  expect(smoke.spec.metrics[0].provider.web).toMatchObject({ url: 'http://checkout-canary.checkout.svc:8080/healthz', jsonPath: '{$.ok}' });
  const rollout = objs.find(o => o.kind === 'Rollout');
  expect(rollout.spec.strategy.canary.steps[1]).toEqual({ analysis: { templates: [{ templateName: 'checkout-smoke' }] } });
  // each environment's Applications track their own revision
  const appSet = objs.find(o => o.kind === 'ApplicationSet' && o.metadata.name === 'checkout');
  expect(JSON.stringify(appSet.spec.generators)).toContain('release-1.5');
  expect(appSet.spec.template.spec.source.targetRevision).toBe('{{.revision}}');
  // the bake is in the canary cluster's overlay only
  const overlay = (env: string, cluster: string) => fs.readFileSync(path.join(outdir, 'k8s', 'overlays', env, cluster, 'kustomization.yaml'), 'utf8');
  expect(overlay('canary', 'seoul-1')).toContain('{"pause":{"duration":"30m"}}');
  expect(overlay('production', 'seoul-2')).not.toContain('pause');
  // by hand: per Application 10m + 10m pauses + 0m smoke test (one measurement) + 2m start-up = 22m;
  // wave 1: 1 round × (22m + 30m bake) = 52m; wave 2: 50% of 3 → 1 per round, 3 × 22m = 66m; total 118m = 1h58m
  expect(logs[0]).toContain('| 1 | env In [canary] | 1 | 1 | 1: seoul-1-canary | 1 × (22m + bake 30m) = 52m |');
  expect(logs[0]).toContain('3 × 22m = 1h6m |');
  expect(logs[0]).toContain('**Total: 1h58m** over 2 wave(s) and 4 Application(s)');
  expect(logs[0]).toContain('| canary | release-1.5 |');
});

test('the README blue-green example runs as written: a load-test Job gates a manual promotion', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-bg-'));
  const code = block('BlueGreenRollout').replace("outdir: 'dist/payments'", `outdir: ${JSON.stringify(outdir)}`);
  const logs = run(code, 'readme-bluegreen-snippet.ts');
  const objs = objectsUnder(outdir);
  assertValidObjects(objs);
  expect(objs.map(o => o.kind).sort()).toEqual(['AnalysisTemplate', 'Deployment', 'Rollout', 'Service', 'Service']);
  const rollout = objs.find(o => o.kind === 'Rollout');
  expect(rollout.spec.strategy.blueGreen).toEqual({
    activeService: 'payments-active',
    previewService: 'payments-preview',
    autoPromotionEnabled: false,
    prePromotionAnalysis: { templates: [{ templateName: 'payments-load-test' }] },
  });
  const job = objs.find(o => o.kind === 'AnalysisTemplate').spec.metrics[0].provider.job;
  expect(job.spec.activeDeadlineSeconds).toBe(600);
  // one Application, 0m of timed steps + 2m start-up, and a person promotes: a lower bound
  expect(logs[0]).toContain('total: at least 2m');
  expect(logs[0]).toContain('manual promotion');
});
