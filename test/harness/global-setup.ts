import { ensureCompiled, knownCustomKinds } from './schema';

/**
 * Runs once per jest run, before any test file: compiles every vendored CRD schema into the standalone-code cache,
 * so test files only load compiled validators (nothing is compiled twice in a run).
 */
export default function globalSetup(): void {
  for (const key of knownCustomKinds()) ensureCompiled(key);
}
