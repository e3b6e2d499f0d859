import os from 'node:os';
import { type Job } from '@prisma/client';
import { db, queryRawNow } from '../db/client';
import { enumValue } from '../db/dialect';
import { modelRowsNow } from '../db/model-rows';
import { uniqueViolation } from '../db/unique-violation';
import { handlerFor, kindsInLane } from './registry';
import { appendLog } from './queue';
import { formatWorkerLine } from '../domain/job-log-lines';
import { announceJobEnded, JOB_QUEUED, jobEvents } from './events';
import { listenToOtherProcesses } from './wake';
import { recordWorkerBeat, recordWorkerStart, recordWorkerStop } from './worker-record';
import { claimableOn, defaultNodeName } from '../domain/node';
import { registryUnreachable } from '../db/unreachable';
import { translatedError } from '../i18n/errors';
import { CANCELLED, causeOf, ERROR_WORDS, jobFailure, type Cause } from './job-error';
import { JobWriter, notMatched } from './job-writer';
import { newWorkerId, workerProcess } from './worker-id';
import { keepAdminConnections } from '../databases/admin-pool';
import * as z from 'zod';
import type { JobContext, JobHandler, JobStep, LogLevel } from './types';
import sql, { join, empty, type Sql } from 'sql-template-tag';

/** Any job's state: an object of named values (each kind reads its own through `ctx.stateAs`). */
const jobState = z.record(z.string(), z.unknown());

export interface WorkerOptions {
  /** Site jobs at once (a bulk run's own site jobs apart: their run's driver sets how many). */
  concurrency: number;
  /** Control jobs (run drivers) at once; 4 unless said otherwise. */
  controlConcurrency?: number;
  leaseSeconds: number;
  pollMs?: number;
  /** Called with each line the worker itself prints (start, recovery, errors). */
  say?: (line: string) => void;
  /** Claim only these jobs (the CLI runs the job it just queued, in its own process). */
  onlyJobIds?: string[];
  /**
   * The node this worker runs on: it claims jobs bound to it or to no node. Default MUTU_NODE,
   * else the machine's host name.
   */
  node?: string;
}

/** Workers alive in this process (tests run several; a server runs one). */
const liveWorkers = new Set<string>();

/** Key of a job's state that says its closing hook ran, with which outcome. */
const CLOSED = '_closedAs';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** An abort reason the job's page says in the reader's language. */
const stopError = (key: 'serviceErrors.workerStopping' | 'serviceErrors.lostJob') => translatedError((m) => new Error(m), key);
/** The abort reasons that say another worker took the job over (this one's lease on it ran out). */
const handedOver = new WeakSet<object>();
function lostJobError(): Error {
  const err = stopError('serviceErrors.lostJob');
  handedOver.add(err);
  return err;
}

/**
 * Runs queued jobs: claims them atomically, at most one per lock key (site) and
 * `concurrency` at once, keeps a heartbeat on each, and on start and periodically
 * finishes or undoes jobs whose worker died.
 */
export class Worker {
  readonly id = newWorkerId();
  readonly node: string;
  private readonly running = new Map<string, AbortController>();
  /** Writers of jobs the registry went away under, keeping their log lines until it answers (writeStrandedLines). */
  private readonly stranded = new Set<JobWriter>();
  /** What each running job counts against: its lane, or its run (admitted by the run's driver). */
  private readonly slots = new Map<string, 'control' | 'site' | 'run'>();
  private readonly finished = new Set<Promise<void>>();
  private stopped = true;
  private timer?: NodeJS.Timeout;
  private lastSweep = 0;
  private wakeUp?: () => void;
  /** set by a nudge that came while the loop was busy, so it is not lost */
  private woken = false;
  private readonly onQueued = () => this.nudge();
  private unwatch?: () => void;
  private beatTimer?: NodeJS.Timeout;
  /** the worker's own heartbeat being written, if one is: waited for before the stop is recorded */
  private beating: Promise<void> = Promise.resolve();
  /** what went wrong in the last pass, said once until a pass works again */
  private trouble: string | null = null;
  /** lets go of the database servers' admin connections its jobs kept between them */
  private releaseConnections?: () => Promise<void>;

  constructor(private readonly opts: WorkerOptions) {
    this.node = opts.node ?? defaultNodeName(process.env, os.hostname());
  }

  /** A worker that takes the farm's work (not a command running its own job) shows in the registry. */
  private get seen(): boolean {
    return !this.opts.onlyJobIds;
  }

  private say(line: string) {
    this.opts.say?.(`[worker] ${line}`);
  }

  async start(): Promise<void> {
    this.stopped = false;
    liveWorkers.add(this.id);
    this.releaseConnections = keepAdminConnections();
    if (this.seen) {
      await recordWorkerStart(this.id, this.node);
      // One row update per heartbeat period, whatever the number of jobs.
      this.beatTimer = setInterval(() => {
        this.beating = this.beatSelf();
      }, (this.opts.leaseSeconds * 1000) / 3);
    }
    await this.recoverInterrupted(true);
    this.say(`started (${this.id} on node ${this.node}, up to ${this.opts.concurrency} site jobs and ${this.controlLimit} run drivers at once; a bulk run's sites as many as it asks)`);
    jobEvents.on(JOB_QUEUED, this.onQueued);
    this.unwatch = listenToOtherProcesses(this.onQueued, (line) => this.say(line));
    void this.loop();
  }

  /** Stops claiming, aborts running jobs (they undo or stay resumable) and waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    jobEvents.off(JOB_QUEUED, this.onQueued);
    this.unwatch?.();
    this.wakeUp?.();
    for (const ctrl of this.running.values()) ctrl.abort(stopError('serviceErrors.workerStopping'));
    await Promise.allSettled([...this.finished]);
    // Once more for the lines of jobs the registry went away under (another worker may have
    // taken those jobs up meanwhile: their lines still say where they ran).
    await this.writeStrandedLines().catch((err) => this.say(`log lines of ${this.stranded.size} interrupted jobs not written: ${errorText(err)}`));
    for (const resolve of this.passWaiters.splice(0)) resolve();
    if (this.timer) clearTimeout(this.timer);
    if (this.beatTimer) clearInterval(this.beatTimer);
    // A beat written after the stop would mark the worker alive again (stoppedAt cleared).
    await this.beating;
    if (this.seen) await recordWorkerStop(this.id).catch((err) => this.say(`could not record the stop: ${errorText(err)}`));
    await this.releaseConnections?.();
    liveWorkers.delete(this.id);
  }

  private async beatSelf(): Promise<void> {
    try {
      await recordWorkerBeat(this.id, this.node);
    } catch {
      // The claim loop meets the same registry and says so, once.
    }
  }

  private passWaiters: (() => void)[] = [];

  /**
   * Resolves once the worker has looked for work (recovery sweep, claims) from start to end
   * after this call: what "it left that job alone" is waited on, rather than a guessed delay.
   */
  lookedForWork(): Promise<void> {
    this.nudge();
    return new Promise((resolve) => this.passWaiters.push(resolve));
  }

  /** Look for work now rather than at the next poll. */
  nudge(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  get activeJobs(): number {
    return this.running.size;
  }

  private get controlLimit(): number {
    return this.opts.controlConcurrency ?? 4;
  }

  private used(slot: 'control' | 'site'): number {
    let n = 0;
    for (const s of this.slots.values()) if (s === slot) n++;
    return n;
  }

  private slotOf(job: Pick<Job, 'kind' | 'runId'>): 'control' | 'site' | 'run' {
    if ((handlerFor(job.kind)?.lane ?? 'site') === 'control') return 'control';
    return job.runId ? 'run' : 'site';
  }

  /**
   * The jobs this worker has room for now (SQL): a full lane leaves its kinds out of the claim
   * query, so the jobs behind them in the queue are still seen.
   */
  private roomFilter(): Sql {
    const controlKinds = kindsInLane('control');
    const control = controlKinds.length ? sql`"kind" IN (${join(controlKinds)})` : sql`FALSE`;
    const siteFull = this.used('site') >= this.opts.concurrency;
    const controlFull = this.used('control') >= this.controlLimit;
    if (siteFull && controlFull) return sql` AND "runId" IS NOT NULL AND NOT (${control})`;
    if (siteFull) return sql` AND ("runId" IS NOT NULL OR ${control})`;
    if (controlFull) return sql` AND NOT (${control})`;
    return empty;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      const lookers = this.passWaiters.splice(0); // told once this whole pass is done
      try {
        await this.writeStrandedLines();
        if (Date.now() - this.lastSweep > (this.opts.leaseSeconds * 1000) / 2) {
          this.lastSweep = Date.now();
          await this.recoverInterrupted(false);
        }
        while (!this.stopped) {
          const job = await this.claim();
          if (!job) break;
          this.launch(job);
        }
        if (this.trouble) this.say('the registry answers again: claiming jobs again');
        this.trouble = null;
      } catch (err) {
        // Jobs this worker lost the registry in the middle of are taken up by the first sweep once it answers.
        this.lastSweep = 0;
        // Said once, not once a second while the registry is away; the loop tries again by itself.
        if (!this.trouble) this.say(`cannot look for jobs (${errorText(err)}): no job is claimed until the registry answers again; trying every ${(this.opts.pollMs ?? 1000) / 1000} s`);
        this.trouble = errorText(err);
      }
      for (const resolve of lookers) resolve();
      if (this.woken) continue;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, this.opts.pollMs ?? 1000);
      });
      clearTimeout(this.timer);
    }
  }

  /**
   * The log lines of jobs the registry went away under ("started on", a step's lines), written
   * once it answers and before this worker's sweep takes those jobs up, so their logs read in
   * order. Throws, keeping the rest, while the registry is still away.
   */
  private async writeStrandedLines(): Promise<void> {
    for (const writer of this.stranded) {
      try {
        await writer.writeLines();
      } catch (err) {
        // Kept only while the registry is away: lines it refuses (a job deleted meanwhile, text
        // it will not store) would otherwise hold this worker's every pass.
        if (registryUnreachable(err)) throw err;
        this.say(`log lines of the interrupted job ${writer.jobId} dropped: ${errorText(err)}`);
      }
      this.stranded.delete(writer);
    }
  }

  /**
   * Raw SQL (the registry's adapter directly where it may be: client.ts), not Prisma's model
   * queries: a pass's reads and the claim are paid by every job, and their compile and mapping
   * cost more CPU than the statements.
   */
  private async claim(): Promise<Job | null> {
    const only = this.opts.onlyJobIds ? sql` AND "id" IN (${this.opts.onlyJobIds.length ? join(this.opts.onlyJobIds) : sql`NULL`})` : empty;
    // What the claim needs, not each job's parameters and state: read for up to 50 jobs at every pass.
    const candidates = await modelRowsNow<'Job', Pick<Job, 'id' | 'kind' | 'lockKey' | 'attempts' | 'startedAt' | 'stepIndex'>>(
      'Job',
      sql`SELECT "id", "kind", "lockKey", "attempts", "startedAt", "stepIndex" FROM "Job"
        WHERE "status" = ${enumValue('queued', 'JobStatus')} AND "runAfter" <= ${new Date()} AND ("node" IS NULL OR "node" = ${this.node})${only}${this.roomFilter()}
        ORDER BY "createdAt" ASC LIMIT 50`,
    );
    // Sites busy now: their queued jobs are passed over without a write that the unique lock
    // would refuse (with many jobs per site, that was a failed write per job per pass).
    const busy = new Set(
      candidates.some((c) => c.lockKey) ? (await queryRawNow(sql`SELECT "activeLock" FROM "Job" WHERE "activeLock" IS NOT NULL`)).map((j) => j.activeLock) : [],
    );
    for (const c of candidates) {
      if (!handlerFor(c.kind) || (c.lockKey && busy.has(c.lockKey))) continue;
      try {
        const now = new Date();
        // The step it starts at is recorded by the claim itself: no write of its own before it runs.
        const step = handlerFor(c.kind)!.steps[c.stepIndex]?.name;
        // Compare-and-set: only one worker moves a job out of "queued" (and only the attempt it
        // read); the unique activeLock refuses a second running job on the same site. One statement.
        const [claimed] = await modelRowsNow(
          'Job',
          sql`UPDATE "Job" SET "status" = ${enumValue('running', 'JobStatus')}, "activeLock" = ${c.lockKey}, "workerId" = ${this.id}, "heartbeatAt" = ${now},
            "startedAt" = ${c.startedAt ?? now}, "attempts" = ${c.attempts + 1}${step ? sql`, "step" = ${step}` : empty}
            WHERE "id" = ${c.id} AND "status" = ${enumValue('queued', 'JobStatus')} AND "attempts" = ${c.attempts} RETURNING *`,
        );
        // None: another worker claimed it first.
        if (claimed) return claimed;
      } catch (err) {
        if (uniqueViolation(err)) {
          busy.add(c.lockKey);
          continue;
        }
        throw err;
      }
    }
    return null;
  }

  private launch(job: Job, mode: 'run' | 'undo' = 'run', reason?: Error): void {
    const ctrl = new AbortController();
    this.running.set(job.id, ctrl);
    this.slots.set(job.id, this.slotOf(job));
    const done = this.execute(job, ctrl, mode, reason)
      .catch((err) => this.say(`job ${job.id} (${job.kind}) crashed the worker loop: ${err instanceof Error ? `${err.name}: ` : ''}${errorText(err)}`))
      .finally(() => {
        this.running.delete(job.id);
        this.slots.delete(job.id);
        this.finished.delete(done);
        announceJobEnded();
        this.nudge();
      });
    this.finished.add(done);
  }

  private async execute(job: Job, ctrl: AbortController, mode: 'run' | 'undo', reason?: Error): Promise<void> {
    const handler = handlerFor(job.kind)!;
    const writer = new JobWriter(job.id);
    try {
      // Kept even with no line waiting now: a lingering flush may hold them, and puts them back when it fails.
      if ((await this.work(job, handler, writer, ctrl, mode, reason)) === 'stranded') {
        writer.strand();
        this.stranded.add(writer);
      }
    } catch (err) {
      // A failure the job's own handling did not expect (its end could not be written, for one):
      // the job stays this worker's for its sweep to take up, and its lines so far are still
      // written, as a stranded job's are.
      writer.strand();
      this.stranded.add(writer);
      throw err;
    } finally {
      if (!this.stranded.has(writer)) writer.dispose();
    }
  }

  /** `stranded`: the registry went away under the job; what it did is for the recovery to read. */
  private async work(job: Job, handler: JobHandler, writer: JobWriter, ctrl: AbortController, mode: 'run' | 'undo', reason?: Error): Promise<'stranded' | void> {
    if (mode === 'run') {
      // Bad parameters: nothing ran, so nothing to undo (and undo could not read them either).
      const parsed = handler.params.safeParse(job.params);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
        const failure = jobFailure(causeOf(translatedError((m) => new Error(m), 'serviceErrors.jobParamsInvalid', { issues })));
        writer.log(formatWorkerLine('failed', { reason: failure.text }), 'error');
        // It never ran, so no step saves the error's words: they go in with its end.
        if (failure.words) writer.stateLater({ ...jobState.safeParse(job.state).data, [ERROR_WORDS]: failure.words });
        await this.finish(writer, 'failed', failure.text, job.stepIndex);
        return;
      }
    }
    const heartbeat = setInterval(() => void this.beat(job.id, ctrl), (this.opts.leaseSeconds * 1000) / 3);
    const at = { stepIndex: job.stepIndex };
    const ctx = this.context(job, handler, ctrl, writer, at);
    let stepIndex = job.stepIndex;
    try {
      if (mode === 'run') {
        // Written with the job's end, or within LINGER_MS (job-writer.ts), as every line of its steps.
        if (stepIndex === 0) writer.log(formatWorkerLine('started', { worker: this.id, node: this.node }));
        else if (stepIndex < handler.steps.length) writer.log(formatWorkerLine('resumed', { step: String(handler.steps[stepIndex]?.name), attempt: String(job.attempts) }), 'warn');
        for (; stepIndex < handler.steps.length; stepIndex++) {
          const step = handler.steps[stepIndex]!;
          at.stepIndex = stepIndex;
          // The first step was recorded by the claim (only claimed jobs run steps).
          if (!step.recordsItself && (stepIndex > job.stepIndex || job.step !== step.name) && !(await step.changesNothing?.(ctx))) await this.enterStep(writer, ctrl, ctx, step, stepIndex);
          else if (ctrl.signal.aborted) throw ctrl.signal.reason ?? new Error('aborted');
          await step.run(ctx);
          if (ctrl.signal.aborted) throw ctrl.signal.reason ?? new Error('aborted');
        }
        // Every step is done: recorded first, so a crash from here on is not mistaken for a half-done job.
        await writer.write({ stepIndex: handler.steps.length, step: null });
        await this.ended(handler, ctx, writer, { status: 'succeeded' });
        await this.finish(writer, 'succeeded', null, handler.steps.length, formatWorkerLine('succeeded'));
        return;
      }
      throw reason ?? new Error('interrupted');
    } catch (err) {
      if (registryUnreachable(err)) {
        // The registry went away under the job: that says nothing of its work, and nothing can be
        // written now. It stays this worker's, and the first sweep once the registry answers
        // resumes or undoes it as it would a dead worker's (recoverInterrupted).
        this.say(`job ${job.id} (${job.kind}) interrupted: the registry cannot be reached; it is taken up again once it answers`);
        return 'stranded';
      }
      if (handedOver.has(ctrl.signal.reason as object)) {
        // Another worker owns the job now (this one's lease ran out: a paused process, a stalled
        // machine): its undo or resume, and its end, are that worker's. An undo here too would
        // run beside it, and this end would free the site's lock while that undo still runs.
        this.say(`job ${job.id} (${job.kind}) was taken over by another worker (its lease ran out here): left to it`);
        return;
      }
      if (this.stopped && mode === 'run' && handler.onInterrupt === 'resume') {
        // Shutting down: leave the job for the next worker to resume.
        writer.log(formatWorkerLine('paused'), 'warn');
        await writer.write({ status: 'queued', activeLock: null, workerId: null }, { workerId: this.id }, { lines: true }).catch((e) => {
          if (!notMatched(e)) throw e;
        });
        return;
      }
      const cancelled = (await db.job.findUnique({ where: { id: job.id }, select: { cancelRequested: true } }))?.cancelRequested;
      const cause = cancelled ? CANCELLED : causeOf(err);
      writer.log(cancelled ? formatWorkerLine('cancelledUndoing') : formatWorkerLine(mode === 'run' ? 'failed' : 'undoingBecause', { reason: cause.text }), cancelled ? 'warn' : 'error');
      const undoError = await this.undo(writer, handler, ctx, stepIndex);
      const status = cancelled && !undoError ? 'cancelled' : 'failed';
      const failure = jobFailure(cause, undoError ?? undefined);
      // Beside the English Job.error keeps: the words to say it in the reader's language (written with the end).
      if (failure.words) {
        ctx.state[ERROR_WORDS] = failure.words;
        writer.stateLater(ctx.state);
      }
      await this.ended(handler, ctx, writer, { status, error: failure.text, errorWords: failure.words?.words });
      await this.finish(writer, status, failure.text, stepIndex);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * The handler's closing hook (audit, notifications), however the job ends: its failure is
   * logged, never turned into an undo. Recorded once run, so a worker that closes the job
   * after a crash does not run it twice.
   */
  private async ended(handler: JobHandler, ctx: JobContext<unknown>, writer: JobWriter, outcome: Parameters<NonNullable<JobHandler['onEnd']>>[1]) {
    if (!handler.onEnd || ctx.state[CLOSED] === outcome.status) return;
    try {
      await handler.onEnd(ctx, outcome);
    } catch (err) {
      writer.log(formatWorkerLine('afterJob', { reason: errorText(err) }), 'warn');
    }
    // Written in the job's end's transaction: a crash before it runs the hook again, as a
    // crash before a write of its own did; after it, neither is left to do.
    ctx.state[CLOSED] = outcome.status;
    writer.stateLater(ctx.state);
  }

  /** Undoes steps from `fromIndex` (the one that failed, maybe half done) back to the first. */
  private async undo(writer: JobWriter, handler: JobHandler, ctx: JobContext<unknown>, fromIndex: number): Promise<({ step: string } & Cause) | null> {
    let status: { status?: 'undoing' } = { status: 'undoing' };
    for (let i = Math.min(fromIndex, handler.steps.length - 1); i >= 0; i--) {
      const step = handler.steps[i]!;
      if (!step.undo) continue;
      // Recorded before the undo runs, with the status on the first one.
      await writer.write({ ...status, step: `undo ${step.name}`, stepIndex: i });
      status = {};
      try {
        await step.undo(ctx);
        writer.log(formatWorkerLine('undone', { step: step.name }));
      } catch (err) {
        writer.log(formatWorkerLine('undoFailed', { step: step.name, reason: errorText(err) }), 'error');
        return { step: step.name, ...causeOf(err) };
      }
    }
    if (status.status) await writer.write(status);
    return null;
  }

  /**
   * Records the job's end, with its last log line in the same transaction: a registry lost
   * between the two would leave the job to be closed again, and its log saying it ended twice.
   */
  private async finish(writer: JobWriter, status: 'succeeded' | 'failed' | 'cancelled', error: string | null, stepIndex: number, lastLine?: string) {
    await writer.write(
      {
        status,
        error,
        stepIndex,
        activeLock: null,
        finishedAt: new Date(),
        ...(status === 'succeeded' ? { progress: 1, step: null } : {}),
      },
      {},
      { lines: true, closingLine: lastLine },
    );
  }

  /** `at`: the step running, as the worker's loop moves on (what `recordStep` records). */
  private context(job: Job, handler: JobHandler, ctrl: AbortController, writer: JobWriter, at: { stepIndex: number }): JobContext<unknown> {
    const state = jobState.parse(job.state);
    const signal = ctrl.signal;
    const workerId = this.id;
    const parsed = handler.params.safeParse(job.params);
    return {
      job: { id: job.id, kind: job.kind, siteId: job.siteId, target: job.target, runId: job.runId, attempts: job.attempts, node: job.node },
      params: parsed.success ? parsed.data : job.params,
      state,
      signal,
      stateAs(schema) {
        const read = schema.safeParse(state);
        if (!read.success) throw new Error(`the job's saved state does not fit its kind: ${read.error.issues.map((i) => `${i.path.join('.') || 'state'}: ${i.message}`).join('; ')}`);
        return read.data;
      },
      async save(patch) {
        Object.assign(state, patch);
        // Steps save plain data (strings, numbers, objects of them): written as JSON.stringify would.
        await writer.write({ state });
      },
      saveWithNextStep(patch) {
        Object.assign(state, patch);
        writer.stateLater(state);
      },
      async recordStep(patch, write) {
        const step = handler.steps[at.stepIndex];
        if (!step?.recordsItself) throw new Error(`recordStep called by a step that the worker records (${step?.name ?? 'none'})`);
        // A job stopped (cancelled, its lease lost, the worker stopping) records no more: once
        // another worker owns it, a record and its data would land past that worker's undo.
        if (signal.aborted) throw signal.reason ?? new Error('aborted');
        const recorded = await writer.recordStepWith(step.name, at.stepIndex, { ...state, ...patch }, write, workerId);
        if (!recorded) {
          ctrl.abort(new Error('cancelled'));
          throw signal.reason;
        }
        Object.assign(state, patch);
        return recorded.value as Awaited<ReturnType<typeof write>>;
      },
      log: async (message: string, level: LogLevel = 'info') => writer.log(message, level),
      progress: async (fraction, text) => writer.progress(fraction, text),
    };
  }

  /**
   * Records the step about to run, with the state it saves on entering, unless a cancel was
   * asked meanwhile: one write that also checks, instead of a read before each step (the
   * heartbeat checks between steps too).
   */
  private async enterStep(writer: JobWriter, ctrl: AbortController, ctx: JobContext<unknown>, step: JobStep<unknown>, stepIndex: number) {
    const patch = step.stateOnEnter?.(ctx);
    if (!ctrl.signal.aborted) {
      if (await writer.recordStep(step.name, stepIndex, patch && { ...ctx.state, ...patch })) Object.assign(ctx.state, patch);
      else ctrl.abort(new Error('cancelled'));
    }
    if (ctrl.signal.aborted) throw ctrl.signal.reason ?? new Error('aborted');
  }

  private async beat(jobId: string, ctrl: AbortController) {
    try {
      // One statement: the beat, only while the job is still this worker's, returning whether a cancel was asked.
      const row = await db.job.update({ where: { id: jobId, workerId: this.id }, data: { heartbeatAt: new Date() }, select: { cancelRequested: true } });
      if (row.cancelRequested) ctrl.abort(new Error('cancelled'));
    } catch (err) {
      if (notMatched(err)) ctrl.abort(lostJobError());
      else this.say(`heartbeat of ${jobId} failed: ${errorText(err)}`);
    }
  }

  /**
   * Jobs marked running or undoing whose worker is gone: a process on this host that no
   * longer exists (seen at once on start), or a heartbeat older than the lease.
   */
  private async recoverInterrupted(atStart: boolean): Promise<void> {
    if (this.opts.onlyJobIds) return; // a CLI running its own job leaves the farm's jobs to the real workers
    const leaseCutoff = new Date(Date.now() - this.opts.leaseSeconds * 1000);
    // Only jobs this worker may run: a node's file jobs are finished or undone on that node.
    // Its own jobs that it no longer runs are a dead worker's too: it lost the registry in the
    // middle of them (the work stopped, the registry still says "running").
    const active = await db.job.findMany({ where: { status: { in: ['running', 'undoing'] }, id: { notIn: [...this.running.keys()] }, AND: [claimableOn(this.node)] } });
    for (const job of active) {
      const dead = job.workerId === this.id || (job.heartbeatAt ?? new Date(0)) < leaseCutoff || (atStart && this.isDeadLocalWorker(job.workerId));
      if (!dead) continue;
      const handler = handlerFor(job.kind);
      if (!handler) continue;
      if (job.status === 'running' && job.stepIndex >= handler.steps.length) {
        // It died after its last step: the work is done; its closing hook (audit, mails) and
        // the bookkeeping are not. Taken over like any job, then closed by this worker.
        const { count } = await db.job.updateMany({
          where: { id: job.id, workerId: job.workerId, status: 'running' },
          data: { workerId: this.id, heartbeatAt: new Date() },
        });
        if (!count) continue;
        await appendLog(job.id, formatWorkerLine('closing', { worker: String(job.workerId) }), 'warn');
        this.launch({ ...job, workerId: this.id });
        continue;
      }
      const resume = job.status === 'running' && handler.onInterrupt === 'resume' && !job.cancelRequested;
      // Take the job over with a compare-and-set on its old owner, so two workers never both recover it.
      const { count } = await db.job.updateMany({
        where: { id: job.id, workerId: job.workerId, status: job.status },
        data: resume
          ? { status: 'queued', activeLock: null, workerId: null }
          : { workerId: this.id, heartbeatAt: new Date() },
      });
      if (count !== 1) continue;
      const lost = job.workerId === this.id;
      const why = translatedError((m) => new Error(m), lost ? 'serviceErrors.workerLostRegistry' : 'serviceErrors.workerDied', { worker: String(job.workerId), step: job.step ?? '?' });
      this.say(`job ${job.id} (${job.kind}, ${job.target ?? '-'}) ${why.message}; ${resume ? 'resuming' : 'undoing'}`);
      const line = lost ? (resume ? 'lostRegistryResume' : 'lostRegistryUndo') : resume ? 'interruptedResume' : 'interruptedUndo';
      await appendLog(job.id, formatWorkerLine(line, { worker: String(job.workerId), step: job.step ?? '?' }), 'warn');
      if (!resume) this.launch({ ...job, workerId: this.id }, 'undo', why);
    }
  }

  private isDeadLocalWorker(workerId: string | null): boolean {
    if (!workerId) return true;
    if (liveWorkers.has(workerId)) return false;
    const p = workerProcess(workerId);
    if (!p || p.host !== os.hostname()) return false;
    if (p.pid === process.pid) return true; // a worker of this process that is no more
    try {
      process.kill(p.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
}
