export * from './federated-prometheus';
export * from './federation-auth';
export * from './federation-cluster-label';
export * from './federation-output';
