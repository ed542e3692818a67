export * from './rollout-plan';
export { ReleaseEstimate } from './release-estimate';
export type { ReleaseEstimateOptions, WaveEstimate } from './release-estimate';
