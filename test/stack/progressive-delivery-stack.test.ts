import { emptyStack, istioRollout, synthError } from './build';

describe('ProgressiveDeliveryStack: its own props and stack-wide rules', () => {
  test('an environment no cluster is labelled with is an error (a typo would leave its wave empty)', () => {
    const stack = emptyStack({ environments: ['canary', 'prod'] });
    istioRollout(stack, []);
    expect(synthError(stack)).toContain('[shop-management] environments[1] is "prod", which no selected cluster of the fleet has as its "env" label; '
      + 'expected an environment of at least one cluster (the fleet\'s "env" labels: ["canary","production"])');
  });

  test('bad props throw a ValidationError', () => {
    expect(() => emptyStack({ serviceName: 'My_Service' })).toThrow('ProgressiveDeliveryStack: serviceName is "My_Service"; expected a DNS-1123 label');
    expect(() => emptyStack({ waves: [] })).toThrow('ProgressiveDeliveryStack: waves is []; expected at least one RollingSync step');
    expect(() => emptyStack({ repoUrl: 'github.com/x' as any })).toThrow('repoUrl is "github.com/x"; expected the Git URL Argo CD clones');
    expect(() => emptyStack({ waves: [{ key: 'env' }] as any })).toThrow('ProgressiveDeliveryStack: waves[0] is {"key":"env"} (an object); expected a RollingSyncStep');
    expect(() => emptyStack({ bootstrap: 'helm' as any })).toThrow('ProgressiveDeliveryStack: bootstrap is "helm" (a string); expected a RolloutsBootstrap');
    expect(() => emptyStack({ fleet: {} as any })).toThrow('ProgressiveDeliveryStack: fleet is {} (an object); expected a Fleet');
  });
});
