import { TemplateArgument } from '../../src';

describe('TemplateArgument', () => {
  test('renders the three kinds as the L1 spec.args entry', () => {
    expect(TemplateArgument.required('svc')._toKube()).toEqual({ name: 'svc' });
    expect(TemplateArgument.withDefault('svc', 'web')._toKube()).toEqual({ name: 'svc', value: 'web' });
    expect(TemplateArgument.fromSecret('token', { secretName: 'prom', key: 'token' })._toKube())
      .toEqual({ name: 'token', valueFrom: { secretKeyRef: { name: 'prom', key: 'token' } } });
  });

  test('problems come back per prop, so callers report them under their own prop without reading the message', () => {
    expect(TemplateArgument._problems('ok', 'v')).toEqual({});
    expect(TemplateArgument._problems('bad name', undefined).name?.prop).toBe('name');
    expect(TemplateArgument._problems('svc', '').defaultValue).toEqual({
      prop: 'svc.defaultValue',
      given: '""',
      expected: 'a non-empty value (the controller would substitute an empty string)',
      fix: 'use TemplateArgument.required("svc") if the Rollout must pass it',
    });
  });

  test.each<[() => unknown, string]>([
    [() => TemplateArgument.required('bad name'), 'TemplateArgument: name is "bad name"; expected letters, digits, "_", "." or "-"'],
    [() => TemplateArgument.withDefault('svc', ''), 'TemplateArgument: svc.defaultValue is ""; expected a non-empty value'],
    [() => TemplateArgument.fromSecret('t', { secretName: 'Bad', key: 'k' }), 'TemplateArgument: t.secret.secretName is "Bad"'],
  ])('rejects bad input %#', (make, msg) => {
    expect(make).toThrow(msg);
  });
});
