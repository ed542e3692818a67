import { analyzePromQL, substitutePlaceholders } from '../../src/core/promql';

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
