import { Chart, Testing } from 'cdk8s';
import { Fleet, IAnalysisTemplate } from '../../src';
import { testWithTool } from '../harness/prometheus-servers';

export const withPromtool = testWithTool('promtool');

/** A test-local analysis template: what SuccessRateAnalysis reports about its query. */
export function analysis(templateName: string, series: Array<[string, string[]]>): IAnalysisTemplate {
  return {
    templateName,
    clusterScope: true,
    declaredArgs: [{ name: 'service-name' }],
    requiredArgs: ['service-name'],
    metricNames: [templateName],
    queriedSeries: series.map(([metricName, labelNames]) => ({ metricName, labelNames })),
  };
}

export const seedFleet = () => new Fleet({
  clusters: ['a', 'b', 'c'].map(x => ({
    name: `cluster-${x}`,
    server: `https://cluster-${x}.example.com`,
    labels: { env: x === 'a' ? 'canary' : 'production' },
    metricsEndpoint: `prometheus.cluster-${x}.internal:9090`,
  })),
});

export const SEED_MATCH = ['{job="my-service"}', '{__name__=~"http_requests_total|http_request_duration_seconds.*"}'];

export function synthConfigMap(chart: Chart): { name: string; data: Record<string, string> } {
  const objs = Testing.synth(chart);
  const cms = objs.filter(o => o.kind === 'ConfigMap');
  expect(cms).toHaveLength(1);
  return { name: cms[0].metadata.name, data: cms[0].data };
}


/** For tests about other rules: analyses without a cluster filter are accepted (see allowFleetWideAnalyses). */
export const fleetWide = { allowFleetWideAnalyses: true };
