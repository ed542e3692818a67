/**
 * The upstream Argo CD ApplicationSet examples that use the list, clusters or matrix generators (plus the merge ones),
 * expressed with MultiClusterAppSet and compared with the upstream YAML (test/fixtures/appset/upstream, verbatim).
 *
 * Differences every comparison explains, because MultiClusterAppSet is a RollingSync construct:
 *  - `spec.strategy` is added (RollingSync with the given steps); the upstream examples have none (AllAtOnce).
 *  - `metadata.namespace` defaults to `argocd` when the upstream file has none.
 * Everything else (`generators`, `goTemplate*`, `template`, `syncPolicy`) must be equal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  ApplicationsSyncPolicy, ClusterSelector, Fleet, Generator, MultiClusterAppSet, MultiClusterAppSetProps, RollingSyncStep,
} from '../../src';

const upstream = (file: string) => YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'appset', 'upstream', file), 'utf8'));

function synth(props: MultiClusterAppSetProps): { obj: any; appSet: MultiClusterAppSet } {
  const chart = Testing.chart();
  const appSet = new MultiClusterAppSet(chart, 'example', props);
  const [obj] = Testing.synth(chart); // strict CRD schema check by the harness
  return { obj, appSet };
}

function expectSameAsUpstream(obj: any, up: any, steps: any[]) {
  const { strategy, ...spec } = obj.spec;
  expect(spec).toEqual(up.spec);
  expect(strategy).toEqual({ type: 'RollingSync', rollingSync: { steps } });
  expect(obj.metadata).toEqual({ namespace: 'argocd', ...up.metadata });
}

const guestbookList = [
  { cluster: 'engineering-dev', url: 'https://kubernetes.default.svc' },
  { cluster: 'engineering-prod', url: 'https://kubernetes.default.svc' },
];

describe('upstream list generator examples', () => {
  test('list-generator/list-example.yaml (Go templates)', () => {
    const up = upstream('list-generator/list-example.yaml');
    const { obj } = synth({
      metadata: { name: 'guestbook' },
      generators: [Generator.list({ elements: guestbookList })],
      applicationName: '{{.cluster}}-guestbook',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: 'applicationset/examples/list-generator/guestbook/{{.cluster}}' },
      destinationServer: '{{.url}}',
      destinationNamespace: 'guestbook',
      createNamespace: false,
    });
    expectSameAsUpstream(obj, up, [{}]);
  });

  test('list-generator/list-example-fasttemplate.yaml', () => {
    const up = upstream('list-generator/list-example-fasttemplate.yaml');
    const { obj } = synth({
      metadata: { name: 'guestbook' },
      goTemplate: false,
      generators: [Generator.list({ elements: guestbookList })],
      applicationName: '{{cluster}}-guestbook',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: 'applicationset/examples/list-generator/guestbook/{{cluster}}' },
      destinationServer: '{{url}}',
      destinationNamespace: 'guestbook',
      createNamespace: false,
    });
    expectSameAsUpstream(obj, up, [{}]);
  });

  test('applications-sync-policies/create-update.yaml, with a step on its label; create-only is rejected under RollingSync', () => {
    const up = upstream('applications-sync-policies/create-update.yaml');
    const props: MultiClusterAppSetProps = {
      metadata: { name: 'guestbook' },
      goTemplateOptions: [],
      generators: [Generator.list({ elements: [{ ...guestbookList[0], foo: 'bar' }, { ...guestbookList[1], foo: 'baz' }] })],
      applicationName: '{{.cluster}}-guestbook',
      labels: { foo: '{{.foo}}' },
      steps: [RollingSyncStep.whereIn('foo', ['bar']), RollingSyncStep.whereIn('foo', ['baz'])],
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: 'applicationset/examples/list-generator/guestbook/{{.cluster}}' },
      destinationServer: '{{.url}}',
      destinationNamespace: 'guestbook',
      createNamespace: false,
      applicationsSync: ApplicationsSyncPolicy.CREATE_UPDATE,
    };
    const { obj } = synth(props);
    expectSameAsUpstream(obj, up, [
      { matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }] },
      { matchExpressions: [{ key: 'foo', operator: 'In', values: ['baz'] }] },
    ]);
    expect(upstream('applications-sync-policies/create-only.yaml').spec.syncPolicy).toEqual({ applicationsSync: 'create-only' });
    expect(() => synth({ ...props, applicationsSync: ApplicationsSyncPolicy.CREATE_ONLY })).toThrow('applicationsSync is "create-only"; expected "sync" or "create-update"');
  });

  test('with a fleet, the list example is found to put both Applications into the same namespace of in-cluster', () => {
    expect(() => synth({
      metadata: { name: 'guestbook' },
      generators: [Generator.list({ elements: guestbookList })],
      applicationName: '{{.cluster}}-guestbook',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: 'applicationset/examples/list-generator/guestbook/{{.cluster}}' },
      destinationServer: '{{.url}}',
      destinationNamespace: 'guestbook',
      fleet: new Fleet({ clusters: [] }),
    })).toThrow('destinationNamespace is "guestbook", which puts engineering-dev-guestbook, engineering-prod-guestbook into namespace "guestbook" on https://kubernetes.default.svc');
  });
});

describe('upstream cluster generator examples', () => {
  const clusterProps = (goTemplate: boolean): MultiClusterAppSetProps => ({
    metadata: { name: 'guestbook' },
    goTemplate,
    generators: [Generator.clusters()],
    applicationName: goTemplate ? '{{.name}}-guestbook' : '{{name}}-guestbook',
    steps: [RollingSyncStep.everything()],
    source: { repoUrl: 'https://github.com/argoproj/argocd-example-apps/', path: 'guestbook' },
    destinationNamespace: 'guestbook',
    createNamespace: false,
  });

  test('cluster/cluster-example.yaml', () => {
    const { obj } = synth(clusterProps(true));
    expectSameAsUpstream(obj, upstream('cluster/cluster-example.yaml'), [{}]);
  });

  test('cluster/cluster-example-fasttemplate.yaml', () => {
    const { obj } = synth(clusterProps(false));
    expectSameAsUpstream(obj, upstream('cluster/cluster-example-fasttemplate.yaml'), [{}]);
  });

  test('renders one Application per cluster plus in-cluster (empty selector), as the controller does', () => {
    const fleet = new Fleet({ clusters: [{ name: 'b-1', server: 'https://b-1' }, { name: 'a-1', server: 'https://a-1' }] });
    const { appSet } = synth({ ...clusterProps(true), fleet });
    expect(appSet.generatedApplications().map(a => [a.name, a.destinationServer])).toEqual([
      ['b-1-guestbook', 'https://b-1'], ['a-1-guestbook', 'https://a-1'], ['in-cluster-guestbook', 'https://kubernetes.default.svc'],
    ]);
    expect(appSet.plan().waves[0].applications).toEqual(['a-1-guestbook', 'b-1-guestbook', 'in-cluster-guestbook']);
  });
});

describe('upstream matrix generator examples', () => {
  const git = Generator.gitDirectories({ repoUrl: 'https://github.com/argoproj/argo-cd.git', directories: [{ path: 'applicationset/examples/matrix/cluster-addons/*' }] });

  test('matrix/cluster-and-git.yaml (git × clusters, templated project)', () => {
    const { obj } = synth({
      metadata: { name: 'cluster-git' },
      generators: [Generator.matrix([git, Generator.clusters({ selector: ClusterSelector.matchLabels({ 'argocd.argoproj.io/secret-type': 'cluster' }) })])],
      applicationName: '{{.path.basename}}-{{.name}}',
      project: '{{.metadata.labels.environment}}',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: '{{.path.path}}' },
      destinationNamespace: '{{.path.basename}}',
      createNamespace: false,
    });
    expectSameAsUpstream(obj, upstream('matrix/cluster-and-git.yaml'), [{}]);
  });

  test('matrix/list-and-git.yaml (git × list with values)', () => {
    const { obj } = synth({
      metadata: { name: 'list-git' },
      generators: [Generator.matrix([git, Generator.list({
        elements: [
          { cluster: 'engineering-dev', url: 'https://1.2.3.4', values: { project: 'dev' } },
          { cluster: 'engineering-prod', url: 'https://2.4.6.8', values: { project: 'prod' } },
        ],
      })])],
      applicationName: '{{.path.basename}}-{{.cluster}}',
      project: '{{.values.project}}',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: '{{.path.path}}' },
      destinationServer: '{{.url}}',
      destinationNamespace: '{{.path.basename}}',
      createNamespace: false,
    });
    expectSameAsUpstream(obj, upstream('matrix/list-and-git.yaml'), [{}]);
  });

  test('matrix/list-and-list.yaml is expressible, and its template bug is caught: .path is produced by no generator', () => {
    const up = upstream('matrix/list-and-list.yaml');
    const props: MultiClusterAppSetProps = {
      metadata: { name: 'list-and-list', namespace: 'argocd' },
      generators: [Generator.matrix([
        Generator.list({ elements: up.spec.generators[0].matrix.generators[0].list.elements }),
        Generator.list({ elements: [{ values: { suffix: '1' } }, { values: { suffix: '2' } }] }),
      ])],
      applicationName: '{{.cluster}}-{{.values.suffix}}',
      project: '{{.values.project}}',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: '{{.path.path}}' },
      destinationServer: '{{.url}}',
      destinationNamespace: '{{.path.basename}}',
      createNamespace: false,
    };
    // the manifest (without validation) is the upstream one
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'example', props);
    const { strategy, ...spec } = appSet._toKube();
    expect(spec).toEqual(up.spec);
    // but with missingkey=error the controller fails on every Application: synth says so
    expect(() => Testing.synth(chart)).toThrow('[test/example] template is "{{.path.path}}"; expected params the generators produce (.cluster, .url, .values); '
      + '".path.path" is not one of them and fails with missingkey=error');
    // the fasttemplate variant would leave "{{path}}" verbatim in the path
    const fast = upstream('matrix/list-and-list-fasttemplate.yaml');
    expect(() => synth({
      ...props,
      goTemplate: false,
      applicationName: '{{cluster}}-{{values.suffix}}',
      project: '{{values.project}}',
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: fast.spec.template.spec.source.path },
      destinationServer: '{{url}}',
      destinationNamespace: '{{path.basename}}',
    })).toThrow('template is "{{path}}"; expected params the generators produce (cluster, url, values.project, values.suffix); '
      + 'fasttemplate leaves "{{path}}" verbatim');
  });

  test('matrix/matrix-and-union-in-matrix.yaml is not valid for Argo CD v3.5: there is no union generator', () => {
    const up = upstream('matrix/matrix-and-union-in-matrix.yaml');
    expect(Object.keys(up.spec.generators[0].matrix.generators[0])).toEqual(['union']);
    // the closest valid form is a merge on the same keys; it renders as the controller would (3 clusters × 4 = 12)
    const lists = up.spec.generators[0].matrix.generators[0].union.generators.map((g: any) => Generator.list({ elements: g.list.elements }));
    const inner = up.spec.generators[0].matrix.generators[1].matrix.generators.map((g: any) => Generator.list({ elements: g.list.elements }));
    const { appSet } = synth({
      metadata: { name: 'matrix-and-merge-in-matrix' },
      generators: [Generator.matrix([Generator.merge(['cluster'], lists), Generator.matrix(inner)])],
      applicationName: '{{.values.prefix}}-{{.cluster}}-{{.values.suffix}}',
      project: '{{.values.project}}',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: 'guestbook' },
      destinationServer: '{{.url}}',
      destinationNamespace: '{{.cluster}}-{{.values.prefix}}-{{.values.suffix}}',
      fleet: new Fleet({ clusters: [] }),
    });
    // merge keeps only base sets (engineering-dev, engineering-prod): 2 × 4 = 8
    expect(appSet.generatedApplications().map(a => a.name).sort()).toEqual([
      'first-engineering-dev-1', 'first-engineering-dev-2', 'first-engineering-prod-1', 'first-engineering-prod-2',
      'second-engineering-dev-1', 'second-engineering-dev-2', 'second-engineering-prod-1', 'second-engineering-prod-2',
    ]);
  });
});

describe('upstream merge generator examples', () => {
  test('merge/merge-clusters-and-list.yaml, rendered for a fleet', () => {
    const up = upstream('merge/merge-clusters-and-list.yaml');
    const fleet = new Fleet({
      clusters: [
        { name: 'kafka-less', server: 'https://kafka-less', labels: { 'use-kafka': 'false' } },
        { name: 'plain', server: 'https://plain' },
        { name: 'special', server: 'https://some-specific-cluster' },
      ],
    });
    const { obj, appSet } = synth({
      metadata: { name: 'merge-clusters-and-list' },
      generators: [Generator.merge(['server'], [
        Generator.clusters({ values: { kafka: 'true', redis: 'false' } }),
        Generator.clusters({ selector: ClusterSelector.matchLabels({ 'use-kafka': 'false' }), values: { kafka: 'false' } }),
        Generator.list({ elements: [{ 'server': 'https://some-specific-cluster', 'values.redis': 'true' }] }),
      ])],
      applicationName: '{{.name}}',
      steps: [RollingSyncStep.everything()],
      source: {
        repoUrl: 'https://github.com/argoproj/argocd-example-apps/',
        path: 'helm-guestbook',
        helm: { parameters: { kafka: '{{.values.kafka}}', redis: '{{.values.redis}}' } },
      },
      destinationNamespace: 'default',
      createNamespace: false,
      fleet,
    });
    expectSameAsUpstream(obj, up, [{}]);
    expect(appSet.generatedApplications().map(a => a.name)).toEqual(['kafka-less', 'plain', 'special', 'in-cluster']);
  });

  test('merge/merge-two-matrixes.yaml', () => {
    const up = upstream('merge/merge-two-matrixes.yaml');
    const { obj } = synth({
      metadata: { name: 'merge-two-matrixes' },
      generators: [Generator.merge(['server', 'environment'], [
        Generator.matrix([
          Generator.clusters({ values: { replicaCount: '2' } }),
          Generator.list({ elements: [{ environment: 'staging', namespace: 'guestbook-non-prod' }, { environment: 'prod', namespace: 'guestbook' }] }),
        ]),
        Generator.list({ elements: [{ 'server': 'https://kubernetes.default.svc', 'environment': 'staging', 'values.replicaCount': '1' }] }),
      ])],
      applicationName: '{{.name}}-guestbook-{{.environment}}',
      steps: [RollingSyncStep.everything()],
      source: {
        repoUrl: 'https://github.com/argoproj/argocd-example-apps/',
        path: 'helm-guestbook',
        helm: { parameters: { replicaCount: '{{.values.replicaCount}}' } },
      },
      destinationNamespace: '{{.namespace}}',
      createNamespace: false,
    });
    expectSameAsUpstream(obj, up, [{}]);
  });
});

describe('upstream template-override example', () => {
  test('template-override/template-overrides-example.yaml through Generator.fromJson', () => {
    const up = upstream('template-override/template-overrides-example.yaml');
    const { obj } = synth({
      metadata: { name: 'guestbook' },
      generators: [Generator.fromJson(up.spec.generators[0])],
      applicationName: '{{.cluster}}-guestbook',
      steps: [RollingSyncStep.everything()],
      source: { repoUrl: 'https://github.com/argoproj/argo-cd.git', path: 'applicationset/examples/template-override/default' },
      destinationServer: '{{.url}}',
      destinationNamespace: 'guestbook',
      createNamespace: false,
    });
    expectSameAsUpstream(obj, up, [{}]);
  });
});
