import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { COLLECT_DIR_ENV, conformanceBuilt, CONFORMANCE_BIN_DIR, REPO_ROOT, runConformanceFiles } from './conformance';

/**
 * The jest global teardown: every Rollout the run synthesized goes through Argo Rollouts' own validation
 * (conformance/rollouts/cmd/rollouts-validate) in one process. Any error fails the run, with the Rollout, the test
 * that synthesized it and the controller's message. Counts are printed and the report is kept in
 * .cache/conformance/suite-report.json.
 *
 * When the Go commands are not built, CI fails (CI=true); a local focused run prints how to build them and skips.
 */
export default function globalTeardown(): void {
  const dir = process.env[COLLECT_DIR_ENV];
  if (!dir || !fs.existsSync(dir)) return;
  try {
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.ndjson')).map(f => path.join(dir, f));
    if (files.length === 0) return;
    if (!conformanceBuilt('rollouts-validate')) {
      const msg = `conformance: commands not built in ${CONFORMANCE_BIN_DIR}; run \`npx projen conformance:build\``;
      if (process.env.CI) throw new Error(msg);
      console.warn(`${msg} (skipped: not CI)`);
      return;
    }
    // The same synthesis is often repeated by many tests: hand each distinct object set to the controller once.
    const unique = path.join(dir, 'unique.batches');
    const seen = new Set<string>();
    const lines: string[] = [];
    let batches = 0;
    for (const f of files) {
      for (const line of fs.readFileSync(f, 'utf-8').split('\n')) {
        if (!line) continue;
        batches++;
        const { source, objects } = JSON.parse(line);
        const rollouts = objects.filter((o: any) => o?.kind === 'Rollout');
        if (rollouts.length === 0) continue;
        const digest = crypto.createHash('sha256').update(JSON.stringify(objects)).digest('hex');
        if (seen.has(digest)) continue;
        seen.add(digest);
        lines.push(JSON.stringify({ source, objects }));
      }
    }
    fs.writeFileSync(unique, lines.join('\n') + '\n');
    const started = Date.now();
    const report = runConformanceFiles('rollouts-validate', [unique]);
    const ms = Date.now() - started;
    const out = path.join(REPO_ROOT, '.cache', 'conformance', 'suite-report.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(report, null, 2));
    const r = report.referenced;
    console.log(`\nconformance (Argo Rollouts v1.9.1 validation): ${report.rollouts} Rollouts validated from ${seen.size} distinct `
      + `syntheses (${batches} recorded); workloadRef resolved ${report.workloadRefsResolved}; referenced: ${r.services} Services, `
      + `${r.analysisTemplates} AnalysisTemplates, ${r.clusterAnalysisTemplates} ClusterAnalysisTemplates, ${r.ingresses} Ingresses, `
      + `${r.virtualServices} VirtualServices (${report.unresolvedReferences} references to objects outside the synthesis not checked); `
      + `${report.rolloutsWithErrors} with errors (${ms} ms). Report: ${path.relative(REPO_ROOT, out)}`);
    const bad = report.results.filter((x: any) => x.errors.length > 0);
    if (bad.length > 0) {
      const lines2 = bad.slice(0, 20).map((x: any) => `  ${x.namespace}/${x.name} (${x.source}):\n`
        + x.errors.map((e: any) => `    [${e.stage}] ${e.message}`).join('\n'));
      throw new Error(`conformance: Argo Rollouts rejects ${bad.length} synthesized Rollout(s):\n${lines2.join('\n')}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
