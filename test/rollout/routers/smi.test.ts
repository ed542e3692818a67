import { Testing } from 'cdk8s';
import { CanaryStep, TrafficRouting } from '../../../src';
import { build } from '../build';

describe('SMI router', () => {
  test('renders rootService and trafficSplitName when given, nothing else', () => {
    const tr = (routing: TrafficRouting) => Testing.synth(build({ trafficRouting: routing, steps: [CanaryStep.setWeight(5)] }).chart)
      .find(o => o.kind === 'Rollout').spec.strategy.canary.trafficRouting;
    expect(tr(TrafficRouting.smi())).toEqual({ smi: {} });
    expect(tr(TrafficRouting.smi({ rootService: 'web', trafficSplitName: 'web-split' }))).toEqual({ smi: { rootService: 'web', trafficSplitName: 'web-split' } });
  });

  test('rejects blank names', () => {
    expect(() => build({ trafficRouting: TrafficRouting.smi({ rootService: '' }) }))
      .toThrow('trafficRouting.smi.rootService is ""; expected a Service name. Fix: give the name');
  });
});
