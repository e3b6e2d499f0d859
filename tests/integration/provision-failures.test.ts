import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, expectNothingLeft, randomHost, randomPart, useProvisioning, waitForJob } from '../helpers/provision';
import { db } from '@/lib/db/client';
import { hashPassword } from '@/lib/auth/password';
import { createCode } from '@/lib/codes/service';
import { registerHandler } from '@/lib/jobs/registry';
import type { Worker } from '@/lib/jobs/worker';
import { provisionHandler } from '@/lib/sites/provision-handler';
import { provisionWithStep } from '../fixtures/provision-variant';
import { requestSite } from '@/lib/sites/request';

useTestFarm();
const p = useProvisioning();

type When = 'before' | 'after';

/** The real handler with step k made to fail: before it does anything, or once it has done all it does. */
const failingAt = (k: number, when: When) =>
  provisionWithStep(k, async (step, ctx) => {
    if (when === 'before') throw new Error(`injected failure before step ${step.name}`);
    await step.run(ctx);
    throw new Error(`injected failure after step ${step.name}`);
  });

let worker: Worker;
// One hash for every new webmaster: scrypt costs 0.3 s of CPU, which per request would be most of this file's time.
let webmasterPasswordHash: string;
beforeAll(async () => {
  webmasterPasswordHash = await hashPassword('a webmaster password');
  worker = await p.startWorker();
  await Promise.all(availableEngines().map((e) => p.serverFor(e)));
  await Promise.all(availableEngines().map((e) => p.platformFor(e)));
});
afterAll(() => registerHandler(provisionHandler));

const cases = provisionHandler.steps.flatMap((step, k) => (['before', 'after'] as When[]).map((when) => ({ k, step: step.name, when, title: `step ${k + 1} (${step.name}), ${when} it runs` })));

describe('a failure injected at each provisioning step', () => {
  it.each(cases)('$title: undone to nothing, then a retry succeeds', async ({ k, step, when }) => {
    const engines = availableEngines();
    const { row: code } = await createCode(adminActor, { label: `failure at ${step}`, uses: engines.length });
    const attempts = await Promise.all(
      engines.map(async (engine) => {
        const host = p.trackHost(randomHost(`f${k}`));
        const webmaster = `wm-${randomPart()}@example.org`;
        const server = await p.serverFor(engine);
        return { engine, host, webmaster, server: server.name, platform: (await p.platformFor(engine)).name };
      }),
    );

    registerHandler(failingAt(k, when));
    // Each request hashes a new webmaster's password (scrypt, 0.3 s): made at once, not in turn.
    const request = (a: (typeof attempts)[number]) =>
      requestSite(adminActor, { host: a.host, platform: a.platform, server: a.server, webmaster: a.webmaster }, { codeId: code.id, webmasterPasswordHash }).then((r) => r.job.id);
    const failed = await Promise.all(attempts.map(request));
    worker.nudge();
    for (const [i, jobId] of failed.entries()) {
      const job = await waitForJob(jobId);
      expect(job.status, `${attempts[i]!.engine}: ${job.error}`).toBe('failed');
      // The undo went through: the error is the injected one alone, with no "undo failed".
      expect(job.error).toBe(`injected failure ${when} step ${step}`);
    }
    for (const a of attempts) {
      await expectNothingLeft(p, { host: a.host, engine: a.engine, createdWebmaster: a.webmaster, code: { id: code.id, usesBefore: 0 } });
    }

    registerHandler(provisionHandler);
    const retried = await Promise.all(attempts.map(request));
    worker.nudge();
    for (const [i, jobId] of retried.entries()) {
      const job = await waitForJob(jobId);
      expect(job.status, `${attempts[i]!.engine} retry: ${job.error}`).toBe('succeeded');
      const site = await db.site.findUniqueOrThrow({ where: { host: attempts[i]!.host }, include: { database: true, webmasters: true } });
      expect(site.status).toBe('active');
      expect(site.database).not.toBeNull();
      expect(site.webmasters).toHaveLength(1);
    }
    expect((await db.activationCode.findUniqueOrThrow({ where: { id: code.id } })).uses).toBe(engines.length);
  });
});

describe('a folder that was already there', () => {
  it('is kept when the folders step fails before making its own (its record never claims it)', async () => {
    const { config } = await import('@/lib/config');
    const { siteDir } = await import('@/lib/farm/paths');
    const host = p.trackHost(randomHost('there'));
    // Someone's folder, not in the registry (what a scan lists), where the new site's would go.
    const dir = siteDir(config().farmRoot, host);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'not Mutu’s');
    const k = provisionHandler.steps.findIndex((s) => s.name === 'folders');
    // The folders step entered (its record written), then stopped before its mkdir meets the folder.
    registerHandler(failingAt(k, 'before'));
    try {
      const { job } = await requestSite(adminActor, { host });
      worker.nudge();
      const done = await waitForJob(job.id);
      expect(done.status).toBe('failed');
      expect(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8')).toBe('not Mutu’s');
    } finally {
      registerHandler(provisionHandler);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
