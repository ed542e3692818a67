import * as fs from 'fs';
import { DataKubernetesSecretV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1';
import { Fn, TerraformVariable } from 'cdktf';
import { filesUnder, managementStack, sampleFleet, secretResources, synthStack } from './harness';
import { Fleet, ValidationError } from '../../src';
import { ArgoCdClusterSecrets, ClusterConfig } from '../../terraform';

/** What a credential in an Argo CD cluster config looks like (keys of its config JSON, PEM, tokens). */
const CREDENTIAL_MARKERS = [/bearerToken/i, /tlsClientConfig/, /caData|certData|keyData/, /-----BEGIN/, /password/i, /awsAuthConfig/, /eyJ[A-Za-z0-9_-]{10,}/];

describe('ArgoCdClusterSecrets synthesizes Terraform JSON (no terraform binary)', () => {
  test('one Secret per cluster, in the Argo CD namespace, labels equal to the fleet\'s, config from sensitive variables', () => {
    const fleet = sampleFleet();
    const { app, stack, outdir } = managementStack();
    new ArgoCdClusterSecrets(stack, 'clusters', { fleet, config: ClusterConfig.fromSensitiveVariables() });
    const { json, dir } = synthStack(app, outdir);

    const secrets = secretResources(json);
    expect(secrets).toHaveLength(fleet.clusters.length);
    for (const cluster of fleet.clusters) {
      const matching = secrets.filter(s => s.data.name === cluster.name);
      expect(matching).toHaveLength(1);
      const s = matching[0];
      expect(s.metadata.namespace).toBe('argocd');
      expect(s.metadata.name).toBe(`cluster-${Fleet.normalizeClusterName(cluster.name)}`);
      expect(s.metadata.labels).toEqual({ ...cluster.labels, 'argocd.argoproj.io/secret-type': 'cluster' });
      expect(s.data.server).toBe(cluster.server);
      expect(s.type).toBe('Opaque');
      // the config is a reference to a sensitive variable without a default
      const m = /^\$\{var\.([A-Za-z0-9_]+)\}$/.exec(s.data.config);
      expect(m).not.toBeNull();
      const variable = json.variable[m![1]];
      expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
      expect(variable).not.toHaveProperty('default');
    }
    expect(Object.keys(json.variable).sort()).toEqual([
      'argocd_cluster_config_arn-aws-eks-eu-west-1-123456789012-cluster-dublin-1'.replace(/-/g, '_'),
      'argocd_cluster_config_frankfurt_1',
      'argocd_cluster_config_gke-my-project-asia-northeast3-seoul-1'.replace(/-/g, '_'),
      'argocd_cluster_config_tokyo_1',
    ]);

    // no credential anywhere in what was written
    const files = filesUnder(outdir);
    expect(files.map(f => f.slice(dir.length))).toContain('/cdk.tf.json');
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      expect({ file: f, found: CREDENTIAL_MARKERS.filter(m => m.test(text)).map(String) }).toEqual({ file: f, found: [] });
    }
  });

  test('config from existing Secrets: a kubernetes_secret_v1 data source per cluster, read at plan time', () => {
    const fleet = sampleFleet();
    const { app, stack, outdir } = managementStack();
    new ArgoCdClusterSecrets(stack, 'clusters', {
      fleet, namespace: 'gitops', project: 'payments', config: ClusterConfig.fromExistingSecrets('cluster-credentials', 'kubeconfig-', 'argocd'),
    });
    const { json } = synthStack(app, outdir);
    const sources = json.data.kubernetes_secret_v1;
    expect(Object.values(sources).map((d: any) => d.metadata).sort((a: any, b: any) => a.name.localeCompare(b.name))).toEqual(
      fleet.clusters.map(c => ({ name: `kubeconfig-${Fleet.normalizeClusterName(c.name)}`, namespace: 'cluster-credentials' }))
        .sort((a, b) => a.name.localeCompare(b.name)));
    for (const s of secretResources(json)) {
      expect(s.metadata.namespace).toBe('gitops');
      expect(s.data.project).toBe('payments');
      const m = /^\$\{data\.kubernetes_secret_v1\.([^.]+)\.data\["argocd"\]\}$/.exec(s.data.config);
      expect(m).not.toBeNull();
      expect(sources[m![1]].metadata.name).toBe(`kubeconfig-${Fleet.normalizeClusterName(s.data.name)}`);
    }
  });

  test('config from an expression: a Terraform token is accepted, a literal (a credential value) is rejected', () => {
    const { app, stack, outdir } = managementStack();
    const token = new TerraformVariable(stack, 'fleet_ca', { type: 'string', sensitive: true });
    new ArgoCdClusterSecrets(stack, 'clusters', {
      fleet: sampleFleet(),
      config: ClusterConfig.fromExpression((scope, { normalizedName }) => {
        const tokenSource = new DataKubernetesSecretV1(scope, `sa-${normalizedName}`, { metadata: { name: `argocd-manager-${normalizedName}`, namespace: 'kube-system' } });
        return Fn.jsonencode({ bearerToken: tokenSource.data.lookup('token'), tlsClientConfig: { caData: token.stringValue } });
      }),
    });
    const { json } = synthStack(app, outdir);
    for (const s of secretResources(json)) expect(s.data.config).toMatch(/^\$\{jsonencode\(/);

    const other = managementStack();
    expect(() => new ArgoCdClusterSecrets(other.stack, 'clusters', {
      fleet: sampleFleet(),
      config: ClusterConfig.fromExpression(() => '{"bearerToken":"s3cr3t"}'),
    })).toThrow(/config is a literal string for cluster "gke_my-project_asia-northeast3_seoul-1" \(value not shown\); expected a Terraform expression/);
    try {
      new ArgoCdClusterSecrets(managementStack().stack, 'clusters', { fleet: sampleFleet(), config: ClusterConfig.fromExpression(() => 's3cr3t') });
    } catch (e) {
      expect(ValidationError.isValidationError(e)).toBe(true);
      expect(String((e as Error).message)).not.toContain('s3cr3t');
    }
  });

  test('writeOnlyRevision: the data goes to the write-only data_wo (never in state) with its revision', () => {
    const { app, stack, outdir } = managementStack();
    new ArgoCdClusterSecrets(stack, 'clusters', { fleet: sampleFleet(), config: ClusterConfig.fromSensitiveVariables(), writeOnlyRevision: 3 });
    const { json } = synthStack(app, outdir);
    for (const s of secretResources(json)) {
      expect(s).not.toHaveProperty('data');
      expect(s.data_wo_revision).toBe(3);
      expect(Object.keys(s.data_wo).sort()).toEqual(['config', 'name', 'server']);
      expect(s.data_wo.config).toMatch(/^\$\{var\.argocd_cluster_config_[a-z0-9_]+\}$/);
    }
    for (const bad of [0, 1.5, -1]) {
      expect(() => new ArgoCdClusterSecrets(managementStack().stack, 'c', { fleet: sampleFleet(), config: ClusterConfig.fromSensitiveVariables(), writeOnlyRevision: bad }))
        .toThrow(`writeOnlyRevision is ${bad}; expected an integer >= 1`);
    }
  });

  test('rejects what would make Argo CD read other labels or no Secret at all', () => {
    const config = ClusterConfig.fromSensitiveVariables();
    const typed = new Fleet({ clusters: [{ name: 'a', server: 'https://a.example.com', labels: { 'argocd.argoproj.io/secret-type': 'repository' } }] });
    expect(() => new ArgoCdClusterSecrets(managementStack().stack, 'c', { fleet: typed, config }))
      .toThrow(/fleet.clusters\[0\].labels is "argocd.argoproj.io\/secret-type": "repository"; expected no argocd.argoproj.io\/secret-type label/);
    expect(() => new ArgoCdClusterSecrets(managementStack().stack, 'c', { fleet: sampleFleet(), config, namespace: 'Argo_CD' }))
      .toThrow(/namespace is "Argo_CD"; expected a namespace name/);
    expect(() => new ArgoCdClusterSecrets(managementStack().stack, 'c', { fleet: sampleFleet(), config, secretNamePrefix: 'Cluster_' }))
      .toThrow(/secretNamePrefix is "Cluster_"/);
    expect(() => new ArgoCdClusterSecrets(managementStack().stack, 'c', { fleet: sampleFleet(), config: undefined as any }))
      .toThrow(/config is missing; expected a ClusterConfig/);
    expect(() => new ArgoCdClusterSecrets(managementStack().stack, 'c', { fleet: { clusters: 'x' } as any, config }))
      .toThrow(/fleet is object; expected a Fleet/);
    // names that normalize alike (they would name the same Secret) are already refused by the fleet
    expect(() => new Fleet({ clusters: [{ name: 'Seoul-1', server: 'https://a.example.com' }, { name: 'seoul_1', server: 'https://b.example.com' }] }))
      .toThrow(/clusters\[1\].name is "seoul_1"; expected a name whose normalized form \("seoul-1"\) no other cluster has/);
    expect(() => ClusterConfig.fromSensitiveVariables('1-bad')).toThrow(/variablePrefix is "1-bad"; expected the start of a Terraform identifier/);
    expect(() => ClusterConfig.fromExistingSecrets('Vault')).toThrow(/namespace is "Vault"/);
    expect(() => ClusterConfig.fromExistingSecrets('vault', 'p-', 'a/b')).toThrow(/key is "a\/b"/);
  });
});
