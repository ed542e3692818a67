import { FederationAuthorization, FederationClusterLabel, TemplateArgument } from '../../src';
import { checkConfigMapKey, checkDns1123Label, checkDns1123Subdomain, checkLabelKey, checkLabelValue, checkPrometheusLabelName, checkPrometheusMetricName } from '../../src/core/names';

test('DNS-1123 names', () => {
  expect(checkDns1123Label('seoul-1')).toBeUndefined();
  expect(checkDns1123Label('a'.repeat(64))).toMatch(/at most 63/);
  expect(checkDns1123Label('Seoul')).toMatch(/lowercase/);
  expect(checkDns1123Subdomain('my-service.canary')).toBeUndefined();
  expect(checkDns1123Subdomain('-x')).toMatch(/DNS-1123 subdomain/);
});

test('label keys and values', () => {
  expect(checkLabelKey('app.kubernetes.io/name')).toBeUndefined();
  expect(checkLabelKey('env')).toBeUndefined();
  expect(checkLabelKey('a/b/c')).toMatch(/at most one/);
  expect(checkLabelKey('Bad_Prefix/x')).toMatch(/prefix/);
  expect(checkLabelKey('-x')).toMatch(/starting and ending/);
  expect(checkLabelValue('')).toBeUndefined();
  expect(checkLabelValue('ap-northeast-2')).toBeUndefined();
  expect(checkLabelValue('a b')).toMatch(/label value/);
});

describe('Prometheus names and data keys: one helper each, used by analysis and metrics', () => {
  test('checkPrometheusLabelName', () => {
    expect(checkPrometheusLabelName('k8s_cluster')).toBeUndefined();
    expect(checkPrometheusLabelName('_x')).toBeUndefined();
    expect(checkPrometheusLabelName('cluster-name')).toBe('a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)');
    expect(checkPrometheusLabelName('1x')).toBe('a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)');
    expect(checkPrometheusLabelName('__cluster')).toBe('a label name that does not start with "__" (reserved for Prometheus internals)');
  });

  test('checkPrometheusMetricName', () => {
    expect(checkPrometheusMetricName('slo:error_budget_remaining:ratio')).toBeUndefined();
    expect(checkPrometheusMetricName('http-requests')).toBe('a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
    expect(checkPrometheusMetricName('')).toBe('a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
  });

  test('checkConfigMapKey', () => {
    expect(checkConfigMapKey('prometheus.yml')).toBeUndefined();
    expect(checkConfigMapKey('tls.crt')).toBeUndefined();
    expect(checkConfigMapKey('k'.repeat(253))).toBeUndefined();
    for (const bad of ['', 'a/b', 'values yaml', '.', '..', 'k'.repeat(254)]) {
      expect(checkConfigMapKey(bad)).toBe('a data key: at most 253 alphanumerics, "-", "_" or "." (not "." or "..")');
    }
  });

  test('the constructs use them: the same rule in FederationClusterLabel, analyses, Secret refs and outputs', () => {
    // (each construct keeps its own message wording; the rule is the shared one)
    expect(() => FederationClusterLabel.targetLabel('__x')).toThrow('expected a label name that does not start with "__"');
    expect(() => FederationAuthorization.fromSecret({ secretName: 'ok', key: '..' })).toThrow('FederationAuthorization.fromSecret: props.key is "..";');
    expect(() => FederationAuthorization.fromSecret({ secretName: 'a'.repeat(254), key: 'k' })).toThrow('props.secretName is');
    expect(() => TemplateArgument.fromSecret('token', { secretName: 'ok', key: '..' })).toThrow('key is "..";');
  });
});
