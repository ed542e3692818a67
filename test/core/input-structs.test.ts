import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Every public props/options struct a caller passes in (a parameter of a public constructor, static factory or method
 * of an exported class, and every struct reachable from one through its fields) has a `StructShape<Name>` in src/:
 * the one mechanism (src/core/struct-shape.ts) that rejects unknown keys ("did you mean …") and wrong types for callers
 * without TypeScript. `StructShape<T>` lists exactly T's keys (the compiler rejects a missing or extra one), and this
 * test fails when a new input struct has no shape — so the checks cannot drift from the API.
 *
 * The public API is read from the TypeScript sources with the compiler API (the same declarations jsii compiles into
 * `.jsii`), so the test needs no build.
 */
const ROOT = path.resolve(__dirname, '..', '..');
/* eslint-disable no-bitwise */ // TypeScript's symbol, type and modifier flags are bit sets
const SRC = path.join(ROOT, 'src');

/** Input structs of the public API: name → where it is first taken. */
export function inputStructs(): Map<string, string> {
  const program = ts.createProgram([path.join(SRC, 'index.ts')], {
    target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true,
  });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(SRC, 'index.ts'))!;
  const found = new Map<string, string>();
  const isOurs = (d: ts.Declaration) => path.resolve(d.getSourceFile().fileName).startsWith(SRC + path.sep);

  const visitType = (type: ts.Type, where: string): void => {
    if (type.isUnion() || type.isIntersection()) return type.types.forEach(t => visitType(t, where));
    const elem = checker.getIndexTypeOfType(type, ts.IndexKind.Number);
    if (checker.isArrayType(type) && elem) return visitType(elem, where);
    const str = checker.getIndexTypeOfType(type, ts.IndexKind.String);
    if (str && type.getProperties().length === 0) return visitType(str, where);
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (!symbol || !(symbol.flags & ts.SymbolFlags.Interface)) return;
    const decl = symbol.declarations?.[0];
    if (!decl || !isOurs(decl) || /^I[A-Z]/.test(symbol.name) || found.has(symbol.name)) return;
    found.set(symbol.name, where);
    for (const prop of checker.getPropertiesOfType(type)) {
      const pd = prop.valueDeclaration ?? prop.declarations?.[0];
      if (pd) visitType(checker.getTypeOfSymbolAtLocation(prop, pd), `${symbol.name}.${prop.name}`);
    }
  };
  const visitSignature = (sig: ts.Signature, where: string) => {
    for (const p of sig.getParameters()) {
      const pd = p.valueDeclaration ?? p.declarations?.[0];
      if (pd) visitType(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(p, pd)), `${where}(${p.name})`);
    }
  };

  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(index)!)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & ts.SymbolFlags.Class)) continue;
    const decl = symbol.valueDeclaration as ts.ClassDeclaration | undefined;
    if (!decl || !isOurs(decl)) continue;
    const hidden = ts.ModifierFlags.Private | ts.ModifierFlags.Protected;
    const isPublic = (m: ts.ClassElement) => !(ts.getCombinedModifierFlags(m as ts.Declaration) & hidden)
      && !(m.name && ts.isIdentifier(m.name) && m.name.text.startsWith('_'));
    for (const member of decl.members) {
      if (!isPublic(member)) continue;
      if (ts.isConstructorDeclaration(member) || ts.isMethodDeclaration(member)) {
        const sig = checker.getSignatureFromDeclaration(member);
        const name = ts.isConstructorDeclaration(member) ? `new ${symbol.name}` : `${symbol.name}.${(member.name as ts.Identifier).text}`;
        if (sig) visitSignature(sig, name);
      }
    }
  }
  return found;
}

/** The structs with a `StructShape<Name>` somewhere in src/. */
function shapedStructs(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/StructShape<(\w+)>/g)) out.add(m[1]);
    }
  };
  walk(SRC);
  return out;
}

describe('unknown option keys and wrong types cannot drift from the public API', () => {
  const inputs = inputStructs();

  test('the API has input structs to check (the reader works)', () => {
    expect(inputs.get('FleetProps')).toBe('new Fleet(props)');
    expect(inputs.has('CanaryRolloutProps')).toBe(true);
    expect(inputs.has('IstioTlsRoute')).toBe(true); // reached through a field
    expect(inputs.has('RolloutWave')).toBe(false); // an output struct
    expect(inputs.size).toBeGreaterThan(40);
  });

  test('every public props/options struct has a StructShape (unknown keys rejected, types checked)', () => {
    const shaped = shapedStructs();
    const missing = [...inputs].filter(([name]) => !shaped.has(name)).map(([name, where]) => `${name} (taken by ${where})`);
    expect(missing).toEqual([]);
  });
});
