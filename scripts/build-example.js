// Transpiles (without type-checking) the library sources, the generated imports and the examples into
// .cache/example-js, so the example app runs on plain node: `npx projen example` and `cdk8s synth` then take about a
// second instead of type-checking 7 MB of generated L1 classes on every run. Type-checking stays where it belongs:
// `npx projen compile` (jsii) and `tsc --noEmit -p test/tsconfig.json` (tests, examples, scripts).
// Only files newer than their output are transpiled again, and only those the entry points require at runtime.
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const out = path.join(root, '.cache', 'example-js');
const options = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  sourceMap: false,
};

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

// Entry points: the examples and the one script run from here (`npx projen bench:synth`). From them, only what their transpiled JavaScript requires at runtime is
// transpiled: imports used only as types are elided by the transpiler, so e.g. the 3 MB Argo CD L1 module, which the
// library never loads, is not transpiled on the first run after install.
const entries = [...walk(path.join(root, 'examples')), path.join(root, 'scripts', 'bench-synth.ts')];
const queue = [...entries];
const seen = new Set(queue);
let built = 0;

/** The .ts file a relative `require` of the transpiled `from` resolves to inside the repository, if any. */
function resolveRequire(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    const inside = ['src', 'imports', 'examples', 'scripts'].some(dir => candidate.startsWith(path.join(root, dir) + path.sep));
    if (inside && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

while (queue.length > 0) {
  const file = queue.shift();
  const target = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
  let js;
  if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= fs.statSync(file).mtimeMs) {
    js = fs.readFileSync(target, 'utf8');
  } else {
    js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file }).outputText;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, js);
    built++;
  }
  for (const m of js.matchAll(/\brequire\("(\.{1,2}\/[^"]*)"\)/g)) {
    const dep = resolveRequire(file, m[1]);
    if (dep && !seen.has(dep)) {
      seen.add(dep);
      queue.push(dep);
    }
  }
}
if (built > 0) console.error(`transpiled ${built} file(s) into ${path.relative(root, out)}/`);
