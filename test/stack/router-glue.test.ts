import { execFileSync } from 'child_process';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-28';
import { emptyStack, istioRollout, treeObjects } from './build';
import { CanaryRollout, CanaryStep, RolloutsBootstrap, RolloutWorkload, TrafficRouting } from '../../src';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Argo CD's diff normalization of `ignoreDifferences.jqPathExpressions`: each expression is run as `del(<expression>)`
 * with gojq on the live and on the desired object (argo-cd util/argo/normalizers/diff_normalizer.go). The real gojq
 * (pinned, from the Go module proxy) is the oracle here.
 */
function normalize(obj: any, expressions: string[]): any {
  const gojq = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-gojq.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const program = expressions.map(e => `del(${e})`).join(' | ');
  return JSON.parse(execFileSync(gojq, ['-c', program], { input: JSON.stringify(obj), encoding: 'utf8' }));
}

/** What the router writes on the live route while a canary runs at 20%. */
function midCanary(route: any, label?: string): any {
  const live = JSON.parse(JSON.stringify(route));
  if (live.kind === 'VirtualService') {
    live.spec.http[0].route[0].weight = 80;
    live.spec.http[0].route[1].weight = 20;
  } else {
    live.spec.rules[0].backendRefs[0].weight = 80;
    live.spec.rules[0].backendRefs[1].weight = 20;
  }
  if (label) live.metadata.labels = { ...(live.metadata.labels ?? {}), [label]: 'in-progress' };
  return live;
}

function gatewayStack() {
  const stack = emptyStack({ bootstrap: RolloutsBootstrap.helmChart({ gatewayApiPlugin: true }) });
  const web = new kplus.Deployment(stack.service, 'web', { replicas: 0, containers: [{ image: 'shop:1', portNumber: 8080 }] });
  new CanaryRollout(stack.service, 'rollout', {
    metadata: { name: 'shop' },
    workload: RolloutWorkload.fromDeployment(web),
    replicas: 2,
    trafficRouting: TrafficRouting.gatewayApi({ httpRoute: 'shop', createHttpRoute: { parentRefs: [{ name: 'public', namespace: 'gateways' }] } }),
    steps: [CanaryStep.setWeight(20), CanaryStep.pause(), CanaryStep.setWeight(100)],
  });
  return stack;
}

function routeAndIgnores(files: { [p: string]: string }, kind: string) {
  const objs = treeObjects(files).map(o => o.obj);
  const route = objs.find(o => o.kind === kind);
  const ignores = objs.find(o => o.kind === 'ApplicationSet' && o.metadata.name === 'shop').spec.template.spec.ignoreDifferences;
  return { route, ignores };
}

describe('ignoreDifferences keep a mid-canary route Synced (Argo CD\'s jq normalization, run by gojq)', () => {
  test('Istio: the VirtualService weights the controller rewrites are no diff; anything else still is', () => {
    const stack = emptyStack();
    istioRollout(stack, []);
    const { route, ignores } = routeAndIgnores(stack.synthesizeTree(), 'VirtualService');
    const exprs = ignores[0].jqPathExpressions;
    const live = midCanary(route);
    expect(live).not.toEqual(route); // without the ignore, Argo CD sees OutOfSync and a sync would reset the weights
    expect(normalize(live, exprs)).toEqual(normalize(route, exprs));
    const edited = JSON.parse(JSON.stringify(live));
    edited.spec.hosts = ['other.example.com'];
    expect(normalize(edited, exprs)).not.toEqual(normalize(route, exprs)); // a real change in Git still shows
  });

  test('Gateway API: weights and the plugin\'s in-progress label are no diff, unlike the conditional form (plugin#208)', () => {
    const { route, ignores } = routeAndIgnores(gatewayStack().synthesizeTree(), 'HTTPRoute');
    const exprs = ignores[0].jqPathExpressions;
    const live = midCanary(route, 'rollouts.argoproj.io/gatewayapi-canary');
    expect(normalize(live, exprs)).toEqual(normalize(route, exprs));
    // the plugin docs' conditional expression: it strips the rules on the live object only (label present there, absent
    // in Git), so the normalized objects differ: a permanent OutOfSync that holds the RollingSync step
    const conditional = ['select(.metadata.labels["rollouts.argoproj.io/gatewayapi-canary"] == "in-progress") | .spec.rules'];
    expect(normalize(live, conditional)).not.toEqual(normalize(route, conditional));
  });
});
