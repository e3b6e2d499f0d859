// What `#db-guard` is outside Next (the command line, the worker, tests, benches): nothing.
// The registry's client is theirs to use; `server-only` would throw there.
export {};
