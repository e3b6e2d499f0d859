// The web server, the worker and the CLI write the registry from separate processes:
// each connection waits for a lock instead of failing at once with SQLITE_BUSY.
export const BUSY_TIMEOUT_MS = 15_000;
