/**
 * Escapes text for a Helm value that the chart passes through `tpl` (the `prometheus` chart's `extraScrapeConfigs`,
 * kube-prometheus-stack's `additionalScrapeConfigs`): every `{{` becomes `{{ "{{" }}`, which Go's text/template
 * renders back to `{{`. `}}` outside an action is plain text and needs no escaping.
 *
 * @internal
 */
export function escapeHelmTpl(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/**
 * Applies `escapeHelmTpl` to every string in a JSON-like value (keys included).
 *
 * @internal
 */
export function escapeHelmTplDeep(value: any): any {
  if (typeof value === 'string') return escapeHelmTpl(value);
  if (Array.isArray(value)) return value.map(escapeHelmTplDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeHelmTpl(k), escapeHelmTplDeep(v)]));
  }
  return value;
}
