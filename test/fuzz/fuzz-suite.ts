import { PROPERTIES, runTarget, showProps } from './harness';
import { TARGETS } from './targets';

/**
 * The bound on one case under jest: the hangs of issue 10 took seconds to minutes per case, a case takes milliseconds
 * (max ~100 ms in the script's runs); jest's workers share 2 cores with the other test files, so the CI bound leaves
 * room for a GC pause or a busy neighbour. scripts/fuzz.ts uses 2 s.
 */
const CI_TIME_BOUND_MS = 5000;

/** The fixed seed of the CI run (scripts/fuzz.ts draws a random one). */
export const CI_SEED = 20_261_130;

/**
 * One jest test per construct: its CI cases (1,000 unless the target says fewer) with the fixed seed, every property
 * at 0 violations; the generators must also produce both accepted and rejected prop sets (or they test nothing).
 */
export function fuzzSuite(names: readonly string[]): void {
  for (const name of names) {
    const target = TARGETS.find(t => t.name === name);
    if (!target) throw new Error(`no fuzz target ${name}`);
    test(`${name}: ${target.ciRuns ?? 1000} cases, seed ${CI_SEED}, 0 violations per property`, () => {
      const report = runTarget(target, { seed: CI_SEED, numRuns: target.ciRuns ?? 1000, timeBoundMs: CI_TIME_BOUND_MS });
      const examples = report.examples.map(v => `${v.property}: ${v.detail}\n  props: ${showProps(v.props)}`).join('\n');
      expect({ violations: report.violations, examples }).toEqual({ violations: Object.fromEntries(PROPERTIES.map(p => [p, 0])), examples: '' });
      expect(report.passed).toBeGreaterThan(report.cases * 0.01);
      expect(report.rejected).toBeGreaterThan(report.cases * 0.01);
    });
  }
}
