// The thread of lib/db/sqlite-thread-reader.ts: reads a SQLite registry on a read-only connection
// of its own, in one snapshot, so that the SQLite work of a long read runs beside the main
// thread's (which turns the rows into text). Plain JavaScript, loaded by path: the same file
// serves the sources (tests) and the command line compiled into dist/cli.
'use strict';
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');

const { driverPath, file, busyTimeoutMs, first, shared, rowsPerBatch, batchesAhead } = workerData;
// The slots of `shared`, as lib/db/sqlite-thread-reader.ts names them.
const CONSUMED = 0;
const STATEMENT_SENT = 1;
const STOP = 2;
const signal = new Int32Array(shared);
const WAIT_MS = 1000;

class Stopped extends Error {}

function checkStop() {
  if (Atomics.load(signal, STOP)) throw new Stopped();
}

/** The main thread's second statement, made from the first one's rows. */
function secondStatement() {
  for (;;) {
    const message = receiveMessageOnPort(parentPort);
    if (message) return message.message;
    checkStop();
    Atomics.wait(signal, STATEMENT_SENT, 0, WAIT_MS);
  }
}

/** Waits while the main thread has `batchesAhead` batches it has not taken yet: memory stays flat. */
function waitForRoom(sent) {
  for (;;) {
    checkStop();
    const consumed = Atomics.load(signal, CONSUMED);
    if (sent - consumed < batchesAhead) return;
    Atomics.wait(signal, CONSUMED, consumed, WAIT_MS);
  }
}

const Database = require(driverPath);
const db = new Database(file);
try {
  // As lib/db/sqlite-reader.ts: wait for other processes' writers; never write.
  db.prepare(`PRAGMA busy_timeout = ${Number(busyTimeoutMs)}`).all();
  db.exec('PRAGMA query_only = 1');
  db.exec('BEGIN'); // both statements read the same snapshot
  parentPort.postMessage({ first: db.prepare(first.sql).raw(true).all(first.values) });
  const second = secondStatement();
  // Each row is one JSON text: a batch goes as one JSON array of them, parsed by one call.
  let texts = [];
  let sent = 0;
  const post = () => {
    parentPort.postMessage({ batch: `[${texts.join(',')}]` });
    texts = [];
    waitForRoom(++sent);
  };
  for (const row of db.prepare(second.sql).raw(true).iterate(second.values)) {
    texts.push(row[0]);
    if (texts.length === rowsPerBatch) post();
  }
  if (texts.length) post();
  db.exec('COMMIT');
  // Closed before the last word: the main thread may end this thread as soon as it reads it.
  db.close();
  parentPort.postMessage({ done: true });
} catch (err) {
  // Said by a message: an error thrown out of a thread reaches the main thread without its message.
  if (!(err instanceof Stopped)) parentPort.postMessage({ failed: { name: err.name, message: err.message, code: err.code } });
  try {
    // As lib/db/sqlite-reader.ts closes: the transaction ended first.
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  } catch {
    // The thread ends now: its connection with it.
  }
}
