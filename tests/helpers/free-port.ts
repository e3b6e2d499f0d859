import net from 'node:net';

/*
 * Ports for the servers tests start (nginx, PHP-FPM, pebble, `mutu start`, a private PostgreSQL):
 * chosen now, bound a moment later by another process. They are taken below the kernel's
 * ephemeral range (32768 to 60999 by default), where no outgoing connection and no `listen(0)`
 * lands in between, and each vitest worker has a window of its own, so two test files running at
 * once never choose the same port. (Chosen at random over 20000 to 60000 before, a front's port
 * was now and then taken meanwhile: nginx then failed with "Address already in use".)
 */
const FIRST = 10_000;
const WINDOW = 1_000;
const WINDOWS = 20; // 10000 to 29999
const pool = Math.max(1, Number(process.env.VITEST_POOL_ID ?? 1) || 1);
const windowStart = FIRST + ((pool - 1) % WINDOWS) * WINDOW;
// A random start: files that follow each other in one worker do not reuse the same ports at once.
let next = Math.floor(Math.random() * WINDOW);

/** The next port of this worker's window (not checked: for a helper that must name its ports at once). */
export function windowPort(): number {
  const port = windowStart + (next % WINDOW);
  next += 1;
  return port;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A loopback TCP port of this worker's window that is free right now, for a server a test starts. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < WINDOW; i++) {
    const port = windowPort();
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${windowStart} and ${windowStart + WINDOW - 1}`);
}
