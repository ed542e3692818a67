import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { treeObjects } from './build';
import { buildStack } from '../../examples/stack/app';
import { assertValidObjects } from '../harness/schema';

const ROOT = path.resolve(__dirname, '..', '..');

/** The real kustomize, installed from the Go module proxy on first use (scripts/ensure-kustomize.sh). */
function kustomize(): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-kustomize.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

describe('the example stack as a GitOps tree', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-'));
  const stack = buildStack(outdir);
  stack.synth();
  const files: string[] = [];
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true })
    .forEach(e => (e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.relative(outdir, path.join(d, e.name)))));
  walk(outdir);
  const bin = kustomize();
  const build = (dir: string) => YAML.parseAllDocuments(execFileSync(bin, ['build', path.join(outdir, dir)], { encoding: 'utf8' })).map(d => d.toJSON()).filter(Boolean);

  test('synth writes the seed\'s tree: applicationsets/, platform/, k8s/base/, one overlay per cluster, ROLLOUT-PLAN.md', () => {
    const dirs = [...new Set(files.map(f => path.dirname(f)))].sort();
    expect(dirs).toEqual([
      '.', 'applicationsets', 'k8s/base',
      'k8s/overlays/canary/seoul-1',
      ...['frankfurt-2', 'frankfurt-3', 'frankfurt-4', 'frankfurt-5', 'frankfurt-6', 'seoul-3', 'seoul-4', 'seoul-5', 'seoul-6'].map(c => `k8s/overlays/production/${c}`),
      'k8s/overlays/staging/frankfurt-1', 'k8s/overlays/staging/seoul-2',
      'management', 'platform/my-service',
    ]);
    expect(files).toContain('ROLLOUT-PLAN.md');
    expect(dirs.filter(d => d !== '.').every(d => files.includes(`${d}/kustomization.yaml`))).toBe(true);
  });

  test('every synthesized object is strictly schema-valid, in exactly one place', () => {
    const objs = treeObjects(Object.fromEntries(files.map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')])));
    assertValidObjects(objs.map(o => o.obj));
    const place = (o: { path: string }) => o.path.split('/')[0];
    const byKind = (kind: string) => [...new Set(objs.filter(o => o.obj.kind === kind).map(place))];
    expect(byKind('ApplicationSet')).toEqual(['applicationsets']);
    expect(byKind('ConfigMap')).toEqual(['management']); // the central Prometheus config
    expect(byKind('ClusterAnalysisTemplate')).toEqual(['platform']);
    for (const k of ['Rollout', 'Service', 'VirtualService', 'Deployment']) expect(byKind(k)).toEqual(['k8s']);
    expect(byKind('Application')).toEqual(['management']); // the root Application that syncs applicationsets/
    expect(objs.map(o => o.obj.kind).sort()).toEqual(['Application', 'ApplicationSet', 'ApplicationSet', 'ApplicationSet', 'ClusterAnalysisTemplate', 'ConfigMap',
      'Deployment', 'Rollout', 'Service', 'Service', 'VirtualService']);
  });

  test('every path an ApplicationSet points to builds with kustomize, into schema-valid objects', () => {
    const appSets = treeObjects(Object.fromEntries(files.filter(f => f.startsWith('applicationsets/')).map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')])))
      .map(o => o.obj).filter(o => o.kind === 'ApplicationSet');
    // the ApplicationSets with a Git path are the service's and the platform's; render their Applications' paths
    expect(appSets.filter(a => a.spec.template.spec.source.path !== undefined).map(a => a.metadata.name).sort()).toEqual(['my-service', 'my-service-platform']);
    const paths = new Set([stack.appSet, stack.platformAppSet].flatMap(a => a.generatedApplications().map(app => app.sourcePath!)));
    expect(paths.size).toBe(13); // 12 cluster overlays + the platform path
    for (const p of paths) {
      const objs = build(p);
      assertValidObjects(objs);
      if (p.startsWith('k8s/overlays/')) {
        const cluster = path.basename(p);
        const rollout = objs.find(o => o.kind === 'Rollout');
        expect(rollout.metadata.annotations['progressive-delivery.cdk8s.io/cluster']).toBe(cluster);
        // the per-cluster arg reads that annotation
        expect(rollout.spec.strategy.canary.steps[1].analysis.args).toContainEqual({
          name: 'cluster', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['progressive-delivery.cdk8s.io/cluster']" } },
        });
        expect(objs.map(o => o.kind).sort()).toEqual(['Deployment', 'Rollout', 'Service', 'Service', 'VirtualService']);
      } else {
        expect(objs.map(o => o.kind)).toEqual(['ClusterAnalysisTemplate']);
      }
    }
  });

  test('the management directories build too (a root Application can sync them)', () => {
    expect(build('applicationsets').map(o => `${o.metadata.annotations['argocd.argoproj.io/sync-wave']} ${o.metadata.name}`).sort())
      .toEqual(['-1 my-service-platform', '-2 argo-rollouts', '0 my-service']);
    assertValidObjects(build('management'));
  });
});
