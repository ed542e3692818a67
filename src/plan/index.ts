// Re-exports of the plan constructs land here.
export {};
