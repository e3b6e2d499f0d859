import { randomInt } from 'node:crypto';
import os from 'node:os';

// Prisma's `@default(cuid())` is made by its client, not the database: a row written in raw SQL
// takes its id from here, of the same shape (cuid, version 1: `c`, the time, a counter, this
// process's fingerprint, random), so ids look alike and sort by time whichever way they came.

const BASE = 36;
const BLOCK = 4;
const BLOCK_SPAN = BASE ** BLOCK;

const pad = (text: string, size: number) => text.padStart(size, '0').slice(-size);
const block = (n: number) => pad(n.toString(BASE), BLOCK);

/** The process and the machine, as cuid's own fingerprint (two characters each). */
const fingerprint = (() => {
  const host = os.hostname();
  const hostSum = [...host].reduce((sum, ch) => sum + ch.charCodeAt(0), host.length + BASE);
  return pad(process.pid.toString(BASE), 2) + pad(hostSum.toString(BASE), 2);
})();

let counter = randomInt(BLOCK_SPAN);

/** A new id for a model whose id is `@default(cuid())` (25 lower-case characters, starting with `c`). */
export function cuid(): string {
  counter = (counter + 1) % BLOCK_SPAN;
  return `c${Date.now().toString(BASE)}${block(counter)}${fingerprint}${block(randomInt(BLOCK_SPAN))}${block(randomInt(BLOCK_SPAN))}`;
}
