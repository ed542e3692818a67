// First: a clear error when the optional peer dependencies (cdktf, @cdktf/provider-kubernetes) are missing.
import './peers';

export * from './cluster-config';
export * from './argocd-cluster-secrets';
export * from './chart-manifests';
