import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { COLLECT_DIR_ENV } from './conformance';
import { appSetCases } from './conformance-appset';

/**
 * Records every object set a test synthesizes (`Testing.synth`, `App.synthYaml`) for the conformance harness: one
 * batch per synthesis, appended to a per-worker file in the directory the global setup created. The global teardown
 * hands all of them to the Go commands in one call (test/harness/conformance-teardown.ts). Only successful syntheses
 * are recorded: a synthesis the library rejects throws before it returns.
 */
const dir = process.env[COLLECT_DIR_ENV];

function source(): string {
  const state = (expect as any).getState?.() ?? {};
  const file = state.testPath ? path.relative(path.resolve(__dirname, '..', '..'), state.testPath) : 'unknown';
  return state.currentTestName ? `${file} › ${state.currentTestName}` : file;
}

function record(scope: IConstruct, objects: readonly any[]): void {
  if (!dir || objects.length === 0) return;
  const src = source();
  fs.appendFileSync(path.join(dir, `batches-${process.pid}.ndjson`), JSON.stringify({ source: src, objects }) + '\n');
  // Every MultiClusterAppSet with a fleet: its kube object, the fleet's cluster Secrets and the library's rendering.
  let cases;
  try {
    cases = appSetCases(scope, objects, src);
  } catch {
    return; // not a construct tree the harness can walk
  }
  for (const c of cases) fs.appendFileSync(path.join(dir, `appsets-${process.pid}.jsonl`), JSON.stringify(c) + '\n');
}

if (dir) {
  const synth = Testing.synth.bind(Testing);
  (Testing as any).synth = (chart: any) => {
    const objs = synth(chart);
    record(chart, objs);
    return objs;
  };
  const synthYaml = App.prototype.synthYaml;
  App.prototype.synthYaml = function collectedSynthYaml(this: App): string {
    const yaml = synthYaml.call(this);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    record(this, require('yaml').parseAllDocuments(yaml).map((d: any) => d.toJSON()).filter(Boolean));
    return yaml;
  };
}
