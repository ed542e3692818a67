/**
 * Benchmark of the example stack's synth: builds examples/stack and renders its GitOps tree (validation, placement
 * rules, plan, every file), and compares with a baseline measured in the same run: raw cdk8s `ApiObject`s emitting the
 * same objects into the same files (no library code, no validation). Prints medians and the ratio, plus the wall time
 * of one cold `node` run of the example (what `npx projen example` costs after the one-off transpile).
 * Not a unit test: timings depend on the machine.
 *
 *   npx projen bench:synth
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as YAML from 'yaml';
import { buildStack } from '../examples/stack/app';
import { medianMs } from './measure';

const measure = (fn: () => unknown, runs = 9, warmup = 3): number => medianMs(fn, runs, warmup);

// What the stack emits: path → objects (the kustomizations and the plan are text, written as they are).
const reference = buildStack('/tmp/bench-unused').synthesizeTree();
const yamlFiles = Object.entries(reference).filter(([p]) => p.endsWith('.yaml') && !p.endsWith('kustomization.yaml'));
const texts = Object.entries(reference).filter(([p]) => !yamlFiles.some(([q]) => q === p));
const objects = yamlFiles.map(([p, text]) => ({ path: p, obj: YAML.parse(text) }));

function stackSynth(): number {
  return Object.keys(buildStack('/tmp/bench-unused').synthesizeTree()).length;
}

function rawApiObjects(): number {
  const app = new App({ outdir: '/tmp/bench-unused' });
  const charts = new Map<string, Chart>();
  const made = objects.map(({ path: p, obj }, i) => {
    const dir = path.dirname(p);
    if (!charts.has(dir)) charts.set(dir, new Chart(app, `c${charts.size}`, { disableResourceNameHashes: true }));
    return { p, api: new ApiObject(charts.get(dir)!, `o${i}`, obj) };
  });
  const files = new Map<string, string>(texts);
  for (const { p, api } of made) files.set(p, Yaml.stringify(api.toJson()));
  return files.size;
}

if (stackSynth() !== rawApiObjects()) throw new Error('the baseline does not emit the same files');
const stackMs = measure(stackSynth);
const rawMs = measure(rawApiObjects);
console.log(`example stack: ${objects.length} objects in ${Object.keys(reference).length} files`);
console.log(`ProgressiveDeliveryStack synth (build + checks + tree + plan): ${stackMs.toFixed(1)} ms (median)`);
console.log(`raw ApiObjects emitting the same objects and files:           ${rawMs.toFixed(1)} ms (median)`);
console.log(`ratio: ${(stackMs / rawMs).toFixed(1)}x`);

const main = path.join(__dirname, '..', 'examples', 'stack', 'main.js');
const node = (args: string[]) => {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { env: { ...process.env, CDK8S_OUTDIR: '/tmp/bench-example' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - start;
};
const cold = [0, 1, 2].map(() => node([main])).sort((a, b) => a - b)[1];
const bare = [0, 1, 2].map(() => node(['-e', 'require("cdk8s")'])).sort((a, b) => a - b)[1];
console.log(`one cold run of the example (node, transpiled): ${cold.toFixed(0)} ms wall; node + require("cdk8s") alone: ${bare.toFixed(0)} ms`);
