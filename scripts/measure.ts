import { performance } from 'perf_hooks';

/** Median of `runs` timings (ms) of fn, after `warmup` untimed runs: the one timing helper of the benchmark scripts. */
export function medianMs(fn: () => unknown, runs = 9, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    t.push(performance.now() - start);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}
