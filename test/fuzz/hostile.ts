/**
 * Building blocks of the fuzz generators: plausible values of each kind of prop mixed with hostile ones (wrong types,
 * huge/negative/NaN/fractional numbers, unicode, quotes, braces, `{{`, newlines, YAML 1.1 specials, regex bombs).
 */
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';

/** Strings that break naive quoting, templating, YAML or regex handling. */
export const NASTY_STRINGS = [
  '', ' ', 'a b', 'UPPER', '-1', '1', '0x1F', '1e3', '.', '..', '-', '_', 'a_b', 'a.b', 'a/b', 'a//b', '/a', 'a/',
  'y', 'n', 'on', 'off', 'yes', 'no', 'true', 'false', 'null', '~', 'NaN', '.inf', '<<', '&a', '*a', '!tag', '%x', '@x', '`x`',
  '"', '\'', '\\', '"q"', 'x",job=~".+', 'my"svc', 'a\\d', '\\x', '{', '}', '{}', '{{', '}}', '{{ .name }}', '{{args.x}}',
  '{{ args.service-name }}', `{{${' '.repeat(200)}`, '${x}', '$(x)', '#', '# c', ': ', 'a: b', '- a', '[a]', '|', '>',
  '\n', 'a\nb', '\r\n', 'a\u0000b', '\t', '\u2028', 'é', 'İzmir-1', 'prod🚀1', '🚀', 'ß', '\uFEFF', '\ud800',
  '(a*)*b', '(a|a)*c', '(?!x)', '(?<=a)b', '[[:alpha:]]', '[[:bogus:]]', '\\Q', '\\p{Greek}', 'a{1001}', '.*', '.+', '5..',
  'a'.repeat(64), 'a'.repeat(254), 'x'.repeat(2000), 'http://', 'https://x', 'prom:99999', 'prom:0', 'host:9090',
  '__name__', '__x', 'le', 'constructor', '__proto__', 'toString', 'hasOwnProperty',
];

/** Numbers that break naive integer, bounds and rendering handling. */
export const NASTY_NUMBERS = [
  0, -0, 1, -1, 0.5, 1.5, 99.999, 100, 101, 1000, 65535, 65536, 70000, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e21, -1e21,
  Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, NaN, Infinity, -Infinity,
];

/** Any JavaScript value a plain-JS or Python caller might pass where something else is expected. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, true, false, ...NASTY_NUMBERS, ...NASTY_STRINGS.slice(0, 30)),
  fc.constantFrom<unknown>([], {}, ['a'], [1], { a: 1 }, { toString: 'x' }, () => 1, Symbol.for('x'), 10n, new Date(0), /a/),
  fc.string({ maxLength: 8 }),
  fc.double(),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
);

/** Mostly `plausible`, sometimes a hostile value of any type (`hostileWeight` of 30). */
export function mix<T>(plausible: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown> = anyValue, hostileWeight = 1): fc.Arbitrary<any> {
  return fc.oneof({ weight: 30 - hostileWeight, arbitrary: plausible as fc.Arbitrary<unknown> }, { weight: hostileWeight, arbitrary: hostile });
}

/** A string: plausible ones from `good`, sometimes a known-bad one from `bad`, nasty ones, and random unicode. */
export function str(good: readonly string[], bad: readonly string[] = [], nastyWeight = 2): fc.Arbitrary<any> {
  return fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom(...good) },
    ...(bad.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...bad) }] : []),
    { weight: nastyWeight, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 1, arbitrary: anyValue },
  );
}

/** A DNS-1123 label-ish name, sometimes broken. */
export const name = str(['web', 'shop', 'checkout', 'a', 'svc-1', 'my-service'], ['x'.repeat(64), 'Web', 'a_b']);
/** A label key, sometimes broken. */
export const labelKey = str(['env', 'region', 'team', 'app.kubernetes.io/name', 'example.com/tier', 'cluster'], ['bad key', '-a', 'a/b/c']);
/** A label value, sometimes broken. */
export const labelValue = str(['canary', 'production', 'eu', 'us', 'staging', ''], ['bad value', '-a']);

/** A number: plausible ones from `good`, nasty ones, and random doubles. */
export function num(good: readonly number[], nastyWeight = 2): fc.Arbitrary<any> {
  return fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom(...good) },
    { weight: nastyWeight, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: anyValue },
  );
}

/** A cdk8s Duration: plausible ones and the conversions that leak raw errors (NaN, fractions, huge). */
export const duration: fc.Arbitrary<any> = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom(Duration.seconds(30), Duration.minutes(1), Duration.minutes(5), Duration.seconds(10), Duration.hours(1)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      Duration.seconds(NaN), Duration.millis(0.5), Duration.millis(1500.5), Duration.millis(1.5), Duration.millis(1500), Duration.millis(0),
      Duration.seconds(1e12), Duration.days(1e20), Duration.seconds(Infinity), Duration.millis(1),
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 10_000_000 }).map(ms => Duration.millis(ms)) },
  { weight: 1, arbitrary: anyValue },
);

/** A string map (labels, annotations, args), sometimes with broken keys or values. */
export function stringMap(key: fc.Arbitrary<any> = labelKey, value: fc.Arbitrary<any> = labelValue): fc.Arbitrary<any> {
  return mix(fc.dictionary(key.filter((k): k is string => typeof k === 'string'), value, { maxKeys: 3 }));
}

/** An array of `element`, sometimes not an array or with hostile elements. */
export function arr<T>(element: fc.Arbitrary<T>, options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<any> {
  return mix(fc.array(mix(element as fc.Arbitrary<unknown>, anyValue, 1), { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 3 }));
}

/** Object metadata (name, namespace, labels, annotations), sometimes broken. */
export const metadata: fc.Arbitrary<any> = mix(fc.record({
  name: mix(name, fc.constant(undefined)),
  namespace: str(['default', 'shop', 'argo-rollouts'], ['Not A Namespace']),
  labels: stringMap(),
  annotations: stringMap(labelKey, str(['a', '<<', 'x: y', '{{', 'true'])),
}, { requiredKeys: [] }));

/**
 * A props object: `fields` as optional keys except `required`; sometimes an unknown key (a typo of a known one, or a
 * stranger), and sometimes not an object at all.
 */
export function props(fields: Record<string, fc.Arbitrary<any>>, required: readonly string[] = [], presence = 0.35): fc.Arbitrary<any> {
  const keys = Object.keys(fields);
  const typo = (k: string) => (k.length > 2 ? k.slice(0, -1) + k.slice(-1).toUpperCase() + 'x' : `${k}s`);
  const unknown = fc.oneof(fc.constantFrom('bogus', 'kind', ...keys.map(typo)), fc.string({ maxLength: 6 }));
  // an optional key is present in about `presence` of the cases: the rest of the object stays plausible
  const absentWeight = Math.round((1 - presence) * 20);
  const drawn = fc.record(Object.fromEntries(keys.map(k => [k, required.includes(k)
    ? fields[k]
    : fc.oneof({ weight: absentWeight, arbitrary: fc.constant(ABSENT) }, { weight: 20 - absentWeight, arbitrary: fields[k] })])))
    .map(o => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ABSENT)));
  return fc.oneof(
    { weight: 40, arbitrary: drawn },
    {
      weight: 1,
      arbitrary: fc.tuple(drawn, unknown, anyValue).map(([o, k, v]) => (keys.includes(k) ? o : { ...(o as object), [k]: v })),
    },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 'props', 42, [], () => ({})) },
  );
}

const ABSENT = Symbol('absent');
