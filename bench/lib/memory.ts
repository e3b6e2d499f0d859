import { Worker } from 'node:worker_threads';

/**
 * The sampling, in a thread of its own: a scan of all of /proc every 20 ms is milliseconds of
 * synchronous reads on a machine running hundreds of processes, and in the bench's event loop it
 * held back the export job running there (the reading of tar's listing, the checksum), making
 * Mutu look slower than it is beside the raw tools, which need no event loop. Plain JavaScript:
 * the thread does not get tsx. Shared slots: the count of samples taken, then the tree's peak,
 * the watched process's peak and the first sample (the base).
 */
const SAMPLING_THREAD = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { root, watch, everyMs, shared } = workerData;
const taken = new Int32Array(shared, 0, 1);
const slots = new Float64Array(shared, 8, 3);
// resident bytes of one process (from /proc/<pid>/statm), 0 if it is gone
const rss = (pid) => {
  try {
    return Number(fs.readFileSync('/proc/' + pid + '/statm', 'utf8').split(' ')[1]) * 4096;
  } catch {
    return 0;
  }
};
// this process and every process it started, found by their parent ids in /proc
const treeRss = () => {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync('/proc/' + name + '/stat', 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {}
  }
  let sum = 0;
  const walk = (pid) => {
    sum += rss(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return sum;
};
const sample = () => {
  const tree = treeRss();
  if (Atomics.load(taken, 0) === 0) slots[2] = tree;
  slots[0] = Math.max(slots[0], tree);
  if (watch) slots[1] = Math.max(slots[1], rss(watch));
  Atomics.add(taken, 0, 1);
  Atomics.notify(taken, 0);
};
sample();
setInterval(sample, everyMs);
`;

/**
 * Samples the resident memory of this process tree (this process and every process it started:
 * the dump tool, gzip, zstd, tar) every `everyMs` while a run goes on, from a thread of its own.
 * `peakAbove` is the highest sample minus the one taken at the start: what the run added,
 * whichever process it was in (Node's heap and buffers, or the tools it spawned).
 * `watch` (this process by default) is the one process whose own peak is also kept.
 */
export class RssSampler {
  private readonly thread: Worker;
  private readonly slots: Float64Array;

  constructor(everyMs = 20, watch: () => number | undefined = () => process.pid) {
    const shared = new SharedArrayBuffer(8 + 3 * 8);
    this.slots = new Float64Array(shared, 8, 3);
    this.thread = new Worker(SAMPLING_THREAD, { eval: true, workerData: { root: process.pid, watch: watch(), everyMs, shared } });
    this.thread.unref();
    // The base is taken before the run starts.
    Atomics.wait(new Int32Array(shared, 0, 1), 0, 0, 5000);
  }

  stop(): { base: number; peak: number; peakAbove: number; processPeak: number } {
    void this.thread.terminate();
    const [peak = 0, processPeak = 0, base = 0] = this.slots;
    return { base, peak, peakAbove: peak - base, processPeak };
  }
}
