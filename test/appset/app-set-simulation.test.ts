import { Testing } from 'cdk8s';
import { example1, fleet, synthErrors } from './app-set-fixtures';
import { ClusterSelector, Fleet, Generator, LabelExpression, MultiClusterAppSet, RollingSyncStep } from '../../src';

describe('MultiClusterAppSet simulation: rendering the Applications at synth', () => {
  test('fails when a template cannot render for a cluster (in-cluster has no metadata)', () => {
    const f = new Fleet({ clusters: [{ name: 'a', server: 'https://a', labels: { env: 'prod' } }] });
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', {
      generators: [Generator.clusters()],
      applicationName: '{{.name}}-svc',
      labels: { env: '{{index .metadata.labels "env"}}' },
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://x', path: 'k8s/{{.metadata.labels.env}}' },
      destinationNamespace: 'svc',
      fleet: f,
    }))).toContain('[test/svc] template is "{{index .metadata.labels \\"env\\"}}"; expected a template every generated param set renders, but for '
      + '{"name":"in-cluster","server":"https://kubernetes.default.svc","nameNormalized":"in-cluster","project":"","values":{}} it fails: '
      + 'map has no entry for key "metadata". Fix: fix the template or the generator params (the local in-cluster has no metadata: give the clusters generator a selector)');
  });

  test('ApplicationSets with equal generators over one fleet render their own Applications, and follow addCluster', () => {
    const f = new Fleet({ clusters: [{ name: 'a', server: 'https://a', labels: { env: 'prod' } }] });
    const chart = Testing.chart();
    const appSet = (id: string, generators: Generator[]) => new MultiClusterAppSet(chart, id, {
      generators,
      applicationName: `${id}-{{.nameNormalized}}-{{.stage}}`,
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://x', path: `k8s/${id}/{{.stage}}` },
      destinationNamespace: `${id}-{{.stage}}`,
      fleet: f,
    });
    const seed = () => [Generator.matrix([
      Generator.list({ elements: [{ stage: 'prod' }] }),
      Generator.clusters({ selector: ClusterSelector.matchLabels({ env: '{{.stage}}' }) }),
    ])];
    const first = appSet('one', seed());
    expect(first.generatedApplications().map(a => [a.name, a.sourcePath])).toEqual([['one-a-prod', 'k8s/one/prod']]);
    f.addCluster({ name: 'b', server: 'https://b', labels: { env: 'prod' } });
    const second = appSet('two', seed());
    expect(second.generatedApplications().map(a => [a.name, a.sourcePath])).toEqual([['two-a-prod', 'k8s/two/prod'], ['two-b-prod', 'k8s/two/prod']]);
    expect(first.generatedApplications().map(a => a.name)).toEqual(['one-a-prod', 'one-b-prod']);
    // generators equal but for the values of an Exists expression (not in its manifest): each is evaluated for itself
    const exists = (values: string[]) => [Generator.matrix([
      Generator.list({ elements: [{ stage: 'prod' }] }),
      Generator.clusters({ selector: ClusterSelector.matchExpressions([LabelExpression.of('env', 'Exists', values)]) }),
    ])];
    expect(appSet('three', exists([])).generatedApplications().map(a => a.name)).toEqual(['three-a-prod', 'three-b-prod']);
    expect(() => appSet('four', exists(['{{.nope}}'])).generatedApplications()).toThrow(/map has no entry for key "nope"/);
  });

  test('reports generators that cannot be rendered statically', () => {
    const git = new MultiClusterAppSet(Testing.chart(), 'git', {
      generators: [Generator.gitDirectories({ repoUrl: 'https://github.com/x/y', directories: [{ path: 'apps/*' }] })],
      applicationName: '{{.path.basename}}',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/x/y', path: '{{.path.path}}' },
      destinationNamespace: 'x',
      fleet: fleet(),
    });
    expect(() => git.plan()).toThrow('test/git: generators is not statically renderable; expected generators and templates that can be rendered at synth; '
      + 'generators[0] cannot be rendered at synth time: the git generator');
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', {
      generators: [Generator.gitDirectories({ repoUrl: 'https://github.com/x/y', directories: [{ path: 'apps/*' }] })],
      applicationName: '{{.path.basename}}',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/x/y', path: '{{.path.path}}' },
      destinationNamespace: '{{.path.basename}}',
      destinationServer: 'https://kubernetes.default.svc',
      fleet: fleet(),
    }))).toContain('[test/svc] fleet is a Fleet of 4 cluster(s) (seoul-1, seoul-2, seoul-3, tokyo-1); expected generators and templates that can be rendered statically; '
      + 'generators[0] cannot be rendered at synth time: '
      + 'the git generator (its params come from a Git repository)');
  });

  test('plan() needs a fleet', () => {
    const appSet = new MultiClusterAppSet(Testing.chart(), 'svc', example1());
    expect(() => appSet.plan()).toThrow('test/svc: fleet is missing; expected a Fleet: static rendering (generatedApplications(), plan()) needs the clusters. '
      + 'Fix: pass fleet: new Fleet({ clusters: [...] }), or plan standalone with RolloutPlan.compute(steps, applications)');
  });

  test('generatedApplications() returns copies: editing them does not change the cached rendering', () => {
    const appSet = new MultiClusterAppSet(Testing.chart(), 'svc', example1({ fleet: fleet(), environmentClusterLabel: 'env' }));
    const apps = appSet.generatedApplications();
    apps[0].labels!.env = 'edited';
    apps.pop();
    expect(appSet.generatedApplications().map(a => [a.name, a.labels!.env])).toEqual([
      ['seoul-1-canary', 'canary'], ['seoul-2-production', 'production'], ['seoul-3-production', 'production'],
    ]);
  });
});
