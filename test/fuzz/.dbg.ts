import * as fc from 'fast-check';
import { TARGETS } from './targets';
const name = process.argv[2];
const t = TARGETS.find(x => x.name.startsWith(name))!;
const counts = new Map<string, number>();
for (const p of fc.sample(t.props, { seed: 3, numRuns: 200 })) {
  try { t.build(p); counts.set('OK', (counts.get('OK') ?? 0) + 1); } catch (e) { const m = (e as Error).message.replace(/\d+/g, '#').slice(0, 150); counts.set(m, (counts.get(m) ?? 0) + 1); }
}
console.log([...counts].sort((a, b) => b[1] - a[1]).slice(0, 6));
