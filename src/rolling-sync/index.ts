export * from './label-expression';
export * from './max-update';
export * from './rolling-sync-step';
