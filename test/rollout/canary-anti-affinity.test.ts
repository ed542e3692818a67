import { CanaryAntiAffinity } from '../../src';

describe('CanaryAntiAffinity', () => {
  test('preferred carries its weight, required has none; each renders exactly one mode', () => {
    const preferred = CanaryAntiAffinity.preferred(40);
    expect(preferred.weight).toBe(40);
    expect(preferred._toKube()).toEqual({ preferredDuringSchedulingIgnoredDuringExecution: { weight: 40 } });
    const required = CanaryAntiAffinity.required();
    expect(required.weight).toBeUndefined();
    expect(required._toKube()).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: {} });
  });
});
