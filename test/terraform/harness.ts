import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Fleet } from '../../src';

/** A fleet with the name shapes Argo CD users have (GKE context, EKS ARN) and the labels ApplicationSets select on. */
export function sampleFleet(): Fleet {
  return new Fleet({
    clusters: [
      { name: 'gke_my-project_asia-northeast3_seoul-1', server: 'https://34.64.0.1', labels: { env: 'canary', region: 'apac' } },
      { name: 'arn:aws:eks:eu-west-1:123456789012:cluster/dublin-1', server: 'https://dublin-1.eks.example.com', labels: { env: 'production', region: 'emea' } },
      { name: 'tokyo-1', server: 'https://tokyo-1.example.com:6443', labels: { env: 'production', region: 'apac', tier: 'gold' } },
      { name: 'frankfurt-1', server: 'https://frankfurt-1.example.com', labels: { env: 'production', region: 'emea' } },
    ],
  });
}

/** A stack for the management cluster, with its `kubernetes` provider from a kubeconfig context (no credential). */
export function managementStack(outdir?: string): { app: App; stack: TerraformStack; outdir: string } {
  const dir = outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-pd-tf-'));
  const app = new App({ outdir: dir, stackTraces: false });
  const stack = new TerraformStack(app, 'management');
  new KubernetesProvider(stack, 'management', { configPath: '~/.kube/config', configContext: 'management' });
  return { app, stack, outdir: dir };
}

/** Synthesizes the app (no terraform binary involved) and returns the stack's Terraform JSON and its directory. */
export function synthStack(app: App, outdir: string, stackName = 'management'): { json: any; dir: string } {
  app.synth();
  const dir = path.join(outdir, 'stacks', stackName);
  return { json: JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')), dir };
}

/** Every file under a directory, recursively. */
export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

/** The synthesized `kubernetes_secret_v1` resources. */
export function secretResources(json: any): any[] {
  return Object.values(json.resource?.kubernetes_secret_v1 ?? {});
}
