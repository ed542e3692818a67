// Re-exports of the metrics constructs land here.
export {};
