import { ApiObject, Testing } from 'cdk8s';
import { managementStack, sampleFleet, synthStack } from './harness';
import { ClusterSelector, MaxUpdate, MultiClusterAppSet, RollingSyncStep } from '../../src';
import { ChartManifests, escapeTemplates } from '../../terraform';

describe('ChartManifests: the management chart as kubernetes_manifest resources', () => {
  test('one kubernetes_manifest per chart object, equal to the cdk8s synth output once Terraform unescapes it', () => {
    const chart = Testing.chart();
    new MultiClusterAppSet(chart, 'checkout', {
      metadata: { name: 'checkout' },
      fleet: sampleFleet(),
      clusters: ClusterSelector.all(),
      steps: [RollingSyncStep.everything(MaxUpdate.percent(25))],
      source: { repoUrl: 'https://github.com/my-org/checkout', path: 'k8s' },
      destinationNamespace: 'checkout',
    });
    new ApiObject(chart, 'relabel', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'relabel', namespace: 'monitoring' },
      data: { replacement: '${1}', percent: '%{not-a-directive}', dollar: '$1 and $${x}' },
    });
    const objects = Testing.synth(chart); // schema-checked by the harness
    const { app, stack, outdir } = managementStack();
    const manifests = new ChartManifests(stack, 'management-chart', { chart });
    expect(manifests.manifests).toHaveLength(2);
    const { json } = synthStack(app, outdir);

    const resources = Object.values(json.resource.kubernetes_manifest) as any[];
    expect(resources.map(r => r.manifest.kind).sort()).toEqual(['ApplicationSet', 'ConfigMap']);
    const cm = resources.find(r => r.manifest.kind === 'ConfigMap').manifest;
    expect(cm.data).toEqual({ replacement: '$${1}', percent: '%%{not-a-directive}', dollar: '$1 and $$${x}' });
    // Terraform's template unescaping ($${ -> ${, %%{ -> %{) gives back exactly what cdk8s synthesizes
    const unescape = (v: any): any => typeof v === 'string' ? v.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')
      : Array.isArray(v) ? v.map(unescape) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [unescape(k), unescape(x)])) : v;
    for (const r of resources) {
      expect(unescape(r.manifest)).toEqual(objects.find(o => o.kind === r.manifest.kind));
    }
  });

  test('escapeTemplates leaves strings without templates alone', () => {
    expect(escapeTemplates({ a: ['{{.name}}', 'x$', '%d', 1, true, null] })).toEqual({ a: ['{{.name}}', 'x$', '%d', 1, true, null] });
  });

  test('a chart that fails validation is rejected', () => {
    const chart = Testing.chart();
    new MultiClusterAppSet(chart, 'no-steps', {
      clusters: ClusterSelector.all(),
      source: { repoUrl: 'https://github.com/my-org/checkout' },
      destinationNamespace: 'checkout',
    });
    expect(() => new ChartManifests(managementStack().stack, 'c', { chart })).toThrow(/chart is a chart that fails validation: .*steps/);
  });
});
