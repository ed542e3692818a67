export * from './analysis-template';
