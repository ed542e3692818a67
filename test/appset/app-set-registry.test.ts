import { App, Chart, Testing } from 'cdk8s';
import { example1, fleet, seedSteps, synthErrors } from './app-set-fixtures';
import { MultiClusterAppSet, MultiClusterAppSetProps, RollingSyncStep } from '../../src';
import * as rules from '../../src/appset/app-set-rules';
import * as simulation from '../../src/appset/app-set-simulation';

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

  test('the later ApplicationSet in tree order is reported, whatever the construction order', () => {
    const app = new App();
    const first = new Chart(app, 'a-chart');
    const second = new Chart(app, 'b-chart');
    const props = { environmentClusterLabel: 'env', fleet: fleet() };
    // constructed in the opposite order of the tree
    new MultiClusterAppSet(second, 'svc', example1({ ...props, metadata: { name: 'svc-b' }, destinationNamespace: 'svc-b' }));
    new MultiClusterAppSet(first, 'svc', example1({ ...props, metadata: { name: 'svc-a' }, destinationNamespace: 'svc-a' }));
    expect(() => app.synthYaml()).toThrow(/\[b-chart\/svc\] applicationName is .* names a-chart\/svc renders too/);
    expect(() => app.synthYaml()).not.toThrow(/\[a-chart\/svc\] applicationName/);
  });

  test('each ApplicationSet is reported once per earlier one it shares names with, with the names it shares with that one', () => {
    const errors = synthErrors(c => {
      const props = { environmentClusterLabel: 'env', fleet: fleet() };
      const appSet = (id: string, applicationName: string) =>
        new MultiClusterAppSet(c, id, example1({ ...props, metadata: { name: id }, destinationNamespace: id, applicationName }));
      appSet('svc-a', '{{.nameNormalized}}-{{.env}}');
      appSet('svc-b', 'x-{{.nameNormalized}}');
      appSet('svc-c', '{{.nameNormalized}}-{{.env}}');
      appSet('svc-d', 'x-{{.nameNormalized}}');
    });
    const lines = errors.split('\n').filter(l => l.includes('renders too'));
    expect(lines.filter(l => l.includes('[test/svc-c]'))).toEqual([expect.stringContaining('names test/svc-a renders too')]);
    expect(lines.filter(l => l.includes('[test/svc-d]'))).toEqual([expect.stringContaining('rendering x-seoul-1, x-seoul-2, x-seoul-3, names test/svc-b renders too')]);
    expect(lines.filter(l => l.includes('[test/svc-a]') || l.includes('[test/svc-b]'))).toEqual([]);
  });

  test('a third ApplicationSet with the same names is reported against both earlier ones, in tree order', () => {
    const errors = synthErrors(c => {
      const props = { environmentClusterLabel: 'env', fleet: fleet() };
      for (const id of ['svc-a', 'svc-b', 'svc-c']) {
        new MultiClusterAppSet(c, id, example1({ ...props, metadata: { name: id }, destinationNamespace: id, applicationName: 'n-{{.nameNormalized}}' }));
      }
    });
    const lines = errors.split('\n').filter(l => l.includes('renders too'));
    expect(lines.filter(l => l.includes('[test/svc-c]')).map(l => /names (\S+) renders too/.exec(l)?.[1])).toEqual(['test/svc-a', 'test/svc-b']);
    expect(lines.filter(l => l.includes('[test/svc-b]')).map(l => /names (\S+) renders too/.exec(l)?.[1])).toEqual(['test/svc-a']);
  });

  test('different Argo CD namespaces or a fleet-less ApplicationSet do not clash', () => {
    const chart = Testing.chart();
    new MultiClusterAppSet(chart, 'svc-a', example1({ environmentClusterLabel: 'env', fleet: fleet(), destinationNamespace: 'svc-a' }));
    new MultiClusterAppSet(chart, 'svc-b', example1({ environmentClusterLabel: 'env', fleet: fleet(), destinationNamespace: 'svc-b', metadata: { namespace: 'argocd-b' } }));
    new MultiClusterAppSet(chart, 'svc-c', example1({ environmentClusterLabel: 'env', destinationNamespace: 'svc-c' }));
    expect(Testing.synth(chart)).toHaveLength(3);
  });
});

describe('the controller simulation runs once per synth (issue 12)', () => {
  afterEach(() => jest.restoreAllMocks());

  /** Three services on one fleet, one chart each (the first one's props amended by `first`). */
  const threeServices = (first: Partial<MultiClusterAppSetProps> = {}) => {
    const app = new App();
    const shared = fleet();
    const appSets = [0, 1, 2].map(i => new MultiClusterAppSet(new Chart(app, `svc-${i}`), 'appset', example1({
      metadata: { name: `svc-${i}` },
      environmentClusterLabel: 'env',
      fleet: shared,
      destinationNamespace: `svc-${i}`,
      applicationName: `svc-${i}-{{.nameNormalized}}-{{.env}}`,
      ...(i === 0 ? first : {}),
    })));
    return { app, appSets };
  };

  test('n ApplicationSets in n charts render n times, although cdk8s validates n + 1 times; plan() reuses the rendering', () => {
    const spy = jest.spyOn(simulation, 'simulate');
    const ruleSpy = jest.spyOn(rules, 'synthProblems');
    const { app, appSets } = threeServices();
    app.synthYaml();
    expect(spy).toHaveBeenCalledTimes(3);
    // the rules too: 4 validation passes (3 charts + 1), each ApplicationSet checked once
    expect(ruleSpy).toHaveBeenCalledTimes(3);
    appSets.forEach(a => a.plan());
    expect(spy).toHaveBeenCalledTimes(3);
    app.synthYaml();
    expect(spy).toHaveBeenCalledTimes(3);
  });

  test('the spec renders once per synth: the checks, the simulation and cdk8s read one rendering; after addStep() once more', () => {
    const render = jest.spyOn(MultiClusterAppSet.prototype as any, 'renderSpec');
    // the first one gets its production step later
    const { app, appSets } = threeServices({ steps: [seedSteps()[0]], allowUnmatchedApplications: true });
    app.synthYaml();
    expect(render).toHaveBeenCalledTimes(3);
    appSets[0].addStep(seedSteps()[1]);
    const after = app.synthYaml();
    // a change starts a new validation generation: each ApplicationSet renders once more, still once per synth
    expect(render).toHaveBeenCalledTimes(6);
    // the cached rendering is not stale: the new step is synthesized
    expect(appSets[0].apiObject.toJson().spec.strategy.rollingSync.steps).toEqual(seedSteps().map(st => st._toKube()));
    expect(after).toContain('- production');
  });

  test('the cached spec lives for one job: props a plain-JS caller changed afterwards are rendered by the next synth', async () => {
    const chart = Testing.chart();
    const props = example1({ environmentClusterLabel: 'env', fleet: fleet(), annotations: { team: 'a' } });
    const appSet = new MultiClusterAppSet(chart, 'svc', props);
    expect(appSet.apiObject.toJson().spec.template.metadata.annotations).toEqual({ team: 'a' });
    await new Promise(resolve => setTimeout(resolve, 1));
    (props.annotations as any).team = 'c';
    expect(Testing.synth(chart)[0].spec.template.metadata.annotations).toEqual({ team: 'c' });
  });

  test('addStep() and Fleet.addCluster() invalidate the cached rendering', () => {
    const spy = jest.spyOn(simulation, 'simulate');
    const chart = Testing.chart();
    const f = fleet();
    const appSet = new MultiClusterAppSet(chart, 'svc', example1({ environmentClusterLabel: 'env', fleet: f, steps: [] }));
    appSet.addStep(RollingSyncStep.whereIn('env', ['canary']));
    expect(appSet.plan().unmatched).toEqual(['seoul-2-production', 'seoul-3-production']);
    expect(spy).toHaveBeenCalledTimes(1);
    appSet.addStep(RollingSyncStep.whereIn('env', ['production']));
    expect(appSet.plan().unmatched).toEqual([]);
    expect(spy).toHaveBeenCalledTimes(2);
    f.addCluster({ name: 'seoul-4', server: 'https://seoul-4.example.com', labels: { region: 'ap-northeast-2', env: 'production' } });
    expect(appSet.plan().waves[1].applications).toEqual(['seoul-2-production', 'seoul-3-production', 'seoul-4-production']);
    expect(spy).toHaveBeenCalledTimes(3);
    Testing.synth(chart);
    expect(spy).toHaveBeenCalledTimes(3);
  });
});
