import fs from 'node:fs';

const PAGE = 4096;

/** Resident bytes of one process (from /proc/<pid>/statm), 0 if it is gone. */
function rss(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
    return Number(fields[1]) * PAGE;
  } catch {
    return 0;
  }
}

/** This process and every process it started, found by their parent ids in /proc. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {}
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** Resident bytes of this process and all its descendants (the dump tool, gzip, zstd, tar). */
export function treeRss(root = process.pid): number {
  return tree(root).reduce((sum, pid) => sum + rss(pid), 0);
}

/**
 * Samples the resident memory of this process tree every `everyMs` while a run goes on.
 * `peakAbove` is the highest sample minus the one taken at the start: what the run added,
 * whichever process it was in (Node's heap and buffers, or the tools it spawned).
 */
export class RssSampler {
  private readonly base: number;
  private peak: number;
  /** the highest resident memory of one process alone (`watch`: this one by default) */
  private processPeak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 20, private readonly watch: () => number | undefined = () => process.pid) {
    this.base = treeRss();
    this.peak = this.base;
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample() {
    this.peak = Math.max(this.peak, treeRss());
    const pid = this.watch();
    if (pid) this.processPeak = Math.max(this.processPeak, rss(pid));
  }

  stop(): { base: number; peak: number; peakAbove: number; processPeak: number } {
    clearInterval(this.timer);
    this.sample();
    return { base: this.base, peak: this.peak, peakAbove: this.peak - this.base, processPeak: this.processPeak };
  }
}
