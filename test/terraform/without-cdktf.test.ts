import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const OPTIONAL = ['cdktf', '@cdktf'];

/**
 * A scratch directory whose node_modules links every package of this repo except cdktf and the @cdktf scope, plus links to
 * the library's sources. Run with --preserve-symlinks, module resolution never leaves the scratch directory, so
 * cdktf is absent from every resolution path (as for a user who did not install the optional peers).
 */
function scratchWithoutCdktf(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-pd-no-cdktf-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (OPTIONAL.includes(entry) || entry === '.bin') continue;
    fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(dir, 'node_modules', entry));
  }
  for (const entry of ['src', 'imports', 'terraform', 'tsconfig.json', 'package.json']) {
    fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  }
  return dir;
}

function nodeIn(dir: string, script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--preserve-symlinks', '-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '', TS_NODE_PROJECT: path.join(dir, 'tsconfig.json') }, timeout: 170_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the main entry point without cdktf', () => {
  const dir = scratchWithoutCdktf();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('loads and synthesizes; cdktf is not resolvable there and the main entry point never asks for it', () => {
    const r = nodeIn(dir, `
      let cdktf = 'resolvable';
      try { require.resolve('cdktf'); } catch (e) { cdktf = e.code; }
      const Module = require('module');
      const asked = [];
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (/^(cdktf|@cdktf\\/)/.test(request)) asked.push(request);
        return resolve.call(this, request, ...rest);
      };
      const lib = require('./src/index.ts');
      const { App, Chart } = require('cdk8s');
      const chart = new Chart(new App(), 'c');
      const fleet = new lib.Fleet({ clusters: [{ name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { env: 'canary' } }] });
      new lib.MultiClusterAppSet(chart, 'svc', {
        fleet, clusters: lib.ClusterSelector.all(), steps: [lib.RollingSyncStep.everything()],
        source: { repoUrl: 'https://github.com/my-org/svc' }, destinationNamespace: 'svc',
      });
      console.log(JSON.stringify({ cdktf, asked, exports: Object.keys(lib).length, kinds: chart.toJson().map(o => o.kind) }));
    `);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ cdktf: 'MODULE_NOT_FOUND', asked: [], exports: expect.any(Number), kinds: ['ApplicationSet'] });
  }, 180_000); // ts-node transpiles src/ and the 5 MB of imports/ in the child: ~10 s alone, more on a loaded machine

  test('control: the terraform entry point in the same place fails, naming the missing peers and the fix', () => {
    const r = nodeIn(dir, 'require(\'./terraform/index.ts\')');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cdk8s-progressive-delivery\/terraform needs the optional peer dependencies cdktf and @cdktf\/provider-kubernetes, which are not installed\. Fix: npm install cdktf@\^0\.21\.0 @cdktf\/provider-kubernetes@\^12\.1\.1/);
  });
});
