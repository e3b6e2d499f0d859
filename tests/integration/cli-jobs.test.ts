import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { db } from '@/lib/db/client';
import { cliActor } from '@/lib/cli/output';
import { defineJob } from '@/lib/jobs/types';
import * as z from 'zod';
import { enqueue } from '@/lib/jobs/queue';
import { pruneHandler } from '@/lib/jobs/handlers/prune';
import { registerBuiltInHandlers } from '@/lib/jobs/handlers';
import { Worker } from '@/lib/jobs/worker';

/** A kind no worker of this test knows: its job stays queued. */
const neverRun = defineJob({ kind: 'test.other', params: z.object({}), onInterrupt: 'undo', steps: [] });

const farm = useTestFarm();
const mutu = (args: string[]) => runCli(args, { env: farm.env });

const inSeconds = (s: number) => new Date(Date.now() + s * 1000);

describe('mutu jobs list, show and cancel', () => {
  let first: { id: string };
  let second: { id: string };

  beforeAll(async () => {
    // Not due for an hour: no worker takes them while the test looks at them.
    first = await enqueue(pruneHandler, { olderThanHours: 2 }, { actor: cliActor(), runAfter: inSeconds(3600) });
    second = await enqueue(neverRun, {}, { actor: cliActor(), lockKey: 'example.org', runAfter: inSeconds(3600) });
  });

  it('lists jobs newest first, filtered, as a table and as JSON', async () => {
    const [table, all, byKind, limited, none] = await Promise.all([
      mutu(['jobs', 'list']),
      mutu(['jobs', 'list', '--json']),
      mutu(['jobs', 'list', '--kind', 'maintenance.prune', '--json']),
      mutu(['jobs', 'list', '--limit', '1', '--json']),
      mutu(['jobs', 'list', '--status', 'failed']),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/ID\s+KIND\s+TARGET\s+STATUS/);
    expect(table.stdout).toContain(first.id);
    expect(table.stdout).toMatch(/test\.other\s+example\.org\s+queued/);
    expect(table.stdout).toMatch(/UTC, (just now|\d+ min ago)/);

    const json = JSON.parse(all.stdout) as { id: string; createdAt: string; params: unknown }[];
    expect(json.map((j) => j.id)).toEqual([second.id, first.id]);
    expect(json[1]!.params).toEqual({ olderThanHours: 2 });
    expect(json[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    expect((JSON.parse(byKind.stdout) as { id: string }[]).map((j) => j.id)).toEqual([first.id]);
    expect(JSON.parse(limited.stdout)).toHaveLength(1);
    expect(none.stdout).toContain('No jobs match.');
  });

  it('refuses bad options with exit 2', async () => {
    const [status, limit] = await Promise.all([
      mutu(['jobs', 'list', '--status', 'sleeping']),
      mutu(['jobs', 'list', '--limit', '0']),
    ]);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('queued, running');
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('whole number');
  });

  it('shows a job with its log, in text and JSON', async () => {
    const [text, jsonRun, unknown] = await Promise.all([
      mutu(['jobs', 'show', first.id]),
      mutu(['jobs', 'show', first.id, '--json']),
      mutu(['jobs', 'show', 'nope']),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Kind\s+maintenance\.prune/);
    expect(text.stdout).toMatch(/Status\s+queued/);
    // "just now", or minutes later when the machine is busy: the date is said in words either way
    expect(text.stdout).toMatch(/Created\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC, (just now|\d+ min ago)/);
    expect(text.stdout).toMatch(/\d\d:\d\d:\d\d {2}info {3}queued by cli:/);

    const json = JSON.parse(jsonRun.stdout);
    expect(json.job).toMatchObject({ id: first.id, status: 'queued', params: { olderThanHours: 2 } });
    expect(json.log[0].message).toMatch(/^queued by cli:/);

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no job has the id nope');
  });

  it('cancels a queued job, records it as a CLI change, and refuses to cancel it twice', async () => {
    const r = await mutu(['jobs', 'cancel', second.id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Cancelled job');
    expect((await db.job.findUniqueOrThrow({ where: { id: second.id } })).status).toBe('cancelled');
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: 'job.cancel' } });
    expect(event).toMatchObject({ source: 'cli', ip: 'cli', siteHost: 'example.org' });
    expect(event.details).toMatchObject({ jobId: second.id });

    const again = await mutu(['jobs', 'cancel', second.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already been cancelled');
  });

  it('answers --help on every jobs command', async () => {
    const results = await Promise.all(
      [[], ['list'], ['show'], ['cancel'], ['worker']].map((sub) => mutu(['jobs', ...sub, '--help'])),
    );
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: mutu jobs/);
    }
  });
});

describe('mutu jobs show --follow, with a real worker', () => {
  let worker: Worker;

  beforeAll(async () => {
    registerBuiltInHandlers();
    worker = new Worker({ concurrency: 2, leaseSeconds: 30, pollMs: 200 });
    await worker.start();
  });
  afterAll(() => worker.stop());

  it('prints the log as it grows and exits 0 when the job succeeds', async () => {
    // Made due only once the command shows it queued, so it follows the job from its start
    // however long the command takes to load.
    const job = await enqueue(pruneHandler, {}, { actor: cliActor(), runAfter: inSeconds(3600) });
    let released = false;
    const r = await runCli(['jobs', 'show', job.id, '--follow'], {
      env: farm.env,
      onStdout: (out) => {
        if (released || !/Status\s+queued/.test(out)) return;
        released = true;
        // A Prisma query runs only once awaited or then-ed.
        db.job.update({ where: { id: job.id }, data: { runAfter: new Date() } }).then(() => undefined, (err) => console.error(err));
      },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const order = ['queued by', 'started on', 'forgot 0 expired rate-limit counters', 'succeeded', 'Job succeeded'];
    const positions = order.map((text) => r.stdout.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(r.stdout).toMatch(/Status\s+queued/);
  });

  it('exits 1 when the followed job fails', async () => {
    const job = await enqueue(pruneHandler, { olderThanHours: -1 }, { actor: cliActor(), runAfter: inSeconds(1) });
    const r = await mutu(['jobs', 'show', job.id, '--follow']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('invalid job parameters');
    expect(r.stdout).toContain('Job failed');
  });
});

describe('mutu jobs worker', () => {
  it('runs queued jobs until told to stop, then exits 0', async () => {
    const job = await enqueue(pruneHandler, {}, { actor: cliActor() });
    const child = spawn(process.execPath, [path.resolve('bin/mutu.js'), 'jobs', 'worker'], {
      env: { ...farm.env, MUTU_ADMIN_EMAIL: 'first@example.org', MUTU_ADMIN_PASSWORD: 'a long enough password' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 60_000;
    while ((await db.job.findUniqueOrThrow({ where: { id: job.id } })).status !== 'succeeded') {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the worker did not run the job:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGTERM');
    // A worker that does not stop says what it was doing, rather than the test's timeout alone.
    const stopping = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(stopping);
    expect(code, `the worker did not stop on SIGTERM within 30 s:\n${output}`).toBe(0);
    expect(output).toContain('[worker] started');
    // run by the child's worker, not by one of this test process
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).workerId).toContain(`:${child.pid}:`);
  }, 120_000);
});
