import { fuzzSuite } from './fuzz-suite';

/** Issue 10: property-based fuzzing of the canary rollout (every router and step kind) and the stack (fixed seed). */
describe('fuzz: canary rollout and stack', () => {
  fuzzSuite(['CanaryRollout (+ TrafficRouting, CanaryStep)', 'ProgressiveDeliveryStack']);
});
