import { MaxUpdate, ValidationError } from '../../src';

describe('MaxUpdate', () => {
  test('renders an integer, a percent string, 0 or nothing', () => {
    expect(MaxUpdate.count(3)._toKube()).toBe(3);
    expect(MaxUpdate.percent(25)._toKube()).toBe('25%');
    expect(MaxUpdate.manual()._toKube()).toBe(0);
    expect(MaxUpdate.all()._toKube()).toBeUndefined();
  });

  test('parses the YAML string form: a percentage, "0%" is the manual gate', () => {
    expect(MaxUpdate.fromString('25%')._toKube()).toBe('25%');
    expect(MaxUpdate.fromString('0%').isManual).toBe(true);
    expect(MaxUpdate.fromString('0%')._toKube()).toBe(0);
  });

  test('rejects a quoted number: Argo CD reads "5" as an invalid percentage and syncs 1 at a time', () => {
    const m = MaxUpdate.fromString('5');
    expect(m._toKube()).not.toBe(5);
    expect(m._limit(10)).toBe(1);
    expect(m._problems('x').map(p => `${p.prop} is ${p.given}; expected ${p.expected}. Fix: ${p.fix}`)).toEqual([
      'x is "5" (a quoted number); expected an integer or a percentage string such as "25%": Argo CD rejects a string without "%", '
      + 'logs a warning and syncs 1 Application at a time, not 5. Fix: use MaxUpdate.count(5)',
    ]);
    expect(MaxUpdate.fromString('0')._problems('x')[0].fix).toBe('use MaxUpdate.manual() for the manual gate (maxUpdate: 0)');
  });

  test('resolves the limit like GetScaledValueFromIntOrPercent(roundUp=false) raised to 1', () => {
    expect(MaxUpdate.percent(25)._limit(20)).toBe(5);
    expect(MaxUpdate.percent(10)._limit(3)).toBe(1);
    expect(MaxUpdate.percent(99)._limit(10)).toBe(9);
    expect(MaxUpdate.manual()._limit(10)).toBe(0);
    expect(MaxUpdate.all()._limit(10)).toBeUndefined();
  });

  test.each([
    [MaxUpdate.count(0), 'x is 0; expected MaxUpdate.count(n) with an integer n >= 1. Fix: use MaxUpdate.manual() for an explicit manual gate'],
    [MaxUpdate.count(-1), 'x is -1; expected MaxUpdate.count(n) with an integer n >= 1'],
    [MaxUpdate.count(1.5), 'x is 1.5; expected MaxUpdate.count(n)'],
    [MaxUpdate.percent(0), 'x is 0%; expected MaxUpdate.percent(p) with an integer p in 1..100'],
    [MaxUpdate.percent(101), 'x is 101%; expected MaxUpdate.percent(p) with an integer p in 1..100'],
    [MaxUpdate.percent(2.5), 'x is 2.5%;'],
    [MaxUpdate.fromString('2.5%'), 'x is "2.5%"; expected an integer (MaxUpdate.count) or a whole percentage such as "25%" '
      + '(Argo CD logs a warning for anything else and syncs 1 Application at a time). Fix: use MaxUpdate.count(), MaxUpdate.percent() or MaxUpdate.manual()'],
    [MaxUpdate.fromString('-10%'), 'x is "-10%";'],
    [MaxUpdate.fromString('abc'), 'x is "abc";'],
  ])('reports a bad value %#', (m, msg) => {
    expect(m._problems('x').map(p => `${p.prop} is ${p.given}; expected ${p.expected}. Fix: ${p.fix}`)[0]).toContain(msg);
  });
});

test('plain-JS callers passing a wrong type get a ValidationError naming the factory', () => {
  expect(() => MaxUpdate.fromString(5 as any)).toThrow('MaxUpdate.fromString: value is 5 (a number); expected a string. Fix: use MaxUpdate.count(5)');
  expect(() => MaxUpdate.count('2' as any)).toThrow('MaxUpdate.count: n is "2" (a string); expected a number');
  let err: unknown;
  try { MaxUpdate.percent(undefined as any); } catch (e) { err = e; }
  expect(ValidationError.isValidationError(err)).toBe(true);
});
