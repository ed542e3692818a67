import { cdk8s, javascript } from 'projen';

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

  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // Runtime dependencies that are not jsii modules must be bundled into the package.
  //  - yaml: renders prometheus.yml / Helm values strings (FederatedPrometheus).
  //  - @prometheus-io/lezer-promql (+ its @lezer peers): the Prometheus project's own PromQL grammar,
  //    used to reject invalid queries and match[] selectors at synth time.
  bundledDeps: ['yaml@^2.8.1', '@prometheus-io/lezer-promql@^0.315.0', '@lezer/lr@^1.4.2', '@lezer/common@^1.2.3', '@lezer/highlight@^1.2.1'],
  devDeps: [
    'cdk8s-cli@^2.207.60', // `cdk8s import` of the vendored CRDs and `cdk8s synth` of the examples
    'ajv@^8.17.1', // strict CRD openAPIV3Schema validation in tests
    'kubernetes-models@4.5.1', // schemas of core kinds (Deployment, Service, ConfigMap) for test validation; last CommonJS line
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
    },
  },

  // Compile the generated L1s in top-level imports/ together with src/: output is lib/src/** and lib/imports/**.
  tsconfig: { compilerOptions: { rootDir: '.' }, include: ['src/**/*.ts', 'imports/**/*.ts'] },
  // Type-check the tests, the example and the scripts too (relative to test/, where projen puts the dev tsconfig).
  tsconfigDev: { compilerOptions: {}, include: ['../examples/**/*.ts', '../scripts/**/*.ts'] },
  entrypoint: 'lib/src/index.js',
});

project.package.addField('types', 'lib/src/index.d.ts');
for (const p of ['/imports/', '/crds/', '/examples/', '/cdk8s.yaml', '/scripts/', '/.ci/', '/.cache/', '/conformance/', '/docs/']) {
  project.addPackageIgnore(p);
}
project.gitignore.exclude('/dist/', '/.cache/');
project.eslint?.addIgnorePattern('imports/');
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

// The main job: synthesize the example fleet (dist/examples) and print the rollout plan.
project.addTask('example', {
  description: 'Synthesize the example fleet into dist/examples and print its rollout plan',
  // Same app as cdk8s.yaml (`cdk8s synth` works too); run directly so the plan it prints reaches the terminal.
  // Transpile-only: the 7 MB of generated imports are type-checked by compile and the tests, not here.
  exec: 'ts-node -T --project test/tsconfig.json examples/fleet/main.ts',
});

// Everything CI runs, from a clean clone: tools the tests need, the full build (compile, test, lint, docgen,
// package), the example, and a check that nothing generated differs from what is committed.
const ci = project.addTask('ci', { description: 'Install test tools when missing, build, test, synth the example, check the tree is clean' });
ci.exec('bash scripts/ensure-test-tools.sh');
ci.spawn(project.buildTask);
ci.exec('bash scripts/package-smoke.sh', { name: 'package-smoke' });
ci.spawn(project.tasks.tryFind('example')!);
ci.exec('bash scripts/check-tree-unchanged.sh', { name: 'tree-unchanged' });

project.synth();
