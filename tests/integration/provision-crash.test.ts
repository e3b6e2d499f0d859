import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, expectNothingLeft, randomHost, randomPart, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { fixtureArgs } from '../helpers/fixture-process';
import { waitFor } from '../fixtures/wait';
import { db } from '@/lib/db/client';
import { hashPassword } from '@/lib/auth/password';
import { createCode } from '@/lib/codes/service';
import { Worker } from '@/lib/jobs/worker';
import { provisionHandler } from '@/lib/sites/provision-handler';
import { frontIsSetUp } from '@/lib/front/settings';
import { platformCommand } from '@/lib/platforms/run-command';
import { requestSite } from '@/lib/sites/request';
import { readLog } from '@/lib/jobs/queue';

// Operators hear of each site created: how the test sees that the closing hook ran.
const farm = useTestFarm({ MUTU_OPERATORS: 'ops@example.org' });
const p = useProvisioning();
const projectRoot = path.resolve(import.meta.dirname, '../..');

const markerRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-provision-crash-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(markerRoot, { recursive: true, force: true });
});

// One hash for every new webmaster: scrypt costs 0.3 s of CPU, which per request would be most of this file's time.
let webmasterPasswordHash: string;
beforeAll(async () => {
  webmasterPasswordHash = await hashPassword('a webmaster password');
  await Promise.all(availableEngines().map((e) => p.serverFor(e)));
  await Promise.all(availableEngines().map((e) => p.platformFor(e)));
});

/**
 * Every engine at every step: the jobs of one step share one crash process, so more
 * engines cost little time.
 */
const enginesAt = (_step: string): Engine[] => availableEngines();

/** Starts the crash fixture on step k and waits until each job has done that step and hangs. */
async function crashAt(k: number, jobIds: string[]) {
  const markers = fs.mkdtempSync(path.join(markerRoot, `step${k}-`));
  const child = spawn(process.execPath, fixtureArgs('provision-crash', String(k), markers), {
    cwd: projectRoot,
    env: farm.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(
    `the crash worker to finish step ${k} of ${jobIds.length} job(s)`,
    () => {
      if (child.exitCode !== null) throw new Error(`the crash worker exited early:\n${output}`);
      return jobIds.every((id) => fs.existsSync(path.join(markers, id)));
    },
    30_000,
  );
  child.kill('SIGKILL');
  await exited; // reaped: its pid no longer exists, which is how the next worker knows it died
  return `${os.hostname()}:${child.pid}:`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The step a crash during each step leaves recorded, in this test's farm (no front, platforms
 * without an install command, a webmaster asked): the step itself, or the last one recorded
 * before it when it changes nothing for such a job or writes only what an earlier step's undo
 * removes (it runs without a record of its own: `config`, inside the site's folder). Written
 * out, not derived from the steps' own `changesNothing` and `recordsItself`, so a step wrongly
 * said to need no record fails here (and its crash case below says whether the undo still
 * leaves nothing).
 */
const RECORDED_AT_CRASH: Record<string, string> = {
  reserve: 'reserve',
  folders: 'folders',
  'unix user': 'folders',
  database: 'database',
  config: 'database',
  'check login': 'database',
  webmaster: 'webmaster',
  install: 'webmaster',
  activate: 'activate',
  serve: 'activate',
};

const cases = provisionHandler.steps.map((step, k) => ({ k, step: step.name, title: `step ${k + 1} (${step.name})` }));

describe('a crash of the worker process at each provisioning step', () => {
  it('knows every step, in a farm as the table above says', async () => {
    expect(Object.keys(RECORDED_AT_CRASH)).toEqual(provisionHandler.steps.map((s) => s.name));
    expect(frontIsSetUp()).toBe(false);
    for (const engine of availableEngines()) {
      const platform = await db.platform.findUniqueOrThrow({ where: { name: (await p.platformFor(engine)).name } });
      expect(platformCommand(platform, 'install'), engine).toBeNull();
    }
  });

  it.each(cases)('$title: the next worker undoes everything', async ({ k, step }) => {
    const engines = enginesAt(step);
    const { row: code } = await createCode(adminActor, { label: `crash at ${step}`, uses: engines.length });
    const attempts = await Promise.all(
      engines.map(async (engine) => {
        const host = p.trackHost(randomHost(`c${k}`));
        const webmaster = `wm-${randomPart()}@example.org`;
        const server = await p.serverFor(engine);
        const platform = await p.platformFor(engine);
        const r = await requestSite(adminActor, { host, platform: platform.name, server: server.name, webmaster }, { codeId: code.id, webmasterPasswordHash });
        return { engine, host, webmaster, jobId: r.job.id };
      }),
    );
    const deadWorker = await crashAt(k, attempts.map((a) => a.jobId));
    const recorded: Record<string, string> = {};
    for (const a of attempts) {
      const job = await db.job.findUniqueOrThrow({ where: { id: a.jobId } });
      const at = provisionHandler.steps.findIndex((s) => s.name === RECORDED_AT_CRASH[step]);
      expect(job, a.engine).toMatchObject({ status: 'running', step: RECORDED_AT_CRASH[step], stepIndex: at });
      recorded[a.jobId] = job.step!;
    }

    const worker = new Worker({ concurrency: 4, leaseSeconds: 60, pollMs: 20 });
    await worker.start();
    try {
      for (const a of attempts) {
        const job = await waitForJob(a.jobId);
        expect(job.status, `${a.engine}: ${job.error}`).toBe('failed');
        expect(job.error).toMatch(new RegExp(`^interrupted: its worker \\(${escapeRegExp(deadWorker)}[0-9a-f]+\\) died during step "${escapeRegExp(recorded[a.jobId]!)}"$`));
        expect(job.activeLock).toBeNull();
      }
    } finally {
      await worker.stop();
    }
    for (const a of attempts) {
      await expectNothingLeft(p, { host: a.host, engine: a.engine, createdWebmaster: a.webmaster, code: { id: code.id, usesBefore: 0 } });
    }
  });
});

describe('a crash after the last provisioning step, before the job is closed', () => {
  it('the next worker closes it: the site stays, with its audit row and the admins\' mail, once', async () => {
    const platform = await p.platform('spip');
    const server = await p.serverFor('sqlite');
    const host = p.trackHost(randomHost('closing'));
    const r = await requestSite(adminActor, { host, platform: platform.name, server: server.name });
    const outbox = path.join(farm.dataDir, 'outbox');
    const mailsAbout = () => (fs.existsSync(outbox) ? fs.readdirSync(outbox) : []).filter((f) => fs.readFileSync(path.join(outbox, f), 'utf8').includes(`Site created: ${host}`));
    const auditRows = () => db.auditEvent.findMany({ where: { action: 'site.create', siteHost: host } });

    await crashAt(provisionHandler.steps.length, [r.job.id]);
    expect(await db.job.findUniqueOrThrow({ where: { id: r.job.id } })).toMatchObject({ status: 'running', stepIndex: provisionHandler.steps.length });
    expect(await auditRows()).toEqual([]);
    expect(mailsAbout()).toEqual([]);

    const worker = new Worker({ concurrency: 2, leaseSeconds: 60, pollMs: 20 });
    await worker.start();
    try {
      const job = await waitForJob(r.job.id);
      expect(job.status, job.error ?? '').toBe('succeeded');
      expect(job.activeLock).toBeNull();
    } finally {
      await worker.stop();
    }
    expect(await db.site.findUniqueOrThrow({ where: { host } })).toMatchObject({ status: 'active' });
    const rows = await auditRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ok: true, actorEmail: adminActor.email });
    expect(rows[0]!.details).toMatchObject({ jobId: r.job.id });
    expect(mailsAbout()).toHaveLength(1);
    const log = (await readLog(r.job.id, 0, 500)).lines.map((l) => l.message);
    expect(log).toContainEqual(expect.stringMatching(/died after the last step; closing it/));
    expect(log).toContain('admins notified');

    // Another worker start finds nothing left to close: nothing is told twice.
    const again = new Worker({ concurrency: 1, leaseSeconds: 60, pollMs: 20 });
    await again.start();
    await again.stop();
    expect(await auditRows()).toHaveLength(1);
    expect(mailsAbout()).toHaveLength(1);
  });
});
