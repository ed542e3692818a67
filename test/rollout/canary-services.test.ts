import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { build } from './build';
import { CanaryRollout, CanaryServices, RolloutWorkload, TrafficRouting } from '../../src';

const istio = TrafficRouting.istio({ virtualService: 'vs' });

describe('created Services target the container port', () => {
  test('Service port 80 in front of a container on 8080 sends traffic to 8080', () => {
    const { chart } = build({ trafficRouting: istio, services: CanaryServices.create({ port: 80 }) });
    const services = Testing.synth(chart).filter(o => o.kind === 'Service');
    expect(services).toHaveLength(2);
    for (const s of services) expect(s.spec.ports).toEqual([{ port: 80, targetPort: 8080 }]);
  });

  test('an explicit targetPort wins; without container ports the targetPort is the Service port', () => {
    const { chart } = build({ trafficRouting: istio, services: CanaryServices.create({ port: 80, targetPort: 9090 }) });
    expect(Testing.synth(chart).filter(o => o.kind === 'Service').map(s => s.spec.ports)).toEqual([
      [{ port: 80, targetPort: 9090 }], [{ port: 80, targetPort: 9090 }],
    ]);
    const noPort = build({
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img' }] }),
      trafficRouting: istio,
      services: CanaryServices.create({ port: 80 }),
    });
    expect(Testing.synth(noPort.chart).filter(o => o.kind === 'Service').map(s => s.spec.ports)).toEqual([
      [{ port: 80, targetPort: 80 }], [{ port: 80, targetPort: 80 }],
    ]);
  });

  test('a container port given only in ports (e.g. named) is found', () => {
    const { chart } = build({
      workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', ports: [{ number: 8080, name: 'http' }] }] }),
      trafficRouting: istio,
    });
    const services = Testing.synth(chart).filter(o => o.kind === 'Service');
    for (const s of services) expect(s.spec.ports).toEqual([{ port: 8080, targetPort: 8080 }]);
    // the same for a referenced Deployment
    const chart2 = Testing.chart();
    const dep = new kplus.Deployment(chart2, 'dep', { replicas: 0, containers: [{ image: 'img', ports: [{ number: 9000, name: 'http' }] }] });
    new CanaryRollout(chart2, 'web', { workload: RolloutWorkload.fromDeployment(dep), trafficRouting: istio });
    for (const s of Testing.synth(chart2).filter(o => o.kind === 'Service')) expect(s.spec.ports).toEqual([{ port: 9000, targetPort: 9000 }]);
  });
});
