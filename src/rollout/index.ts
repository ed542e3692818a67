// Re-exports of the rollout constructs land here.
export {};
