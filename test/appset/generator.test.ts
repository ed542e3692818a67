import { ClusterSelector, Fleet, Generator, LabelExpression } from '../../src';
import { TemplateResult } from '../../src/appset/template-engine';

const fleet = new Fleet({
  clusters: [
    { name: 'seoul-1', server: 'https://seoul-1', labels: { region: 'kr', env: 'canary' } },
    { name: 'seoul-2', server: 'https://seoul-2', labels: { region: 'kr', env: 'prod' } },
    { name: 'tokyo-1', server: 'https://kubernetes.default.svc', labels: { region: 'jp', env: 'prod' } },
  ],
});
const go = { goTemplate: true, missingKeyError: true };
const fast = { goTemplate: false, missingKeyError: false };
/** The value of a result (a failure fails the test with its message). */
const value = <T>(r: TemplateResult<T>): T => {
  if (!r.ok) throw new Error(`expected a value, got ${r.failure.kind}: ${r.failure.message}`);
  return r.value;
};
const failure = (kind: 'invalid' | 'unsupported', message: string) => ({ ok: false, failure: { kind, message: expect.stringContaining(message) } });
const problems = (g: Generator, goTemplate = true) => g._problems('generators[0]', goTemplate).map(p => `${p.prop} is ${p.given}; expected ${p.expected}`);

describe('Generator rendering', () => {
  test('clusters: the selection cached per fleet follows the fleet (addCluster) and the rendered selector (matrix params)', () => {
    const f = new Fleet({ clusters: [{ name: 'A_1', server: 'https://a', labels: { env: 'canary' } }, { name: 'b', server: 'https://b', labels: { env: 'prod' } }] });
    const byEnv = Generator.matrix([
      Generator.list({ elements: [{ env: 'canary' }, { env: 'prod' }] }),
      Generator.clusters({ selector: ClusterSelector.matchLabels({ env: '{{.env}}' }) }),
    ]);
    const names = () => value(byEnv._generate({ fleet: f, opts: go })).map(p => `${p.env}:${p.nameNormalized}`);
    expect(names()).toEqual(['canary:a-1', 'prod:b']);
    const secrets = value(byEnv._generate({ fleet: f, opts: go }));
    secrets[0].metadata.labels.env = 'edited'; // the params are the caller's: editing them changes no later generation
    f.addCluster({ name: 'C', server: 'https://c', labels: { env: 'canary' } });
    expect(names()).toEqual(['canary:a-1', 'canary:c', 'prod:b']);
    const byExpression = Generator.matrix([
      Generator.list({ elements: [{ env: 'prod' }] }),
      Generator.clusters({ selector: ClusterSelector.matchExpressions([LabelExpression.valueNotIn('env', ['{{.env}}'])]) }),
    ]);
    expect(value(byExpression._generate({ fleet: f, opts: go })).map(p => p.name)).toEqual(['A_1', 'C']);
    expect(value(byExpression._generate({ fleet, opts: go })).map(p => p.name)).toEqual(['seoul-1']);
  });

  test('clusters: Go params are nested, fasttemplate params flat; values are templated with the cluster params', () => {
    const g = Generator.clusters({ selector: ClusterSelector.matchLabels({ region: 'kr' }), values: { url: 'https://{{.name}}.example.com' } });
    expect(value(g._generate({ fleet, opts: go }))[0]).toEqual({
      name: 'seoul-1',
      nameNormalized: 'seoul-1',
      server: 'https://seoul-1',
      project: '',
      metadata: { labels: { 'region': 'kr', 'env': 'canary', 'argocd.argoproj.io/secret-type': 'cluster' } },
      values: { url: 'https://seoul-1.example.com' },
    });
    const flat = value(Generator.clusters({ selector: ClusterSelector.matchLabels({ region: 'kr' }), values: { url: 'https://{{name}}' } })._generate({ fleet, opts: fast }));
    expect(flat[1]).toEqual({
      'name': 'seoul-2',
      'nameNormalized': 'seoul-2',
      'server': 'https://seoul-2',
      'project': '',
      'metadata.labels.region': 'kr',
      'metadata.labels.env': 'prod',
      'metadata.labels.argocd.argoproj.io/secret-type': 'cluster',
      'values.url': 'https://seoul-2',
    });
  });

  test('clusters: in-cluster only with an empty selector and only when no Secret registers its server', () => {
    const other = new Fleet({ clusters: [{ name: 'a', server: 'https://a' }] });
    expect(value(Generator.clusters()._generate({ fleet: other, opts: go })).map(p => p.name)).toEqual(['a', 'in-cluster']);
    expect(value(Generator.clusters()._generate({ fleet, opts: go })).map(p => p.name)).toEqual(['seoul-1', 'seoul-2', 'tokyo-1']);
    expect(value(Generator.clusters({ selector: ClusterSelector.matchExpressions([LabelExpression.exists('region')]) })._generate({ fleet: other, opts: go }))).toEqual([]);
  });

  test('matrix: the second child is templated with the first child\'s params; Go merges with the first child winning', () => {
    const g = Generator.matrix([
      Generator.list({ elements: [{ env: 'prod', name: 'from-list' }] }),
      Generator.clusters({ selector: ClusterSelector.matchLabels({ env: '{{.env}}' }) }),
    ]);
    expect(value(g._generate({ fleet, opts: go })).map(p => [p.name, p.server, p.env])).toEqual([
      ['from-list', 'https://seoul-2', 'prod'], ['from-list', 'https://kubernetes.default.svc', 'prod'],
    ]);
  });

  test('matrix: a nested combination in the second child is templated with the outer first child\'s params too', () => {
    const g = Generator.matrix([
      Generator.list({ elements: [{ region: 'kr' }, { region: 'jp' }] }),
      Generator.matrix([
        Generator.clusters({ selector: ClusterSelector.matchLabels({ region: '{{.region}}' }) }),
        Generator.list({ elements: [{ ns: 'ns-{{.region}}' }] }),
      ]),
    ]);
    expect(value(g._generate({ fleet, opts: go })).map(p => [p.name, p.ns])).toEqual([['seoul-1', 'ns-kr'], ['seoul-2', 'ns-kr'], ['tokyo-1', 'ns-jp']]);
  });

  test('matrix: a param named like an Object.prototype member is not a collision', () => {
    const g = Generator.matrix([Generator.list({ elements: [{ constructor: 'a', toString: 'b' }] }), Generator.list({ elements: [{ env: 'x' }] })]);
    expect(value(g._generate({ fleet, opts: fast }))).toEqual([{ constructor: 'a', toString: 'b', env: 'x' }]);
    const h = Generator.matrix([Generator.list({ elements: [{ env: 'x' }] }), Generator.list({ elements: [{ constructor: 'a' }] })]);
    expect(value(h._generate({ fleet, opts: fast }))).toEqual([{ env: 'x', constructor: 'a' }]);
  });

  test('matrix: fasttemplate rejects a key with two different values', () => {
    const g = Generator.matrix([Generator.list({ elements: [{ name: 'x' }] }), Generator.clusters({ selector: ClusterSelector.matchLabels({ region: 'jp' }) })]);
    // the controller fails the same way: an invalid result, not a thrown error
    expect(g._generate({ fleet, opts: fast })).toEqual(failure('invalid', 'found duplicate key name with different value, a: x ,b: tokyo-1'));
  });

  test('merge: later sets override base sets with equal merge keys; unmatched later sets are dropped; duplicates fail', () => {
    const g = Generator.merge(['server'], [
      Generator.clusters({ selector: ClusterSelector.matchLabels({ region: 'kr' }), values: { size: 'small' } }),
      Generator.list({ elements: [{ server: 'https://seoul-2', size: 'large' }, { server: 'https://nowhere', size: 'x' }] }),
    ]);
    expect(value(g._generate({ fleet, opts: go })).map(p => [p.name, p.values.size, p.size])).toEqual([['seoul-1', 'small', undefined], ['seoul-2', 'small', 'large']]);
    // a list element's `values` map deep-merged into the clusters generator's map[string]string panics in Argo CD's
    // merge (found by the conformance harness, test/conformance/appset.test.ts): refused, not rendered
    const panics = Generator.merge(['server'], [
      Generator.clusters({ selector: ClusterSelector.matchLabels({ region: 'kr' }), values: { size: 'small' } }),
      Generator.list({ elements: [{ server: 'https://seoul-2', values: { size: 'large' } }] }),
    ]);
    expect(panics._generate({ fleet, opts: go })).toEqual(failure('invalid', "merge: generators[1] overrides the clusters generator's values with a map"));
    // two clusters generators merge their values (both map[string]string in Argo CD)
    const twoClusters = Generator.merge(['server'], [
      Generator.clusters({ selector: ClusterSelector.matchLabels({ region: 'kr' }), values: { size: 'small', tier: 'a' } }),
      Generator.clusters({ selector: ClusterSelector.matchLabels({ region: 'kr' }), values: { size: 'large' } }),
    ]);
    expect(value(twoClusters._generate({ fleet, opts: go })).map(p => [p.name, p.values.size, p.values.tier])).toEqual([['seoul-1', 'large', 'a'], ['seoul-2', 'large', 'a']]);
    const dup = Generator.merge(['env'], [Generator.list({ elements: [{ env: 'a' }, { env: 'a' }] }), Generator.list({ elements: [] })]);
    expect(dup._generate({ fleet, opts: go })).toEqual(failure('invalid', 'merge: generators[0] produces two param sets with the same merge keys ["a"]'));
  });

  test('git, elementsYaml and fromJson generators cannot be rendered statically', () => {
    const git = Generator.gitFiles({ repoUrl: 'https://x', files: ['config/*.json'], revision: 'main' });
    expect(git._toKube()).toEqual({ git: { repoURL: 'https://x', revision: 'main', files: [{ path: 'config/*.json' }] } });
    expect(git._generate({ fleet, opts: go })).toEqual(failure('unsupported', 'the git generator'));
    expect(Generator.list({ elements: [], elementsYaml: '{{ .key.components | toJson }}' })._generate({ fleet, opts: go })).toEqual(failure('unsupported', 'list.elementsYaml'));
    expect(Generator.fromJson({ pullRequest: { github: { owner: 'o', repo: 'r' } } })._generate({ fleet, opts: go })).toEqual(failure('unsupported', 'the pullRequest generator'));
  });
});

describe('Generator structural problems', () => {
  const l = Generator.list({ elements: [{ a: 'b' }] });
  test('matrix needs exactly two children', () => {
    expect(problems(Generator.matrix([l]))).toEqual(['generators[0].matrix.generators is 1 generator(s); expected exactly 2 child generators (the controller fails with "found less than two generators")']);
    expect(problems(Generator.matrix([l, l, l]))[0]).toContain('found more than two generators');
  });

  test('only one level of nesting', () => {
    expect(problems(Generator.matrix([l, Generator.matrix([l, Generator.matrix([l, l])])]))[0])
      .toBe('generators[0].matrix.generators[1].matrix.generators is a matrix/merge nested two levels deep; expected at most one level of nesting: '
        + 'a nested matrix or merge may contain only terminal generators (the CRD cannot express more)');
    expect(problems(Generator.matrix([l, Generator.matrix([l, l])]))).toEqual([]);
  });

  test('only the second matrix child may reference the other child\'s params', () => {
    expect(problems(Generator.matrix([Generator.list({ elements: [{ ns: '{{.name}}-ns' }] }), Generator.clusters()]))).toEqual([
      'generators[0].matrix.generators[0].list.elements is [{"ns":"{{.name}}-ns"}]; expected no template placeholders in the first child '
      + '(only the second child is rendered with the other child\'s params)',
    ]);
    expect(problems(Generator.matrix([Generator.clusters(), Generator.list({ elements: [{ ns: '{{.name}}-ns' }] })]))).toEqual([]);
  });

  test('merge needs two children and a merge key', () => {
    expect(problems(Generator.merge([], [l]))).toEqual([
      'generators[0].merge.generators is 1 generator(s); expected at least 2 child generators',
      'generators[0].merge.mergeKeys is []; expected at least one merge key',
    ]);
  });

  test('two git children need pathParamPrefix', () => {
    const git = (p?: string) => Generator.gitDirectories({ repoUrl: 'https://x', directories: [{ path: 'a/*' }, { path: 'a/skip', exclude: true }], pathParamPrefix: p });
    expect(problems(Generator.matrix([git(), git()]))[0]).toContain('two git generators without pathParamPrefix');
    expect(problems(Generator.matrix([git('left'), git()]))).toEqual([]);
    expect(git('left')._toKube()).toEqual({ git: { repoURL: 'https://x', revision: 'HEAD', directories: [{ path: 'a/*' }, { path: 'a/skip', exclude: true }], pathParamPrefix: 'left' } });
  });

  test('fasttemplate list values must be strings (values: a string map)', () => {
    expect(problems(Generator.list({ elements: [{ replicas: 3, values: { a: 'b' } }] }), false)).toEqual([
      'generators[0].list.elements[0].replicas is 3; expected a string (fasttemplate only substitutes strings; "values" must be a map of strings): '
      + 'the controller fails with "error parsing value as string"',
    ]);
    expect(problems(Generator.list({ elements: [{ replicas: 3 }] }), true)).toEqual([]);
  });

  test('fromJson with two generator keys', () => {
    expect(problems(Generator.fromJson({ list: { elements: [] }, clusters: {} }))).toEqual([
      'generators[0] is ["list","clusters"]; expected exactly one generator type per entry (found more than one generator)',
    ]);
    expect(problems(Generator.fromJson({ selector: { matchLabels: { a: 'b' } } }))).toEqual([
      'generators[0] is []; expected exactly one generator type per entry (found none; "selector" only filters a generator\'s params)',
    ]);
    // the selector sibling does not count as a second generator
    expect(problems(Generator.fromJson({ list: { elements: [] }, clusters: {}, selector: { matchLabels: { a: 'b' } } }))[0])
      .toContain('generators[0] is ["list","clusters"]; expected exactly one generator type per entry');
  });

  test('fromJson accepts the post-selector sibling of a generator', () => {
    const raw = { list: { elements: [{ env: 'prod' }, { env: 'dev' }] }, selector: { matchLabels: { env: 'prod' } } };
    const g = Generator.fromJson(raw);
    expect(g.type).toBe('list');
    expect(problems(g)).toEqual([]);
    expect(g._toKube()).toEqual(raw);
    // inside a matrix too (nested generators carry a selector as well)
    expect(problems(Generator.matrix([Generator.clusters(), g]))).toEqual([]);
  });
});

describe('Generator factories from plain JavaScript', () => {
  test('wrong types are ValidationErrors naming the factory', () => {
    expect(() => Generator.list({} as any)).toThrow('Generator.list: elements is missing; expected an array');
    expect(() => Generator.matrix(undefined as any)).toThrow('Generator.matrix: generators is missing; expected an array');
    expect(() => Generator.matrix([Generator.clusters(), { list: {} } as any])).toThrow('Generator.matrix: generators[1] is {"list":{}} (an object); expected a Generator');
    expect(() => Generator.merge('server' as any, [])).toThrow('Generator.merge: mergeKeys is "server" (a string); expected an array');
    expect(() => Generator.clusters({ selector: { region: 'kr' } as any })).toThrow('Generator.clusters: selector is {"region":"kr"} (an object); expected a ClusterSelector');
    expect(() => Generator.gitFiles({ repoUrl: 'https://x', files: 'a.json' as any })).toThrow('Generator.gitFiles: files is "a.json" (a string); expected an array');
    expect(() => Generator.fromJson(null as any)).toThrow('Generator.fromJson: generator is null; expected an object');
  });
});
