import { escapeHelmTpl } from '../../src/federation/helm-tpl';

test('every {{ is escaped for the chart\'s tpl pass; }} is plain text', () => {
  expect(escapeHelmTpl('a {{ .x }} b }} {{')).toBe('a {{ "{{" }} .x }} b }} {{ "{{" }}');
});
