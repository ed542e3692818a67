import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { eks, example1, fleet, gke, realFleet, seed, synthAppSet, synthErrors } from './app-set-fixtures';
import { ApplicationSet } from '../../imports/argocd-argoproj.io';
import {
  ClusterSelector, Fleet, Generator, LabelExpression, MaxUpdate, MultiClusterAppSet, RollingSyncStep,
} from '../../src';
import { renderDeep } from '../../src/appset/template-engine';
import { validateObject } from '../harness/schema';

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
      expect(renderDeep(obj.spec.template, params, opts).ok).toBe(true);
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
        expect(renderDeep(obj.spec.template, goParams, { goTemplate: true, missingKeyError: true }).ok).toBe(true);
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
});

describe('MultiClusterAppSet: real-world cluster names (nameNormalized)', () => {
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
});

describe('MultiClusterAppSet: the emitted object', () => {
  test('is an ApplicationSet with the generated L1\'s GVK, in the argocd namespace by default, exposed as apiObject', () => {
    const chart = Testing.chart();
    const appSet = new MultiClusterAppSet(chart, 'svc', example1({ metadata: { name: 'svc', labels: { team: 'a' } } }));
    const [obj] = Testing.synth(chart);
    expect({ apiVersion: obj.apiVersion, kind: obj.kind }).toEqual(ApplicationSet.GVK);
    expect(obj.metadata).toEqual({ name: 'svc', namespace: 'argocd', labels: { team: 'a' } });
    expect(appSet.apiObject.kind).toBe('ApplicationSet');
    expect(appSet.name).toBe('svc');
  });

  test('requiring the library does not load the 3.5 MB Argo CD L1 module (only a GVK was needed from it)', () => {
    const src = path.join(__dirname, '..', '..', 'src');
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap(e => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const runtimeImports = files(src).filter(f => /^import\s+(?!type\b)[^;]*from\s+'[^']*imports\/argocd-argoproj\.io';/m.test(fs.readFileSync(f, 'utf8')));
    expect(runtimeImports.map(f => path.relative(src, f))).toEqual([]);
  });
});
