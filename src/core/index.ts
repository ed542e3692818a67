export * from './validation-error';
