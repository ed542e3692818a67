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
