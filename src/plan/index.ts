export * from './rollout-plan';
export { ReleaseEstimate } from './release-estimate';
export type { IUpdateFactsProvider, ReleaseEstimateOptions, UpdateFacts, WaveEstimate } from './release-estimate';
