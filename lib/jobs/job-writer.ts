import { Prisma, type LogLevel } from '@prisma/client';
import { db } from '../db/client';

/** The longest a log line or a progress waits for its job's next write before it is written alone. */
export const LINGER_MS = 200;

type JobData = Prisma.JobUncheckedUpdateInput;
/** A condition on the job's row beside its id (the unique columns apart). */
type JobCondition = Omit<Prisma.JobWhereInput, 'id' | 'activeLock'>;

/** A write refused by its condition (the row did not match): Prisma's "record to update not found". */
export const notMatched = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2025';

/**
 * A running job's writes to the registry. Its log lines and progress guard nothing (what a
 * recovery reads is the step recorded, the state and the status), so they wait in memory: the
 * progress for the job's next write (the next step recorded, a state saved), in the same
 * UPDATE; the lines for the job's end, in its transaction, or LINGER_MS at most, so a long
 * step's log stays live. A fast job's whole log is one INSERT in its last commit, where each
 * line and progress was a commit of its own. A crash loses at most the lines of its last
 * LINGER_MS, never a record a step depends on: `write` is on disk when it returns, as before.
 */
export class JobWriter {
  private lines: Prisma.JobLogCreateManyInput[] = [];
  private pending: JobData = {};
  private timer?: NodeJS.Timeout;
  /** the job's writes one after the other: a lingering flush never overtakes or doubles a write */
  private queue: Promise<unknown> = Promise.resolve();

  /** `lingerMs`: LINGER_MS unless a test needs to see lines wait longer */
  constructor(
    private readonly jobId: string,
    private readonly lingerMs = LINGER_MS,
  ) {}

  log(message: string, level: LogLevel = 'info'): void {
    this.lines.push({ jobId: this.jobId, message, level, at: new Date() });
    this.linger();
  }

  progress(fraction: number, text?: string): void {
    this.pending.progress = Math.max(0, Math.min(1, fraction));
    if (text !== undefined) this.pending.progressText = text;
    this.linger();
  }

  /** The job's state, written with its next write (what the worker itself keeps: closing marks, error words). */
  stateLater(state: Record<string, unknown>): void {
    this.pending.state = state as Prisma.InputJsonObject;
  }

  /**
   * Writes `data` on the job, with the progress that waits (and its log lines with `lines`, in one
   * transaction), when the job still matches `where` (its id always); on disk when it resolves.
   * Rejects with Prisma's P2025 (`notMatched`) when the job does not match, having written
   * nothing: what waited still waits.
   */
  write(data: JobData = {}, where: JobCondition = {}, opts: { lines?: boolean } = {}): Promise<void> {
    return this.serial(() => this.flush(data, where, !!opts.lines));
  }

  /**
   * Records the step about to run, with the progress that waits, unless a cancel was asked:
   * false then, nothing written. Raw SQL on plain columns (the same on both registries): the
   * statement every step pays is not compiled by Prisma's query compiler each time.
   */
  recordStep(name: string, stepIndex: number): Promise<boolean> {
    return this.serial(async () => {
      const { progress, progressText, ...rest } = this.pending;
      const taken: JobData = {};
      const sets = [Prisma.sql`"step" = ${name}`, Prisma.sql`"stepIndex" = ${stepIndex}`];
      if (typeof progress === 'number') sets.push(Prisma.sql`"progress" = ${(taken.progress = progress)}`);
      if (typeof progressText === 'string') sets.push(Prisma.sql`"progressText" = ${(taken.progressText = progressText)}`);
      this.pending = rest;
      let count = 0;
      try {
        count = await db.$executeRaw`UPDATE "Job" SET ${Prisma.join(sets, ', ')} WHERE "id" = ${this.jobId} AND "cancelRequested" = FALSE`;
      } finally {
        // Not written (refused, or failed): the progress still waits.
        if (count === 0) this.pending = { ...taken, ...this.pending };
      }
      return count > 0;
    });
  }

  /** Done with the job (it ended, or the registry is gone): what still waits is dropped, nothing is written by itself any more. */
  dispose(): void {
    this.disposed = true;
    this.stopLingering();
  }

  private disposed = false;

  private stopLingering(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private linger(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failed flush keeps its lines for the next write, which reports its own failure.
      void this.serial(() => this.flush({}, undefined, true)).catch(() => {});
    }, this.lingerMs);
    this.timer.unref();
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  /** `where` undefined: no row to write unless something waits for it. */
  private async flush(data: JobData, where: JobCondition | undefined, withLines: boolean): Promise<void> {
    if (withLines) this.stopLingering();
    const lines = withLines ? this.lines.splice(0) : [];
    const pending = this.pending;
    this.pending = {};
    const jobData = { ...pending, ...data };
    const ops: Prisma.PrismaPromise<unknown>[] = [];
    if (lines.length === 1) ops.push(db.jobLog.create({ data: lines[0]!, select: { id: true } }));
    else if (lines.length) ops.push(db.jobLog.createMany({ data: lines }));
    // One UPDATE (an updateMany would be a transaction of its own: three statements, each synced).
    if (where || Object.keys(jobData).length) ops.push(db.job.update({ where: { ...where, id: this.jobId }, data: jobData, select: { id: true } }));
    try {
      if (ops.length === 1) await ops[0];
      else if (ops.length) await db.$transaction(ops);
    } catch (err) {
      this.lines.unshift(...lines);
      this.pending = { ...pending, ...this.pending };
      if (this.lines.length) this.linger();
      throw err;
    }
  }
}
