import { Chart, Testing } from 'cdk8s';
import { managementStack, sampleFleet, secretResources, synthStack } from './harness';
import { ClusterSelector, Fleet, LabelExpression, MaxUpdate, MultiClusterAppSet, RollingSyncStep } from '../../src';
import { ArgoCdClusterSecrets, ClusterConfig } from '../../terraform';

/**
 * A Kubernetes label selector (metav1.LabelSelector) evaluated as Argo CD's clusters generator does, over the labels
 * of a cluster Secret — written here from the Kubernetes semantics, independent of the library's ClusterSelector.
 */
function selects(selector: any, labels: Record<string, string>): boolean {
  const all = { ...labels };
  if (all['argocd.argoproj.io/secret-type'] !== 'cluster') return false; // the generator ANDs the type label
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (all[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = e.key in all;
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(all[e.key])) return false; break;
      case 'NotIn': if (has && e.values.includes(all[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: throw new Error(`operator ${e.operator}`);
    }
  }
  return true;
}

/** For each environment (or '' without environments): the clusters generator selector, templated as the matrix renders it. */
function selectorsPerEnvironment(appSetJson: any): Array<{ env: string; selector: any }> {
  const [g] = appSetJson.spec.generators;
  if (g.clusters) return [{ env: '', selector: g.clusters.selector }];
  const [first, second] = g.matrix.generators;
  if (first.clusters && second.list) return second.list.elements.map((e: any) => ({ env: e.env, selector: first.clusters.selector }));
  if (first.list && second.clusters) {
    return first.list.elements.map((e: any) => ({
      env: e.env,
      selector: JSON.parse(JSON.stringify(second.clusters.selector).replace(/\{\{\s*\.env\s*\}\}/g, e.env)),
    }));
  }
  throw new Error(`generator shape not covered by this test: ${JSON.stringify(g)}`);
}

/**
 * Every Application the plan has must deploy to a cluster that has a synthesized cluster Secret whose labels the
 * ApplicationSet's synthesized selector selects; and the selector must select no registered cluster the plan lacks.
 * Returns the mismatches (empty when consistent).
 */
function inconsistencies(appSet: MultiClusterAppSet, appSetJson: any, tfJson: any): string[] {
  const secrets = secretResources(tfJson);
  const planned = new Map(appSet.generatedApplications().map(a => [a.name, a]));
  const inPlan = new Set(appSet.plan().waves.flatMap(w => w.applications).concat(appSet.plan().unmatched));
  const problems: string[] = [];
  for (const name of inPlan) {
    const app = planned.get(name)!;
    const secret = secrets.find(s => s.data.name === app.clusterName);
    if (!secret) { problems.push(`${name}: cluster ${app.clusterName} has no cluster Secret`); continue; }
    const env = app.labels?.env ?? '';
    const sel = selectorsPerEnvironment(appSetJson).find(s => s.env === env)!;
    if (!selects(sel.selector, secret.metadata.labels)) {
      problems.push(`${name}: Secret labels ${JSON.stringify(secret.metadata.labels)} not selected by ${JSON.stringify(sel.selector)}`);
    }
  }
  // and nothing Argo CD would generate that the plan does not have
  for (const { env, selector } of selectorsPerEnvironment(appSetJson)) {
    for (const s of secrets.filter(x => selects(selector, x.metadata.labels))) {
      const has = [...planned.values()].some(a => a.clusterName === s.data.name && (a.labels?.env ?? '') === env);
      if (!has) problems.push(`Argo CD would deploy ${env || 'the app'} to ${s.data.name}, which the plan does not have`);
    }
  }
  return problems;
}

function appSetOver(chart: Chart, fleet: Fleet): MultiClusterAppSet {
  return new MultiClusterAppSet(chart, 'checkout', {
    metadata: { name: 'checkout' },
    fleet,
    clusters: ClusterSelector.matchExpressions([LabelExpression.valueIn('region', ['apac', 'emea'])]),
    environments: ['canary', 'production'],
    environmentClusterLabel: 'env',
    steps: [
      RollingSyncStep.whereIn('env', ['canary'], MaxUpdate.count(1)),
      RollingSyncStep.whereIn('env', ['production'], MaxUpdate.percent(50)),
    ],
    source: { repoUrl: 'https://github.com/my-org/checkout', path: 'k8s/{{.env}}' },
    destinationNamespace: 'checkout',
  });
}

describe('the cluster Secrets and a MultiClusterAppSet over the same Fleet agree', () => {
  test('every cluster the ApplicationSet plans for is registered with the labels its selector needs, and no other', () => {
    const fleet = sampleFleet();
    const chart = Testing.chart();
    const appSet = appSetOver(chart, fleet);
    const [appSetJson] = Testing.synth(chart);
    const { app, stack, outdir } = managementStack();
    new ArgoCdClusterSecrets(stack, 'clusters', { fleet, config: ClusterConfig.fromSensitiveVariables(), appSets: [appSet] });
    const { json } = synthStack(app, outdir);

    expect(appSet.plan().waves.map(w => w.applications)).toEqual([
      ['gke-my-project-asia-northeast3-seoul-1-canary'],
      ['arn-aws-eks-eu-west-1-123456789012-cluster-dublin-1-production', 'frankfurt-1-production', 'tokyo-1-production'],
    ]);
    expect(inconsistencies(appSet, appSetJson, json)).toEqual([]);
  });

  test('the check fails when the Secrets come from a fleet whose labels drifted (the construct rejects it at synth)', () => {
    const planned = sampleFleet();
    const drifted = new Fleet({
      clusters: planned.clusters.map(c => c.name === 'tokyo-1' ? { ...c, labels: { ...c.labels, env: 'canary' } } : c),
    });
    const chart = Testing.chart();
    const appSet = appSetOver(chart, planned);
    const [appSetJson] = Testing.synth(chart);

    const unchecked = managementStack();
    new ArgoCdClusterSecrets(unchecked.stack, 'clusters', { fleet: drifted, config: ClusterConfig.fromSensitiveVariables() });
    const { json } = synthStack(unchecked.app, unchecked.outdir);
    expect(inconsistencies(appSet, appSetJson, json)).toEqual([
      'tokyo-1-production: Secret labels {"argocd.argoproj.io/secret-type":"cluster","env":"canary","region":"apac","tier":"gold"} '
      + 'not selected by {"matchExpressions":[{"key":"region","operator":"In","values":["apac","emea"]}],"matchLabels":{"env":"production"}}',
      'Argo CD would deploy canary to tokyo-1, which the plan does not have',
    ]);

    const checked = managementStack();
    new ArgoCdClusterSecrets(checked.stack, 'clusters', { fleet: drifted, config: ClusterConfig.fromSensitiveVariables(), appSets: [appSet] });
    expect(() => checked.app.synth()).toThrow(
      /clusters: appSets is cluster "tokyo-1" registered with labels \{"env":"canary","region":"apac","tier":"gold"\}; expected the labels .*checkout was planned with: \{"env":"production","region":"apac","tier":"gold"\}/);

    const missing = managementStack();
    const fewer = new Fleet({ clusters: planned.clusters.filter(c => c.name !== 'frankfurt-1') });
    new ArgoCdClusterSecrets(missing.stack, 'clusters', { fleet: fewer, config: ClusterConfig.fromSensitiveVariables(), appSets: [appSet] });
    expect(() => missing.app.synth()).toThrow(/deploys to "frankfurt-1", which is not registered here/);
  });
});
