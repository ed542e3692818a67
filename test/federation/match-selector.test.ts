import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { seedFleet, synthConfigMap, withPromtool } from './fixtures';
import { FederatedPrometheus } from '../../src';
import { promtoolCheckExpressions } from '../harness/prometheus-servers';

describe('FederatedPrometheus: match[] selectors', () => {
  const BAD: Array<[string, string]> = [
    ['{job=my-service}', '(PromQL grammar: syntax error at offset 5 near "{job=my-service"). Fix: write e.g. {job="my-service"}'],
    ['{}', 'must contain at least one matcher that does not match the empty string'],
    ['{job=~".*"}', 'must contain at least one matcher that does not match the empty string'],
    ['rate(http_requests_total[5m])', 'not a single instant vector selector'],
    ['{job="a"}[5m]', 'not a single instant vector selector'],
    ['{job="a"} or {job="b"}', 'not a single instant vector selector'],
    ['{"http.requests_total"}', 'need Prometheus 3.x'],
    // regexes Go's RE2 rejects: /federate answers 400 and the target is down
    ['{job=~"a(?=b)"}', 'regex matcher job=~"a(?=b)" is not RE2 (error parsing regexp: invalid or unsupported Perl syntax: `(?=`: '
      + 'Prometheus answers HTTP 400 and the target is down; RE2 has no lookahead or lookbehind'],
    ['{job=~"a\\\\1"}', 'regex matcher job=~"a\\\\1" is not RE2 (error parsing regexp: invalid escape sequence: `\\1`: '
      + 'Prometheus answers HTTP 400 and the target is down; RE2 has no backreferences'],
    ['{job=~"x{2,1001}"}', 'regex matcher job=~"x{2,1001}" is not RE2 (error parsing regexp: invalid repeat count: `{2,1001}`'],
  ];

  test.each(BAD)('fails on %s', (selector, reason) => {
    const chart = Testing.chart();
    expect(() => new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: ['{job="ok"}', selector] }))
      .toThrow(`test/federation: match[1] is ${JSON.stringify(selector)}; expected one instant vector selector with a matcher that does not match the empty string (`);
    expect(() => new FederatedPrometheus(Testing.chart(), 'federation', { fleet: seedFleet(), match: [selector] })).toThrow(reason);
  });

  withPromtool('Prometheus\'s parser (promtool check rules) rejects every selector the construct rejects, and accepts the ones it accepts', () => {
    // The oracle is Prometheus's PromQL parser as promtool runs it on a recording rule expression, not /federate:
    // - a range or an `or` is valid PromQL but not a /federate selector (Prometheus answers 400 at scrape time);
    // - `{}` and `{job=~".*"}` are rejected by the rule parser, but a live 2.42 /federate answers 200 to them: requiring
    //   a matcher that does not match the empty string is this library's own rule (such a selector federates every
    //   series of the workload), not Prometheus's.
    const rejected = promtoolCheckExpressions(BAD.filter(([s]) => !s.includes('[5m]') && !s.includes(' or ')).map(([s]) => s));
    expect(rejected.length).toBe(BAD.length - 3);
    for (const r of rejected) {
      expect(r.ok).toBe(false);
    }
    // the RE2 cases fail in Prometheus with the same Go error the construct quotes
    for (const [selector, reason] of BAD.filter(([s]) => s.includes('=~"a') || s.includes('1001'))) {
      const go = /\(error parsing regexp: [^`]*`[^`]*`/.exec(reason)![0].slice(1);
      expect(promtoolCheckExpressions([selector])[0].output).toContain(go);
    }
    const good = ['{job="my-service"}', 'http_requests_total', 'up{job!="x"}', '{__name__=~"job:.*"}', '{job=~"a|b", code!~"5.."}',
      '{job="x}}"}', '{job=~"(?i)checkout", code=~"5\\\\d\\\\d"}', '{job=~"x{2,1000}"}'];
    for (const s of good) {
      expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: [s] })).not.toThrow();
    }
    expect(promtoolCheckExpressions(good).map(r => r.ok)).toEqual(good.map(() => true));
  });

  test('}} alone is text, not a placeholder', () => {
    const fp = new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['{job="x}}"}'] });
    expect(fp.match).toEqual(['{job="x}}"}']);
    expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['{job="{{ args.job }}"}'] })).toThrow('it contains a {{…}} placeholder');
  });

  test('fails on a placeholder and on a duplicate selector', () => {
    expect(() => new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['{job="{{args.service-name}}"}'] }))
      .toThrow('match[0] is "{job=\\"{{args.service-name}}\\"}"; expected one instant vector selector with a matcher that does not match the empty string (it contains a {{…}} placeholder');
    const fp = new FederatedPrometheus(Testing.chart(), 'f', { fleet: seedFleet(), match: ['{job="a"}'] });
    expect(() => fp.addMatch(' {job="a"}')).toThrow('test/f: match[1] is " {job=\\"a\\"}"; expected a selector not already in match[]. Fix: list each selector once');
  });

  test('addMatch() after construction lands in the output (lazy rendering)', () => {
    const chart = Testing.chart();
    const fp = new FederatedPrometheus(chart, 'federation', { fleet: seedFleet(), match: ['{job="a"}'] });
    fp.addMatch('{job="b"}');
    const job = YAML.parse(synthConfigMap(chart).data['prometheus.yml']).scrape_configs[0];
    expect(job.params['match[]']).toEqual(['{job="a"}', '{job="b"}']);
  });

  test('fails at synth without any selector', () => {
    const chart = Testing.chart();
    new FederatedPrometheus(chart, 'federation', { fleet: seedFleet() });
    expect(() => Testing.synth(chart)).toThrow('match is []; expected at least one selector (/federate returns nothing without match[])');
  });
});
