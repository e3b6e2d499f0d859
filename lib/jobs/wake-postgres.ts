import type pg from 'pg';
import { config } from '../config';
import { db } from '../db/client';

/**
 * "A job was queued" between the processes of every machine that shares a PostgreSQL
 * registry: LISTEN/NOTIFY on the registry itself. Each worker keeps one connection of its own
 * listening, and makes it again when it drops (a restarted server, a network cut); polling
 * stays the fallback meanwhile.
 */
const CHANNEL = 'mutu_jobs_queued';
const RETRY_MS = [500, 1000, 2000, 5000, 10_000, 30_000];

/** Best effort, after the job's row is committed: a job is queued whether or not a worker hears of it now. */
export function notifyQueued(): void {
  db.$executeRawUnsafe(`NOTIFY ${CHANNEL}`).catch(() => {});
}

/** Calls `onWake` on each notification, and once after each (re)connection (what was missed meanwhile); returns the function that stops listening. */
export function listenQueued(onWake: () => void, say: (line: string) => void = () => {}): () => void {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;

  const connect = async () => {
    if (stopped) return;
    const { default: pgModule } = await import('pg');
    const c = new pgModule.Client({ connectionString: config().registryUrl });
    client = c;
    let lost = false;
    const reconnect = (why: string) => {
      if (lost || stopped) return;
      lost = true;
      c.end().catch(() => {});
      const wait = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]!;
      if (failures === 1) say(`lost the registry's job notifications (${why}); polling until they are back`);
      retry = setTimeout(() => void connect(), wait);
      retry.unref();
    };
    c.on('error', (err) => reconnect(err.message));
    c.on('end', () => reconnect('connection closed'));
    c.on('notification', () => onWake());
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      if (stopped) return void c.end().catch(() => {});
      if (failures) say('job notifications are back');
      failures = 0;
      onWake();
    } catch (err) {
      reconnect(err instanceof Error ? err.message : String(err));
    }
  };
  void connect();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    client?.end().catch(() => {});
  };
}
