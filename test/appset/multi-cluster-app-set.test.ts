import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  ApplicationsSyncPolicy, ClusterSelector, DeletionOrder, Fleet, Generator, LabelExpression, MaxUpdate, MultiClusterAppSet,
  MultiClusterAppSetProps, RollingSyncStep,
} from '../../src';
import { renderDeep } from '../../src/appset/template-engine';
import { validateObject } from '../harness/schema';

const seed = YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'appset', 'seed-example-1.yaml'), 'utf8'));

/** The fleet of the contract: two Seoul clusters (one canary), one Tokyo cluster. */
const fleet = () => new Fleet({
  clusters: [
    { name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { region: 'ap-northeast-2', env: 'canary' }, metricsEndpoint: 'prometheus.seoul-1.internal:9090' },
    { name: 'seoul-2', server: 'https://seoul-2.example.com', labels: { region: 'ap-northeast-2', env: 'production' } },
    { name: 'seoul-3', server: 'https://seoul-3.example.com', labels: { region: 'ap-northeast-2', env: 'production' } },
    { name: 'tokyo-1', server: 'https://tokyo-1.example.com', labels: { region: 'ap-northeast-1', env: 'production' } },
  ],
});

const seedSteps = () => [
  RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
  RollingSyncStep.whereIn('env', ['production']),
];

/** The seed's Example 1 in a few lines. */
const example1 = (extra: Partial<MultiClusterAppSetProps> = {}): MultiClusterAppSetProps => ({
  metadata: { name: 'my-service-appset' },
  clusters: ClusterSelector.matchLabels({ region: 'ap-northeast-2' }),
  environments: ['canary', 'production'],
  steps: seedSteps(),
  source: { repoUrl: 'https://github.com/my-org/my-service', path: 'k8s/overlays/{{.env}}' },
  destinationNamespace: 'my-service',
  ...extra,
});

function synthAppSet(props: MultiClusterAppSetProps): any {
  const chart = Testing.chart();
  new MultiClusterAppSet(chart, 'my-service', props);
  const objs = Testing.synth(chart); // schema-checked (strict) by the harness
  expect(objs).toHaveLength(1);
  return objs[0];
}

function synthErrors(build: (chart: Chart) => void): string {
  const chart = Testing.chart();
  build(chart);
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth succeeded');
}

describe('MultiClusterAppSet: the seed\'s Example 1', () => {
  test('with fasttemplate it synthesizes the seed\'s ApplicationSet (whose glue labels it injects itself), with {{nameNormalized}} for {{name}}', () => {
    const obj = synthAppSet(example1({ goTemplate: false, source: { repoUrl: 'https://github.com/my-org/my-service', path: 'k8s/overlays/{{env}}' } }));
    expect(validateObject(obj)).toEqual([]);
    expect(obj.metadata).toEqual(seed.metadata);
    // the one difference: the Application name and the cluster label use the normalized cluster name, so that
    // cluster names such as EKS ARNs or GKE contexts still give valid Application names and label values
    expect(obj.spec.template.metadata.name).toBe('{{nameNormalized}}-{{env}}');
    expect(obj.spec.template.metadata.labels.cluster).toBe('{{nameNormalized}}');
    const expected = JSON.parse(JSON.stringify(seed.spec));
    expected.template.metadata.name = '{{nameNormalized}}-{{env}}';
    expected.template.metadata.labels.cluster = '{{nameNormalized}}';
    expect(obj.spec).toEqual(expected);
    // for DNS-1123 cluster names (the seed's) both render the same Applications
    for (const c of fleet().clusters) {
      const params = { name: c.name, nameNormalized: Fleet.normalizeClusterName(c.name), server: c.server, env: 'canary' };
      const opts = { goTemplate: false, missingKeyError: false };
      expect(renderDeep(obj.spec.template, params, opts)).toEqual(renderDeep(seed.spec.template, params, opts));
    }
  });

  test('by default (Go templates, missingkey=error) it is the seed plus the guarantees, and renders the same Applications', () => {
    // GIVEN the default
    const obj = synthAppSet(example1());
    // THEN: the seed's generators and strategy unchanged
    expect(obj.spec.generators).toEqual(seed.spec.generators);
    expect(obj.spec.strategy).toEqual(seed.spec.strategy);
    // plus Go templates with missingkey=error (a missing param fails instead of rendering "<no value>")
    expect(obj.spec.goTemplate).toBe(true);
    expect(obj.spec.goTemplateOptions).toEqual(['missingkey=error']);
    // the glue labels are injected (the seed had to remember them by hand)
    expect(obj.spec.template.metadata.labels).toEqual({ env: '{{.env}}', cluster: '{{.nameNormalized}}' });
    // and the rest of the template is the seed's with Go syntax (and the normalized cluster name)
    const goToFast = (v: any) => JSON.parse(JSON.stringify(v).replace(/\{\{\.([A-Za-z]+)\}\}/g, '{{$1}}').replace(/nameNormalized/g, 'name'));
    expect(goToFast(obj.spec.template)).toEqual(seed.spec.template);

    // semantically: both templates render the same Applications for every cluster × environment
    for (const c of fleet().clusters.filter(x => x.labels!.region === 'ap-northeast-2')) {
      for (const env of ['canary', 'production']) {
        const goParams = { name: c.name, nameNormalized: c.name, server: c.server, metadata: { labels: c.labels }, env };
        const fastParams = { name: c.name, server: c.server, env };
        expect(renderDeep(obj.spec.template, goParams, { goTemplate: true, missingKeyError: true }))
          .toEqual(renderDeep(seed.spec.template, fastParams, { goTemplate: false, missingKeyError: false }));
      }
    }
  });

  test('with a fleet it reports the seed\'s namespace collision: every cluster gets both environments in "my-service"', () => {
    const msg = synthErrors(chart => new MultiClusterAppSet(chart, 'my-service', example1({ fleet: fleet() })));
    expect(msg).toContain('[test/my-service] destinationNamespace is "my-service", which puts seoul-1-canary, seoul-1-production into namespace "my-service" '
      + 'on cluster "seoul-1"; expected one Application per namespace and cluster (two Applications managing the same resources fight over them). '
      + 'Fix: include the environment in the namespace (e.g. "my-service-{{.env}}"), or set environmentClusterLabel so each cluster only gets its own environment');
    expect(msg).toContain('seoul-3-canary, seoul-3-production');
  });

  test('environmentClusterLabel deploys each environment only to its clusters; the plan follows the steps', () => {
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'my-service', example1({
      fleet: fleet(),
      environmentClusterLabel: 'env',
      steps: [
        RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
        RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(25)),
      ],
    }));
    const [obj] = Testing.synth(chart);
    expect(obj.spec.generators).toEqual([{
      matrix: {
        generators: [
          { list: { elements: [{ env: 'canary' }, { env: 'production' }] } },
          { clusters: { selector: { matchLabels: { region: 'ap-northeast-2', env: '{{.env}}' } } } },
        ],
      },
    }]);
    expect(appSet.generatedApplications().map(a => [a.name, a.labels, a.destinationServer, a.sourcePath])).toEqual([
      ['seoul-1-canary', { env: 'canary', cluster: 'seoul-1' }, 'https://seoul-1.example.com', 'k8s/overlays/canary'],
      ['seoul-2-production', { env: 'production', cluster: 'seoul-2' }, 'https://seoul-2.example.com', 'k8s/overlays/production'],
      ['seoul-3-production', { env: 'production', cluster: 'seoul-3' }, 'https://seoul-3.example.com', 'k8s/overlays/production'],
    ]);
    const plan = appSet.plan();
    expect(plan.waves.map(w => w.batches)).toEqual([[['seoul-1-canary']], [['seoul-2-production'], ['seoul-3-production']]]);
    expect(plan.unmatched).toEqual([]);
  });

  test('a namespace per environment also resolves the collision', () => {
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'my-service', example1({ fleet: fleet(), destinationNamespace: 'my-service-{{.env}}' }));
    Testing.synth(chart);
    expect(appSet.plan().waves.map(w => w.applications)).toEqual([
      ['seoul-1-canary', 'seoul-2-canary', 'seoul-3-canary'],
      ['seoul-1-production', 'seoul-2-production', 'seoul-3-production'],
    ]);
  });
});

describe('MultiClusterAppSet: the issue contract', () => {
  test('the contract snippet plans the fleet, and synth reports its namespace collision', () => {
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'my-service', {
      clusters: ClusterSelector.matchLabels({ region: 'ap-northeast-2' }),
      environments: ['canary', 'production'],
      steps: [
        RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
        RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(25)),
      ],
      source: { repoUrl: 'https://github.com/my-org/my-service', targetRevision: 'HEAD', path: 'k8s/overlays/{{.env}}' },
      destinationNamespace: 'my-service',
      fleet: fleet(),
    });
    const plan = appSet.plan();
    expect(plan.waves[0].batches).toEqual([['seoul-1-canary'], ['seoul-2-canary'], ['seoul-3-canary']]);
    // 25% of 3 floors to 0, raised to 1
    expect(plan.waves[1].batches).toEqual([['seoul-1-production'], ['seoul-2-production'], ['seoul-3-production']]);
    expect(plan.unmatched).toEqual([]);
    expect(() => Testing.synth(chart)).toThrow('destinationNamespace is "my-service", which puts seoul-1-canary, seoul-1-production into namespace "my-service"');
  });
});

describe('MultiClusterAppSet: rendering', () => {
  test('steps added after construction land in the manifest (lazy)', () => {
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'svc', example1({ steps: [] }));
    appSet.addStep(RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.manual()));
    appSet.addStep(RollingSyncStep.matching([LabelExpression.valueIn('env', ['production']), LabelExpression.valueNotIn('cluster', ['seoul-3'])], MaxUpdate.percent(50)));
    const [obj] = Testing.synth(chart);
    expect(obj.spec.strategy.rollingSync.steps).toEqual([
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['canary'] }], maxUpdate: 0 },
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['production'] }, { key: 'cluster', operator: 'NotIn', values: ['seoul-3'] }], maxUpdate: '50%' },
    ]);
    expect(appSet.steps).toHaveLength(2);
  });

  test('template props: labels, project, helm, kustomize, sync options, prune, retry, deletionOrder, applicationsSync', () => {
    const obj = synthAppSet(example1({
      metadata: { name: 'svc', namespace: 'argocd-apps' },
      labels: { team: 'payments' },
      annotations: { 'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'deploys' },
      project: 'payments',
      steps: [RollingSyncStep.whereIn('team', ['payments'], MaxUpdate.percent(20))],
      source: {
        repoUrl: 'https://charts.example.com',
        chart: 'svc',
        targetRevision: '1.2.3',
        helm: { releaseName: 'svc', valueFiles: ['values-{{.env}}.yaml'], parameters: { 'image.tag': '1.2.3', 'cluster': '{{.name}}' }, values: 'a: 1\n' },
      },
      destinationNamespace: 'svc-{{.env}}',
      syncOptions: ['ServerSideApply=true'],
      prune: true,
      retryLimit: 3,
      retryBackoffDuration: Duration.seconds(10),
      retryBackoffFactor: 2,
      retryBackoffMaxDuration: Duration.minutes(5),
      deletionOrder: DeletionOrder.REVERSE,
      applicationsSync: ApplicationsSyncPolicy.CREATE_UPDATE,
      preserveResourcesOnDeletion: true,
    }));
    expect(obj.metadata).toEqual({ name: 'svc', namespace: 'argocd-apps' });
    expect(obj.spec.strategy.deletionOrder).toBe('Reverse');
    expect(obj.spec.syncPolicy).toEqual({ applicationsSync: 'create-update', preserveResourcesOnDeletion: true });
    expect(obj.spec.template.metadata.labels).toEqual({ env: '{{.env}}', cluster: '{{.nameNormalized}}', team: 'payments' });
    expect(obj.spec.template.metadata.annotations).toEqual({ 'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'deploys' });
    expect(obj.spec.template.spec).toEqual({
      project: 'payments',
      source: {
        repoURL: 'https://charts.example.com',
        chart: 'svc',
        targetRevision: '1.2.3',
        helm: { releaseName: 'svc', valueFiles: ['values-{{.env}}.yaml'], parameters: [{ name: 'image.tag', value: '1.2.3' }, { name: 'cluster', value: '{{.name}}' }], values: 'a: 1\n' },
      },
      destination: { server: '{{.server}}', namespace: 'svc-{{.env}}' },
      syncPolicy: {
        automated: { enabled: false, prune: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: { limit: 3, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      },
    });
  });

  test('kustomize options and destinationName', () => {
    const obj = synthAppSet(example1({
      createNamespace: false,
      source: {
        repoUrl: 'https://github.com/my-org/svc',
        path: 'k8s',
        kustomize: {
          namePrefix: 'a-',
          nameSuffix: '-b',
          images: ['svc:1.2.3'],
          commonLabels: { app: 'svc' },
          commonAnnotations: { 'example.com/cluster': '{{.name}}' },
        },
      },
      destinationName: '{{.name}}',
      destinationNamespace: 'svc-{{.env}}',
    }));
    expect(obj.spec.template.spec.source.kustomize).toEqual({
      namePrefix: 'a-',
      nameSuffix: '-b',
      images: ['svc:1.2.3'],
      commonLabels: { app: 'svc' },
      commonAnnotations: { 'example.com/cluster': '{{.name}}' },
    });
    expect(obj.spec.template.spec.destination).toEqual({ name: '{{.name}}', namespace: 'svc-{{.env}}' });
    expect(obj.spec.template.spec.syncPolicy).toBeUndefined();
  });

  test('a cluster label is injected when a step selects on it with explicit generators', () => {
    const obj = synthAppSet({
      generators: [Generator.clusters({ selector: ClusterSelector.matchLabels({ tier: 'edge' }) })],
      applicationName: 'edge-{{.nameNormalized}}',
      steps: [RollingSyncStep.whereIn('cluster', ['edge-1'], MaxUpdate.count(1)), RollingSyncStep.whereNotIn('cluster', ['edge-1'])],
      source: { repoUrl: 'https://github.com/my-org/edge', path: 'deploy' },
      destinationNamespace: 'edge',
    });
    expect(obj.spec.template.metadata.labels).toEqual({ cluster: '{{.nameNormalized}}' });
  });

  test('retryLimit accepts a negative value: Argo CD retries without limit', () => {
    const obj = synthAppSet(example1({ retryLimit: -1 }));
    expect(obj.spec.template.spec.syncPolicy.retry).toEqual({ limit: -1 });
  });
});

describe('MultiClusterAppSet: real-world cluster names (nameNormalized)', () => {
  const eks = 'arn:aws:eks:ap-northeast-2:123456789012:cluster/seoul-prod';
  const gke = 'gke_my-project_asia-northeast3_seoul_canary';
  const realFleet = () => new Fleet({
    clusters: [
      { name: gke, server: 'https://gke.example.com', labels: { region: 'ap-northeast-2', env: 'canary' } },
      { name: eks, server: 'https://eks.example.com', labels: { region: 'ap-northeast-2', env: 'production' } },
    ],
  });

  test('EKS ARNs and GKE context names give valid Application names and cluster labels', () => {
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'svc', example1({ fleet: realFleet(), environmentClusterLabel: 'env' }));
    const [obj] = Testing.synth(chart);
    expect(obj.spec.template.metadata.name).toBe('{{.nameNormalized}}-{{.env}}');
    expect(appSet.generatedApplications().map(a => [a.name, a.labels, a.clusterName])).toEqual([
      ['gke-my-project-asia-northeast3-seoul-canary-canary', { env: 'canary', cluster: 'gke-my-project-asia-northeast3-seoul-canary' }, gke],
      ['arn-aws-eks-ap-northeast-2-123456789012-cluster-seoul-prod-production',
        { env: 'production', cluster: 'arn-aws-eks-ap-northeast-2-123456789012-cluster-seoul-prod' }, eks],
    ]);
    expect(appSet.plan().waves.map(w => w.applications)).toEqual([
      ['gke-my-project-asia-northeast3-seoul-canary-canary'],
      ['arn-aws-eks-ap-northeast-2-123456789012-cluster-seoul-prod-production'],
    ]);
  });

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

  test('the label glue check is not fooled by Object.prototype members', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ steps: [RollingSyncStep.whereNotIn('constructor', ['x'])] }))))
      .toContain('[test/svc] steps[0].matchExpressions[0].key is "constructor"; expected a label the Application template sets (it sets ["env","cluster"]); '
        + 'without it the expression matches every Application.');
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

  test('environmentClusterLabel is not fooled by Object.prototype members', () => {
    // (cdk8s itself cannot serialize a map key "constructor", so this checks the construct's own rendering)
    const appSet = new MultiClusterAppSet(Testing.chart(), 'svc', example1({ environmentClusterLabel: 'constructor', destinationNamespace: 'svc-{{.env}}' }));
    expect(appSet.generators[0]._toKube().matrix.generators[1].clusters.selector.matchLabels).toEqual({ region: 'ap-northeast-2', constructor: '{{.env}}' });
  });

  test('fails without steps (with no steps the strategy is ignored and, autosync being off, nothing syncs)', () => {
    expect(synthErrors(c => new MultiClusterAppSet(c, 'svc', example1({ steps: [] }))))
      .toContain('[test/svc] steps is []; expected at least one RollingSync step (with no steps the controller ignores the strategy, '
        + 'and since this library never enables automated sync, no Application would be synced automatically)');
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

  test('plan() needs a fleet', () => {
    const appSet = new MultiClusterAppSet(Testing.chart(), 'svc', example1());
    expect(() => appSet.plan()).toThrow('test/svc: fleet is missing; expected a Fleet: static rendering (generatedApplications(), plan()) needs the clusters. '
      + 'Fix: pass fleet: new Fleet({ clusters: [...] }), or plan standalone with RolloutPlan.compute(steps, applications)');
  });
});
