import { AnalysisArgValue, PodTemplateHash } from '../../src';

describe('AnalysisArgValue', () => {
  test('renders value, podTemplateHashValue or fieldRef under the arg name', () => {
    expect(AnalysisArgValue.of('web')._toKube('service-name')).toEqual({ name: 'service-name', value: 'web' });
    expect(AnalysisArgValue.podTemplateHash(PodTemplateHash.LATEST)._toKube('hash'))
      .toEqual({ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } });
    expect(AnalysisArgValue.fieldRef('metadata.namespace')._toKube('ns'))
      .toEqual({ name: 'ns', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
  });

  test('shows itself in messages', () => {
    expect(AnalysisArgValue.of('web')._show()).toBe('"web"');
    expect(AnalysisArgValue.podTemplateHash(PodTemplateHash.STABLE)._show()).toBe('podTemplateHash(Stable)');
    expect(AnalysisArgValue.fieldRef('metadata.name')._show()).toBe('fieldRef("metadata.name")');
  });
});
