/**
 * Property-based fuzzing of every public construct (issue 10): 10,000 cases per construct with a random seed (printed;
 * replay a run with --seed), then a table of counts per construct per property — cases, passed, rejected with a
 * ValidationError, and violations of each property (see test/fuzz/harness.ts). Exits non-zero on any violation and
 * prints up to five example prop sets per construct.
 *
 *   npx projen fuzz                       # 10,000 per construct, random seed
 *   npx projen fuzz --seed 1234 --runs 500 --only Fleet --markdown docs/fuzzing.md
 */
import * as fs from 'fs';
import { formatTable, runTarget, showProps, TargetReport } from '../test/fuzz/harness';
import { conformanceBuilt } from '../test/harness/conformance';
import { TARGETS } from '../test/fuzz/targets';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = arg('seed') !== undefined ? Number(arg('seed')) : (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
const numRuns = Number(arg('runs') ?? 10_000);
const timeBoundMs = Number(arg('time-bound') ?? 2_000);
const only = arg('only');
const markdown = arg('markdown');
// Argo Rollouts' own checks on every accepted case, when the conformance harness is built (`npx projen conformance:build`)
const argo = conformanceBuilt('rollouts-validate');

console.log(`fuzz: seed ${seed}, ${numRuns} cases per construct, time bound ${timeBoundMs} ms per case, Argo Rollouts' checks ${argo ? 'on' : 'off (run npx projen conformance:build)'} (replay: npx projen fuzz --seed ${seed} --runs ${numRuns})`);
const started = Date.now();
const reports: TargetReport[] = [];
for (const target of TARGETS.filter(t => !only || t.name.includes(only))) {
  const t0 = Date.now();
  const report = runTarget(target, { seed, numRuns, timeBoundMs, argo });
  reports.push(report);
  const violations = Object.values(report.violations).reduce((a, b) => a + b, 0);
  console.log(`  ${target.name}: ${report.cases} cases, ${report.passed} passed, ${report.rejected} rejected, ${violations} violations `
    + `(${((Date.now() - t0) / 1000).toFixed(1)} s, max ${report.maxMs.toFixed(0)} ms/case)`);
  for (const v of report.examples) console.log(`    ${v.property}: ${v.detail}\n      props: ${showProps(v.props)}`);
}
const table = formatTable(reports);
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`\n${table}\n\n${seconds} s in all`);
if (markdown) {
  const text = fs.readFileSync(markdown, 'utf8');
  const begin = '<!-- fuzz-table:begin -->';
  const end = '<!-- fuzz-table:end -->';
  const block = `${begin}\nSeed ${seed}, ${numRuns} cases per construct, ${seconds} s (replay: \`npx projen fuzz --seed ${seed} --runs ${numRuns}\`).\n\n${table}\n${end}`;
  fs.writeFileSync(markdown, text.includes(begin) ? text.replace(new RegExp(`${begin}[\\s\\S]*${end}`), block) : `${text}\n${block}\n`);
}
const total = reports.reduce((n, r) => n + Object.values(r.violations).reduce((a, b) => a + b, 0), 0);
process.exitCode = total > 0 ? 1 : 0;
