import { instance, isInstanceNamed, mapOf, open, required, shapeProblems } from '../../src/core/struct-shape';

/** The props walk (`shapeProblems`): what each shape accepts, the problems in order, and the props paths. */
describe('shapeProblems', () => {
  const shape = { name: required('string'), count: 'number', tags: ['string'], nested: { on: 'boolean' }, labels: 'map' } as const;

  test('a valid value, absent optional keys included, has no problems', () => {
    expect(shapeProblems('props', { name: 'web' }, shape)).toEqual([]);
    expect(shapeProblems('props', { name: 'web', count: 2, tags: ['a'], nested: { on: true }, labels: { a: 'b' } }, shape)).toEqual([]);
  });

  test('unknown keys are reported first and alone, with a suggestion', () => {
    const problems = shapeProblems('props', { name: 1, cont: 2 }, shape);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ prop: 'cont', fix: 'did you mean "count"?' });
  });

  test('wrong types and missing required keys, in key order, with nested paths', () => {
    const problems = shapeProblems('props', { count: '2', tags: ['a', 3], nested: { on: 'yes' }, labels: { a: 1 } }, shape);
    expect(problems.map(p => p.prop)).toEqual(['name', 'count', 'tags[1]', 'nested.on', 'labels.a']);
    expect(problems[0]).toMatchObject({ given: 'missing', fix: 'set name (it is required)' });
  });

  test('an empty entry of a list is refused; a hole of a sparse array is skipped, as before', () => {
    expect(shapeProblems('props', { name: 'web', tags: ['a', undefined] }, shape).map(p => p.prop)).toEqual(['tags[1]']);
    // eslint-disable-next-line no-sparse-arrays
    expect(shapeProblems('props', { name: 'web', tags: [, 'b'] }, shape)).toEqual([]);
    const huge: string[] = [];
    huge[1_000_000] = 'x';
    expect(shapeProblems('props', { name: 'web', tags: huge }, shape)).toEqual([]);
  });

  test('inherited properties are not keys of the struct; own "__proto__" keys are', () => {
    const inherited = Object.create({ extra: 1 });
    inherited.name = 'web';
    expect(shapeProblems('props', inherited, shape)).toEqual([]);
    expect(shapeProblems('props', JSON.parse('{"name":"web","__proto__":{"x":1}}'), shape).map(p => p.prop)).toEqual(['__proto__']);
  });

  test('open structs check only their keys; maps check every value', () => {
    expect(shapeProblems('props', { name: 'web', more: true }, open({ name: 'string' }))).toEqual([]);
    expect(shapeProblems('props', { a: { on: 1 } }, mapOf({ on: 'boolean' })).map(p => p.prop)).toEqual(['props.a.on']);
  });

  test('instances are recognised by class name along the prototype chain (two package copies agree)', () => {
    class Base {}
    class Child extends Base {}
    expect(isInstanceNamed(new Child(), 'Base')).toBe(true);
    expect(isInstanceNamed(new Child(), 'Child')).toBe(true);
    expect(isInstanceNamed({}, 'Base')).toBe(false);
    expect(isInstanceNamed(Object.create(null), 'Base')).toBe(false);
    expect(shapeProblems('step', {}, instance('Base', 'new Base()'))[0]).toMatchObject({ prop: 'step', expected: 'a Base', fix: 'use new Base()' });
  });
});
