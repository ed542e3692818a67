import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { secretResources } from './harness';
import { readmeBlock } from './readme-section';

const ROOT = path.join(__dirname, '..', '..');

test('the README\'s Terraform example runs as written and registers both clusters', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-tf-'));
  const code = readmeBlock('ts')
    .replace(/from 'cdk8s-progressive-delivery\/terraform'/g, `from '${path.join(ROOT, 'terraform').replace(/\\/g, '/')}'`)
    .replace(/from 'cdk8s-progressive-delivery'/g, `from '${path.join(ROOT, 'src').replace(/\\/g, '/')}'`)
    .replace('new App()', `new App({ outdir: ${JSON.stringify(outdir)} })`);
  const file = path.join(ROOT, '.cache', 'readme-terraform-snippet.ts');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, code);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jest.isolateModules(() => require(file));
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'argocd-clusters', 'cdk.tf.json'), 'utf8'));
  expect(secretResources(json).map(s => [s.data.name, s.metadata.labels]).sort()).toEqual([
    ['seoul-1', { 'env': 'canary', 'argocd.argoproj.io/secret-type': 'cluster' }],
    ['tokyo-1', { 'env': 'production', 'argocd.argoproj.io/secret-type': 'cluster' }],
  ]);
  expect(Object.keys(json.variable).sort()).toEqual(['argocd_cluster_config_seoul_1', 'argocd_cluster_config_tokyo_1']);
});
