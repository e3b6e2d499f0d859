import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { registryFile } from '../config/registry-url';
import { projectRoot } from '../project-root';
import { BUSY_TIMEOUT_MS } from './sqlite-busy';
import { boundValue, type Statement } from './sqlite-reader';
import { nativeDriverPath } from './sqlite-native';

/** The slots of the memory shared with the thread (lib/db/sqlite-rows-thread.cjs). */
const CONSUMED = 0;
const STATEMENT_SENT = 1;
const STOP = 2;
/** How long a thread told to stop has to close its connection and end (a statement's step, at most). */
const STOP_MS = 5000;

type Message = { first: unknown[][] } | { batch: string } | { done: true } | { failed: { name: string; message: string; code?: string } };

/**
 * A long read of a SQLite registry (the file of `url`) in a thread of its own, in one snapshot:
 * `first`'s rows, whole, make the second statement (`second`), whose rows each hold one JSON text;
 * those come back parsed, `rowsPerBatch` at a time. The thread steps SQLite while the caller
 * works on the batch before: at 25,000 sites the list's statement and its text took about the
 * same time, one after the other. The thread keeps at most `batchesAhead` batches the caller has
 * not taken, and stops when the caller does (a `break`, an error).
 */
export async function* readJsonRowsInThread(
  url: string,
  first: Statement,
  second: (firstRows: unknown[][]) => Statement,
  { rowsPerBatch = 500, batchesAhead = 4 } = {},
): AsyncGenerator<unknown[][]> {
  const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const signal = new Int32Array(shared);
  const worker = new Worker(path.join(projectRoot, 'lib', 'db', 'sqlite-rows-thread.cjs'), {
    workerData: {
      driverPath: nativeDriverPath(),
      file: registryFile(url),
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      first: bound(first),
      shared,
      rowsPerBatch,
      batchesAhead,
    },
  });
  const queue: Message[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const woken = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: Message) => {
    queue.push(m);
    woken();
  });
  worker.on('error', (err) => {
    failure = err;
    woken();
  });
  worker.on('exit', () => {
    exited = true;
    woken();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (failure) throw failure;
        if (exited) throw new Error('the registry reader thread ended before its last row');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if ('done' in message) return;
      if ('failed' in message) throw Object.assign(new Error(message.failed.message), message.failed);
      if ('first' in message) {
        worker.postMessage(bound(second(message.first)));
        Atomics.store(signal, STATEMENT_SENT, 1);
        Atomics.notify(signal, STATEMENT_SENT);
        continue;
      }
      yield JSON.parse(message.batch) as unknown[][];
      Atomics.add(signal, CONSUMED, 1);
      Atomics.notify(signal, CONSUMED);
    }
  } finally {
    // The thread closes its connection itself (a thread ended from outside would leave it open,
    // holding its read): it is told to stop, and ended only if it has not within STOP_MS.
    Atomics.store(signal, STOP, 1);
    Atomics.notify(signal, CONSUMED);
    Atomics.notify(signal, STATEMENT_SENT);
    if (!exited) {
      const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_MS)))]);
      clearTimeout(timer);
      if (!exited) await worker.terminate();
    }
  }
}

/** A statement with its values as the registry's reader binds them (sqlite-reader.ts), ready to cross to the thread. */
const bound = (s: Statement): Statement => ({ sql: s.sql, values: s.values.map(boundValue) });
