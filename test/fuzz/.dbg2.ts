import * as fc from 'fast-check';
import { rejectionProblem } from './harness';
import { TARGETS } from './targets';
const t = TARGETS.find(x => x.name.startsWith('static'))!;
const counts = new Map<string, string>();
for (const p of fc.sample(t.props, { seed: 9, numRuns: 20000 })) {
  try { t.build(p); } catch (e) { const pr = rejectionProblem(e); if (pr) counts.set(`${p[0][0]}.${p[0][1]}`, pr.slice(0, 140)); }
}
for (const [k, v] of counts) console.log(k, '::', v);
