import { analyzePromQL, memoizedByQuery, scanPlaceholders, substitutePlaceholders } from '../../src/core/promql';
import { matcherRegExp, toJsRegExp } from '../../src/core/re2';
import { toJsRegExp as rolloutToJsRegExp } from '../../src/rollout/go-regex';
import { promtoolCheckExpressions, testWithTool } from '../harness/prometheus-servers';
import { evaluateWithPromtool } from '../harness/promtool';

const withPromtool = testWithTool('promtool');

const SUCCESS_RATE = 'sum(rate(http_requests_total{service="{{args.service-name}}",code!~"5.."}[{{args.window}}])) / '
  + 'sum(rate(http_requests_total{service="{{ args.service-name }}"}[{{args.window}}]))';

describe('PromQL checks (lezer-promql grammar)', () => {
  test('placeholders get values or dummies that fit where they stand', () => {
    expect(substitutePlaceholders(SUCCESS_RATE)).toEqual({
      text: 'sum(rate(http_requests_total{service="x",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="x"}[1m]))',
      args: ['service-name', 'window'],
      others: [],
    });
    expect(substitutePlaceholders('x > {{args.t}} and on() vector({{ rollout.name }})', { t: '0.5' }))
      .toEqual({ text: 'x > 0.5 and on() vector(1)', args: ['t'], others: ['rollout.name'] });
  });

  test('a valid query: no errors, selectors extracted', () => {
    const r = analyzePromQL(SUCCESS_RATE, { 'service-name': 'web' });
    expect(r.errors).toEqual([]);
    expect(r.selectors).toEqual([
      {
        metricName: 'http_requests_total',
        matchers: [{ name: 'service', op: '=', value: 'web' }, { name: 'code', op: '!~', value: '5..' }],
        text: 'http_requests_total{service="web",code!~"5.."}',
      },
      { metricName: 'http_requests_total', matchers: [{ name: 'service', op: '=', value: 'web' }], text: 'http_requests_total{service="web"}' },
    ]);
    expect(analyzePromQL('{__name__=~"http_requests_total|x", job="a"}').selectors[0].metricName).toBeUndefined();
    expect(analyzePromQL('{__name__="up"}').selectors[0].metricName).toBe('up');
  });

  test.each([
    ['sum(rate(x[2m)) / 1', 'syntax error at offset'],
    ['sum(rate(x[2m])', 'syntax error at offset'],
    ['x{job=a}', 'syntax error at offset'],
    ['rate(x[2x])', 'syntax error at offset'],
    ['ratee(x[5m])', 'syntax error at offset'],
    ['', 'the query is empty'],
    ['{}', 'must contain at least one matcher that does not match the empty string'],
    ['{job=~".*"}', 'must contain at least one matcher that does not match the empty string'],
    ['{"http.requests_total"}', 'need Prometheus 3.x'],
    ['rate(x[5m+1m])', 'duration arithmetic ("5m+1m") needs Prometheus 3.x'],
    ['limitk(2, x)', 'limitk() needs Prometheus 3.x'],
    ['sum(up) offset 1m', 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
    ['(up) offset 1m', 'offset modifier must be preceded by an instant vector selector'],
    ['sum(up) @ 100', '@ modifier must be preceded by an instant vector selector'],
  ])('rejects %j', (q, msg) => {
    const errors = analyzePromQL(q).errors;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain(msg);
  });

  test('offset and @ on selectors and subqueries are valid', () => {
    for (const q of ['up offset 1m', 'rate(up[5m] offset 1m)', 'up[5m:1m] offset 1m', 'up offset 1m @ 100', 'up @ 100']) {
      expect([q, analyzePromQL(q).errors]).toEqual([q, []]);
    }
  });
});

describe('regex matchers are matched with RE2 semantics (one shared helper: matcherRegExp in core/re2.ts)', () => {
  // promtool (Prometheus 2.42) evaluates each matcher over these series: the oracle for what a matcher selects
  const SERIES = ['checkout', 'CHECKOUT-api', 'payments', ''].map((job, i) => ({ series: `up{job="${job}",i="${i}"}`, values: '1x5' }));
  const MATCHERS: Array<[string, string]> = [
    ['=~', '(?i)checkout.*'], ['=~', '(?i:CHECK)out'], ['!~', '(?i)checkout'], ['=~', 'check(?i)OUT'], ['=~', 'checkout|payments'],
    ['=~', '(?s).*'], ['=~', '(?P<x>pay)ments'], ['=~', '\\Qcheckout\\E'],
  ];

  withPromtool('matcherRegExp selects what Prometheus selects, Go flag groups included', () => {
    const [results] = evaluateWithPromtool([{ name: 'matchers', interval: '1m', series: SERIES, queries: MATCHERS.map(([op, v]) => ({ expr: `up{job${op}${JSON.stringify(v)}}`, evalTime: '1m' })) }]);
    MATCHERS.forEach(([op, value], i) => {
      const re = matcherRegExp(value)!;
      const ours = SERIES.map(s => /job="([^"]*)"/.exec(s.series)![1]).filter(job => (op === '=~' ? re.test(job) : !re.test(job))).sort();
      expect({ value, jobs: ours }).toEqual({ value, jobs: results[i].map(r => r.labels.job ?? '').sort() });
    });
  });

  test('(?i) no longer makes a matcher "not match the empty string" (JavaScript cannot compile (?i))', () => {
    expect(analyzePromQL('{job=~"(?i).*"}').errors).toEqual(['vector selector {job=~"(?i).*"} must contain at least one matcher that does not match the empty string']);
    expect(analyzePromQL('{job=~"(?i)a.*"}').errors).toEqual([]);
    expect(matcherRegExp('a(?=b)')).toBeUndefined(); // rejected by RE2: no RegExp
  });

  withPromtool('promtool agrees on (?i).* matching the empty string', () => {
    expect(promtoolCheckExpressions(['{job=~"(?i).*"}', '{job=~"(?i)a.*"}']).map(r => r.ok)).toEqual([false, true]);
  });

  test('the rollout\'s toJsRegExp is the shared one', () => {
    expect(rolloutToJsRegExp).toBe(toJsRegExp);
    expect(toJsRegExp('(?i)success').test('SUCCESS-rate')).toBe(true);
  });
});

describe('PromQL errors say what Prometheus says', () => {
  test('an unknown function is named, with the nearest known one', () => {
    expect(analyzePromQL('rat(x[5m])').errors).toEqual([
      'syntax error at offset 3 near "rat(x[5m])": unknown function with name "rat" (did you mean "rate"?)',
    ]);
    expect(analyzePromQL('sum(histogram_quantil(0.9, x))').errors[0]).toContain('unknown function with name "histogram_quantil" (did you mean "histogram_quantile"?)');
    expect(analyzePromQL('frobnicate(x)').errors[0]).toMatch(/unknown function with name "frobnicate"$/);
  });

  test('an unbalanced bracket names the expected token', () => {
    expect(analyzePromQL('sum(rate(x[2m])').errors[0]).toMatch(/: unclosed left parenthesis \(expected "\)"\)$/);
    expect(analyzePromQL('sum(rate(x[2m)) / 1').errors[0]).toMatch(/: unclosed left bracket \(expected "\]", found "\)"\)$/);
    expect(analyzePromQL('x{job="a"').errors[0]).toMatch(/: unclosed left brace \(expected "}"\)$/);
  });

  withPromtool('Prometheus names the same function', () => {
    const [r] = promtoolCheckExpressions(['rat(x[5m])']);
    expect(r.ok).toBe(false);
    expect(r.output).toContain('unknown function with name "rat"');
  });
});

describe('string literals: the escapes Prometheus accepts', () => {
  test.each([
    ['up{job="a\\d"}', 'unknown escape sequence \\d'],
    ['up{job=~"5\\d\\d"}', 'unknown escape sequence \\d'],
    ["up{job='a\\q'}", 'unknown escape sequence \\q'],
    ['up{job="\\x4"}', 'unknown escape sequence \\x4 '],
  ])('rejects %s', (q, msg) => {
    expect(analyzePromQL(q).errors.join('\n')).toContain(msg);
  });

  test('reads the escapes it accepts', () => {
    const values = ['up{job="a\\\\d"}', 'up{job="\\n\\t\\"x"}', "up{job='\\x41\\u00e9\\101\\''}", 'up{job=`a\\d`}']
      .map(q => analyzePromQL(q))
      .map(a => (a.errors.length > 0 ? a.errors : a.selectors[0].matchers[0].value));
    expect(values).toEqual(['a\\d', '\n\t"x', 'AéA\'', 'a\\d']);
  });

  withPromtool('promtool agrees on every case', () => {
    const rejected = ['up{job="a\\d"}', 'up{job=~"5\\d\\d"}', "up{job='a\\q'}", 'up{job="\\x4"}'];
    const accepted = ['up{job="a\\\\d"}', 'up{job="\\n\\t\\"x"}', "up{job='\\x41\\u00e9\\101\\''}", 'up{job=`a\\d`}'];
    expect(promtoolCheckExpressions(rejected).map(r => r.ok)).toEqual(rejected.map(() => false));
    expect(promtoolCheckExpressions(rejected)[0].output).toContain('unknown escape sequence');
    expect(promtoolCheckExpressions(accepted).map(r => r.ok)).toEqual(accepted.map(() => true));
  });
});

describe('{{ … }} placeholders', () => {
  const REGEX = /\{\{\s*([^{}]*?)\s*\}\}/g; // the former scan, right on short texts
  test.each([
    'a {{args.x}} b {{ args.y }}', '{{{args.x}}}', '{{ a }} }} {{', '{{a}b}}', '{{ {{args.x}} }}', '{{\n args.x \n}}', '{{}}', 'x}}{{y}}',
  ])('scans %j as the controller reads it', (text) => {
    expect(scanPlaceholders(text).map(p => [p.from, p.inner])).toEqual([...text.matchAll(REGEX)].map(m => [m.index, m[1]]));
  });

  test('a hostile text is scanned in one pass', () => {
    const text = `{{${' '.repeat(100_000)}`;
    expect(scanPlaceholders(text)).toEqual([]);
    expect(substitutePlaceholders(`x{a="{{args.a}}"}${text}`).args).toEqual(['a']);
  });
});

describe('memoizedByQuery', () => {
  test('computes once per query text and returns the same result for the same text', () => {
    const seen: string[] = [];
    const length = memoizedByQuery(q => { seen.push(q); return { length: q.length }; });
    const a = length('sum(rate(x[5m]))');
    expect(length('sum(rate(x[5m]))')).toBe(a);
    expect(length('up')).toEqual({ length: 2 });
    expect(a).toEqual({ length: 16 });
    expect(seen).toEqual(['sum(rate(x[5m]))', 'up']);
  });

  test('caches an undefined result too', () => {
    let calls = 0;
    const none = memoizedByQuery(() => { calls++; return undefined; });
    expect([none('x'), none('x')]).toEqual([undefined, undefined]);
    expect(calls).toBe(1);
  });
});
