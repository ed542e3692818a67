import { Testing } from 'cdk8s';
import { example1, fleet, gke, realFleet, synthErrors } from './app-set-fixtures';
import {
  ApplicationsSyncPolicy, ClusterSelector, Fleet, Generator, LabelExpression, MaxUpdate, MultiClusterAppSet, MultiClusterAppSetProps, RollingSyncStep,
} from '../../src';

describe('MultiClusterAppSet rules: real-world cluster names (nameNormalized)', () => {
  test('a normalized name too long for a label value is reported on the cluster label', () => {
    const long = `gke_${'p'.repeat(40)}_asia-northeast3_${'c'.repeat(20)}`;
    const f = new Fleet({ clusters: [{ name: long, server: 'https://long', labels: { region: 'ap-northeast-2', env: 'canary' } }] });
    const normalized = Fleet.normalizeClusterName(long);
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ fleet: f, environmentClusterLabel: 'env' }))))
      .toContain(`[test/svc] labels.cluster is "${normalized}" (rendered for Application "${normalized}-canary"); `
        + 'expected a label value: at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric. '
        + 'Fix: template a shorter or valid label value');
  });

  test('a step on the cluster label with a raw cluster name is told to use the normalized name', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({
      fleet: realFleet(),
      environmentClusterLabel: 'env',
      steps: [RollingSyncStep.whereIn('cluster', [gke]), RollingSyncStep.whereNotIn('cluster', [gke])],
    })))).toContain(`[test/svc] steps[0].matchExpressions[0].values is ${JSON.stringify([gke])}; expected values of the "cluster" label, `
      + `which holds the normalized cluster name ("${gke}" is labelled "gke-my-project-asia-northeast3-seoul-canary"). `
      + 'Fix: use Fleet.normalizeClusterName() of the cluster name');
  });
});

describe('MultiClusterAppSet: synth-time errors', () => {
  const build = (extra: Partial<MultiClusterAppSetProps>) => () => new MultiClusterAppSet(Testing.chart(), 'svc', example1(extra));

  test('fails on automated sync under RollingSync', () => {
    let msg = '';
    try { build({ autoSync: true })(); } catch (e) { msg = (e as Error).message; }
    expect(msg).toBe('test/svc: autoSync is true; expected false: under RollingSync the ApplicationSet controller forces automated sync off '
      + 'on every Application (automated.enabled=false) and syncs each Application itself, step by step, when its target revision or spec changes. '
      + 'Fix: remove autoSync; to start a rollout, push the new target revision from CI (a Git webhook or an Application refresh makes Argo CD notice it at once)');
    expect(msg).not.toContain('appset sync');
  });

  test.each([[ApplicationsSyncPolicy.CREATE_ONLY, 'create-only'], [ApplicationsSyncPolicy.CREATE_DELETE, 'create-delete']])('fails on applicationsSync %#', (policy, value) => {
    expect(build({ applicationsSync: policy })).toThrow(`test/svc: applicationsSync is "${value}"; expected "sync" or "create-update": with create-only/create-delete `
      + 'the controller never updates existing Applications, so RollingSync cannot trigger their syncs (argo-cd#29142). Fix: use ApplicationsSyncPolicy.CREATE_UPDATE');
  });

  test('fails on an unsupported operator, naming the step and expression', () => {
    expect(build({ steps: [RollingSyncStep.whereIn('env', ['canary']), RollingSyncStep.matching([LabelExpression.exists('env')])] }))
      .toThrow('test/svc: steps[1].matchExpressions[0].operator is "Exists"; expected "In" or "NotIn" (the only operators RollingSync evaluates; '
        + 'others are logged and match every Application that lacks the key). Fix: use LabelExpression.valueIn() or LabelExpression.valueNotIn()');
  });

  test('fails on NotIn with no values (it selects every Application)', () => {
    expect(build({ steps: [RollingSyncStep.whereIn('env', ['canary']), RollingSyncStep.whereNotIn('env', [])] }))
      .toThrow('test/svc: steps[1].matchExpressions[0].values is []; expected at least one value ("NotIn" with no values selects every Application, which is rarely meant). '
        + 'Fix: list the values of label "env" this step excludes, or use RollingSyncStep.everything() for a deliberate catch-all step');
  });

  test('fails on empty In values', () => {
    expect(build({ steps: [RollingSyncStep.whereIn('env', [])] }))
      .toThrow('test/svc: steps[0].matchExpressions[0].values is []; expected at least one value ("In" with no values never matches, so the step would be empty). '
        + 'Fix: list the values of label "env" this step selects');
  });

  test.each([
    [MaxUpdate.count(0), 'steps[0].maxUpdate is 0; expected MaxUpdate.count(n) with an integer n >= 1. Fix: use MaxUpdate.manual() for an explicit manual gate'],
    [MaxUpdate.percent(150), 'steps[0].maxUpdate is 150%; expected MaxUpdate.percent(p) with an integer p in 1..100'],
    [MaxUpdate.fromString('5.5'), 'steps[0].maxUpdate is "5.5"; expected an integer (MaxUpdate.count) or a whole percentage such as "25%" (Argo CD logs a warning for anything else and syncs 1 Application at a time)'],
    [MaxUpdate.fromString('3'), 'steps[0].maxUpdate is "3" (a quoted number); expected an integer or a percentage string such as "25%": Argo CD rejects a string without "%", '
      + 'logs a warning and syncs 1 Application at a time, not 3. Fix: use MaxUpdate.count(3)'],
  ])('fails on a bad maxUpdate %#', (m, msg) => {
    expect(build({ steps: [RollingSyncStep.whereIn('env', ['canary'], m)] })).toThrow(`test/svc: ${msg}`);
  });

  test('fails at addStep() with the index of the new step', () => {
    const appSet = new MultiClusterAppSet(Testing.chart(), 'svc', example1());
    expect(() => appSet.addStep(RollingSyncStep.whereIn('env', ['x'], MaxUpdate.count(-2)))).toThrow('test/svc: steps[2].maxUpdate is -2;');
  });

  test('fails on invalid templates: a missing param, fasttemplate syntax under Go templates, an unclosed action', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ destinationNamespace: 'svc-{{.environment}}' }))))
      .toContain('[test/svc] template is "svc-{{.environment}}"; expected params the generators produce (.env, .metadata, .name, .nameNormalized, .project, .server, .values); '
        + '".environment" is not one of them and fails with missingkey=error. Fix: fix the param name or add it to the generator elements');
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ applicationName: '{{name}}-{{.env}}' }))))
      .toContain('[test/svc] template is "{{name}}-{{.env}}"; expected a valid template: function "name" not defined (Go templates read params with a leading dot: {{.name}}; '
        + '{{name}} is fasttemplate syntax). Fix: fix the template syntax');
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ source: { repoUrl: 'https://x', path: 'k8s/{{.env' } }))))
      .toContain('[test/svc] template is "k8s/{{.env"; expected a valid template: unclosed action');
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ goTemplate: false, source: { repoUrl: 'https://x', path: 'k8s/{{envv}}' } }))))
      .toContain('[test/svc] template is "k8s/{{envv}}"; expected params the generators produce (env, name, nameNormalized, project, server); fasttemplate leaves "{{envv}}" verbatim');
  });

  test('fails on invalid goTemplateOptions', () => {
    expect(build({ goTemplateOptions: ['missingkey=fail'] })).toThrow('test/svc: goTemplateOptions[0] is "missingkey=fail"; expected one of missingkey=default, '
      + 'missingkey=invalid, missingkey=zero, missingkey=error (anything else makes text/template panic in the controller)');
  });

  test('fails when a step selects on a label the template does not set (the glue)', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ steps: [RollingSyncStep.whereIn('tier', ['web'])] }))))
      .toContain('[test/svc] steps[0].matchExpressions[0].key is "tier"; expected a label the Application template sets (it sets ["env","cluster"]); '
        + 'without it no Application joins this step. Fix: add labels: { "tier": \'{{index .metadata.labels "tier"}}\' } to copy the cluster Secret\'s label (or a literal value)');
  });

  test('a label key that is an Object.prototype member is rejected (cdk8s cannot render a map with the key "constructor")', () => {
    expect(() => new MultiClusterAppSet(Testing.chart(), 'svc', example1({ steps: [RollingSyncStep.whereNotIn('constructor', ['x'])] })))
      .toThrow('test/svc: steps[0].matchExpressions[0].key is "constructor"; expected a label key other than "constructor" or "__proto__" '
        + '(cdk8s cannot render a map with that key)');
  });

  test('the missing-label fix reads a cluster Secret label with index .metadata.labels', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ steps: [RollingSyncStep.whereIn('region', ['ap-northeast-2'])] }))))
      .toContain('[test/svc] steps[0].matchExpressions[0].key is "region"; expected a label the Application template sets (it sets ["env","cluster"]); '
        + 'without it no Application joins this step. Fix: add labels: { "region": \'{{index .metadata.labels "region"}}\' } to copy the cluster Secret\'s label '
        + '(or a literal value)');
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ goTemplate: false, steps: [RollingSyncStep.whereIn('region', ['ap-northeast-2'])] }))))
      .toContain('Fix: add labels: { "region": \'{{metadata.labels.region}}\' } to copy the cluster Secret\'s label (or a literal value)');
    // a key the generators produce as a param is suggested as that param
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', {
      generators: [Generator.list({ elements: [{ tier: 'web', server: 'https://a' }] })],
      applicationName: 'svc-{{.tier}}',
      steps: [RollingSyncStep.whereIn('tier', ['web'])],
      source: { repoUrl: 'https://x', path: 'k8s' },
      destinationNamespace: 'svc',
      destinationServer: '{{.server}}',
    }))).toContain('Fix: add labels: { "tier": \'{{.tier}}\' }');
  });

  test('environmentClusterLabel "constructor" is rejected (cdk8s cannot serialize a map key "constructor")', () => {
    expect(() => new MultiClusterAppSet(Testing.chart(), 'svc', example1({ environmentClusterLabel: 'constructor', destinationNamespace: 'svc-{{.env}}' })))
      .toThrow('test/svc: environmentClusterLabel is "constructor"; expected a label key other than "constructor" or "__proto__"');
  });

  test('fails without steps (with no steps the strategy is ignored and, autosync being off, nothing syncs)', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ steps: [] }))))
      .toContain('[test/svc] steps is []; expected at least one RollingSync step (with no steps the controller ignores the strategy, '
        + 'and since this library never enables automated sync, no Application would be synced automatically)');
  });

  test('without steps and with prune, the message says every Application would sync at once (automated is left on)', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ steps: [], prune: true }))))
      .toContain('[test/svc] steps is []; expected at least one RollingSync step (with no steps the controller ignores the strategy and leaves '
        + 'the template\'s automated sync on, which prune: true sets, so every Application would sync at once)');
  });

  test.each([
    [{ generators: [Generator.clusters()] }, 'generators is 1 generator(s) together with clusters/environments; expected either generators or the clusters × environments shape'],
    [{ clusters: undefined, environments: undefined }, 'clusters is missing; expected a ClusterSelector (or explicit generators)'],
    [{ environments: ['Canary'] }, 'environments[0] is "Canary"; expected a DNS-1123 label'],
    [{ environments: ['a', 'a'] }, 'environments is ["a","a"]; expected each environment once'],
    [{ destinationName: 'x', destinationServer: 'https://x' }, 'destinationName is "x"; expected either destinationName or destinationServer'],
    [{ environmentClusterLabel: 'region' }, 'environmentClusterLabel is "region"; expected a label the clusters selector does not already fix'],
    [{ retryLimit: 1.5 }, 'retryLimit is 1.5; expected an integer (a negative value retries without limit). Fix: set the number of retries'],
    [{ labels: { 'bad key!': 'x' } }, 'labels is "bad key!": "x"; expected a label key'],
    [{ clusters: ClusterSelector.matchExpressions([LabelExpression.valueIn('region', [])]) }, 'clusters.matchExpressions[0].values is []; expected at least one value for "In"'],
  ])('fails on a bad prop %#', (extra, msg) => {
    expect(build(extra as any)).toThrow(`test/svc: ${msg}`);
  });
});

describe('MultiClusterAppSet: fleet checks', () => {
  test('fails when an Application matches no step, unless explicitly allowed', () => {
    const props = example1({
      fleet: fleet(),
      environmentClusterLabel: 'env',
      environments: ['canary', 'production'],
      steps: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1))],
    });
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', props)))
      .toContain('[test/svc] steps is 1 step(s) that select none of seoul-2-production, seoul-3-production; expected every generated Application in a step '
        + '(the controller never syncs an Application no step selects). Fix: add a step that selects them (e.g. RollingSyncStep.whereNotIn("env", ["canary"])), '
        + 'or set allowUnmatchedApplications: true to sync them by hand');
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'svc', { ...props, allowUnmatchedApplications: true });
    Testing.synth(chart);
    expect(appSet.plan().unmatched).toEqual(['seoul-2-production', 'seoul-3-production']);
  });

  test('fails when an Application matches several steps', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({
      fleet: fleet(),
      environmentClusterLabel: 'env',
      steps: [RollingSyncStep.whereIn('cluster', ['seoul-2']), RollingSyncStep.whereIn('env', ['canary', 'production'])],
    })))).toContain('[test/svc] steps[1] is a step that also selects "seoul-2-production" (steps 1, 2); expected each Application selected by one step');
  });

  test('overlapping steps can be allowed explicitly; the plan shows the first step wins', () => {
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'svc', example1({
      fleet: fleet(),
      environmentClusterLabel: 'env',
      allowOverlappingSteps: true,
      steps: [RollingSyncStep.whereIn('cluster', ['seoul-2'], MaxUpdate.manual()), RollingSyncStep.everything(MaxUpdate.count(1))],
    }));
    Testing.synth(chart);
    const plan = appSet.plan();
    expect(plan.waves.map(w => w.applications)).toEqual([['seoul-2-production'], ['seoul-1-canary', 'seoul-3-production']]);
    expect(plan.multiMatched).toEqual([{ application: 'seoul-2-production', steps: [1, 2] }]);
    expect(plan.manualGates).toEqual([1]);
    expect(appSet.generatedApplications().map(a => a.clusterName)).toEqual(['seoul-1', 'seoul-2', 'seoul-3']);
  });

  test('fails on duplicate and invalid Application names', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ fleet: fleet(), applicationName: 'svc-{{.env}}', destinationNamespace: 'svc-{{.name}}-{{.env}}' }))))
      .toContain('[test/svc] applicationName is "svc-{{.env}}", rendering "svc-canary" 3 times; expected a unique name per generated Application '
        + '(the controller skips every copy of a duplicate name)');
    const f = new Fleet({ clusters: [{ name: 'prod.eu_1'.replace('_', '-'), server: 'https://a', labels: { region: 'ap-northeast-2' } }] });
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ fleet: f, applicationName: '{{.name}}_{{.env}}' }))))
      .toContain('[test/svc] applicationName is "prod.eu-1_canary" (rendered); expected a DNS-1123 subdomain');
  });
});

describe('MultiClusterAppSet from plain JavaScript', () => {
  const build = (extra: any) => () => new MultiClusterAppSet(Testing.chart(), 'svc', { ...example1(), ...extra });
  test.each([
    [{ steps: [2] }, 'test/svc: steps[0] is 2 (a number); expected a RollingSyncStep. Fix: use RollingSyncStep.whereIn(), whereNotIn(), matching() or everything()'],
    [{ clusters: 'region=kr' }, 'test/svc: clusters is "region=kr" (a string); expected a ClusterSelector'],
    [{ source: undefined }, 'test/svc: source is missing; expected an object. Fix: pass source: { repoUrl, path } (or sources: [...])'],
    [{ source: { path: 'k8s' } }, 'test/svc: source.repoUrl is missing; expected a string'],
    [{ fleet: { clusters: [] } }, 'test/svc: fleet is {"clusters":[]} (an object); expected a Fleet'],
    [{ environments: 'canary' }, 'test/svc: environments is "canary" (a string); expected an array'],
    [{ labels: { team: 3 } }, 'test/svc: labels.team is 3 (a number); expected a string'],
    [{ retryBackoffDuration: 10 }, 'test/svc: retryBackoffDuration is 10 (a number); expected a Duration'],
    [{ generators: [{ clusters: {} }], clusters: undefined, environments: undefined }, 'test/svc: generators[0] is {"clusters":{}} (an object); expected a Generator'],
    [{ prune: 'yes' }, 'test/svc: prune is "yes" (a string); expected true or false'],
  ])('a wrong type is a ValidationError naming the prop %#', (extra, msg) => {
    expect(build(extra)).toThrow(msg);
  });

  test('addStep() with something that is not a step', () => {
    const appSet = new MultiClusterAppSet(Testing.chart(), 'svc', example1());
    expect(() => appSet.addStep({ maxUpdate: 1 } as any)).toThrow('test/svc: steps[2] is {"maxUpdate":1} (an object); expected a RollingSyncStep');
  });
});

describe('MultiClusterAppSet fix hints (issue 11 item 5)', () => {
  const fiveClusters = () => new Fleet({
    clusters: [
      { name: 'a', server: 'https://a', labels: { tier: 'edge' } },
      { name: 'b', server: 'https://b', labels: { tier: 'edge' } },
    ],
  });
  const stages = (steps: RollingSyncStep[], extra: Partial<MultiClusterAppSetProps> = {}): MultiClusterAppSetProps => ({
    generators: [Generator.matrix([
      Generator.clusters({ selector: ClusterSelector.matchLabels({ tier: 'edge' }) }),
      Generator.list({ elements: [{ stage: 'canary' }, { stage: 'production' }] }),
    ])],
    applicationName: 'svc-{{.nameNormalized}}-{{.stage}}',
    steps,
    source: { repoUrl: 'https://x', path: 'k8s/{{.stage}}' },
    destinationNamespace: 'svc-{{.stage}}',
    ...extra,
  });

  test('with custom generators, a step label the template never sets is set from the list element that holds the values, not the cluster Secret', () => {
    const msg = synthErrors(c => new MultiClusterAppSet(c, 'svc', stages([RollingSyncStep.whereIn('env', ['canary']), RollingSyncStep.whereIn('env', ['production'])])));
    expect(msg).toContain('[test/svc] steps[0].matchExpressions[0].key is "env"; expected a label the Application template sets (it sets []); '
      + 'without it no Application joins this step. Fix: add labels: { "env": \'{{.stage}}\' } (the list elements\' "stage" holds "canary")');
    expect(msg).not.toContain('cluster Secret');
  });

  test('with custom generators and a fleet whose Secrets lack the key, the fix is the list elements', () => {
    const msg = synthErrors(c => new MultiClusterAppSet(c, 'svc', stages([RollingSyncStep.whereIn('ring', ['inner'])], { fleet: fiveClusters() })));
    expect(msg).toContain('Fix: set "ring" in each list element (e.g. { ring: "inner", ... }) and add labels: { "ring": \'{{.ring}}\' }');
    // a key the cluster Secrets do carry is still copied from them
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', stages([RollingSyncStep.whereIn('tier', ['edge'])], { fleet: fiveClusters() }))))
      .toContain('Fix: add labels: { "tier": \'{{index .metadata.labels "tier"}}\' } to copy the cluster Secret\'s label (or a literal value)');
  });

  test('a typo\'d step value suggests the near match instead of a catch-all step', () => {
    const msg = synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({
      fleet: fleet(),
      environmentClusterLabel: 'env',
      steps: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['prod'])],
    })));
    expect(msg).toContain('[test/svc] steps is 2 step(s) that select none of seoul-2-production, seoul-3-production; expected every generated Application in a step '
      + '(the controller never syncs an Application no step selects). Fix: steps[1].matchExpressions[0] selects env In [prod], but no Application has env="prod"; '
      + 'did you mean "production" (the value of seoul-2-production, seoul-3-production)? Fix the value rather than adding a catch-all step, which would hide the typo');
    expect(msg).not.toContain('whereNotIn');
  });
});
