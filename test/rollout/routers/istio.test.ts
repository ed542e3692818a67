import { Testing } from 'cdk8s';
import { CanaryRollout, CanaryStep, RolloutWorkload, TrafficRouting } from '../../../src';
import { build } from '../build';

function rolloutOf(objs: any[]): any {
  return objs.find(o => o.kind === 'Rollout');
}

describe('Istio router', () => {
  test('Istio with several VirtualServices, TLS and TCP routes', () => {
    const chart = Testing.chart();
    new CanaryRollout(chart, 'i', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.istio({
        virtualServices: [
          { name: 'internal', routes: ['http'], tcpRoutePorts: [5432] },
          { name: 'public.edge', tlsRoutes: [{ port: 443, sniHosts: ['web.example.com'] }] },
        ],
      }),
      steps: [CanaryStep.setWeight(10)],
    });
    expect(rolloutOf(Testing.synth(chart)).spec.strategy.canary.trafficRouting).toEqual({
      istio: {
        virtualServices: [
          { name: 'internal', routes: ['http'], tcpRoutes: [{ port: 5432 }] },
          { name: 'public.edge', tlsRoutes: [{ port: 443, sniHosts: ['web.example.com'] }] },
        ],
      },
    });
    expect(() => new CanaryRollout(Testing.chart(), 'x', {
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs', tcpRoutePorts: [0] }),
    })).toThrow('trafficRouting.istio is route port 0; expected ports 1..65535');
  });

});

describe('created VirtualService: HTTP only, exactly one route', () => {
  test.each([
    [{ tcpRoutePorts: [8080] }, 'trafficRouting.istio.createVirtualService is set with tcpRoutePorts [8080]; expected HTTP routes only: the created '
      + 'VirtualService has only an HTTP route, so the controller would not find the TCP/TLS routes the Rollout names. Fix: create the VirtualService '
      + 'with its TCP/TLS routes yourself and reference it (omit createVirtualService), or drop tcpRoutePorts/tlsRoutes'],
    [{ tlsRoutes: [{ port: 443, sniHosts: ['a.example.com'] }] },
      'trafficRouting.istio.createVirtualService is set with tlsRoutes [{"port":443,"sniHosts":["a.example.com"]}]; expected HTTP routes only'],
    [{ routes: [] }, 'trafficRouting.istio.routes is empty; expected at least one HTTP route name, or no routes at all (then the VirtualService must have '
      + 'exactly one HTTP route). Fix: name the routes to patch, or omit routes'],
    [{ routes: ['primary', 'secondary'] }, 'trafficRouting.istio.routes is ["primary","secondary"] with createVirtualService; expected one route name: the '
      + 'created routes have no match, so every route after the first would be unreachable'],
  ])('rejects %j', (extra, msg) => {
    expect(() => build({
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs', ...extra, createVirtualService: { hosts: ['web'] } }),
    })).toThrow(msg);
  });

  test('empty routes are rejected for referenced VirtualServices too; tcp routes are fine there', () => {
    expect(() => build({ trafficRouting: TrafficRouting.istio({ virtualServices: [{ name: 'a', routes: [] }] }) }))
      .toThrow('trafficRouting.istio.virtualServices[0].routes is empty; expected at least one HTTP route name');
    const { chart } = build({ trafficRouting: TrafficRouting.istio({ virtualService: 'vs', tcpRoutePorts: [8080] }) });
    expect(Testing.synth(chart).find(o => o.kind === 'Rollout').spec.strategy.canary.trafficRouting.istio.virtualService)
      .toEqual({ name: 'vs', tcpRoutes: [{ port: 8080 }] });
  });

  test('one named route is created and patched', () => {
    const { chart } = build({
      trafficRouting: TrafficRouting.istio({ virtualService: 'vs', routes: ['main'], createVirtualService: { hosts: ['web'] } }),
    });
    const objs = Testing.synth(chart);
    expect(objs.find(o => o.kind === 'VirtualService').spec.http.map((h: any) => h.name)).toEqual(['main']);
    expect(objs.find(o => o.kind === 'Rollout').spec.strategy.canary.trafficRouting.istio.virtualService).toEqual({ name: 'vs', routes: ['main'] });
  });
});

describe('metadata of the created Istio objects', () => {
  test('labels and annotations go to the created VirtualService and DestinationRule; name and namespace come from the router', () => {
    const { chart } = build({
      metadata: { name: 'web', namespace: 'shop' },
      trafficRouting: TrafficRouting.istio({
        virtualService: 'web-vs',
        destinationRule: { name: 'web-dr' },
        createVirtualService: { hosts: ['web'], subsetHost: 'web', metadata: { labels: { team: 'checkout' }, annotations: { 'example.com/owner': 'shop' } } },
      }),
    });
    const objs = Testing.synth(chart);
    for (const kind of ['VirtualService', 'DestinationRule']) {
      const o = objs.find(x => x.kind === kind);
      expect(o.metadata).toEqual({ name: kind === 'VirtualService' ? 'web-vs' : 'web-dr', namespace: 'shop', labels: { team: 'checkout' }, annotations: { 'example.com/owner': 'shop' } });
    }
    expect(() => build({
      trafficRouting: TrafficRouting.istio({ virtualService: 'web-vs', createVirtualService: { hosts: ['web'], metadata: { name: 'other' } } }),
    })).toThrow('test/web: trafficRouting.istio.createVirtualService.metadata.name is "other"; expected no name: the VirtualService is named by '
      + 'virtualService and lives in the Rollout\'s namespace. Fix: remove metadata.name (and metadata.namespace)');
  });
});
