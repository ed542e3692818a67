export * from './rollout-plan';
