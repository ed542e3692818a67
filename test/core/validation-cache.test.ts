import { App, Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CanaryRollout, CanaryStep, ClusterSelector, Fleet, MaxUpdate, MetricCondition, MultiClusterAppSet, PrometheusAnalysis, PrometheusMetric,
  PrometheusServer, RollingSyncStep, RolloutWorkload,
} from '../../src';
import { Problem, addProblemValidation } from '../../src/core/problem';

/**
 * cdk8s 2.70 validates the whole app once in `synthYaml()` and again in every `chart.toJson()`: a synth runs
 * (charts + 1) validation passes. The library's rules run once per synth and are re-run after a change.
 */
describe('synth-time validation is computed once per synth', () => {
  const problem: Problem = { prop: 'x', given: '1', expected: '2', fix: 'set 2' };

  const appWithCharts = (n: number) => {
    const app = new App({ outdir: 'unused' });
    const charts = Array.from({ length: n }, (_, i) => new Chart(app, `c${i}`));
    return { app, charts };
  };

  test('a rule runs once in a synth of many charts, though cdk8s validates charts + 1 times', () => {
    const { app, charts } = appWithCharts(5);
    let runs = 0;
    addProblemValidation(new Construct(charts[0], 'rule'), () => { runs++; return []; });
    let passes = 0;
    charts[0].node.addValidation({ validate: () => { passes++; return []; } });
    app.synthYaml();
    expect(passes).toBe(6);
    expect(runs).toBe(1);
  });

  test('a rule that finds problems reports them in every pass, computed once', () => {
    const { app, charts } = appWithCharts(3);
    let runs = 0;
    addProblemValidation(new Construct(charts[1], 'rule'), () => { runs++; return [problem]; });
    expect(() => app.synthYaml()).toThrow('[c1/rule] x is 1; expected 2. Fix: set 2');
    for (const c of charts) expect(() => c.toJson()).toThrow('[c1/rule] x is 1; expected 2. Fix: set 2');
    expect(runs).toBe(1);
  });

  test('a rule registered with cache: false runs in every pass', () => {
    const { app, charts } = appWithCharts(3);
    let runs = 0;
    addProblemValidation(new Construct(charts[0], 'rule'), () => { runs++; return []; }, { cache: false });
    app.synthYaml();
    expect(runs).toBe(4);
  });

  test('a later synth (a later job) runs the rule again and sees a change made without a mutator', async () => {
    const { app, charts } = appWithCharts(2);
    let broken = false;
    let runs = 0;
    addProblemValidation(new Construct(charts[0], 'rule'), () => { runs++; return broken ? [problem] : []; });
    app.synthYaml();
    expect(runs).toBe(1);
    await Promise.resolve();
    broken = true;
    expect(() => app.synthYaml()).toThrow('x is 1; expected 2');
    expect(runs).toBe(2);
  });

  test('a new validated construct between two synths of one job invalidates the cached results', () => {
    const { app, charts } = appWithCharts(2);
    let runs = 0;
    addProblemValidation(new Construct(charts[0], 'rule'), () => { runs++; return []; });
    app.synthYaml();
    addProblemValidation(new Construct(charts[1], 'other'), () => [problem]);
    expect(() => app.synthYaml()).toThrow('[c1/other] x is 1');
    expect(runs).toBe(2);
  });

  describe('add…() mutators between two synths of one job', () => {
    test('CanaryRollout.addStep: a setWeight without a router added after a clean synth is reported', () => {
      const chart = Testing.chart();
      const rollout = new CanaryRollout(chart, 'web', {
        metadata: { name: 'web' },
        workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      });
      expect(() => Testing.synth(chart)).not.toThrow();
      rollout.addStep(CanaryStep.setWeight(20));
      expect(() => Testing.synth(chart)).toThrow('steps[0].setWeight is 20 with no traffic router');
    });

    test('MultiClusterAppSet.addStep and Fleet.addCluster: the rendering and its rules follow', () => {
      const fleet = new Fleet({ clusters: [{ name: 'a', server: 'https://a.example.com', labels: { env: 'canary' } }] });
      const chart = Testing.chart();
      const appSet = new MultiClusterAppSet(chart, 'app-set', {
        metadata: { name: 'svc' },
        clusters: ClusterSelector.matchLabels({ env: 'canary' }),
        environments: ['canary'],
        steps: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1))],
        source: { repoUrl: 'https://github.com/example/gitops', path: 'k8s/{{.env}}' },
        destinationNamespace: 'svc',
        fleet,
      });
      expect(() => Testing.synth(chart)).not.toThrow();
      expect(appSet.plan().waves.flatMap(w => w.applications)).toEqual(['a-canary']);
      fleet.addCluster({ name: 'b', server: 'https://b.example.com', labels: { env: 'canary' } });
      expect(() => Testing.synth(chart)).not.toThrow();
      expect(appSet.plan().waves.flatMap(w => w.applications).sort()).toEqual(['a-canary', 'b-canary']);
      // a second step that selects the same Applications again: the step rules see it in the next synth
      appSet.addStep(RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)));
      expect(() => Testing.synth(chart)).toThrow(/steps\[1\] is a step that also selects "a-canary"/);
    });

    test('plan() reads the cached rendering; what generatedApplications() hands out is a copy', () => {
      const fleet = new Fleet({ clusters: [{ name: 'a', server: 'https://a.example.com', labels: { env: 'canary' } }] });
      const appSet = new MultiClusterAppSet(Testing.chart(), 'app-set', {
        metadata: { name: 'svc' },
        clusters: ClusterSelector.matchLabels({ env: 'canary' }),
        environments: ['canary'],
        steps: [RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1))],
        source: { repoUrl: 'https://github.com/example/gitops', path: 'k8s/{{.env}}' },
        destinationNamespace: 'svc',
        fleet,
      });
      const apps = appSet.generatedApplications();
      apps[0].labels!.env = 'production';
      (apps[0] as any).name = 'renamed';
      expect(appSet.plan().waves[0].applications).toEqual(['a-canary']);
      expect(appSet.plan().unmatched).toEqual([]);
      expect(appSet.generatedApplications()[0]).toMatchObject({ name: 'a-canary', labels: { env: 'canary' } });
    });

    test('PrometheusAnalysis.addMetric: a second metric with the same name is reported', () => {
      const chart = Testing.chart();
      const analysis = new PrometheusAnalysis(chart, 'analysis', {
        prometheus: PrometheusServer.fromAddress('https://prometheus.example.com'),
      });
      const metric = () => PrometheusMetric.fromQuery({
        metricName: 'error-rate',
        query: 'sum(rate(errors_total[5m]))',
        condition: MetricCondition.lessThan(1),
        interval: Duration.minutes(1),
        count: 3,
      });
      analysis.addMetric(metric());
      expect(() => Testing.synth(chart)).not.toThrow();
      analysis.addMetric(metric());
      expect(() => Testing.synth(chart)).toThrow(/error-rate/);
    });
  });
});
