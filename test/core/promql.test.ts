import { analyzePromQL, substitutePlaceholders } from '../../src/core/promql';
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
