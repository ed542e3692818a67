export * from './rollout-plan';
export * from './release-estimate';
