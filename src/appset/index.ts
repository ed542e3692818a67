export * from './generator';
export * from './multi-cluster-app-set';
