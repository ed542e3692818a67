import { UNRENDERABLE_KEYS } from './problem';

/**
 * Kubernetes name and label syntax (apimachinery validation), shared by every construct.
 * Each function returns `undefined` when the value is valid, otherwise what is expected.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * @internal An id the constructs library can hold: not a property of every JavaScript object (`constructor`,
 * `toString`…), which its child registry mistakes for an existing child.
 */
export function checkConstructId(id: string): string | undefined {
  return id in Object.prototype ? 'a name that is not a property of JavaScript objects (the constructs library cannot hold a child with that id)' : undefined;
}

/** @internal A DNS-1123 label (Service, Namespace names): at most 63 chars. */
export function checkDns1123Label(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !DNS1123_LABEL.test(value)) {
    return 'a DNS-1123 label: at most 63 lowercase alphanumerics or "-", starting and ending with an alphanumeric';
  }
  return undefined;
}

/** @internal A DNS-1123 subdomain (most object names): at most 253 chars. */
export function checkDns1123Subdomain(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    return 'a DNS-1123 subdomain: at most 253 lowercase alphanumerics, "-" or ".", starting and ending with an alphanumeric';
  }
  return undefined;
}

/** Results of the label checks by key or value: the same few keys and values are checked for every Application. */
const LABEL_KEY_CHECKS = new Map<string, string | undefined>();
const LABEL_VALUE_CHECKS = new Map<string, string | undefined>();
const LABEL_CHECKS_MAX = 10_000;

function memoized(cache: Map<string, string | undefined>, input: string, check: (s: string) => string | undefined): string | undefined {
  if (cache.has(input)) return cache.get(input);
  const result = check(input);
  if (cache.size >= LABEL_CHECKS_MAX) cache.clear();
  cache.set(input, result);
  return result;
}

/** @internal A label key: optional DNS-1123 subdomain prefix + "/" + a name of at most 63 chars. */
export function checkLabelKey(key: string): string | undefined {
  if (typeof key !== 'string') return 'a label key (a string)';
  if (UNRENDERABLE_KEYS.includes(key)) return 'a label key other than "constructor" or "__proto__" (cdk8s cannot render a map with that key)';
  return memoized(LABEL_KEY_CHECKS, key, checkLabelKeyUncached);
}

function checkLabelKeyUncached(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a label key: [prefix/]name with at most one "/"';
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (parts[0].length === 0 || checkDns1123Subdomain(parts[0]) !== undefined)) {
    return 'a label key whose prefix is a DNS-1123 subdomain';
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return 'a label key: a name of at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  }
  return undefined;
}

/** @internal A label value: empty, or at most 63 chars of alphanumerics, "-", "_", ".". */
export function checkLabelValue(value: string): string | undefined {
  if (typeof value !== 'string') return 'a label value (a string)';
  return memoized(LABEL_VALUE_CHECKS, value, checkLabelValueUncached);
}

function checkLabelValueUncached(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > 63 || !LABEL_NAME.test(value)) {
    return 'a label value: at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  }
  return undefined;
}

const PROMETHEUS_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const PROMETHEUS_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** @internal A Prometheus 2.x label name a user may set: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__` (reserved). */
export function checkPrometheusLabelName(name: string): string | undefined {
  if (typeof name !== 'string' || !PROMETHEUS_LABEL_NAME.test(name)) return 'a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)';
  if (name.startsWith('__')) return 'a label name that does not start with "__" (reserved for Prometheus internals)';
  return undefined;
}

/** @internal A Prometheus 2.x metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function checkPrometheusMetricName(name: string): string | undefined {
  return typeof name === 'string' && PROMETHEUS_METRIC_NAME.test(name) ? undefined : 'a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)';
}

/**
 * @internal A key of a ConfigMap's or Secret's `data` (apimachinery IsConfigMapKey): at most 253 alphanumerics,
 * "-", "_" or ".", and not "." or "..".
 */
export function checkConfigMapKey(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0 || key.length > 253 || !DATA_KEY.test(key) || key === '.' || key === '..') {
    return 'a data key: at most 253 alphanumerics, "-", "_" or "." (not "." or "..")';
  }
  return undefined;
}

/**
 * Argo CD's cluster-name normalization (`SanitizeName`: `nameNormalized`, the template function `normalize`), as Go
 * runs it: per code point (rune), Go's simple lowercase (one rune to one rune: "İ" → "i", where JavaScript's full
 * mapping gives "i̇"), every rune outside `[-a-z0-9.]` to one `-` (an emoji is one rune, two UTF-16 units), at most
 * 253 characters, trimmed of `-` and `.`.
 *
 * @internal
 */
export function normalize(s: string): string {
  let out = '';
  for (const ch of s) {
    const lower = String.fromCodePoint(ch.toLowerCase().codePointAt(0)!);
    out += /^[-a-z0-9.]$/.test(lower) ? lower : '-';
  }
  return out.slice(0, 253).replace(/^[-.]+|[-.]+$/g, '');
}
