export * from './federated-prometheus';
export * from './federation-auth';
export * from './federation-cluster-label';
export { FederationScheme } from './federation-job';
export type { FederationTarget } from './federation-job';
export * from './federation-output';
