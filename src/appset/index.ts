export { Fleet } from './fleet';
export type { FleetClusterProps, FleetProps } from './fleet';
export * from './label-expression';
export * from './max-update';
export * from './rolling-sync-step';
export * from './cluster-selector';
export * from './generator';
export * from './multi-cluster-app-set';
