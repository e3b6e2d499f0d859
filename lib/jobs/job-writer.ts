import { Prisma, type JobStatus, type LogLevel } from '@prisma/client';
import { executeRawNow, transactionNow, type RawTransaction } from '../db/client';
import { enumValue, jsonValue } from '../db/dialect';
import sql, { join, raw, type Sql } from 'sql-template-tag';

/** The longest a log line or a progress waits for its job's next write before it is written alone. */
export const LINGER_MS = 200;

/** The job's columns a running job writes. */
export interface JobData {
  status?: JobStatus;
  step?: string | null;
  stepIndex?: number;
  progress?: number;
  progressText?: string | null;
  /** plain data (strings, numbers, objects of them): written as JSON.stringify would, as Prisma does */
  state?: Record<string, unknown>;
  error?: string | null;
  activeLock?: string | null;
  workerId?: string | null;
  finishedAt?: Date;
}
/** A condition on the job's row beside its id. */
export interface JobCondition {
  workerId?: string;
  cancelRequested?: boolean;
}

/** What a write refused by its condition throws: the row did not match, nothing was written. */
class JobNotMatched extends Error {
  constructor(jobId: string) {
    super(`the job ${jobId} no longer matches: nothing written`);
  }
}

/** A write refused by its condition (the row did not match): the writer's own, or Prisma's "record to update not found". */
export const notMatched = (err: unknown) => err instanceof JobNotMatched || (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2025');

/** Rows of log lines per INSERT: four parameters each, well under SQLite's limit on them. */
const LINES_PER_INSERT = 500;

const JOB_COLUMNS = new Set<string>(['status', 'step', 'stepIndex', 'progress', 'progressText', 'state', 'error', 'activeLock', 'workerId', 'finishedAt'] satisfies (keyof JobData)[]);

/** `"column" = value` for each column written, each bound as its column wants (the job's writes are raw SQL). */
function jobSets(data: JobData): Sql[] {
  const sets: Sql[] = [];
  for (const [column, value] of Object.entries(data) as [keyof JobData, JobData[keyof JobData]][]) {
    if (value === undefined) continue;
    // A column's name goes into the statement: only the known ones.
    if (!JOB_COLUMNS.has(column)) throw new Error(`a job's write names an unknown column: ${column}`);
    const bound = column === 'status' ? enumValue(value as JobStatus, 'JobStatus') : column === 'state' ? jsonValue(value) : sql`${value}`;
    sets.push(sql`${raw(`"${column}"`)} = ${bound}`);
  }
  return sets;
}

function jobWhere(jobId: string, where: JobCondition): Sql {
  const parts = [sql`"id" = ${jobId}`];
  if (where.workerId !== undefined) parts.push(sql`"workerId" = ${where.workerId}`);
  if (where.cancelRequested !== undefined) parts.push(where.cancelRequested ? sql`"cancelRequested" = TRUE` : sql`"cancelRequested" = FALSE`);
  return join(parts, ' AND ');
}

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
  private lines: { message: string; level: LogLevel; at: Date }[] = [];
  private pending: JobData = {};
  private timer?: NodeJS.Timeout;
  /** the job's writes one after the other: a lingering flush never overtakes or doubles a write */
  private queue: Promise<unknown> = Promise.resolve();

  /** `lingerMs`: LINGER_MS unless a test needs to see lines wait longer */
  constructor(
    readonly jobId: string,
    private readonly lingerMs = LINGER_MS,
  ) {}

  log(message: string, level: LogLevel = 'info'): void {
    this.lines.push({ message, level, at: new Date() });
    this.linger();
  }

  progress(fraction: number, text?: string): void {
    this.pending.progress = Math.max(0, Math.min(1, fraction));
    if (text !== undefined) this.pending.progressText = text;
    this.linger();
  }

  /** The job's state, written with its next write (what the worker itself keeps: closing marks, error words). */
  stateLater(state: Record<string, unknown>): void {
    this.pending.state = state;
  }

  /**
   * Writes `data` on the job, with the progress that waits (and its log lines with `lines`, in one
   * transaction), when the job still matches `where` (its id always); on disk when it resolves.
   * Rejects (`notMatched`) when the job does not match, having written nothing: what waited
   * still waits. `closingLine`: a last line true only if this write lands (the job's end: "succeeded"),
   * never kept for later.
   */
  write(data: JobData = {}, where: JobCondition = {}, opts: { lines?: boolean; closingLine?: string } = {}): Promise<void> {
    return this.serial(() => this.flush(data, where, !!opts.lines || opts.closingLine !== undefined, opts.closingLine));
  }

  /**
   * Records the step about to run, with the progress and the state that wait (and `state`, the
   * job's whole state, when given: newer than one waiting), unless a cancel was asked: false then,
   * nothing written. Raw SQL on plain columns (the same on both registries), handed
   * to the driver adapter: the statement every step pays skips Prisma's request pipeline.
   */
  recordStep(name: string, stepIndex: number, state?: Record<string, unknown>): Promise<boolean> {
    return this.recordStepWith(name, stepIndex, state).then((recorded) => recorded !== undefined);
  }

  /**
   * `recordStep`, and with `write` in one transaction with its statements (a step that records
   * itself): `{ value }`, what `write` returned, once on disk; undefined when a cancel was asked,
   * nothing written. `write` runs in this writer's turn: it must not wait for another of its writes.
   * `workerId`: written only while the job is that worker's (undefined otherwise, as for a cancel).
   */
  recordStepWith<T>(
    name: string,
    stepIndex: number,
    state?: Record<string, unknown>,
    write?: (tx: RawTransaction) => Promise<T>,
    workerId?: string,
  ): Promise<{ value: T | undefined } | undefined> {
    return this.serial(async () => {
      const { progress, progressText, state: waiting, ...rest } = this.pending;
      const taken: JobData = { progress, progressText, state: waiting };
      this.pending = rest;
      const update = sql`UPDATE "Job" SET ${join(jobSets({ step: name, stepIndex, ...taken, ...(state ? { state } : {}) }), ', ')} WHERE ${jobWhere(this.jobId, { cancelRequested: false, workerId })}`;
      let recorded: { value: T | undefined } | undefined;
      try {
        if (!write) recorded = (await executeRawNow(update)) ? { value: undefined } : undefined;
        else {
          recorded = await transactionNow(async (tx) => ((await tx.execute(update)) ? { value: await write(tx) } : undefined));
        }
      } finally {
        // Not written (refused, or failed): what waited still waits; the state given was never the job's.
        if (!recorded) this.pending = { ...dropUndefined(taken), ...this.pending };
      }
      return recorded;
    });
  }

  /** Done with the job (it ended): what still waits is dropped, nothing is written by itself any more. */
  dispose(): void {
    this.disposed = true;
    this.stopLingering();
  }

  /**
   * The registry went away under the job: its record writes waiting are dropped (what recovers
   * the job reads what is on disk), its log lines are kept for `writeLines` once the registry
   * answers, so the job's log still says where and how far it ran. Nothing is written by itself.
   */
  strand(): void {
    this.pending = {};
    this.dispose();
  }

  /** The log lines still waiting, written (a stranded job's: nothing else waits). Rejects, keeping them, while the registry is away. */
  writeLines(): Promise<void> {
    return this.serial(() => this.flush({}, undefined, true));
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

  /**
   * `where` undefined: no row to write unless something waits for it. Raw SQL, not Prisma's
   * model queries: a job pays these writes at every step, and Prisma's compile of each and the
   * mapping of its result cost more CPU than the statement; outside a transaction, handed to the
   * driver adapter directly (executeRawNow).
   */
  private async flush(data: JobData, where: JobCondition | undefined, withLines: boolean, closingLine?: string): Promise<void> {
    if (withLines) this.stopLingering();
    const lines = withLines ? this.lines.splice(0) : [];
    const written = closingLine === undefined ? lines : [...lines, { message: closingLine, level: 'info' as const, at: new Date() }];
    const pending = this.pending;
    this.pending = {};
    const sets = jobSets({ ...pending, ...data });
    const update = where || sets.length ? sql`UPDATE "Job" SET ${join(sets.length ? sets : [sql`"id" = "id"`], ', ')} WHERE ${jobWhere(this.jobId, where ?? {})}` : undefined;
    const inserts: Sql[] = [];
    for (let i = 0; i < written.length; i += LINES_PER_INSERT) {
      const rows = written.slice(i, i + LINES_PER_INSERT).map((l) => sql`(${this.jobId}, ${l.at}, ${enumValue(l.level, 'LogLevel')}, ${l.message})`);
      inserts.push(sql`INSERT INTO "JobLog" ("jobId", "at", "level", "message") VALUES ${join(rows, ', ')}`);
    }
    try {
      if (update && !inserts.length) {
        if (!(await executeRawNow(update))) throw new JobNotMatched(this.jobId);
      } else if (update) {
        // The lines only with the write: a job that no longer matches gets neither.
        await transactionNow(async ({ execute }) => {
          if (!(await execute(update))) throw new JobNotMatched(this.jobId);
          for (const insert of inserts) await execute(insert);
        });
      } else if (inserts.length === 1) await executeRawNow(inserts[0]!);
      else if (inserts.length) await transactionNow(async ({ execute }) => {
        for (const insert of inserts) await execute(insert);
      });
    } catch (err) {
      this.lines.unshift(...lines);
      this.pending = { ...pending, ...this.pending };
      if (this.lines.length) this.linger();
      throw err;
    }
  }
}

function dropUndefined(data: JobData): JobData {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
}
