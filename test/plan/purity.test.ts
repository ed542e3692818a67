import * as fs from 'fs';
import * as path from 'path';

/** Every relative module the file imports at runtime (type-only imports excluded), transitively. */
function runtimeImports(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const src = fs.readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)';/gms)].map(m => m[1]);
  seen.set(file, specs);
  for (const s of specs.filter(x => x.startsWith('.'))) {
    runtimeImports(path.resolve(path.dirname(file), `${s}.ts`), seen);
  }
  return seen;
}

test('the planner is pure: no cdk8s, no constructs at runtime, no I/O', () => {
  const graph = runtimeImports(path.join(__dirname, '..', '..', 'src', 'plan', 'rollout-plan.ts'));
  const external = new Set([...graph.values()].flat().filter(s => !s.startsWith('.')));
  // problem.ts imports the IConstruct *type* from constructs only (erased at compile time)
  expect([...external].sort()).toEqual(['constructs']);
  const problem = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'core', 'problem.ts'), 'utf8');
  expect(problem).toMatch(/^import \{ IConstruct \} from 'constructs';$/m);
  expect([...graph.keys()].map(f => path.basename(f)).sort()).toEqual([
    'bounds.ts', 'input-shapes.ts', 'input-types.ts', 'label-expression.ts', 'max-update.ts', 'names.ts', 'problem.ts', 'rolling-sync-step.ts',
    'rollout-plan.ts', 'struct-shape.ts', 'validation-error.ts',
  ]);
});
