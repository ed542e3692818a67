import { checkDns1123Label, checkDns1123Subdomain, checkLabelKey, checkLabelValue } from '../../src/core/names';

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
