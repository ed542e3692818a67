/**
 * Web and job analyses are placed by the stack like Prometheus ones (src/stack/placement-rules.ts finds every
 * AnalysisTemplateBase): in the service place, synced before the Rollout that uses them; refused on the management
 * cluster. The rule about Prometheus addresses applies to Prometheus analyses only.
 */
import { Duration } from 'cdk8s';
import { JobAnalysis, TemplateArgument, WebAnalysis } from '../../src';
import { emptyStack, istioRollout, synthError, treeObjects } from '../stack/build';

function smoke(scope: any, clusterScope = false): WebAnalysis {
  return new WebAnalysis(scope, 'smoke', {
    metadata: { name: 'smoke' },
    clusterScope,
    url: 'http://{{args.service-name}}-canary.shop.svc:8080/healthz',
    args: [TemplateArgument.required('service-name')],
    successCondition: 'result.status == \'ok\'',
    count: 3,
    interval: Duration.seconds(10),
  });
}

describe('the stack places web and job analyses', () => {
  test('in the service place, synced before the Rollout (sync-wave -1)', () => {
    const stack = emptyStack();
    const web = smoke(stack.service);
    const job = new JobAnalysis(stack.service, 'load', {
      metadata: { name: 'load' },
      metricName: 'load',
      containers: [{ name: 'k6', image: 'grafana/k6:0.54.0', args: ['run', '/scripts/{{args.service-name}}.js'] }],
      args: [TemplateArgument.required('service-name')],
      activeDeadline: Duration.minutes(5),
    });
    istioRollout(stack, [web, job], [], false);
    const objs = treeObjects(stack.synthesizeTree());
    const templates = objs.filter(o => o.obj.kind === 'AnalysisTemplate');
    expect(templates.map(t => t.path).sort()).toEqual(['k8s/base/analysistemplate-load.yaml', 'k8s/base/analysistemplate-smoke.yaml']);
    for (const t of templates) expect(t.obj.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    // the Job is the template's spec, never an object of the tree
    expect(objs.some(o => o.obj.kind === 'Job')).toBe(false);
  });

  test('a web ClusterAnalysisTemplate on the management cluster is refused, without the Prometheus address advice', () => {
    const stack = emptyStack();
    const web = smoke(stack.management, true);
    istioRollout(stack, [web], [], false);
    const err = synthError(stack)!;
    expect(err).toContain('[shop-management] ClusterAnalysisTemplate "smoke" (shop-management/smoke) is placed on the management cluster; expected it in '
      + 'the workload clusters where Rollout "shop" run');
    expect(err).toContain('Fix: create it in stack.platform (installed in every target cluster before the service)');
    expect(err).not.toContain('PrometheusServer.fromAddress');
    expect(err).not.toContain('that nothing deploys where the Rollout runs');
  });
});
