export * from './app-set-props';
export * from './generator';
export * from './multi-cluster-app-set';
