import { fuzzSuite } from './fuzz-suite';

/** Issue 10: property-based fuzzing of the analyses and the federation (fixed seed; `npx projen fuzz` for more). */
describe('fuzz: analyses and federation', () => {
  fuzzSuite(['SuccessRateAnalysis', 'LatencyAnalysis', 'PrometheusAnalysis', 'FederatedPrometheus']);
});
