export { Fleet } from './fleet';
export type { FleetClusterProps, FleetProps } from './fleet';
export * from './cluster-selector';
