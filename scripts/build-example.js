// Transpiles (without type-checking) the library sources, the generated imports and the examples into
// .cache/example-js, so the example app runs on plain node: `npx projen example` and `cdk8s synth` then take about a
// second instead of type-checking 7 MB of generated L1 classes on every run. Type-checking stays where it belongs:
// `npx projen compile` (jsii) and `tsc --noEmit -p test/tsconfig.json` (tests, examples, scripts).
// Only files newer than their output are transpiled again.
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

let built = 0;
for (const dir of ['src', 'imports', 'examples', 'scripts']) {
  for (const file of walk(path.join(root, dir))) {
    const target = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
    if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= fs.statSync(file).mtimeMs) continue;
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
    built++;
  }
}
if (built > 0) console.error(`transpiled ${built} file(s) into ${path.relative(root, out)}/`);
