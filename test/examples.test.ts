import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { assertValidObjects } from './harness/schema';
import { treeObjects } from './stack/build';
import { buildStack } from '../examples/stack/app';

describe('the example stack (examples/stack): the seed\'s Examples 1-3 from one stack', () => {
  const stack = buildStack('/tmp/unused');
  const files = stack.synthesizeTree();
  const objs = treeObjects(files);
  const byKind = (kind: string) => objs.filter(o => o.obj.kind === kind).map(o => o.obj);

  test('every object is schema-valid; synthYaml (the harness-checked path) agrees', () => {
    assertValidObjects(objs.map(o => o.obj));
    expect(YAML.parseAllDocuments(stack.synthYaml()).length).toBe(objs.length);
  });

  test('Example 1: the ApplicationSet (clusters x environments, RollingSync) on the management cluster', () => {
    const appSet = byKind('ApplicationSet').find(a => a.metadata.name === 'my-service')!;
    expect(appSet.metadata.namespace).toBe('argocd');
    expect(appSet.spec.strategy.rollingSync.steps.map((s: any) => s.maxUpdate)).toEqual([1, 2, 2, '50%']);
    expect(appSet.spec.template.metadata.labels).toEqual({ env: '{{.env}}', cluster: '{{.nameNormalized}}', region: '{{index .metadata.labels "region"}}' });
    expect(stack.plan().totalApplications).toBe(12);
  });

  test('Example 2: the Istio canary with the success-rate analysis in every workload cluster', () => {
    const [rollout] = byKind('Rollout');
    expect(rollout.spec.strategy.canary.steps.map((s: any) => Object.keys(s)[0])).toEqual(['setWeight', 'analysis', 'pause', 'setWeight', 'pause', 'setWeight']);
    expect(rollout.spec.strategy.canary.steps[1].analysis.args).toEqual([
      { name: 'service-name', value: 'my-service' },
      { name: 'cluster', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['progressive-delivery.cdk8s.io/cluster']" } } },
    ]);
    const [template] = byKind('ClusterAnalysisTemplate');
    expect(objs.find(o => o.obj.kind === 'ClusterAnalysisTemplate')!.path).toBe('platform/my-service/clusteranalysistemplate-success-rate.yaml');
    expect(template.spec.metrics[0].provider.prometheus.address).toBe('https://prometheus.mgmt.example.com');
  });

  test('Example 3: the central Prometheus federates the 12 clusters with the series the analysis reads', () => {
    const prom = YAML.parse(byKind('ConfigMap')[0].data['prometheus.yml']);
    // The analysis reads http_requests_total{job="{{args.service-name}}"} and the Rollout passes service-name=my-service:
    // the user's {job="my-service"} already carries it, so nothing wider (every service's http_requests_total) is added.
    expect(prom.scrape_configs[0].params['match[]']).toEqual(['{job="my-service"}']);
    expect(prom.scrape_configs[0].static_configs).toHaveLength(12);
  });

  test('ROLLOUT-PLAN.md holds the release plan', () => {
    const md = files['ROLLOUT-PLAN.md'];
    expect(md).toBe(stack.releasePlan());
    expect(md).toContain('**Total: ≥ 3h2m** over 4 wave(s) and 12 Application(s)');
  });

  test('the main job (npx projen example) runs transpile-only on plain node, writes the tree and prints the plan', () => {
    const root = path.resolve(__dirname, '..');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-example.js')], { cwd: root, stdio: 'ignore' });
    const out = execFileSync(process.execPath, [path.join(root, '.cache', 'example-js', 'examples', 'stack', 'main.js')],
      { cwd: root, env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8' });
    expect(out).toContain(`synthesized the GitOps tree of my-service into ${outdir}/`);
    expect(out).toContain(fs.readFileSync(path.join(outdir, 'ROLLOUT-PLAN.md'), 'utf8'));
    expect(fs.existsSync(path.join(outdir, 'k8s', 'overlays', 'production', 'frankfurt-6', 'kustomization.yaml'))).toBe(true);
  });
});
