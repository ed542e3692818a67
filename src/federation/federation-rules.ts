import { Duration } from 'cdk8s';
import type { FederatedPrometheus } from './federated-prometheus';
import { MatchSelector, narrowSelector, parseMatchSelector, selectsAllOf, selectsSomeOfMetric } from './match-selector';
import { IAnalysisTemplate } from '../analysis/analysis-template';
import { toGoDuration } from '../core/duration';
import { checkPrometheusMetricName } from '../core/names';
import { Problem, show } from '../core/problem';
import { Fleet } from '../fleet/fleet';

/**
 * What an analysis reads of a metric, as lists of matchers: from its query's selectors when the library can read them
 * (matchers on the federation's cluster label left out: a workload series may not carry it before federation), else
 * every series of the metric.
 */
function needsOf(a: IAnalysisTemplate, metricName: string, clusterLabel: string, argValues?: ReadonlyArray<Record<string, string>>): string[][] {
  const selectors = (a.queryFacts?.selectors ?? []).filter(s => s.metricName === metricName);
  if (selectors.length === 0) return [[]];
  return selectors.flatMap(s => {
    const fixed = s.matchers.filter(m => !m.startsWith(`${clusterLabel}=`) && !m.startsWith(`${clusterLabel}!`));
    const fromArgs = (s.argMatchers ?? []).filter(m => m.label !== clusterLabel);
    if (fromArgs.length === 0 || !argValues || argValues.length === 0) return [fixed];
    // one need per known use: the matchers its arg values fix (an arg the use does not know leaves its label open)
    return argValues.map(values => [...fixed, ...fromArgs.filter(m => values[m.argName] !== undefined)
      .map(m => `${m.label}=${JSON.stringify(values[m.argName])}`)]);
  });
}

/**
 * What the analyses read that no selector federates, as the narrowest selectors that federate it (the metric with the
 * matchers its queries fix), with who reads it. A need that a wider one covers is left out.
 *
 * @internal
 */
export function missingMetrics(selectors: MatchSelector[], analyses: IAnalysisTemplate[], clusterLabel: string,
  argValuesOf: (a: IAnalysisTemplate) => ReadonlyArray<Record<string, string>> | undefined = () => undefined):
  { metricName: string; matchers: string[]; selector: string; templates: string[] }[] {
  const out: { metricName: string; matchers: string[]; selector: string; templates: string[] }[] = [];
  for (const a of analyses) {
    for (const s of a.queriedSeries) {
      if (checkPrometheusMetricName(s.metricName) !== undefined) continue; // reported by federationProblems()
      for (const matchers of needsOf(a, s.metricName, clusterLabel, argValuesOf(a))) {
        if (selectors.some(sel => selectsAllOf(sel, s.metricName, matchers))) continue;
        const selector = narrowSelector(s.metricName, matchers);
        const seen = out.find(o => o.selector === selector);
        if (seen) {
          if (!seen.templates.includes(a.templateName)) seen.templates.push(a.templateName);
        } else {
          out.push({ metricName: s.metricName, matchers, selector, templates: [a.templateName] });
        }
      }
    }
  }
  const wider = (o: typeof out[number]) => out.find(p => p !== o && p.metricName === o.metricName
    && p.matchers.length < o.matchers.length && p.matchers.every(m => o.matchers.includes(m)));
  for (const o of out) {
    const w = wider(o);
    if (w) for (const t of o.templates) if (!w.templates.includes(t)) w.templates.push(t);
  }
  return out.filter(o => wider(o) === undefined);
}

/**
 * Query selectors that pick their metrics by a `__name__` regex (not a plain list of names), with their `__name__`
 * matchers alone as a match[] selector when this library can federate them that way: `nameSelector` undefined
 * when it cannot (no `__name__` matcher, one that depends on an arg without default, or one that matches the empty
 * name).
 */
function nameSelectorNeeds(analyses: IAnalysisTemplate[]): { templateName: string; metricName: string; selector: string; nameSelector?: string }[] {
  return analyses.flatMap(a => (a.queryFacts?.nameRegexSelectors ?? []).map((n) => {
    const usable = n.nameSelector !== undefined && parseMatchSelector(n.nameSelector).selector !== undefined;
    return { templateName: a.templateName, metricName: n.metricName, selector: n.selector, ...(usable ? { nameSelector: n.nameSelector } : {}) };
  }));
}

/**
 * Name selectors the analyses need that match[] does not list (compared as text).
 *
 * @internal
 */
export function missingNameSelectors(selectors: MatchSelector[], analyses: IAnalysisTemplate[]):
{ templateName: string; metricName: string; selector: string; nameSelector: string }[] {
  const given = selectors.map(s => s.text.replace(/\s+/g, ''));
  return nameSelectorNeeds(analyses).flatMap(n => (n.nameSelector !== undefined && !given.includes(n.nameSelector.replace(/\s+/g, ''))
    ? [{ ...n, nameSelector: n.nameSelector }] : []));
}

/** Range windows of the analyses' queries shorter than two federation intervals: rate() would see < 2 samples. */
function windowProblems(scrapeInterval: Duration, analyses: IAnalysisTemplate[]): Problem[] {
  const interval = scrapeInterval.toMilliseconds();
  const problems: Problem[] = [];
  for (const a of analyses) {
    for (const w of a.queryFacts?.rangeWindows ?? []) {
      const ms = w.duration.toMilliseconds();
      if (ms < 2 * interval) {
        problems.push({
          prop: 'scrapeInterval',
          given: toGoDuration(scrapeInterval),
          expected: `at most half of the shortest range window the analyses query (${JSON.stringify(a.templateName)} metric `
            + `${JSON.stringify(w.metricName)} uses [${w.window}]): rate() needs two federated samples in its window`,
          fix: `federate at least every ${toGoDuration(Duration.millis(Math.floor(ms / 2)))} (half the window), or lengthen the analysis window`,
        });
      }
    }
  }
  return problems;
}

/**
 * The federation's synth-time rules: every fleet cluster federated (or explicitly skipped) under a distinct cluster
 * label and endpoint, the analyses per-cluster and on the federation's cluster label, every series they query
 * federated, rate windows of at least two federation intervals, no queried label dropped. The rules and their
 * sources: docs/rules/prometheus.md (FED-*).
 *
 * @internal
 */
export function federationProblems(fp: FederatedPrometheus): Problem[] {
  const settings = fp._settings;
  const problems: Problem[] = [];
  const clusters = fp.fleet.clusters;
  if (!settings.skipMissing) {
    clusters.forEach((c, i) => {
      if (c.metricsEndpoint === undefined) {
        problems.push({
          prop: `fleet.clusters[${i}].metricsEndpoint`,
          given: `missing (cluster ${JSON.stringify(c.name)})`,
          expected: 'host:port of the cluster\'s Prometheus for every federated cluster',
          fix: 'set metricsEndpoint on the cluster, or skipClustersWithoutMetricsEndpoint: true to leave it out of the federation',
        });
      }
    });
  }
  if (clusters.length > 0 && fp.targets.length === 0 && settings.skipMissing) {
    problems.push({
      prop: 'fleet',
      given: `${clusters.length} cluster(s), none with a metricsEndpoint`,
      expected: 'at least one cluster to federate',
      fix: 'set metricsEndpoint on the clusters to federate',
    });
  }
  if (clusters.length === 0) {
    problems.push({ prop: 'fleet.clusters', given: '[]', expected: 'at least one cluster to federate', fix: 'add clusters to the fleet' });
  }
  const federated = fp.targets.length;
  for (const a of fp.analyses) {
    const label = a.perClusterLabel;
    // only this library's analyses expose their queries; a reference to a template elsewhere cannot be judged
    if (label === undefined && federated > 1 && !settings.allowFleetWide && a.queryFacts !== undefined) {
      problems.push({
        prop: 'analyses',
        given: `${show(a.templateName)}, whose queries do not filter on a cluster label, on a federation of ${federated} clusters`,
        expected: 'per-cluster analyses: on the central Prometheus a query without a cluster filter sums every cluster, so one '
          + 'cluster\'s canary would be judged on the whole fleet\'s traffic and its failures diluted',
        fix: `give the analysis clusterLabel: ${show(fp.clusterLabel.labelName)} (and pass the cluster arg from each Rollout), `
          + 'or set allowFleetWideAnalyses: true if it is meant to judge the whole fleet',
      });
    }
    if (label !== undefined && label !== fp.clusterLabel.labelName) {
      problems.push({
        prop: 'clusterLabel',
        given: `${fp.clusterLabel.onTargets ? 'targetLabel' : 'workloadExternalLabel'}(${JSON.stringify(fp.clusterLabel.labelName)})`,
        expected: `the label ${JSON.stringify(a.templateName)} filters clusters on (${JSON.stringify(label)}): its per-cluster queries `
          + 'would select nothing on the federated series and every measurement would fail for lack of data',
        fix: `use FederationClusterLabel.${fp.clusterLabel.onTargets ? 'targetLabel' : 'workloadExternalLabel'}(${JSON.stringify(label)}), `
          + `or set the analysis's clusterLabel to ${JSON.stringify(fp.clusterLabel.labelName)}`,
      });
    }
  }
  fp.fleet.clusters.forEach((c, i) => {
    if (c.metricsEndpoint !== undefined && Fleet.normalizeClusterName(c.name) === '') {
      problems.push({
        prop: `fleet.clusters[${i}].name`,
        given: `${show(c.name)} (normalized to "")`,
        expected: `a cluster name with a letter or digit: the ${fp.clusterLabel.labelName} label would be empty, which Prometheus treats as `
          + 'no label, so the cluster\'s series could not be told apart',
        fix: 'rename the cluster in Argo CD',
      });
    }
  });
  const byLabel = new Map<string, string>();
  for (const t of fp.targets) {
    const other = byLabel.get(t.cluster);
    if (other !== undefined) {
      problems.push({
        prop: 'fleet.clusters',
        given: `${JSON.stringify(other)} and ${JSON.stringify(t.clusterName)}, both labelled ${fp.clusterLabel.labelName}=${JSON.stringify(t.cluster)}`,
        expected: 'cluster names that stay distinct after normalization (the cluster label could not tell their series apart)',
        fix: 'rename one of the clusters in Argo CD',
      });
    } else {
      byLabel.set(t.cluster, t.clusterName);
    }
  }
  for (const t of fp.targets) {
    const port = Number(/:(\d+)$/.exec(t.endpoint)?.[1]);
    if (!(port >= 1 && port <= 65535)) {
      problems.push({
        prop: 'fleet.clusters',
        given: `${JSON.stringify(t.clusterName)} with metricsEndpoint ${JSON.stringify(t.endpoint)}`,
        expected: 'host:port with a TCP port 1..65535 (Prometheus accepts the target and every scrape fails: the cluster is never federated)',
        fix: 'give the port the cluster\'s Prometheus listens on, e.g. 9090',
      });
    }
  }
  const byEndpoint = new Map<string, string>();
  for (const t of fp.targets) {
    const other = byEndpoint.get(t.endpoint);
    if (other) {
      problems.push({
        prop: 'fleet.clusters',
        given: `${JSON.stringify(other)} and ${JSON.stringify(t.clusterName)} with metricsEndpoint ${JSON.stringify(t.endpoint)}`,
        expected: 'one Prometheus per cluster (otherwise the same series are federated twice under different cluster labels)',
        fix: 'give each cluster its own metricsEndpoint',
      });
    } else {
      byEndpoint.set(t.endpoint, t.clusterName);
    }
  }
  if (fp.match.length === 0) {
    problems.push({
      prop: 'match',
      given: '[]',
      expected: 'at least one selector (/federate returns nothing without match[])',
      fix: 'pass match selectors or analyses whose metrics to federate',
    });
  }
  for (const n of nameSelectorNeeds(fp.analyses)) {
    if (n.nameSelector !== undefined) continue;
    problems.push({
      prop: 'analyses',
      given: `${JSON.stringify(n.templateName)} metric ${JSON.stringify(n.metricName)} selecting ${n.selector}`,
      expected: 'query selectors whose metrics can be federated: a metric name, __name__="…", or __name__ matchers that do not match '
        + 'the empty name and need no arg without default (this one cannot be verified to be federated)',
      fix: 'select the metrics by name in the query (e.g. {__name__=~"a_total|b_total", job="x"}), or give the arg a default',
    });
  }
  if (!settings.autoAdd) {
    for (const n of missingNameSelectors(fp._selectors, fp.analyses)) {
      problems.push({
        prop: 'match',
        given: show(fp._selectors.map(s => s.text)),
        expected: `a selector that federates every series ${n.selector} selects, which ${JSON.stringify(n.templateName)} queries `
          + '(its metric names come from a regex, so only the same __name__ matchers are known to cover it)',
        fix: `add '${n.nameSelector}' to match, or set autoAddAnalysisSeries: true`,
      });
    }
    for (const m of missingMetrics(fp._selectors, fp.analyses, fp.clusterLabel.labelName, a => fp._argValuesOf(a))) {
      const partial = fp._selectors.filter(s => selectsSomeOfMetric(s, m.metricName)).map(s => s.text);
      problems.push({
        prop: 'match',
        given: show(fp._selectors.map(s => s.text)),
        expected: `selectors that federate every series of ${m.matchers.length === 0 ? m.metricName : m.selector}, which `
          + `${m.templates.map(t => JSON.stringify(t)).join(', ')} query`
          + (partial.length > 0 ? ` (${partial.join(', ')} federate only some of ${m.matchers.length === 0 ? 'its' : 'those'} series)` : ''),
        fix: `add '${m.selector}' to match, or set autoAddAnalysisSeries: true`,
      });
    }
  }
  problems.push(...windowProblems(fp.scrapeInterval, fp.analyses));
  for (const a of fp.analyses) {
    for (const s of a.queriedSeries) {
      if (checkPrometheusMetricName(s.metricName) !== undefined) {
        problems.push({
          prop: 'analyses',
          given: `${JSON.stringify(a.templateName)} querying metric ${show(s.metricName)}`,
          expected: 'Prometheus metric names ([a-zA-Z_:][a-zA-Z0-9_:]*) in queriedSeries',
          fix: 'fix the analysis template\'s queriedSeries',
        });
      }
      const dropped = s.labelNames.filter(l => settings.dropLabels.includes(l));
      if (dropped.length > 0) {
        problems.push({
          prop: 'dropLabels',
          given: show(settings.dropLabels),
          expected: `no label that ${JSON.stringify(a.templateName)} queries on ${s.metricName} (${dropped.join(', ')})`,
          fix: `remove ${dropped.join(', ')} from dropLabels`,
        });
      }
    }
  }
  return problems;
}
