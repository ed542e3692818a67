import { fuzzSuite } from './fuzz-suite';

/** Issue 10: property-based fuzzing of the value constructs and the app set (fixed seed; `npx projen fuzz` for more). */
describe('fuzz: fleet, selectors, steps, plans, app sets', () => {
  fuzzSuite(['Fleet', 'ClusterSelector', 'RollingSyncStep/MaxUpdate', 'RolloutPlan/ReleaseEstimate', 'MultiClusterAppSet']);
});
