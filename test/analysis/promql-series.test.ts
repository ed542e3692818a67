import { mergeSeries, metricNameAlternatives, queriedSeriesOf, unresolvedSelectorsOf } from '../../src/analysis/promql-series';

describe('the series a query reads', () => {
  test('metric names with the labels of matchers and enclosing groupings', () => {
    expect(queriedSeriesOf('sum by (le) (rate(h_bucket{job="a"}[5m])) / on(job) group_left(team) max by (job) (up)')).toEqual([
      { metricName: 'h_bucket', labelNames: ['job', 'le', 'team'] }, // a binary operation's grouping labels count for both sides
      { metricName: 'up', labelNames: ['job', 'team'] },
    ]);
    expect(queriedSeriesOf('sum(rate({__name__=~"a_total|b_total",job="x"}[1m]))').map(s => s.metricName)).toEqual(['a_total', 'b_total']);
  });

  test('selectors whose metric names the text does not fix', () => {
    expect(unresolvedSelectorsOf('sum(rate({__name__=~"http_.*",job="x"}[5m])) + sum({job="y"}) + sum(up)')).toEqual([
      { text: '{__name__=~"http_.*",job="x"}', nameSelector: '{__name__=~"http_.*"}' },
      { text: '{job="y"}' },
    ]);
  });

  test('alternations of plain names, and merging', () => {
    expect(metricNameAlternatives('(a_total|b_total)')).toEqual(['a_total', 'b_total']);
    expect(metricNameAlternatives('http_.*')).toBeUndefined();
    expect(mergeSeries([[{ metricName: 'a', labelNames: ['x'] }], [{ metricName: 'a', labelNames: ['y', 'x'] }]]))
      .toEqual([{ metricName: 'a', labelNames: ['x', 'y'] }]);
  });
});

describe('queriedSeriesOf is parsed once per query text', () => {
  test('each call returns its own copy: a caller changing it does not change the next result', () => {
    const query = 'sum(rate(http_requests_total{service="a",code=~"5.."}[1m])) by (cluster)';
    const first = queriedSeriesOf(query);
    first[0].labelNames.push('mutated');
    first.push({ metricName: 'other', labelNames: [] });
    expect(queriedSeriesOf(query)).toEqual([{ metricName: 'http_requests_total', labelNames: ['service', 'code', 'cluster'] }]);
  });
});

