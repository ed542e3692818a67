/**
 * Worst-case timing of the library's text and regex paths on hostile inputs (issue 10), each as a ratio to a linear
 * scan of the same input measured in the same run (a JavaScript loop that reads every character once).
 * A linear path keeps a roughly constant ratio as the input doubles; a polynomial or exponential one does not.
 * Not a unit test: timings depend on the machine.
 *
 *   npx ts-node -T scripts/bench-text-scans.ts
 */
import { PrometheusMetric } from '../src';
import { renderString } from '../src/appset/template-engine';
import { escapeHelmTpl } from '../src/federation/helm-tpl';
import { parseMatchSelector, selectsSomeOfMetric } from '../src/federation/match-selector';
import { analyzePromQL, scanPlaceholders } from '../src/core/promql';
import { matcherRegexError, matcherRegExp, re2Error } from '../src/core/re2';
import { dryRunProblems } from '../src/rollout/canary-rollout-rules';
import { medianMs } from './measure';

const measure = (fn: () => unknown, runs = 9, warmup = 2): number => medianMs(fn, runs, warmup);

interface Case {
  readonly name: string;
  readonly input: (n: number) => string;
  readonly run: (text: string) => unknown;
}

let fresh = 0;

const cases: Case[] = [
  { name: 'placeholder scan: "{{" + n spaces', input: n => `{{${' '.repeat(n)}`, run: scanPlaceholders },
  // analyses are cached by query: a new suffix each run measures the parse, not the cache
  { name: 'query analysis: "{{" + n spaces', input: n => `up{job="{{${' '.repeat(n)}"}`, run: q => analyzePromQL(`${q} + ${fresh++}`) },
  // fresh patterns each run would defeat the cache: the input is the subject, the pattern fixed
  { name: 'RE2 match of (a*)*b against n "a"', input: n => 'a'.repeat(n), run: s => matcherRegExp('(a*)*b')!.test(s) },
  { name: 'RE2 match of (a|a)*c against n "a"', input: n => 'a'.repeat(n), run: s => matcherRegExp('(a|a)*c')!.test(s) },
  { name: 'RE2 syntax check of "[[:" x n/3', input: n => '[[:'.repeat(Math.ceil(n / 3)), run: matcherRegexError },
  { name: 'RE2 syntax check of "\\Q" x n/2', input: n => '\\Q'.repeat(Math.ceil(n / 2)), run: matcherRegexError },
  { name: 'RE2 syntax check of "(" x n (unclosed)', input: n => '('.repeat(n), run: re2Error },
  // issue 10: the query was analysed before the constructor threw, through an invalid serviceLabel
  {
    name: 'successRate(serviceLabel: "{{" + n spaces)',
    input: n => `{{${' '.repeat(n)}`,
    run: l => {
      try {
        PrometheusMetric.successRate({ threshold: 0.95, serviceLabel: l, requestMetric: `m${fresh++}` });
      } catch { /* rejected: the time to reject is what is measured */ }
    },
  },
  // issue 10: dryRunMetrics ['(a*)*b'] against a long metric name (the controller's regexp.MatchString)
  {
    name: 'dryRunMetrics (a*)*b against n "a"',
    input: n => 'a'.repeat(n),
    run: name => dryRunProblems('s', { templates: [{ templateName: 't', clusterScope: false, declaredArgs: [], requiredArgs: [], metricNames: [name], queriedSeries: [] }], dryRunMetrics: ['(a*)*b'] }),
  },
  // issue 10: a federation match[] {__name__=~"(a|a)*c"} against a long metric name
  {
    name: 'match[] {__name__=~"(a|a)*c"} vs n "a"',
    input: n => 'a'.repeat(n),
    run: name => selectsSomeOfMetric(parseMatchSelector('{__name__=~"(a|a)*c"}').selector!, name),
  },
  { name: 'match[] parse: "{{" + n spaces', input: n => `{job="{{${' '.repeat(n)}"}`, run: t => parseMatchSelector(`${t} or up${fresh++}`) },
  { name: 'app set template: "{{" + n spaces', input: n => `{{${' '.repeat(n)}`, run: t => renderString(t, {}, { goTemplate: false, missingKeyError: false }) },
  { name: 'app set Go template: "{{" + n spaces', input: n => `{{${' '.repeat(n)}`, run: t => renderString(t, {}, { goTemplate: true, missingKeyError: false }) },
  { name: 'Helm tpl escape: "{{" x n/2', input: n => '{{'.repeat(Math.ceil(n / 2)), run: escapeHelmTpl },
];

const sizes = [25_000, 50_000, 100_000, 200_000];

/** The linear baseline: read every character once. */
function linearScan(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0) n++;
  return n;
}
console.log(`size:${sizes.map(n => String(n).padStart(10)).join('')}   (ratio to a linear scan of the same input)`);
for (const c of cases) {
  const ratios = sizes.map((n) => {
    const text = c.input(n);
    const baseline = measure(() => linearScan(text), 25, 5);
    const t = measure(() => c.run(text));
    return t / baseline;
  });
  console.log(`${c.name.padEnd(44)}${ratios.map(r => r.toFixed(1).padStart(10)).join('')}  growth x${(ratios[ratios.length - 1] / ratios[0]).toFixed(1)}`);
}
