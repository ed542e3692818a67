import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { blueGreenRollout, centralSuccessRate, emptyStack } from './build';
import { BlueGreenPromotion, CanaryRollout, CanaryStep, FederatedPrometheus, FederationOutput, RolloutWorkload, TrafficRouting } from '../../src';

/** Issue 11 item 3: the federation carries the narrowest series the analyses need, with the values Rollouts pass. */
describe('the stack narrows the central Prometheus to the arg values its Rollouts pass', () => {
  const federatedMatch = (match: string[], args: Record<string, string> | undefined) => {
    const stack = emptyStack();
    const rate = centralSuccessRate(stack.platform, undefined, { failureLimit: undefined, ...(args === undefined ? { serviceName: 'checkout' } : {}) });
    const federation = new FederatedPrometheus(stack.management, 'federation', {
      fleet: stack.fleet, match, analyses: [rate], output: FederationOutput.configMap(),
    });
    const web = new kplus.Deployment(stack.service, 'web', { replicas: 0, containers: [{ image: 'ghcr.io/my-org/shop:1.0.0', portNumber: 8080 }] });
    new CanaryRollout(stack.service, 'rollout', {
      metadata: { name: 'shop' },
      workload: RolloutWorkload.fromDeployment(web),
      trafficRouting: TrafficRouting.istio({ virtualService: 'shop', routes: ['primary'], createVirtualService: { hosts: ['shop.example.com'] } }),
      steps: [CanaryStep.setWeight(10), CanaryStep.analysis({
        templates: [rate], ...(args ? { args } : {}), argsFrom: { cluster: stack.clusterArg },
      }), CanaryStep.setWeight(100)],
    });
    const tree = stack.synthesizeTree();
    const config = Object.entries(tree).find(([p, c]) => p.startsWith('management/') && c.includes('prometheus.yml'))!;
    const cm = YAML.parseAllDocuments(config[1]).map(d => d.toJSON()).find(d => d?.kind === 'ConfigMap');
    return { match: YAML.parse(cm.data['prometheus.yml']).scrape_configs[0].params['match[]'], federation };
  };

  test('a literal service-name narrows the added selector to that service (not the metric of every service)', () => {
    const { match } = federatedMatch(['{job="other"}'], { 'service-name': 'checkout' });
    expect(match).toEqual(['{job="other"}', '{__name__="http_requests_total",job="checkout"}']);
  });

  test('a template default the Rollout does not override narrows it too', () => {
    const { match } = federatedMatch(['{job="other"}'], undefined);
    expect(match).toEqual(['{job="other"}', '{__name__="http_requests_total",job="checkout"}']);
  });

  test('a user selector that already covers the narrowed need is accepted as is', () => {
    const { match } = federatedMatch(['{job="checkout"}'], { 'service-name': 'checkout' });
    expect(match).toEqual(['{job="checkout"}']);
  });

  test('addArgValues refuses a template the federation does not carry', () => {
    const { federation } = federatedMatch(['{job="checkout"}'], { 'service-name': 'checkout' });
    const stranger = { templateName: 'x', clusterScope: true, declaredArgs: [], requiredArgs: [], metricNames: [], queriedSeries: [] };
    expect(() => federation.addArgValues(stranger, { a: 'b' })).toThrow('addArgValues(template) is template "x"; expected one of the federation\'s analyses');
  });

  /** The federated `match[]` of a stack whose only Rollout is blue-green, analysed before and/or after the switch. */
  const blueGreenMatch = (pre: boolean, post: boolean, serviceName: string) => {
    const stack = emptyStack();
    const rate = centralSuccessRate(stack.platform, undefined, { failureLimit: undefined });
    new FederatedPrometheus(stack.management, 'federation', { fleet: stack.fleet, match: ['{job="other"}'], analyses: [rate], output: FederationOutput.configMap() });
    const analysis = { templates: [rate], args: { 'service-name': serviceName }, argsFrom: { cluster: stack.clusterArg } };
    blueGreenRollout(stack, {
      promotion: BlueGreenPromotion.after(Duration.minutes(5)),
      ...(pre ? { prePromotionAnalysis: analysis } : {}),
      ...(post ? { postPromotionAnalysis: analysis } : {}),
    });
    const tree = stack.synthesizeTree();
    const config = Object.entries(tree).find(([p, c]) => p.startsWith('management/') && c.includes('prometheus.yml'))!;
    const cm = YAML.parseAllDocuments(config[1]).map(d => d.toJSON()).find(d => d?.kind === 'ConfigMap');
    return YAML.parse(cm.data['prometheus.yml']).scrape_configs[0].params['match[]'];
  };

  test('a blue-green Rollout\'s pre-promotion analysis narrows the federation like a canary step', () => {
    expect(blueGreenMatch(true, false, 'checkout')).toEqual(['{job="other"}', '{__name__="http_requests_total",job="checkout"}']);
  });

  test('a blue-green Rollout\'s post-promotion analysis narrows it too', () => {
    expect(blueGreenMatch(false, true, 'payments')).toEqual(['{job="other"}', '{__name__="http_requests_total",job="payments"}']);
  });
});
