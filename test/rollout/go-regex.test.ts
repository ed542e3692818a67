import { Testing } from 'cdk8s';
import { build } from './build';
import { successRate } from './templates';
import { CanaryStep, TrafficRouting } from '../../src';
import { goRegexProblem, toJsRegExp } from '../../src/rollout/go-regex';

const istio = TrafficRouting.istio({ virtualService: 'vs' });

describe('dry-run metric rules are Go (RE2) regular expressions', () => {
  test('Go flag groups are accepted and match like Go', () => {
    expect(goRegexProblem('(?i)success')).toBeUndefined();
    expect(toJsRegExp('(?i)success').test('Success-Rate')).toBe(true);
    expect(toJsRegExp('(?i:succ)ess').test('SUCCess')).toBe(true);
    expect(goRegexProblem('(?P<m>p99)-.*')).toBeUndefined();
    expect(goRegexProblem('\\Qa.b\\E')).toBeUndefined();
    expect(toJsRegExp('\\Qa.b\\E').test('axb')).toBe(false);
    expect(goRegexProblem('^latency\\z')).toBeUndefined();
    const { chart } = build({
      trafficRouting: istio,
      steps: [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'a' }, dryRunMetrics: ['(?i)SUCCESS'] })],
    });
    expect(Testing.synth(chart).find(o => o.kind === 'Rollout').spec.strategy.canary.steps[0].analysis.dryRun).toEqual([{ metricName: '(?i)SUCCESS' }]);
  });

  test.each([
    ['(?=x)', "rejected by Go's regexp package (error parsing regexp: invalid or unsupported Perl syntax: `(?=`)"],
    ['succ(?!ess)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'invalid or unsupported Perl syntax: `(?<`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['\\k<n>', 'invalid escape sequence: `\\k`'],
    ['(?>a)', 'invalid or unsupported Perl syntax: `(?>`'],
  ])('rejects %p', (re, why) => {
    expect(goRegexProblem(re)).toContain(why);
  });

  test('the message names the Go rule', () => {
    expect(() => build({
      trafficRouting: istio,
      steps: [CanaryStep.analysis({ templates: [successRate], args: { 'service-name': 'a' }, dryRunMetrics: ['(?=x)'] })],
    })).toThrow('steps[0].analysis.dryRunMetrics[0] is "(?=x)"; expected a metric name or Go (RE2) regular expression (`.*` for all metrics); '
      + "this is rejected by Go's regexp package (error parsing regexp: invalid or unsupported Perl syntax: `(?=`). Fix: use a valid Go regular expression "
      + '(e.g. "(?i)latency", no lookarounds or backreferences)');
    expect(() => build({
      trafficRouting: istio,
      backgroundAnalysis: { templates: [successRate], args: { 'service-name': 'a' }, dryRunMetrics: ['(a)\\1'] },
    })).toThrow('backgroundAnalysis.dryRunMetrics[0] is "(a)\\\\1"; expected a metric name or Go (RE2) regular expression');
  });
});

describe('Go regex scan', () => {
  test('group syntax inside a character class is literal', () => {
    expect(goRegexProblem('[(?=]x')).toBeUndefined();
    expect(goRegexProblem('[]a(?=]')).toBeUndefined();
    expect(goRegexProblem('[^]](?=x)')).toContain('invalid or unsupported Perl syntax: `(?=`');
    expect(goRegexProblem('[\\k]')).toContain('invalid escape sequence: `\\k`');
  });
});
