import { ClusterSelector, Fleet, LabelExpression } from '../../src';

const seoul = {
  name: 'seoul-1',
  server: 'https://seoul-1.example.com',
  labels: { region: 'ap-northeast-2', env: 'canary' },
  metricsEndpoint: 'prometheus.seoul-1.internal:9090',
};

describe('Fleet', () => {
  test('keeps clusters in order and copies them', () => {
    const fleet = new Fleet({ clusters: [seoul, { name: 'tokyo-1', server: 'https://tokyo-1.example.com' }] });
    expect(fleet.clusters.map(c => c.name)).toEqual(['seoul-1', 'tokyo-1']);
    expect(fleet.clusters[1].labels).toEqual({});
    fleet.clusters[0].labels!.env = 'mutated';
    expect(fleet.tryFindCluster('seoul-1')?.labels).toEqual({ region: 'ap-northeast-2', env: 'canary' });
  });

  test('accepts any Argo CD cluster name (EKS ARNs, GKE contexts) and normalizes it like nameNormalized', () => {
    const eks = 'arn:aws:eks:eu-west-1:123456789012:cluster/prod';
    const gke = 'gke_my-project_europe-west1_prod';
    const fleet = new Fleet({ clusters: [{ name: eks, server: 'https://eks.example.com' }, { name: gke, server: 'https://gke.example.com' }, { name: 'Seoul_1', server: 'https://s' }] });
    expect(fleet.clusters.map(c => c.name)).toEqual([eks, gke, 'Seoul_1']);
    expect(fleet.tryFindCluster(gke)?.server).toBe('https://gke.example.com');
    expect(Fleet.normalizeClusterName(eks)).toBe('arn-aws-eks-eu-west-1-123456789012-cluster-prod');
    expect(Fleet.normalizeClusterName(gke)).toBe('gke-my-project-europe-west1-prod');
    expect(Fleet.normalizeClusterName('Seoul_1')).toBe('seoul-1');
    // lowercased, [^-a-z0-9.] -> "-", cut at 253, trimmed of "-" and "."
    expect(Fleet.normalizeClusterName('-.My Cluster.-')).toBe('my-cluster');
    expect(Fleet.normalizeClusterName('a'.repeat(300))).toHaveLength(253);
  });

  test.each([
    [{ ...seoul, name: '' }, 'Fleet: clusters[0].name is ""; expected the cluster name registered in Argo CD (the cluster Secret\'s name field), not empty'],
    [{ ...seoul, server: 'seoul-1.example.com' }, 'Fleet: clusters[0].server is "seoul-1.example.com"; expected the API server URL'],
    [{ ...seoul, labels: { 'env/x/y': 'a' } }, 'Fleet: clusters[0].labels is "env/x/y": "a"; expected a label key'],
    [{ ...seoul, metricsEndpoint: 'http://prom:9090/' }, 'Fleet: clusters[0].metricsEndpoint is "http://prom:9090/"; expected host:port'],
  ])('fails on a bad cluster %#', (cluster, msg) => {
    expect(() => new Fleet({ clusters: [cluster] })).toThrow(msg);
  });

  test('fails on duplicate names and servers', () => {
    expect(() => new Fleet({ clusters: [seoul, { ...seoul, server: 'https://other' }] }))
      .toThrow('Fleet: clusters[1].name is "seoul-1"; expected a name not already in the fleet. Fix: list each cluster once');
    expect(() => new Fleet({ clusters: [seoul, { ...seoul, name: 'other' }] })).toThrow('Fleet: clusters[1].server is "https://seoul-1.example.com"');
  });

  test('selects clusters like a clusters generator (the Secret-type label included)', () => {
    const fleet = new Fleet({ clusters: [seoul, { name: 'tokyo-1', server: 'https://tokyo-1.example.com', labels: { region: 'ap-northeast-1' } }] });
    expect(fleet.selectClusters(ClusterSelector.matchLabels({ region: 'ap-northeast-2' })).map(c => c.name)).toEqual(['seoul-1']);
    expect(fleet.selectClusters(ClusterSelector.matchExpressions([LabelExpression.doesNotExist('env')])).map(c => c.name)).toEqual(['tokyo-1']);
    expect(fleet.selectClusters(ClusterSelector.matchLabels({ 'argocd.argoproj.io/secret-type': 'cluster' }))).toHaveLength(2);
    expect(fleet.selectClusters(ClusterSelector.all())).toHaveLength(2);
  });

  test('selected clusters are copies: editing one does not change the fleet or what a selector selects', () => {
    const fleet = new Fleet({ clusters: [seoul] });
    const [selected] = fleet.selectClusters(ClusterSelector.all());
    selected.labels!.region = 'elsewhere';
    (selected as any).name = 'renamed';
    expect(fleet.selectClusters(ClusterSelector.matchLabels({ region: 'ap-northeast-2' })).map(c => c.name)).toEqual(['seoul-1']);
    expect(fleet.tryFindCluster('seoul-1')?.labels).toEqual(seoul.labels);
  });

  test('a cluster added later is selected by the next selection', () => {
    const fleet = new Fleet({ clusters: [seoul] });
    const selector = ClusterSelector.matchLabels({ region: 'ap-northeast-2' });
    expect(fleet.selectClusters(selector).map(c => c.name)).toEqual(['seoul-1']);
    fleet.addCluster({ name: 'seoul-2', server: 'https://seoul-2.example.com', labels: { region: 'ap-northeast-2' } });
    expect(fleet.selectClusters(selector).map(c => c.name)).toEqual(['seoul-1', 'seoul-2']);
  });
});

describe('Fleet from plain JavaScript', () => {
  test('wrong types are ValidationErrors, not TypeErrors', () => {
    expect(() => new Fleet(undefined as any)).toThrow('Fleet: props is missing; expected an object');
    expect(() => new Fleet({ clusters: undefined as any })).toThrow('Fleet: clusters is missing; expected an array. Fix: set clusters (it is required)');
    expect(() => new Fleet({ clusters: ['seoul-1' as any] })).toThrow('Fleet: clusters[0] is "seoul-1" (a string); expected an object');
    expect(() => new Fleet({ clusters: [{ name: 'a', server: 42 as any }] })).toThrow('Fleet: clusters[0].server is 42 (a number); expected a string');
    expect(() => new Fleet({ clusters: [{ name: 'a', server: 'https://a', labels: { env: 1 as any } }] })).toThrow('Fleet: clusters[0].labels.env is 1 (a number); expected a string');
  });

  test('lookups are indexed and a new cluster changes the version the app sets cache by', () => {
    const fleet = new Fleet({ clusters: [seoul] });
    const v = fleet._version;
    fleet.addCluster({ name: 'tokyo-1', server: 'https://tokyo-1.example.com' });
    expect(fleet._version).toBeGreaterThan(v);
    expect(fleet._nameOfServer('https://tokyo-1.example.com')).toBe('tokyo-1');
    expect(fleet._hasCluster('seoul-1')).toBe(true);
    expect(fleet._hasLabelKey('region')).toBe(true);
    expect(fleet._hasLabelKey('zone')).toBe(false);
  });
});

test('selectClusters with something that is not a ClusterSelector is a ValidationError', () => {
  expect(() => new Fleet({ clusters: [seoul] }).selectClusters({ region: 'x' } as any))
    .toThrow('Fleet.selectClusters: selector is {"region":"x"} (an object); expected a ClusterSelector');
});
