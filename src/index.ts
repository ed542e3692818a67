export * from './core';
export * from './rolling-sync';
export * from './fleet';
export * from './plan';
export * from './analysis';
export * from './appset';
export * from './rollout';
export * from './federation';
