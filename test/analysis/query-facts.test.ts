import { Duration } from 'cdk8s';
import { queryFactsOf } from '../../src/analysis/query-facts';

describe('queryFactsOf: what the parser tells the federation about a template\'s queries', () => {
  test('the shortest range window per metric, read with the arg defaults; windows from args without default are unknown', () => {
    const facts = queryFactsOf([{ name: 'w', defaultValue: '30s' }, { name: 'free' }], [
      { metricName: 'a', query: 'sum(rate(x[5m])) / sum(rate(x[{{args.w}}]))' },
      { metricName: 'b', query: 'sum(rate(x[{{args.free}}]))' },
      { metricName: 'c', query: 'max_over_time(sum(rate(x[1m]))[10m:30s])' },
    ]);
    expect(facts.rangeWindows.map(w => [w.metricName, w.window, w.duration.toSeconds()])).toEqual([['a', '30s', 30], ['c', '1m', 60]]);
    expect(facts.rangeWindows[0].duration.toMilliseconds()).toBe(Duration.seconds(30).toMilliseconds());
  });

  test('selectors by __name__ regex, with their __name__ matchers alone when no arg is needed', () => {
    const facts = queryFactsOf([{ name: 'm' }], [
      { metricName: 'a', query: 'sum(rate({__name__=~"http_.*",job="x"}[5m]))' },
      { metricName: 'b', query: 'sum(rate({__name__=~"{{args.m}}_total"}[5m]))' },
      { metricName: 'c', query: 'sum(rate({__name__="{{args.m}}"}[5m]))' },
    ]);
    expect(facts.nameRegexSelectors).toEqual([
      { metricName: 'a', selector: '{__name__=~"http_.*",job="x"}', nameSelector: '{__name__=~"http_.*"}' },
      { metricName: 'b', selector: '{__name__=~"<arg>_total"}' },
      { metricName: 'c', selector: 'a metric named by an arg without default (<arg>)' },
    ]);
  });

  test('selectors with the matchers the query text fixes; arg values (defaults included) are not fixed', () => {
    const facts = queryFactsOf([{ name: 'svc', defaultValue: 'checkout' }], [{
      metricName: 'a',
      query: '(sum(rate(x{job="{{args.svc}}",code=~"5..",env="prod"}[5m])) or vector(0)) / sum(rate({__name__=~"x|y",job="{{args.svc}}"}[5m]))',
    }]);
    expect(facts.selectors).toEqual([
      // job takes its whole value from an arg: not fixed, but known as an arg matcher (a federation narrows it with
      // the values Rollouts pass)
      { metricName: 'x', matchers: ['code=~"5.."', 'env="prod"'], argMatchers: [{ label: 'job', argName: 'svc' }] },
      { metricName: 'x', matchers: [] },
      { metricName: 'y', matchers: [] },
    ]);
  });

  test('an arg inside a longer value, or under another operator, is not an arg matcher', () => {
    const facts = queryFactsOf([{ name: 'svc' }, { name: 'env' }], [{
      metricName: 'a',
      query: 'sum(rate(x{job="{{args.svc}}-canary",env=~"{{args.env}}",cluster="{{args.env}}"}[5m]))',
    }]);
    expect(facts.selectors).toEqual([{ metricName: 'x', matchers: [], argMatchers: [{ label: 'cluster', argName: 'env' }] }]);
  });
});
