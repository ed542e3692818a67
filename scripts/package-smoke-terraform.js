// Run by package-smoke.sh in the scratch project: `node smoke-terraform.js missing|installed` (the optional peers
// cdktf and @cdktf/provider-kubernetes absent or installed). Exercises the package's `exports` for the subpath.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');

if (process.argv[2] === 'missing') {
  assert.throws(() => require.resolve('cdktf'), /Cannot find module/);
  require('cdk8s-progressive-delivery'); // the main entry point does not need them
  assert.throws(() => require('cdk8s-progressive-delivery/terraform'),
    /needs the optional peer dependencies cdktf and @cdktf\/provider-kubernetes, which are not installed\. Fix: npm install/);
  console.log('package smoke (terraform, peers missing) passed: the subpath names what to install');
} else {
  const { App, TerraformStack } = require('cdktf');
  const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider');
  const { Fleet } = require('cdk8s-progressive-delivery');
  const { ArgoCdClusterSecrets, ClusterConfig } = require('cdk8s-progressive-delivery/terraform');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-tf-'));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'clusters');
  new KubernetesProvider(stack, 'management', { configContext: 'management' });
  const fleet = new Fleet({ clusters: [{ name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { env: 'canary' } }] });
  new ArgoCdClusterSecrets(stack, 'clusters', { fleet, config: ClusterConfig.fromSensitiveVariables() });
  app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'clusters', 'cdk.tf.json'), 'utf8'));
  const secrets = Object.values(json.resource.kubernetes_secret_v1);
  assert.deepStrictEqual(secrets.map(s => s.metadata.labels), [{ 'env': 'canary', 'argocd.argoproj.io/secret-type': 'cluster' }]);
  assert.strictEqual(secrets[0].data.config, '${var.argocd_cluster_config_seoul_1}');
  console.log('package smoke (terraform, peers installed) passed: 1 cluster Secret synthesized');
}
