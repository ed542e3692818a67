import { CanaryStep, StringMatch } from '../../src';

describe('CanaryStep factories', () => {
  test('the jsii names of the steps equal the TypeScript setXxx aliases', () => {
    const m = [{ headerName: 'x', headerValue: StringMatch.regex('^a') }];
    expect(CanaryStep.trafficWeight(5)._toKube()).toEqual(CanaryStep.setWeight(5)._toKube());
    expect(CanaryStep.canaryScale({ weight: 5 })._toKube()).toEqual(CanaryStep.setCanaryScale({ weight: 5 })._toKube());
    expect(CanaryStep.headerRoute({ name: 'h', match: m })._toKube()).toEqual({ setHeaderRoute: { name: 'h', match: [{ headerName: 'x', headerValue: { regex: '^a' } }] } });
    expect(CanaryStep.mirrorRoute({ name: 'm' })._toKube()).toEqual(CanaryStep.setMirrorRoute({ name: 'm' })._toKube());
  });
});
