/**
 * `tofu validate` on the synthesized configuration, with hashicorp/terraform-provider-kubernetes built from its Go
 * module and wired through `dev_overrides`: the provider's own schema judges the resources this module synthesizes.
 * Both tools come from `npx projen terraform:tools` (scripts/terraform-tools.sh, cached outside the repo; the CI task
 * runs it before the build).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Testing } from 'cdk8s';
import { TerraformVariable, Fn } from 'cdktf';
import { managementStack, sampleFleet, synthStack } from './harness';
import { readmeBlock } from './readme-section';
import { ClusterSelector, MaxUpdate, MultiClusterAppSet, RollingSyncStep } from '../../src';
import { ArgoCdClusterSecrets, ChartManifests, ClusterConfig } from '../../terraform';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'terraform-tools.sh');

function tools(): { tofu: string; providerDir: string } {
  const r = spawnSync('bash', [SCRIPT, '--check'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr.trim());
  const kv = Object.fromEntries(r.stdout.trim().split('\n').map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { tofu: kv.tofu, providerDir: kv.provider_dir };
}

interface Diagnostic { severity: string; summary: string; detail?: string }

/** Runs `tofu validate -json` in a configuration directory with the provider from dev_overrides. */
function validate(dir: string): { valid: boolean; errors: Diagnostic[]; warnings: Diagnostic[]; stderr: string } {
  const { tofu, providerDir } = tools();
  const cliConfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-pd-tofurc-')), 'tofurc');
  fs.writeFileSync(cliConfig, [
    'provider_installation {',
    `  dev_overrides { "hashicorp/kubernetes" = ${JSON.stringify(providerDir)} }`,
    '  direct {}',
    '}',
  ].join('\n'));
  const r = spawnSync(tofu, ['validate', '-json', '-no-color'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 50_000,
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
  if (!r.stdout) throw new Error(`tofu validate gave no output (status ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  const diags: Diagnostic[] = out.diagnostics ?? [];
  return { valid: out.valid, errors: diags.filter(d => d.severity === 'error'), warnings: diags.filter(d => d.severity === 'warning'), stderr: r.stderr };
}

/** Everything this module synthesizes: the three ClusterConfig variants and the management chart as manifests. */
function fullConfiguration(): string {
  const { app, stack, outdir } = managementStack();
  const fleet = sampleFleet();
  new ArgoCdClusterSecrets(stack, 'from-variables', { fleet, config: ClusterConfig.fromSensitiveVariables() });
  new ArgoCdClusterSecrets(stack, 'from-secrets', {
    fleet, namespace: 'argocd-staging', project: 'payments', config: ClusterConfig.fromExistingSecrets('cluster-credentials'),
  });
  new ArgoCdClusterSecrets(stack, 'write-only', {
    fleet,
    namespace: 'argocd-wo',
    writeOnlyRevision: 1,
    config: ClusterConfig.fromExistingSecrets('cluster-credentials', 'wo-'),
  });
  const ca = new TerraformVariable(stack, 'fleet_ca_data', { type: 'string', sensitive: true });
  new ArgoCdClusterSecrets(stack, 'from-expression', {
    fleet,
    namespace: 'argocd-dr',
    secretNamePrefix: 'dr-',
    config: ClusterConfig.fromExpression(() => Fn.jsonencode({ tlsClientConfig: { caData: ca.stringValue } })),
  });
  const chart = Testing.chart();
  new MultiClusterAppSet(chart, 'checkout', {
    metadata: { name: 'checkout' },
    fleet,
    clusters: ClusterSelector.all(),
    environments: ['canary', 'production'],
    environmentClusterLabel: 'env',
    steps: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(50))],
    source: { repoUrl: 'https://github.com/my-org/checkout', path: 'k8s/{{.env}}' },
    destinationNamespace: 'checkout',
  });
  new ApiObject(chart, 'relabel', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'relabel', namespace: 'monitoring' }, data: { replacement: '${1}' } });
  new ChartManifests(stack, 'management-chart', { chart });
  return synthStack(app, outdir).dir;
}

describe('tofu validate with the real kubernetes provider (dev_overrides)', () => {
  test('the synthesized configuration is valid for the provider\'s schema', () => {
    const dir = fullConfiguration();
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(json.resource.kubernetes_secret_v1)).toHaveLength(16);
    expect(Object.keys(json.resource.kubernetes_manifest)).toHaveLength(2);
    const r = validate(dir);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  test('the README\'s plain-HCL alternative, over a fleet.json written from the Fleet, is valid too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-pd-hcl-'));
    fs.writeFileSync(path.join(dir, 'fleet.json'), JSON.stringify({ clusters: sampleFleet().clusters }));
    fs.writeFileSync(path.join(dir, 'main.tf'), readmeBlock('hcl'));
    const r = validate(dir);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  /** Validates the full configuration with one resource changed. */
  function validateMutated(mutate: (secret: any) => void): string {
    const dir = fullConfiguration();
    const file = path.join(dir, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    mutate(Object.values(json.resource.kubernetes_secret_v1)[0]);
    fs.writeFileSync(file, JSON.stringify(json));
    const r = validate(dir);
    expect(r.valid).toBe(false);
    return r.errors.map(e => `${e.summary}: ${e.detail}`).join('\n');
  }

  test('control: the provider\'s schema rejects an attribute it does not have (the judge can fail)', () => {
    const messages = validateMutated(s => { s.metadata.label = { env: 'canary' }; }); // `labels`, misspelt
    expect(messages).toMatch(/Extraneous JSON object property: No argument or block type is named "label"\./);
  });

  test('control: the provider\'s own validators run (an invalid Secret name)', () => {
    const messages = validateMutated(s => { s.metadata.name = 'Cluster_Seoul'; });
    expect(messages).toMatch(/metadata\.0\.name a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters/);
  });
});
