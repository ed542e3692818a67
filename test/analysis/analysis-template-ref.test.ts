import { AnalysisTemplateRef } from '../../src';

describe('AnalysisTemplateRef', () => {
  test('describes an existing template for the Rollout-side checks', () => {
    const ref = AnalysisTemplateRef.fromName('always-pass', {
      clusterScope: true,
      args: [{ name: 'service-name' }, { name: 'namespace', defaultValue: 'shop' }, { name: 'token', fromSecret: true }],
      metricNames: ['pass'],
      queriedSeries: [{ metricName: 'http_requests_total', labelNames: ['job'] }],
    });
    expect(ref.templateName).toBe('always-pass');
    expect(ref.clusterScope).toBe(true);
    expect(ref.requiredArgs).toEqual(['service-name']);
    expect(ref.declaredArgs).toEqual([{ name: 'service-name' }, { name: 'namespace', defaultValue: 'shop' }, { name: 'token', fromSecret: true }]);
    expect(ref.metricNames).toEqual(['pass']);
    expect(ref.queriedSeries).toEqual([{ metricName: 'http_requests_total', labelNames: ['job'] }]);
  });

  test('defaults: namespaced, nothing declared', () => {
    const ref = AnalysisTemplateRef.fromName('random-fail');
    expect([ref.clusterScope, ref.declaredArgs, ref.requiredArgs, ref.metricNames, ref.queriedSeries]).toEqual([false, [], [], [], []]);
  });

  test('copies what it is given', () => {
    const args = [{ name: 'a' }];
    const ref = AnalysisTemplateRef.fromName('t', { args });
    args.push({ name: 'b' });
    expect(ref.declaredArgs).toEqual([{ name: 'a' }]);
  });

  test.each<[string, object, string]>([
    ['Success_Rate', {}, 'AnalysisTemplateRef.fromName: name is "Success_Rate"; expected a DNS-1123 subdomain'],
    ['t', { args: [{ name: 'a b' }] }, 'args[0].name is "a b"; expected letters, digits, "_", "." or "-"'],
    ['t', { args: [{ name: 'a' }, { name: 'a', defaultValue: 'x' }] }, 'args[1].name is "a"; expected each arg once'],
    ['t', { args: [{ name: 'a', defaultValue: 'x', fromSecret: true }] }, 'args[0] is both defaultValue and fromSecret; expected at most one'],
    ['t', { metricNames: ['m', 'm'] }, 'metricNames[1] is "m"; expected non-empty, unique metric names'],
  ])('fails on %j %j', (name, options, msg) => {
    expect(() => AnalysisTemplateRef.fromName(name, options)).toThrow(msg);
  });
});
