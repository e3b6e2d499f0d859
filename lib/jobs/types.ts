import type { JobStatus, LogLevel } from '@prisma/client';
import type { z } from 'zod';
import type { Translation } from '../domain/errors';
import type { RawTransaction } from '../db/client';

export type { JobStatus, LogLevel };
export const ACTIVE_STATUSES: JobStatus[] = ['running', 'undoing'];
export const FINISHED_STATUSES: JobStatus[] = ['succeeded', 'failed', 'cancelled'];

/**
 * Which of a worker's limits a job counts against. `site`: work on sites (the worker's
 * concurrency; the site jobs of a bulk run are admitted by their run's driver, which queues no
 * more than the run's concurrency). `control`: jobs that mostly wait on other jobs (a run's
 * driver), with a limit of their own, so they never hold a slot site work needs.
 */
export type JobLane = 'control' | 'site';

export interface JobContext<P = unknown> {
  /** `node`: the node it is bound to (its site's), null when any may run it */
  readonly job: { id: string; kind: string; siteId: string | null; target: string | null; runId: string | null; attempts: number; node: string | null };
  readonly params: P;
  /** Data the steps share, saved to the registry before `save` returns: it survives a crash. */
  readonly state: Record<string, unknown>;
  /** The state read through the handler's schema of it: typed, and refused with a clear error when it does not fit. */
  stateAs<S>(schema: z.ZodType<S>): S;
  save(patch: Record<string, unknown>): Promise<void>;
  /**
   * `patch` in the state now, on disk with the job's next write: the next step recorded (before that
   * step runs), the undo's first record or the job's end. For a step's last save, with nothing done
   * after it that a recovery would need it for: a crash before that write is a crash before the save.
   */
  saveWithNextStep(patch: Record<string, unknown>): void;
  /**
   * For a step that `recordsItself`: records it as the step running, with `patch` in the state, in
   * one transaction with what `write` writes through `tx`, and returns what `write` returned. Refused
   * when a cancel was asked (the job aborts; nothing written). `write` must not call `save`.
   */
  recordStep<T>(patch: Record<string, unknown>, write: (tx: RawTransaction) => Promise<T>): Promise<T>;
  log(message: string, level?: LogLevel): Promise<void>;
  /** fraction in [0, 1] of the whole job */
  progress(fraction: number, text?: string): Promise<void>;
  /** Aborted when the job is cancelled, its lease is lost or the worker stops. */
  readonly signal: AbortSignal;
}

export interface JobStep<P> {
  name: string;
  run(ctx: JobContext<P>): Promise<void>;
  /**
   * Compensates `run`, including a `run` that stopped half way or never started:
   * must be idempotent and succeed when there is nothing to undo.
   */
  undo?(ctx: JobContext<P>): Promise<void>;
  /**
   * True when, for this job, `run` changes nothing an undo or a resume needs to know of (no
   * file, no server, no registry row; log lines and progress only): it then runs without a
   * record of its own (a synced commit of the registry), the last step recorded standing for
   * it. Asked before each run; must change nothing itself.
   */
  changesNothing?(ctx: JobContext<P>): boolean | Promise<boolean>;
  /**
   * State saved with the step's record, in its commit (and only once that is on disk, in
   * `ctx.state`): what `run` would otherwise save first, before anything it does.
   */
  stateOnEnter?(ctx: JobContext<P>): Record<string, unknown> | undefined;
  /**
   * The step is not recorded before `run` (a synced commit of its own): `run` records it with
   * `ctx.recordStep`, in the transaction of its first registry write a recovery needs, or not at
   * all. Until then a crash stands it for the last step recorded, whose undo (and those before
   * it) must undo what `run` did so far: files inside a folder an earlier step made and removes
   * whole, questions asked of a server.
   */
  recordsItself?: boolean;
}

/**
 * A job kind: its parameters (a zod schema: `enqueue` takes its input, steps get its output),
 * its steps and how it recovers. Made with `defineJob`, listed in `lib/jobs/handlers/index.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a handler of any parameters fits where every handler goes (the registry, the worker); enqueue reads its own types back
export interface JobHandler<P = any, I = any, K extends string = string> {
  kind: K;
  params: z.ZodType<P, I>;
  steps: JobStep<P>[];
  /**
   * What a worker does with this job when it finds it interrupted by a dead process:
   * `resume` runs the interrupted step again (steps are idempotent), `undo` compensates.
   */
  onInterrupt: 'resume' | 'undo';
  /** `site` unless said otherwise. */
  lane?: JobLane;
  /** Called once the job ends, whatever the outcome (notifications, run bookkeeping). */
  onEnd?(ctx: JobContext<P>, outcome: JobOutcome): Promise<void>;
}

/** The parameters `enqueue` takes for a handler (the schema's input: defaults may be left out). */
export type JobParams<H> = H extends JobHandler<infer _P, infer I> ? I : never;

/** A handler whose parameter types come from its schema, and whose kind stays a literal type. */
export function defineJob<const K extends string, S extends z.ZodType>(
  handler: Omit<JobHandler<z.output<S>, z.input<S>, K>, 'params'> & { params: S },
): JobHandler<z.output<S>, z.input<S>, K> {
  return handler as JobHandler<z.output<S>, z.input<S>, K>;
}

/** How a job ended, for its closing hook: the error's English and, when it is Mutu's own refusal, its catalogue words (a mail says them in each reader's language). */
export interface JobOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  error?: string;
  errorWords?: Translation;
}
