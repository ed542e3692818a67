import { Testing } from 'cdk8s';
import { build } from './build';
import { CanaryStep, GATEWAY_API_PLUGIN, TrafficRouting } from '../../src';

describe('TrafficRouting factories', () => {
  test.each([
    ['istio', TrafficRouting.istio({ virtualService: 'vs' }), true],
    ['nginx', TrafficRouting.nginx({ stableIngress: 'web' }), true],
    ['gatewayApi', TrafficRouting.gatewayApi({ httpRoute: 'web' }), true],
    ['smi', TrafficRouting.smi(), true],
    ['alb', TrafficRouting.alb({ ingress: 'web', servicePort: 80 }), true],
    ['replicaCount', TrafficRouting.replicaCountApproximation(), false],
  ])('%s: provider name and whether it routes traffic', (provider, routing, routes) => {
    expect(routing).toBeInstanceOf(TrafficRouting);
    expect(routing.provider).toBe(provider);
    expect(routing.routesTraffic).toBe(routes);
  });

  test('the Gateway API plugin name is the one the plugin registers', () => {
    expect(GATEWAY_API_PLUGIN).toBe('argoproj-labs/gatewayAPI');
  });

  test('every router but Istio subset routing and the replica-count approximation gets the canary/stable Services by default', () => {
    const services = (routing: TrafficRouting) => Testing.synth(build({ trafficRouting: routing, steps: [CanaryStep.setWeight(10)] }).chart)
      .filter(o => o.kind === 'Service').map(o => o.metadata.name);
    for (const routing of [
      TrafficRouting.istio({ virtualService: 'vs' }), TrafficRouting.nginx({ stableIngress: 'web' }), TrafficRouting.gatewayApi({ httpRoute: 'web' }),
      TrafficRouting.smi(), TrafficRouting.alb({ ingress: 'web', servicePort: 80 }),
    ]) {
      expect(services(routing)).toEqual(['web-stable', 'web-canary']);
    }
    expect(services(TrafficRouting.istio({ virtualService: 'vs', destinationRule: { name: 'dr' } }))).toEqual([]);
    expect(services(TrafficRouting.replicaCountApproximation())).toEqual([]);
  });

  test('a bad option is thrown by the rollout that takes the router, with the router prop path', () => {
    expect(() => build({ trafficRouting: TrafficRouting.smi({ trafficSplitName: ' ' }) }))
      .toThrow('test/web: trafficRouting.smi.trafficSplitName is " "; expected a TrafficSplit name. Fix: give the name');
  });
});

describe('module load order', () => {
  test.each(['routers/istio', 'routers/alb', 'routers/gateway-api', 'traffic-routing'])('loading %s first still gives working factories', (first) => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(`../../src/rollout/${first}`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { TrafficRouting: Fresh } = require('../../src/rollout/traffic-routing');
      expect(Fresh.istio({ virtualService: 'vs' }).provider).toBe('istio');
      expect(Fresh.smi().provider).toBe('smi');
    });
  });
});
