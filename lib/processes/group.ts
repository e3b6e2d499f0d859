import { setTimeout as sleep } from 'node:timers/promises';

const KILL_GRACE_MS = 2000;
const REAP_POLL_MS = 25;
/** Orphans of a killed group are reaped by init, usually within a couple of seconds. */
export const REAP_TIMEOUT_MS = 15_000;

/**
 * A program started in its own process group (spawn's `detached`), so it can be stopped
 * with everything it started: SIGTERM to the whole group, then SIGKILL after a grace period.
 */
export class ProcessGroup {
  /** why it was stopped, once `stop` was called */
  stopReason?: string;

  constructor(private readonly pgid: number | undefined) {}

  /** Sends a signal to every process of the group (0: only tells whether any is left). */
  signal(sig: NodeJS.Signals | 0): boolean {
    if (!this.pgid) return false;
    try {
      process.kill(-this.pgid, sig);
      return true;
    } catch (err) {
      // EPERM: someone is there, only not ours to signal
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  stop(why: string): void {
    if (this.stopReason) return;
    this.stopReason = why;
    this.signal('SIGTERM');
    setTimeout(() => this.signal('SIGKILL'), KILL_GRACE_MS).unref();
  }

  /**
   * Kills whatever is left of the group and waits until none of it remains, zombies
   * included: killed children whose parent died are only gone once init has reaped them,
   * and until then they still hold the group. Returns false if some are still there at the
   * time limit (an init that does not reap, such as Mutu itself as PID 1 in a container).
   */
  async reap(timeoutMs = REAP_TIMEOUT_MS): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.signal('SIGKILL')) {
      if (Date.now() >= deadline) return false;
      await sleep(REAP_POLL_MS);
    }
    return true;
  }
}
