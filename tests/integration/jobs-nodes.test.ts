import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { psql, testRegistry, useTestFarm } from '../helpers/registry';
import { fixtureArgs } from '../helpers/fixture-process';
import { fileStepsHandler, runsLog } from '../fixtures/file-steps-handler';
import { waitFor } from '../fixtures/wait';
import sql from 'sql-template-tag';

const farm = useTestFarm();
const { db } = await import('@/lib/db/client');
const { registerHandler } = await import('@/lib/jobs/registry');
const { enqueue } = await import('@/lib/jobs/queue');
const { Worker } = await import('@/lib/jobs/worker');
const { nodesAtAGlance, nodeWaitedFor } = await import('@/lib/nodes/query');

const projectRoot = path.resolve(import.meta.dirname, '../..');
const actor = { source: 'cli', ip: 'cli', email: 'tester@example.org' } as const;
const dirs: string[] = [];
const workDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-job-nodes-'));
  dirs.push(dir);
  return dir;
};
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const workers: InstanceType<typeof Worker>[] = [];
const workerLines: string[] = [];
async function startWorker(node: string, opts: { concurrency?: number; leaseSeconds?: number } = {}) {
  // A lease long enough that a loaded machine's late heartbeat never hands a job to another worker.
  const worker = new Worker({ node, concurrency: opts.concurrency ?? 2, leaseSeconds: opts.leaseSeconds ?? 15, pollMs: 50, say: (l) => workerLines.push(l) });
  workers.push(worker);
  await worker.start();
  return worker;
}
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await db.worker.deleteMany();
});

describe('workers on several nodes', () => {
  it('shares 60 jobs between three workers on two nodes: each runs once, node-bound ones only on their node, one site at a time', async () => {
    const events: { jobId: string; step: string; phase: 'start' | 'end'; at: number }[] = [];
    const handler = fileStepsHandler({ kind: 'test.nodes', onInterrupt: 'undo', onStep: (e) => events.push(e) });
    registerHandler(handler);
    const dir = workDir();
    const bound = new Map<string, string | null>();
    const lockOf = new Map<string, string>();
    for (let i = 0; i < 60; i++) {
      const node = [null, 'web1', 'web2'][i % 3]!;
      // Sites shared across bindings too: the lock holds across nodes.
      const lockKey = `site${i % 7}.example.org`;
      const job = await enqueue(handler, { dir }, { actor, lockKey, node });
      bound.set(job.id, node);
      lockOf.set(job.id, lockKey);
    }
    const started = await Promise.all([startWorker('web1'), startWorker('web1'), startWorker('web2')]);
    const nodeOf = new Map(started.map((w) => [w.id, w.node]));
    const jobs = await waitFor('60 jobs to finish', async () => {
      const rows = await db.job.findMany({ where: { id: { in: [...bound.keys()] } } });
      return rows.every((j) => ['succeeded', 'failed', 'cancelled'].includes(j.status)) ? rows : null;
    }, 30_000);

    expect(jobs.map((j) => [j.status, j.attempts, j.error])).toEqual(Array(60).fill(['succeeded', 1, null]));
    for (const j of jobs) {
      expect(events.filter((e) => e.jobId === j.id && e.phase === 'start').map((e) => e.step)).toEqual(['one', 'two', 'three']);
      expect(j.node).toBe(bound.get(j.id));
      if (j.node) expect(nodeOf.get(j.workerId!), `job ${j.id} bound to ${j.node}`).toBe(j.node);
    }
    // No two jobs of one site overlapped, whichever node ran them.
    const spans = new Map<string, { start: number; end: number }>();
    for (const e of events) {
      if (e.step === 'one' && e.phase === 'start') spans.set(e.jobId, { start: e.at, end: Infinity });
      if (e.step === 'three' && e.phase === 'end') spans.get(e.jobId)!.end = e.at;
    }
    for (const [a, sa] of spans) {
      for (const [b, sb] of spans) {
        if (a < b && lockOf.get(a) === lockOf.get(b)) expect(sa.start < sb.end && sb.start < sa.end, `${a} and ${b} overlap`).toBe(false);
      }
    }

    // Each worker is in the registry with its node, then stopped.
    const seen = await db.worker.findMany({ orderBy: { id: 'asc' } });
    expect(seen.map((w) => [w.id, w.node, w.pid, w.stoppedAt])).toEqual([...nodeOf].sort().map(([id, node]) => [id, node, process.pid, null]));
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    expect((await db.worker.findMany()).every((w) => w.stoppedAt)).toBe(true);
    expect(workerLines.filter((l) => /error|crashed|failed|cannot/.test(l))).toEqual([]);
  });

  it('binds a job on a site to the site\'s node', async () => {
    const handler = fileStepsHandler({ kind: 'test.nodes-site', onInterrupt: 'undo' });
    registerHandler(handler);
    const platform = await db.platform.upsert({ where: { name: 'nodes-test' }, create: { name: 'nodes-test', profile: 'generic', codePath: '/nowhere' }, update: {} });
    const onWeb2 = await db.site.create({ data: { host: 'on-web2.example.org', status: 'active', platformId: platform.id, node: 'web2' } });
    const anywhere = await db.site.create({ data: { host: 'anywhere.example.org', status: 'active', platformId: platform.id } });
    const dir = workDir();
    expect((await enqueue(handler, { dir }, { actor, siteId: onWeb2.id })).node).toBe('web2');
    expect((await enqueue(handler, { dir }, { actor, siteId: anywhere.id })).node).toBeNull();
    expect((await enqueue(handler, { dir }, { actor })).node).toBeNull();
    await db.job.deleteMany({ where: { kind: 'test.nodes-site' } });
    await db.site.deleteMany({ where: { id: { in: [onWeb2.id, anywhere.id] } } });
  });

  it('queues a scheduled job over every site once per node of the sites, each bound to its node', async () => {
    const { enqueueDueJobs } = await import('@/lib/jobs/schedule');
    const { measureHandler } = await import('@/lib/sites/measure-handler');
    const platform = await db.platform.upsert({ where: { name: 'nodes-test' }, create: { name: 'nodes-test', profile: 'generic', codePath: '/nowhere' }, update: {} });
    const made = await Promise.all(
      [['s1.example.org', 'web1'], ['s2.example.org', 'web2'], ['s3.example.org', null], ['s4.example.org', 'web1']].map(([host, node]) =>
        db.site.create({ data: { host: host!, node, status: 'active', platformId: platform.id } }),
      ),
    );
    const schedule = [{ handler: measureHandler, everyMs: 3600_000, params: {}, perNode: true }];
    expect(await enqueueDueJobs(schedule)).toBe(3);
    expect(await enqueueDueJobs(schedule)).toBe(0);
    const queued = await db.job.findMany({ where: { kind: measureHandler.kind }, orderBy: { node: 'asc' } });
    expect(queued.map((j) => j.node).sort()).toEqual(['web1', 'web2', null].sort());
    await db.job.deleteMany({ where: { kind: measureHandler.kind } });
    await db.site.deleteMany({ where: { id: { in: made.map((s) => s.id) } } });
  });

  it('keeps a job bound to a gone node queued, says which node it waits for, and flags the node', async () => {
    const handler = fileStepsHandler({ kind: 'test.nodes-gone', onInterrupt: 'undo' });
    registerHandler(handler);
    // web3's only worker fell silent long ago (killed: no clean stop).
    const old = new Date(Date.now() - 3600_000);
    await db.worker.create({ data: { id: 'web3-host:4242:abcdef', node: 'web3', pid: 4242, version: '0.1.0', startedAt: old, heartbeatAt: old } });
    const job = await enqueue(handler, { dir: workDir() }, { actor, node: 'web3', lockKey: 'gone.example.org' });
    const web1 = await startWorker('web1');
    await web1.lookedForWork();
    await web1.lookedForWork();
    const after = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(after).toMatchObject({ status: 'queued', attempts: 0, workerId: null });
    expect(await nodeWaitedFor(after, new Date(), 2)).toBe('web3');

    const view = await nodesAtAGlance(new Date(), 2);
    expect(view.nodes.map((n) => [n.node, n.gone, n.alive, n.waitingJobs])).toEqual([
      ['web1', false, 1, 0],
      ['web3', true, 0, 1],
    ]);
    expect(view.workers.find((w) => w.node === 'web3')).toMatchObject({ alive: false, runningJobs: 0, version: '0.1.0' });

    // A worker of web3 comes back: the job runs there.
    await startWorker('web3');
    expect(await nodeWaitedFor(after, new Date(), 2)).toBeNull();
    const done = await waitFor('the job to finish on web3', async () => {
      const j = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      return j.status === 'succeeded' ? j : null;
    });
    expect(done.workerId).toBe(workers[1]!.id);
  });

  it('undoes a job of a worker killed mid-job on another worker of its node only, once its lease ended', async () => {
    const kind = 'test.nodes-crash';
    registerHandler(fileStepsHandler({ kind, onInterrupt: 'undo' }));
    const dir = workDir();
    const job = await enqueue(fileStepsHandler({ kind, onInterrupt: 'undo' }), { dir }, { actor, lockKey: 'crash.example.org', node: 'web2' });
    // The crash worker runs as node web2 (MUTU_NODE), with a lease of 60 s.
    const child = spawn(process.execPath, fixtureArgs('crash-worker', kind, 'undo'), {
      cwd: projectRoot,
      env: { ...farm.env, MUTU_NODE: 'web2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor('the child worker to reach step two', () => {
      if (child.exitCode !== null) throw new Error(`the crash worker exited early:\n${output}`);
      return fs.existsSync(path.join(dir, 'two.txt'));
    }, 20_000);
    const running = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(running).toMatchObject({ status: 'running', node: 'web2' });
    expect(await db.worker.findUniqueOrThrow({ where: { id: running.workerId! } })).toMatchObject({ node: 'web2', pid: child.pid, stoppedAt: null });
    child.kill('SIGKILL');
    await exited;

    // A worker of web1 (short lease, so the lease has ended for it) leaves web2's job alone.
    await db.job.update({ where: { id: job.id }, data: { heartbeatAt: new Date(Date.now() - 10_000) } });
    const web1 = await startWorker('web1', { leaseSeconds: 1 });
    await web1.lookedForWork();
    await web1.lookedForWork();
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'running', workerId: running.workerId });

    // One of web2 takes it over and undoes it.
    await startWorker('web2', { leaseSeconds: 1 });
    const done = await waitFor('the job to be undone on web2', async () => {
      const j = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      return j.status === 'failed' ? j : null;
    });
    expect(done.workerId).toBe(workers[1]!.id);
    expect(runsLog(dir)).toEqual(['run one', 'run two', 'undo two', 'undo one']);
  });

  it.runIf(testRegistry() === 'postgres')('stops claiming while the registry is unreachable, says so once, and resumes by itself', async () => {
    const handler = fileStepsHandler({ kind: 'test.nodes-outage', onInterrupt: 'undo' });
    registerHandler(handler);
    const name = new URL(farm.env.MUTU_REGISTRY_URL!).pathname.slice(1);
    const worker = await startWorker('web1');
    const said = () => workerLines.filter((l) => l.includes('cannot look for jobs'));
    const before = workerLines.length;
    // The database refuses every connection, and the open ones are cut.
    psql(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    try {
      psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
      await waitFor('the worker to notice', () => said().length > 0, 10_000);
      await new Promise((r) => setTimeout(r, 1000)); // twenty more passes at 50 ms
      expect(said()).toHaveLength(1);
    } finally {
      psql(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    await waitFor('the worker to say the registry answers again', () => workerLines.slice(before).some((l) => l.includes('answers again: claiming jobs again')), 10_000);
    const job = await enqueue(handler, { dir: workDir() }, { actor });
    const done = await waitFor('the job to run after the outage', async () => {
      const j = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      return j.status === 'succeeded' ? j : null;
    });
    expect(done.workerId).toBe(worker.id);
  });

  it.runIf(testRegistry() === 'postgres')('reads a transaction the server cut between its statements as the registry away, not as a failure of the work', async () => {
    const { transactionNow } = await import('@/lib/db/client');
    const { registryUnreachable } = await import('@/lib/db/unreachable');
    const name = new URL(farm.env.MUTU_REGISTRY_URL!).pathname.slice(1);
    const job = await enqueue(fileStepsHandler({ kind: 'test.nodes-cut-tx', onInterrupt: 'resume' }), { dir: workDir() }, { actor });
    // Cut after the transaction's first statement: pg then throws its own "not queryable" error
    // at the next one, which Prisma hands out as it is (a worker took it for a crash and lost
    // the job's lines: jobs-nodes-processes).
    const err = await transactionNow(async ({ execute }) => {
      await execute(sql`UPDATE "Job" SET "progress" = 0.5 WHERE "id" = ${job.id}`);
      psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
      // Waited for without blocking: the client reads the server's farewell meanwhile.
      await waitFor('the sessions to end', () => Number(psql(`SELECT count(*) FROM pg_stat_activity WHERE datname = '${name}'`).trim()) === 0, 5000, 20);
      await new Promise((r) => setTimeout(r, 50));
      await execute(sql`UPDATE "Job" SET "progress" = 0.75 WHERE "id" = ${job.id}`);
    }).then(() => null, (e: unknown) => e);
    expect(err, 'the cut transaction failed').toBeInstanceOf(Error);
    expect(registryUnreachable(err), String(err)).toBe(true);
    // Nothing of it was kept, and the registry answers again at once (and its dead connection went
    // back to the pool: kept, the client's disconnect after this file hung for ever).
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).progress).toBe(0);
  });

  it.runIf(testRegistry() === 'postgres')("keeps a job's log lines through an outage: written once the registry answers, before the job is taken up again", async () => {
    const name = new URL(farm.env.MUTU_REGISTRY_URL!).pathname.slice(1);
    let cut = false;
    // The registry goes away in the job's first step, before its "started on" line is written
    // (lines wait up to LINGER_MS): the step's end finds no registry, the job is stranded.
    const handler = fileStepsHandler({
      kind: 'test.nodes-stranded',
      onInterrupt: 'resume',
      onStep: (e) => {
        if (cut || e.step !== 'one' || e.phase !== 'start') return;
        cut = true;
        psql(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
        // pg_terminate_backend only signals: the step ends once the sessions are gone, so its
        // next record cannot slip into a session still ending.
        const until = Date.now() + 5000;
        while (Number(psql(`SELECT count(*) FROM pg_stat_activity WHERE datname = '${name}'`).trim()) > 0 && Date.now() < until);
      },
    });
    registerHandler(handler);
    const job = await enqueue(handler, { dir: workDir() }, { actor });
    try {
      await startWorker('web1');
      await waitFor('the job to be stranded', () => workerLines.some((l) => l.includes(`job ${job.id}`) && l.includes('the registry cannot be reached')), 20_000);
    } finally {
      psql(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    const done = await waitFor('the job to end after the outage', async () => {
      const j = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { logs: { orderBy: { id: 'asc' } } } });
      return j.status === 'succeeded' ? j : null;
    }, 20_000);
    const lines = done.logs.map((l) => l.message);
    // One "started on" per run: the stranded run's, written back before the line that takes it up.
    expect(lines.filter((l) => l.startsWith('started on')), lines.join(' / ') + ' ## ' + workerLines.join(' ## ')).toHaveLength(2);
    const takenUp = lines.findIndex((l) => l.includes('lost the registry during step "one"'));
    expect(takenUp, lines.join(' / ')).toBeGreaterThan(lines.findIndex((l) => l.startsWith('started on')));
    expect(done.attempts).toBe(2);
  });
});
