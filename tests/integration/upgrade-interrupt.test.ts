import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, useProvisioning, waitForJob } from '../helpers/provision';
import { fixtureArgs } from '../helpers/fixture-process';
import { waitFor } from '../fixtures/wait';
import { configState, databaseState, groupMembers, makePlatform, makeSite, processesMatching, setBehaviour, upgradeCommandGroup } from '../fixtures/upgrade-sites';
import { db } from '@/lib/db/client';
import { readLog } from '@/lib/jobs/queue';
import { Worker } from '@/lib/jobs/worker';
import { requestUpgrade } from '@/lib/upgrades/request';

// A short time limit, so the hanging command of the timeout test is killed quickly.
const farm = useTestFarm({ MUTU_UPGRADE_TIMEOUT_SECONDS: '2' });
const p = useProvisioning();
const projectRoot = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

let v1: Awaited<ReturnType<typeof makePlatform>>;
let hanging: Awaited<ReturnType<typeof makePlatform>>;

// Generic releases: the sites of these tests are on SQLite and PostgreSQL, which SPIP cannot use.
beforeAll(async () => {
  v1 = await makePlatform('1', { command: false, profile: 'generic' });
  hanging = await makePlatform('2', { profile: 'generic' });
});

const logOf = async (jobId: string) => (await readLog(jobId, 0, 5000)).lines.map((l) => l.message).join('\n');

// PostgreSQL sites roll back fastest: there the job used to fail before init had reaped the group's zombies.
const hangEngines = availableEngines().filter((e) => e !== 'mysql');

describe('an upgrade command that hangs', () => {
  it.each(hangEngines)('is killed with its whole process group at the time limit, nothing of it left, and the site rolled back (%s)', async (engine) => {
    const worker = await p.startWorker();
    const site = await makeSite(p, engine, v1.name, 'hang');
    setBehaviour(hanging.codePath, { hangHosts: [site.host] });
    const before = await databaseState(site.siteId);
    const configBefore = configState(site.host);

    const r = await requestUpgrade(adminActor, { host: site.host, to: hanging.name });
    worker.nudge();
    await waitFor('the hanging command and its child', () => processesMatching(`upgrade-app-hang-${site.host}`).length > 0, 20_000);
    const job = await waitForJob(r.job.id, 30_000);
    const log = await logOf(job.id);
    expect(job.status, log).toBe('failed');
    expect(job.error).toMatch(/still running after 2 s: killed with its process group/);
    expect(log).toContain('| hanging on purpose');
    expect(processesMatching(site.host)).toEqual([]);
    // Not a process of its group is left once the job has failed, not even a zombie.
    expect(groupMembers(upgradeCommandGroup(site.host))).toEqual([]);

    expect(await databaseState(site.siteId)).toEqual(before);
    expect(configState(site.host)).toEqual(configBefore);
    expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: v1.id });
    await p.stopWorkers();
  });
});

describe('a worker killed while the upgrade command runs', () => {
  it('leaves the job to the next worker, which kills the command and rolls the site back', async () => {
    await p.startWorker();
    const site = await makeSite(p, 'sqlite', v1.name, 'crash');
    await p.stopWorkers(); // from here on, only the crash fixture takes jobs
    setBehaviour(hanging.codePath, { hangHosts: [site.host] });
    const before = await databaseState(site.siteId);
    const configBefore = configState(site.host);
    const r = await requestUpgrade(adminActor, { host: site.host, to: hanging.name });

    const child = spawn(process.execPath, fixtureArgs('upgrade-crash-worker'), { cwd: projectRoot, env: farm.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    await waitFor('the command to hang under the crash worker', () => {
      if (child.exitCode !== null) throw new Error(`the crash worker exited early:\n${output}`);
      return processesMatching(`upgrade-app-hang-${site.host}`).length > 0;
    }, 20_000);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // The command outlives its worker: it runs in its own process group.
    expect(processesMatching(`upgrade-app-hang-${site.host}`).length).toBeGreaterThan(0);
    expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'upgrading', platformId: hanging.id });

    const worker = new Worker({ concurrency: 2, leaseSeconds: 60, pollMs: 20 });
    await worker.start();
    try {
      const job = await waitForJob(r.job.id, 30_000);
      const log = await logOf(job.id);
      expect(job.status, log).toBe('failed');
      expect(job.error).toMatch(/^interrupted: its worker \(.*\) died during step "upgrade command"$/);
      expect(log).toMatch(/killed \d+ process\(es\) left by the interrupted upgrade command/);
    } finally {
      await worker.stop();
    }
    expect(processesMatching(site.host)).toEqual([]);
    expect(groupMembers(upgradeCommandGroup(site.host))).toEqual([]);
    expect(await databaseState(site.siteId)).toEqual(before);
    expect(configState(site.host)).toEqual(configBefore);
    expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: v1.id });
  });
});
