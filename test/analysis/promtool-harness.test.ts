import { evaluateWithPromtool, parseGot } from '../harness/promtool';

describe('promtool harness', () => {
  test('parses promtool sample lists', () => {
    expect(parseGot('nil')).toEqual([]);
    expect(parseGot('{} 9.5E-01')).toEqual([{ labels: {}, value: 0.95 }]);
    const samples = parseGot('{__name__="m", a="x, y", b="q\\"uote"} 1E+00, {a="z"} NaN, {} +Inf, {} -Inf');
    expect(samples.map(s => s.labels)).toEqual([{ __name__: 'm', a: 'x, y', b: 'q"uote' }, { a: 'z' }, {}, {}]);
    expect(samples.map(s => s.value)).toEqual([1, NaN, Infinity, -Infinity]);
  });

  test('evaluates several series and reports promtool errors with its output', () => {
    const [[m]] = evaluateWithPromtool([{
      name: 'two-series',
      series: [{ series: 'm{a="x, y"}', values: '1x5' }, { series: 'm{a="z"}', values: '3x5' }],
      queries: [{ expr: 'm * 2', evalTime: '1m' }],
    }]);
    expect(m).toEqual([{ labels: { a: 'x, y' }, value: 2 }, { labels: { a: 'z' }, value: 6 }]);
    expect(() => evaluateWithPromtool([{ name: 'bad', series: [{ series: 'm', values: '1' }], queries: [{ expr: 'sum(rate(m[2m)' }] }]))
      .toThrow('promtool did not evaluate all 1 queries');
  });
});
