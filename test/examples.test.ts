import * as YAML from 'yaml';
import { buildApp, CLUSTER_ANNOTATION, describePlan } from '../examples/fleet/app';

describe('the example fleet app', () => {
  const built = buildApp('/tmp/unused');
  // synthYaml is wrapped by the harness: every object is checked against the strict CRD / core schemas
  const docs = YAML.parseAllDocuments(built.app.synthYaml()).map(d => d.toJSON());
  const byKind = (kind: string) => docs.filter(d => d.kind === kind);

  test('synthesizes the management and workload objects, all schema-valid', () => {
    expect(docs.map(d => d.kind).sort()).toEqual(['ApplicationSet', 'ClusterAnalysisTemplate', 'ConfigMap', 'Deployment', 'Rollout',
      'Service', 'Service', 'VirtualService']);
  });

  test('the glue holds: per-cluster analysis arg ← cluster annotation ← ApplicationSet; federation carries the analysed series', () => {
    const [appSet] = byKind('ApplicationSet');
    expect(appSet.spec.strategy.rollingSync.steps).toEqual([
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['canary'] }], maxUpdate: 1 },
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['production'] }], maxUpdate: 2 },
    ]);
    expect(appSet.spec.template.spec.source.kustomize).toEqual({ commonAnnotations: { [CLUSTER_ANNOTATION]: '{{.nameNormalized}}' } });
    const [rollout] = byKind('Rollout');
    expect(rollout.spec.strategy.canary.steps[1].analysis).toEqual({
      templates: [{ templateName: 'success-rate', clusterScope: true }],
      args: [{ name: 'service-name', value: 'my-service' },
        { name: 'cluster', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${CLUSTER_ANNOTATION}']` } } }],
    });
    const [template] = byKind('ClusterAnalysisTemplate');
    expect(template.spec.args).toEqual([{ name: 'service-name' }, { name: 'cluster' }]);
    const prom = YAML.parse(byKind('ConfigMap')[0].data['prometheus.yml']);
    expect(prom.scrape_configs[0].params['match[]']).toEqual(expect.arrayContaining(['{job="my-service"}', '{__name__="http_requests_total"}']));
    expect(prom.scrape_configs[0].static_configs).toHaveLength(6);
  });

  test('prints the wave plan and the release estimate', () => {
    const text = describePlan(built);
    expect(text).toContain('| 1 | env In [canary] | 1 | 1 | 1: seoul-1-canary |');
    expect(text).toContain('| 2 | env In [production] | 2 | 5 | 1: frankfurt-1-production, seoul-2-production<br>2: seoul-3-production, tokyo-1-production<br>3: tokyo-2-production |');
    // 20 min of pauses + 4 min of analysis (5 measurements, 1 min apart) + 2 min start-up = 26 min per cluster; 1 + 3 rounds
    expect(text).toContain('wave 1: 1 application(s) in 1 round(s), 26m\nwave 2: 5 application(s) in 3 round(s), 1h18m\ntotal: 1h44m');
  });
});
