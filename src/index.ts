export * from './appset';
export * from './plan';
export * from './rollout';
export * from './analysis';
export * from './metrics';
