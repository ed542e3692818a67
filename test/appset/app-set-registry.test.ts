import { Chart, Testing } from 'cdk8s';
import { example1, fleet, synthErrors } from './app-set-fixtures';
import { MultiClusterAppSet } from '../../src';

describe('Application names across ApplicationSets', () => {
  test('fails when two ApplicationSets render the same Application name in one Argo CD namespace', () => {
    const both = (c: Chart, names?: [string, string]) => {
      const props = { environmentClusterLabel: 'env', fleet: fleet() };
      new MultiClusterAppSet(c, 'svc-a', example1({ ...props, metadata: { name: 'svc-a' }, destinationNamespace: 'svc-a', applicationName: names?.[0] }));
      new MultiClusterAppSet(c, 'svc-b', example1({ ...props, metadata: { name: 'svc-b' }, destinationNamespace: 'svc-b', applicationName: names?.[1] }));
    };
    // GIVEN two services on one fleet with the default names ({{.nameNormalized}}-{{.env}})
    expect(synthErrors(c => both(c))).toContain('[test/svc-b] applicationName is "{{.nameNormalized}}-{{.env}}", rendering seoul-1-canary, '
      + 'seoul-2-production, seoul-3-production, names test/svc-a renders too; expected Application names unique in the Argo CD namespace "argocd" '
      + 'across ApplicationSets (an Application belongs to one ApplicationSet; the other fails to create or update it). '
      + 'Fix: prefix the names with the service, e.g. applicationName: "svc-b-{{.nameNormalized}}-{{.env}}"');
    // THEN prefixed names synthesize
    const ok = Testing.chart();
    both(ok, ['svc-a-{{.nameNormalized}}-{{.env}}', 'svc-b-{{.nameNormalized}}-{{.env}}']);
    expect(Testing.synth(ok).map(o => o.metadata.name)).toEqual(['svc-a', 'svc-b']);
  });
});
