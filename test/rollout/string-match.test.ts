import { StringMatch } from '../../src';

describe('StringMatch', () => {
  test.each([
    ['exact', StringMatch.exact('a'), { exact: 'a' }],
    ['prefix', StringMatch.prefix('/api'), { prefix: '/api' }],
    ['regex', StringMatch.regex('^v[0-9]+$'), { regex: '^v[0-9]+$' }],
  ])('%s sets exactly one key, as the controller requires', (type, m, kube) => {
    expect(m.type).toBe(type);
    expect(m._toKube()).toEqual(kube);
    expect(Object.keys(m._toKube())).toHaveLength(1);
  });
});
