import { Duration, Testing } from 'cdk8s';
import {
  ClusterSelector, Fleet, Generator, MaxUpdate, MultiClusterAppSet, MultiClusterAppSetProps, ReleaseEstimate, RollingSyncStep,
} from '../../src';
import { runConformance } from '../harness/conformance';
import { appSetCases, ArgoAppSetAnswer, compareAppSet } from '../harness/conformance-appset';

/**
 * Wave controls (frozen, pinned revisions per environment, bake on a standalone ApplicationSet) and the template
 * passthroughs (ignoreDifferences, ignoreApplicationDifferences, templatePatch, sources). Every synthesized app set
 * with a fleet also goes to Argo CD v3.5.1's generators and progressive-sync Manager in the jest teardown, which
 * compares each Application's whole spec (templatePatch applied), its step, and the release rounds (none when frozen).
 */

const fleet = () => new Fleet({
  clusters: [
    { name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { region: 'ap-northeast-2', env: 'canary' } },
    { name: 'seoul-2', server: 'https://seoul-2.example.com', labels: { region: 'ap-northeast-2', env: 'production' } },
    { name: 'seoul-3', server: 'https://seoul-3.example.com', labels: { region: 'ap-northeast-2', env: 'production' } },
  ],
});

const base = (extra: Partial<MultiClusterAppSetProps> = {}): MultiClusterAppSetProps => ({
  metadata: { name: 'shop' },
  clusters: ClusterSelector.matchLabels({ region: 'ap-northeast-2' }),
  environments: ['canary', 'production'],
  environmentClusterLabel: 'env',
  steps: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)), RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(50))],
  source: { repoUrl: 'https://github.com/acme/shop', path: 'k8s/{{.env}}' },
  destinationNamespace: 'shop',
  fleet: fleet(),
  ...extra,
});

function synth(props: MultiClusterAppSetProps): { obj: any; appSet: MultiClusterAppSet } {
  const chart = Testing.chart();
  const appSet = new MultiClusterAppSet(chart, 'shop', props);
  const [obj] = Testing.synth(chart); // strict CRD schema check; Argo CD's rendering compared in the teardown
  return { obj, appSet };
}

/** The message of the constructor's ValidationError, or cdk8s's synth aggregate. */
function rejection(props: MultiClusterAppSetProps): string {
  try {
    synth(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('frozen', () => {
  test('every step is rendered with maxUpdate 0; the plan and the estimate say the release is frozen', () => {
    const { obj, appSet } = synth(base({ frozen: true }));
    expect(obj.spec.strategy.rollingSync.steps).toEqual([
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['canary'] }], maxUpdate: 0 },
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['production'] }], maxUpdate: 0 },
    ]);
    expect(appSet.frozen).toBe(true);
    const plan = appSet.plan();
    expect(plan.frozen).toBe(true);
    expect(plan.waves.map(w => [w.applications, w.concurrency, w.batches, w.manualGate, w.maxUpdate])).toEqual([
      [['seoul-1-canary'], 0, [], true, '0 (frozen; 1 when unfrozen)'],
      [['seoul-2-production', 'seoul-3-production'], 0, [], true, '0 (frozen; 50% when unfrozen)'],
    ]);
    expect(plan.toMarkdown()).toContain('**Frozen:** every RollingSync step is rendered with maxUpdate 0, so Argo CD promotes no Application');
    expect(plan.toMermaid()).toContain('wave1_frozen["frozen: seoul-1-canary"]');
    const estimate = ReleaseEstimate.of(plan, { update: { minimum: Duration.minutes(20) } });
    expect({ frozen: estimate.frozen, automatic: estimate.automatic, exact: estimate.exact, minimum: estimate.minimum.toSeconds() })
      .toEqual({ frozen: true, automatic: false, exact: false, minimum: 0 });
    expect(estimate.describe()).toBe('frozen: every RollingSync step has maxUpdate 0, so no wave proceeds (3 application(s) in 2 wave(s) wait; '
      + 'those already syncing finish). No duration until the ApplicationSet is unfrozen.\n');
  });

  test('unfrozen (the default) renders the steps as given', () => {
    const { obj, appSet } = synth(base());
    expect(obj.spec.strategy.rollingSync.steps.map((s: any) => s.maxUpdate)).toEqual([1, '50%']);
    expect(appSet.plan().frozen).toBe(false);
  });

  test('a plain-JS caller passing frozen: "yes" gets a ValidationError', () => {
    expect(() => synth(base({ frozen: 'yes' as any }))).toThrow('frozen is "yes" (a string); expected true or false');
  });
});

describe('environmentRevisions: each environment pinned to its own revision', () => {
  const revisions = { canary: 'v1.5.0', production: 'v1.4.2' };

  test('rendered through the list elements and {{.revision}}; each Application tracks its environment\'s revision', () => {
    const { obj, appSet } = synth(base({ environmentRevisions: revisions }));
    expect(obj.spec.generators[0].matrix.generators[0]).toEqual({
      list: { elements: [{ env: 'canary', revision: 'v1.5.0' }, { env: 'production', revision: 'v1.4.2' }] },
    });
    expect(obj.spec.template.spec.source.targetRevision).toBe('{{.revision}}');
    expect(appSet.generatedApplications().map(a => [a.name, a.targetRevision])).toEqual([
      ['seoul-1-canary', 'v1.5.0'], ['seoul-2-production', 'v1.4.2'], ['seoul-3-production', 'v1.4.2'],
    ]);
    expect(appSet.environmentRevisions).toEqual(revisions);
  });

  test('the clusters × environments matrix (no environmentClusterLabel) too, with a source that keeps its own revision', () => {
    const { obj, appSet } = synth(base({
      environmentClusterLabel: undefined,
      destinationNamespace: 'shop-{{.env}}',
      environmentRevisions: revisions,
      source: undefined,
      sources: [
        { repoUrl: 'https://charts.example.com', chart: 'shop', targetRevision: '2.0.1', helm: { valueFiles: ['$values/envs/{{.env}}.yaml'] } },
        { repoUrl: 'https://github.com/acme/shop-values', ref: 'values' },
      ],
    }));
    expect(obj.spec.template.spec.sources.map((s: any) => s.targetRevision)).toEqual(['2.0.1', '{{.revision}}']);
    expect(appSet.generatedApplications().map(a => a.name)).toHaveLength(6);
  });

  test.each([
    ['an environment without a revision', { environmentRevisions: { canary: 'v1.5.0' } },
      'environmentRevisions is {"canary":"v1.5.0"}; expected a revision for every environment; environments[1] "production" has none'],
    ['a revision of an unknown environment', { environmentRevisions: { ...revisions, staging: 'v1.4.0' } },
      'environmentRevisions.staging is "v1.4.0"; expected an environment of environments (["canary","production"])'],
    ['a revision with a template', { environmentRevisions: { ...revisions, canary: '{{.env}}' } },
      'environmentRevisions.canary is "{{.env}}"; expected a Git revision: a tag, commit SHA or branch, without whitespace or templates'],
    ['explicit generators', {
      clusters: undefined,
      environments: undefined,
      environmentClusterLabel: undefined,
      applicationName: '{{.nameNormalized}}',
      generators: [Generator.clusters()],
      environmentRevisions: revisions,
    }, 'environmentRevisions is {"canary":"v1.5.0","production":"v1.4.2"}; expected environments to be set'],
    ['every source with its own targetRevision', { environmentRevisions: revisions, source: { repoUrl: 'https://github.com/acme/shop', path: 'k8s', targetRevision: 'main' } },
      'expected sources without their own targetRevision (environmentRevisions sets targetRevision: "{{.revision}}" only on those)'],
  ])('rejected: %s', (_, extra, message) => {
    expect(rejection(base(extra as Partial<MultiClusterAppSetProps>))).toContain(message);
  });
});

describe('ignoreDifferences and ignoreApplicationDifferences', () => {
  test('typed as the CRD, rendered into the template spec and the ApplicationSet spec', () => {
    const { obj, appSet } = synth(base({
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        { kind: 'ConfigMap', name: 'feature-flags', namespace: 'shop', jqPathExpressions: ['.data["flag"]'], managedFieldsManagers: ['flagger'] },
      ],
      ignoreApplicationDifferences: [{ jsonPointers: ['/spec/syncPolicy'] }, { name: 'seoul-1-canary', jqPathExpressions: ['.spec.source.helm.values'] }],
    }));
    expect(obj.spec.template.spec.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      { kind: 'ConfigMap', name: 'feature-flags', namespace: 'shop', jqPathExpressions: ['.data["flag"]'], managedFieldsManagers: ['flagger'] },
    ]);
    expect(obj.spec.ignoreApplicationDifferences).toEqual([
      { jsonPointers: ['/spec/syncPolicy'] }, { name: 'seoul-1-canary', jqPathExpressions: ['.spec.source.helm.values'] },
    ]);
    expect(appSet._renderedObjects()![0].spec.ignoreDifferences).toHaveLength(2);
  });

  test.each([
    ['an ignoreDifferences entry that ignores nothing', { ignoreDifferences: [{ kind: 'Deployment' }] },
      'ignoreDifferences[0] is {"kind":"Deployment"}; expected at least one of jsonPointers, jqPathExpressions or managedFieldsManagers'],
    ['a JSON pointer without a leading slash', { ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['spec/replicas'] }] },
      'ignoreDifferences[0].jsonPointers[0] is "spec/replicas"; expected a JSON pointer starts with "/" (RFC 6901)'],
    ['a bad "~" escape', { ignoreApplicationDifferences: [{ jsonPointers: ['/metadata/annotations/a~b'] }] },
      'ignoreApplicationDifferences[0].jsonPointers[0] is "/metadata/annotations/a~b"; expected a JSON pointer escapes "~" as "~0" and "/" as "~1" (RFC 6901; Argo CD silently ignores nothing otherwise)'],
    ['an ignoreApplicationDifferences entry that ignores nothing', { ignoreApplicationDifferences: [{ name: 'x' }] },
      'ignoreApplicationDifferences[0] is {"name":"x"}; expected at least one of jsonPointers or jqPathExpressions'],
    ['a jq expression that does not parse', { ignoreDifferences: [{ kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "app"'] }] },
      'ignoreDifferences[0].jqPathExpressions[0] is ".spec.template.spec.containers[] | select(.name == \\"app\\""; expected a jq path expression with balanced brackets ("(" is not closed): '
      + 'Argo CD parses "del(<expression>)" with gojq'],
    ['an unterminated jq string', { ignoreApplicationDifferences: [{ jqPathExpressions: ['.metadata.annotations["a]'] }] },
      'expected a jq path expression with its strings closed (unterminated string)'],
    ['a dangling pipe', { ignoreApplicationDifferences: [{ jqPathExpressions: ['.spec.source |'] }] }, 'expected a jq path expression without a dangling "|" or ","'],
    ['an empty kind', { ignoreDifferences: [{ kind: ' ', jsonPointers: ['/spec'] }] }, 'ignoreDifferences[0].kind is ""; expected a resource kind (the CRD requires kind)'],
    ['a plain-JS kind of the wrong type', { ignoreDifferences: [{ kind: 3 }] }, 'ignoreDifferences[0].kind is 3 (a number); expected a string'],
  ])('rejected: %s', (_, extra, message) => {
    expect(rejection(base(extra as any))).toContain(message);
  });
});

describe('templatePatch', () => {
  const patch = [
    'metadata:',
    '  annotations:',
    '    example.com/owner: "team-{{.env}}"',
    'spec:',
    '  source:',
    '    path: "k8s/{{.env}}/{{.nameNormalized}}"',
    '  syncPolicy:',
    '    managedNamespaceMetadata:',
    '      labels:',
    '        env: "{{.env}}"',
  ].join('\n');

  test('emitted as given; the static rendering applies it per Application (strategic merge: objects merged, project kept)', () => {
    const { obj, appSet } = synth(base({ templatePatch: patch, syncOptions: ['ServerSideApply=true'] }));
    expect(obj.spec.templatePatch).toBe(patch);
    const [canary] = appSet._renderedObjects()!;
    expect(canary.metadata.annotations).toEqual({ 'example.com/owner': 'team-canary' });
    expect(canary.spec.source).toEqual({ repoURL: 'https://github.com/acme/shop', targetRevision: 'HEAD', path: 'k8s/canary/seoul-1' });
    expect(canary.spec.syncPolicy).toEqual({
      syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'], managedNamespaceMetadata: { labels: { env: 'canary' } },
    });
    expect(canary.spec.project).toBe('default');
    expect(appSet.generatedApplications().map(a => a.sourcePath)).toEqual(['k8s/canary/seoul-1', 'k8s/production/seoul-2', 'k8s/production/seoul-3']);
  });

  test('labels a patch sets decide the steps (the controller reads the patched Application\'s labels)', () => {
    const { appSet } = synth(base({
      labels: { tier: 'default' },
      templatePatch: 'metadata:\n  labels:\n    tier: "{{.nameNormalized}}"\n',
      steps: [RollingSyncStep.whereIn('tier', ['seoul-1', 'seoul-2'], MaxUpdate.count(1)), RollingSyncStep.whereNotIn('tier', ['seoul-1', 'seoul-2'])],
    }));
    expect(appSet.plan().waves.map(w => w.applications)).toEqual([['seoul-1-canary', 'seoul-2-production'], ['seoul-3-production']]);
  });

  test('Argo CD\'s own templatePatch example (Template.md: range over value files, if autoSync) renders per element, as Argo CD renders it', () => {
    // docs/operator-manual/applicationset/Template.md (v3.5.1), "Template Patch", with a second element that does not
    // auto-sync; the teardown compares each generated spec with Argo CD's.
    const templatePatch = [
      'spec:',
      '  source:',
      '    helm:',
      '      valueFiles:',
      '      {{- range $valueFile := .valueFiles }}',
      '        - {{ $valueFile }}',
      '      {{- end }}',
      '{{- if .autoSync }}',
      '  syncPolicy:',
      '    automated:',
      '      prune: {{ .prune }}',
      '{{- end }}',
      '',
    ].join('\n');
    const { obj, appSet } = synth({
      metadata: { name: 'guestbook' },
      generators: [Generator.list({
        elements: [
          { cluster: 'engineering-dev', url: 'https://kubernetes.default.svc', autoSync: true, prune: true, valueFiles: ['values.large.yaml', 'values.debug.yaml'] },
          { cluster: 'engineering-prod', url: 'https://kubernetes.default.svc', autoSync: false, prune: false, valueFiles: ['values.yaml'] },
        ],
      })],
      applicationName: '{{ .cluster }}-deployment',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/infra-team/cluster-deployments.git', targetRevision: 'HEAD', path: 'guestbook/{{ .cluster }}' },
      destinationServer: '{{ .url }}',
      destinationNamespace: 'guestbook-{{ .cluster }}',
      createNamespace: false,
      templatePatch,
      fleet: fleet(),
    });
    expect(obj.spec.templatePatch).toBe(templatePatch);
    const [dev, prod] = appSet._renderedObjects()!;
    expect(dev.spec.source.helm).toEqual({ valueFiles: ['values.large.yaml', 'values.debug.yaml'] });
    expect(dev.spec.syncPolicy).toEqual({ automated: { prune: true } });
    expect(prod.spec.source.helm).toEqual({ valueFiles: ['values.yaml'] });
    expect(prod.spec.syncPolicy).toBeUndefined();
  });

  test('a patch the evaluator cannot render (with, else if, unknown functions) is reported, not guessed: plan() says so; synth without a fleet works', () => {
    const conditional = '{{- with .env }}\nspec:\n  syncPolicy:\n    retry:\n      limit: 2\n{{- end }}\n';
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'shop', base({ templatePatch: conditional }));
    expect(() => appSet.plan()).toThrow('templatePatch is not statically renderable; expected generators and templates that can be rendered at synth; '
      + 'templatePatch cannot be rendered at synth time: control structure "with"');
    const noFleet = Testing.chart();
    new MultiClusterAppSet(noFleet, 'shop', base({ templatePatch: conditional, fleet: undefined }));
    expect(Testing.synth(noFleet)[0].spec.templatePatch).toBe(conditional);
  });

  test.each([
    ['a param the generators do not produce', { templatePatch: 'metadata:\n  annotations:\n    owner: "{{.team}}"\n' },
      '".team" is not one of them and fails with missingkey=error'],
    ['fasttemplate', { goTemplate: false, templatePatch: 'spec: {}\n', source: { repoUrl: 'https://github.com/acme/shop', path: 'k8s/{{env}}' } },
      'templatePatch is "spec: {}\\n"; expected goTemplate (Argo CD documents templatePatch for Go templates only)'],
    ['YAML that does not parse', { templatePatch: 'spec:\n  source: [\n' }, 'expected valid YAML (the controller fails with "error while converting template to json")'],
    ['a list, not an Application', { templatePatch: '- a\n' }, 'expected a YAML mapping that decodes into an Application (metadata, spec)'],
    ['spec.project', { templatePatch: 'spec:\n  project: other\n' },
      'expected no spec.project: the controller resets it to the template\'s project after the patch ("Prevent changes to the `project` field")'],
    ['a rendered spec.project', { templatePatch: 'spec:\n  project: "{{.env}}"\n' },
      'fails: the patch sets spec.project, which the controller resets to the template\'s project'],
    ['a rendered field of the wrong type', { templatePatch: 'spec:\n  source: "{{.env}}"\n' },
      'it fails: invalid templatePatch: cannot unmarshal string into Go struct field ApplicationSpec.spec.source'],
  ])('rejected: %s', (_, extra, message) => {
    expect(rejection(base(extra as Partial<MultiClusterAppSetProps>))).toContain(message);
  });
});

describe('sources (multiple sources)', () => {
  test('a chart with its values from a Git source (ref), typed as the CRD', () => {
    const { obj, appSet } = synth(base({
      source: undefined,
      sources: [
        { repoUrl: 'https://charts.example.com', chart: 'shop', targetRevision: '2.0.1', helm: { releaseName: 'shop', valueFiles: ['$values/envs/{{.env}}.yaml'] } },
        { repoUrl: 'https://github.com/acme/shop-values', targetRevision: 'main', ref: 'values' },
      ],
    }));
    expect(obj.spec.template.spec.source).toBeUndefined();
    expect(obj.spec.template.spec.sources).toEqual([
      { repoURL: 'https://charts.example.com', targetRevision: '2.0.1', chart: 'shop', helm: { releaseName: 'shop', valueFiles: ['$values/envs/{{.env}}.yaml'] } },
      { repoURL: 'https://github.com/acme/shop-values', targetRevision: 'main', ref: 'values' },
    ]);
    expect(appSet._renderedObjects()![0].spec.sources[0].helm.valueFiles).toEqual(['$values/envs/canary.yaml']);
    expect(appSet.generatedApplications()[0].targetRevision).toBe('2.0.1');
  });

  test('a single Git source without a path is the repository root, "." (Argo CD requires a path or a chart)', () => {
    const { obj } = synth(base({ source: { repoUrl: 'https://github.com/acme/shop' } }));
    expect(obj.spec.template.spec.source).toEqual({ repoURL: 'https://github.com/acme/shop', targetRevision: 'HEAD', path: '.' });
  });

  const git = { repoUrl: 'https://github.com/acme/shop', path: 'k8s' };
  test.each([
    ['source and sources', { sources: [git] }, 'either source or sources: Argo CD ignores spec.source when spec.sources is set'],
    ['neither', { source: undefined }, 'source is missing; expected an object'],
    ['no sources', { source: undefined, sources: [] }, 'sources is []; expected at least one source'],
    ['ref on a single source', { source: { ...git, ref: 'values' } }, 'source.ref is "values"; expected no ref on a single source'],
    ['a ref with a dot', { source: undefined, sources: [git, { repoUrl: 'https://github.com/acme/v', ref: 'my.values' }] },
      'sources[1].ref is "my.values"; expected letters, digits, "_" and "-" (Argo CD: "sources.ref my.values cannot contain any special characters except \'_\' and \'-\'")'],
    ['two sources with one ref', { source: undefined, sources: [{ ...git, ref: 'v' }, { repoUrl: 'https://github.com/acme/v', ref: 'v' }] },
      'sources[1].ref is "v"; expected a ref no other source has (Argo CD: "invalid sources: multiple sources had the same `ref` key")'],
    ['a source with neither path, chart nor ref', { source: undefined, sources: [git, { repoUrl: 'https://github.com/acme/v' }] },
      'sources[1].path is missing; expected a path, chart or ref (Argo CD: "spec.source.repoURL and either source.path, source.chart, or source.ref are required for source ...")'],
    ['a chart without its version', { source: { repoUrl: 'https://charts.example.com', chart: 'shop' } },
      'source.targetRevision is missing; expected the chart version (Argo CD: "spec.source.targetRevision is required if the manifest source is a helm chart"'],
    ['a value file of an unknown ref', {
      source: undefined,
      sources: [
        { repoUrl: 'https://charts.example.com', chart: 'shop', targetRevision: '1.0.0', helm: { valueFiles: ['$vals/a.yaml'] } },
        { repoUrl: 'https://github.com/acme/v', ref: 'values' },
      ],
    },
    'sources[0].helm.valueFiles[0] is "$vals/a.yaml"; expected a ref one of the sources has (Argo CD: "source referenced "$vals", which is not one of the available sources ($values)")'],
    ['a $ref value file in a single source', { source: { repoUrl: 'https://charts.example.com', chart: 'shop', targetRevision: '1.0.0', helm: { valueFiles: ['$values/a.yaml'] } } },
      'source.helm.valueFiles[0] is "$values/a.yaml"; expected a value file of this source (Argo CD: "source referenced "$values", but no source has a \'ref\' field defined")'],
    ['path and chart', { source: { ...git, chart: 'shop', targetRevision: '1.0.0' } }, 'source.chart is "shop"; expected either path (a Git source) or chart (a Helm repository), not both'],
  ])('rejected: %s', (_, extra, message) => {
    expect(rejection(base(extra as Partial<MultiClusterAppSetProps>))).toContain(message);
  });
});

describe('a bake on a standalone ApplicationSet', () => {
  test('is a synth error naming where a bake is rendered', () => {
    expect(rejection(base({ steps: [RollingSyncStep.whereIn('env', ['canary']).withBake(Duration.minutes(30)), RollingSyncStep.whereIn('env', ['production'])] })))
      .toContain('steps[0] is a step with a bake of 1800s; expected a bake only where it is rendered: Argo CD\'s RollingSync step has no wait field (argo-cd#11932)');
  });

  test('withBake keeps the step and rejects a bake that would not pause', () => {
    const step = RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1));
    const baked = step.withBake(Duration.minutes(30));
    expect(step.bake).toBeUndefined();
    expect(baked.bake!.toMinutes()).toBe(30);
    expect(baked._toKube()).toEqual(step._toKube()); // Argo CD has no field for it
    expect(() => step.withBake(Duration.millis(500))).toThrow('RollingSyncStep.withBake: duration is 500ms; expected a whole number of seconds >= 1');
    expect(() => step.withBake(Duration.seconds(0))).toThrow('duration is 0ms; expected a whole number of seconds >= 1');
    expect(() => step.withBake(30 as any)).toThrow('RollingSyncStep.withBake: duration is 30 (a number); expected a Duration');
  });
});

test('differential: Argo CD\'s normalizer rejects the raw jq expressions the library rejects, and accepts the ones it emits', () => {
  const chart = Testing.chart();
  new MultiClusterAppSet(chart, 'shop', base({
    ignoreDifferences: [{ kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "app") | .image'] }],
    ignoreApplicationDifferences: [{ jqPathExpressions: ['.spec.source.helm.values'], jsonPointers: ['/spec/syncPolicy'] }],
  }));
  const [c] = appSetCases(chart, Testing.synth(chart), 'jq accepted');
  const raw = (jq: string) => {
    const kube = JSON.parse(JSON.stringify(c.objects[0]));
    kube.spec.ignoreApplicationDifferences = [{ jqPathExpressions: [jq] }];
    kube.spec.template.spec.ignoreDifferences = [{ kind: 'Deployment', jqPathExpressions: [jq] }];
    return { source: jq, objects: [kube, ...c.objects.slice(1)] };
  };
  const bad = ['.spec.template.spec.containers[] | select(.name == "app"', '.metadata.annotations["a]', '.spec.source |'];
  const answers: ArgoAppSetAnswer[] = runConformance('appset-render', [{ source: c.source, objects: c.objects }, ...bad.map(raw)]);
  expect([answers[0].ignoreApplicationDifferencesError, answers[0].applications.map(a => a.ignoreDifferencesError)])
    .toEqual([undefined, [undefined, undefined, undefined]]);
  expect(compareAppSet(c.library, answers[0])).toEqual([]);
  for (const [i, jq] of bad.entries()) {
    const a = answers[i + 1];
    expect(a.ignoreApplicationDifferencesError).toBeDefined();
    expect(a.applications.every(x => x.ignoreDifferencesError !== undefined)).toBe(true);
    expect(rejection(base({ ignoreApplicationDifferences: [{ jqPathExpressions: [jq] }] }))).toContain('ignoreApplicationDifferences[0].jqPathExpressions[0]');
  }
});

test('the teardown\'s comparison sees a spec the library renders differently from Argo CD (a patched field)', () => {
  const chart = Testing.chart();
  new MultiClusterAppSet(chart, 'shop', base({ templatePatch: 'spec:\n  syncPolicy:\n    retry:\n      limit: 3\n' }));
  const [c] = appSetCases(chart, Testing.synth(chart), 'negative control');
  const [argo]: ArgoAppSetAnswer[] = runConformance('appset-render', [{ source: c.source, objects: c.objects }]);
  expect(argo.applications[0].spec.syncPolicy.retry).toEqual({ limit: 3 });
  expect(compareAppSet(c.library, argo)).toEqual([]);
  const specs = JSON.parse(JSON.stringify(c.library.specs));
  specs['seoul-1-canary'].spec.syncPolicy.retry.limit = 4;
  expect(compareAppSet({ ...c.library, specs }, argo)).toEqual(['seoul-1-canary: spec.syncPolicy.retry.limit: library 4, Argo CD 3']);
});
