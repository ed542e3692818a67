import { JsonFile, cdk8s, javascript } from 'projen';

const TERRAFORM_PEERS = ['cdktf@^0.21.0', '@cdktf/provider-kubernetes@^12.1.1'];

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-progressive-delivery',
  description:
    'Progressive delivery for cdk8s: Argo CD ApplicationSet RollingSync between clusters, Argo Rollouts canaries inside them, ' +
    'Prometheus analysis and federation, checked at synth time.',
  author: 'cdk8s-progressive-delivery maintainers',
  authorAddress: 'maintainers@cdk8s-progressive-delivery.dev',
  repositoryUrl: 'https://github.com/cdk8s-progressive-delivery/cdk8s-progressive-delivery.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'argo-cd', 'argo-rollouts', 'applicationset', 'canary', 'progressive-delivery', 'prometheus'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Pinned per ../shared/notes/toolchain.md: cdk8s v2 (the projen default is v1), TS 6 (TS 7 has no JS API).
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.4.2',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  minNodeVersion: '20.0.0',

  // cdk8s-progressive-delivery/terraform (terraform/, compiled by tsc, not jsii): cluster Secrets through CDK for Terraform.
  // Optional peers (peerDependenciesMeta below): the main entry point never loads them. CDK for Terraform was archived
  // upstream on 2025-12-10; 0.21.0 and the prebuilt provider bindings 12.1.1 are the last releases (see README).
  peerDeps: ['cdk8s-plus-28@^2.5.6', ...TERRAFORM_PEERS],
  // Runtime dependencies that are not jsii modules must be bundled into the package.
  //  - yaml: renders prometheus.yml / Helm values strings (FederatedPrometheus).
  //  - @prometheus-io/lezer-promql (+ its @lezer peers): the Prometheus project's own PromQL grammar,
  //    used to reject invalid queries and match[] selectors at synth time.
  bundledDeps: ['yaml@^2.8.1', '@prometheus-io/lezer-promql@^0.315.0', '@lezer/lr@^1.4.2', '@lezer/common@^1.2.3', '@lezer/highlight@^1.2.1', 're2-wasm@^1.0.2'],
  devDeps: [
    'cdk8s-cli@^2.207.60', // `cdk8s import` of the vendored CRDs and `cdk8s synth` of the examples
    'ajv@^8.17.1', // strict CRD openAPIV3Schema validation in tests
    'kubernetes-models@4.5.1', // schemas of core kinds (Deployment, Service, ConfigMap) for test validation; last CommonJS line
    'fast-check@^4.3.0', // property-based fuzzing of every construct's props (test/fuzz, scripts/fuzz.ts): shrinking, replayable seeds
  ],

  github: false,
  release: false,
  depsUpgrade: false,
  sampleCode: false,
  pullRequestTemplate: false,

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER, // `test` runs jest --ci; `test:update` writes snapshots
    jestConfig: {
      // Coverage more than doubles the suite's time (v8 coverage of the 7 MB of generated imports every test file
      // loads) and gates nothing: `npx projen test:coverage` measures it on demand.
      collectCoverage: false,
      coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/imports/', '<rootDir>/test/'],
      testTimeout: 60_000,
      // The schema harness's setup plus the conformance collector's directory; the teardown runs Argo Rollouts' own
      // validation on every Rollout the run synthesized (test/harness/conformance-*.ts, conformance/).
      globalSetup: '<rootDir>/test/harness/conformance-global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/conformance-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/setup.ts'],
      // terraform/ imports the library by its package name (as a user does); in tests that is the source.
      moduleNameMapper: { '^cdk8s-progressive-delivery$': '<rootDir>/src/index.ts' },
    },
  },

  // Compile the generated L1s in top-level imports/ together with src/: output is lib/src/** and lib/imports/**.
  tsconfig: { compilerOptions: { rootDir: '.' }, include: ['src/**/*.ts', 'imports/**/*.ts'] },
  // Type-check the tests, the example and the scripts too (relative to test/, where projen puts the dev tsconfig).
  tsconfigDev: {
    // terraform/ imports the library by its package name; type-check it against the source, like jest runs it.
    compilerOptions: { paths: { 'cdk8s-progressive-delivery': ['../src/index.ts'] } },
    include: ['../examples/**/*.ts', '../scripts/**/*.ts', '../terraform/**/*.ts'],
  },
  entrypoint: 'lib/src/index.js',

  // jsii Python target: `npx projen package:python` builds dist/python/*.whl; scripts/python-check.sh checks it.
  publishToPypi: { distName: 'cdk8s-progressive-delivery', module: 'cdk8s_progressive_delivery' },
});

project.package.addField('types', 'lib/src/index.d.ts');

// --- cdk8s-progressive-delivery/terraform -------------------------------------------------------------------------
// A separate TypeScript project in terraform/: jsii compiles only src/ and imports/ (tsconfig.json), so the module is
// neither in the jsii assembly nor reachable from the main entry point. It imports the library by its package name
// (a self-reference through `exports`), so its tsc build only reads lib/src/*.d.ts and emits lib/terraform/ alone.
project.package.addField('peerDependenciesMeta', Object.fromEntries(
  TERRAFORM_PEERS.map(d => [d.slice(0, d.lastIndexOf('@')), { optional: true }])));
project.package.addField('exports', {
  '.': { types: './lib/src/index.d.ts', default: './lib/src/index.js' },
  './terraform': { types: './lib/terraform/index.d.ts', default: './lib/terraform/index.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
});
// TypeScript with moduleResolution node10 ignores `exports`.
project.package.addField('typesVersions', { '*': { terraform: ['lib/terraform/index.d.ts'] } });
new JsonFile(project, 'terraform/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { rootDir: '.', outDir: '../lib/terraform' },
    include: ['**/*.ts'],
    exclude: [],
  },
  marker: true,
  allowComments: true,
});
project.compileTask.exec('tsc -p terraform/tsconfig.json', { name: 'compile:terraform' });
project.addPackageIgnore('/terraform/');
project.eslint?.addLintPattern('terraform');
// eslint resolves terraform/'s self-import through test/tsconfig.json's paths (to src/), also before lib/ is built.
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './test/tsconfig.json']);
eslintrc?.addOverride('settings.import/resolver.typescript.noWarnOnMultipleProjects', true);
project.gitignore.exclude('cdktf.out/');
// `terraform validate` (OpenTofu) with the provider's own schema: both built from Go modules, cached outside the repo.
project.addTask('terraform:tools', {
  description: 'Build OpenTofu and hashicorp/terraform-provider-kubernetes from their Go modules (cached, outside the repo)',
  exec: 'bash scripts/terraform-tools.sh',
});
for (const p of ['/imports/', '/crds/', '/examples/', '/cdk8s.yaml', '/scripts/', '/.ci/', '/.cache/', '/conformance/', '/docs/']) {
  project.addPackageIgnore(p);
}
project.gitignore.exclude('/dist/', '/.cache/', '__pycache__/'); // dist/ holds dist/python (the wheel); the Python check's venv is a temp dir
project.eslint?.addIgnorePattern('imports/');
// The README usage example, verbatim in its compact style (scripts/python-check.sh checks it equals the README block).
project.eslint?.addIgnorePattern('test/python/readme_example.ts');
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// API.md documents the library's own API, not the 8 MB of generated L1 classes.
project.tasks.tryFind('docgen')?.reset('jsii-docgen -o API.md -s root');

project.addTask('test:coverage', { description: 'Run jest with a coverage report', exec: 'jest --ci --coverage' });

// The conformance harness: Go commands that run Argo Rollouts' and Argo CD's own code on synthesized objects
// (conformance/, docs/conformance.md). Built once into .cache/conformance/bin (skipped when nothing changed); on a
// fresh machine the go command fetches the pinned Argo modules from the Go module proxy.
const conformanceBuild = project.addTask('conformance:build', {
  description: 'Build the conformance harness (Argo Rollouts / Argo CD Go code as the test oracle) into .cache/conformance/bin',
  exec: 'bash scripts/conformance-build.sh',
});
project.testTask.prependSpawn(conformanceBuild);

// ts-jest transpiles without type-checking (isolatedModules): type-check tests, example and scripts before jest.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json', { name: 'typecheck' });

// Regenerate the typed L1 classes from crds/ (the `imports:` list in cdk8s.yaml). test/imports.test.ts proves they are in sync.
project.addTask('import', {
  description: 'Regenerate imports/ from the vendored CRDs in crds/ (cdk8s import, offline)',
  exec: 'cdk8s import --no-check-upgrade -l typescript -o imports',
});

// `npm run bench`: synth time against raw-ApiObject and YAML-dump baselines of the same run; writes BENCHMARKS.md.
project.addTask('bench', {
  description: 'Benchmark synth and planning against baselines measured in the same run (writes BENCHMARKS.md)',
  exec: 'ts-node -T --project test/tsconfig.json scripts/bench.ts',
  receiveArgs: true,
});

// The main job: synthesize the example stack into its GitOps tree (dist/gitops) and print its release plan.
// The example runs on plain node from a transpile-only build (scripts/build-example.js, incremental): one synth takes
// about a second instead of type-checking the 7 MB of generated imports on every run (compile and the tests do that).
const buildExample = 'node scripts/build-example.js';
project.addTask('example', {
  description: 'Synthesize the example stack into dist/gitops (ApplicationSets, platform, base, overlays, ROLLOUT-PLAN.md) and print its release plan',
  exec: `${buildExample} && node .cache/example-js/examples/stack/main.js`,
});
// Worst-case timing of the text and regex paths (issue 10), each as a ratio to a linear scan of the same input.
project.addTask('bench:text', {
  description: 'Benchmark: worst-case regex/text paths as ratios to a linear scan of the same input, as the input doubles',
  exec: 'ts-node -T --project test/tsconfig.json scripts/bench-text-scans.ts',
});
// Property-based fuzzing of every public construct (issue 10): 10,000 cases per construct, random seed (printed).
project.addTask('fuzz', {
  description: 'Fuzz every public construct: 10,000 prop sets each with a random seed (--seed N to replay, --runs, --only); prints counts per property',
  exec: 'ts-node -T --project test/tsconfig.json scripts/fuzz.ts',
  receiveArgs: true,
});
project.addTask('bench:synth', {
  description: 'Benchmark: the example stack\'s synth against raw ApiObjects emitting the same objects (ratio), and one cold run',
  exec: `${buildExample} && node .cache/example-js/scripts/bench-synth.js`,
});
project.addTask('kustomize', {
  description: 'Install the pinned kustomize from the Go module proxy into .cache/bin (the GitOps-tree tests build every path with it)',
  exec: 'bash scripts/ensure-kustomize.sh',
});

// The Python package: builds the wheel, installs it with cdk8s from PyPI into a fresh venv, runs the README example in
// Python and compares its YAML byte for byte with the TypeScript one, and checks that bad props raise the library's message.
const pythonCheck = project.addTask('python-check', {
  description: 'Build the Python wheel and check it in a fresh venv against the TypeScript output (needs python3 and PyPI)',
  exec: 'bash scripts/python-check.sh',
});

// Everything CI runs, from a clean clone: tools the tests need, the full build (compile, test, lint, docgen,
// package), the example, and a check that nothing generated differs from what is committed.
const ci = project.addTask('ci', { description: 'Install test tools when missing, build, test, synth the example, check the tree is clean' });
ci.exec('bash scripts/ensure-test-tools.sh');
ci.exec('bash scripts/terraform-tools.sh', { name: 'terraform-tools' });
ci.exec('bash scripts/ensure-kustomize.sh', { name: 'kustomize' });
ci.exec('bash scripts/ensure-gojq.sh', { name: 'gojq' });
ci.spawn(project.buildTask);
ci.exec('bash scripts/package-smoke.sh', { name: 'package-smoke' });
ci.spawn(project.tasks.tryFind('example')!);
ci.spawn(pythonCheck);
ci.exec('bash scripts/check-tree-unchanged.sh', { name: 'tree-unchanged' });

project.synth();
