import { fuzzSuite } from './fuzz-suite';

/** Issues 10 and 17: property-based fuzzing of the blue-green rollout and the web and job analysis gates (fixed seed). */
describe('fuzz: blue-green rollout, web and job analyses', () => {
  fuzzSuite(['BlueGreenRollout (+ BlueGreenServices, BlueGreenPromotion)', 'WebAnalysis (+ WebHeader, WebAuthentication)', 'JobAnalysis']);
});
