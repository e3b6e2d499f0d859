import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { adminActor, randomPart, useProvisioning } from '../helpers/provision';
import { databaseState, makePlatform, makeSite, setBehaviour } from '../fixtures/upgrade-sites';
import { db } from '@/lib/db/client';
import { defineJob } from '@/lib/jobs/types';
import * as z from 'zod';
import { enqueue } from '@/lib/jobs/queue';
import { setSiteEnabled } from '@/lib/sites/lifecycle';

/** A kind no worker of this test knows: its job stays queued. */
const neverRun = defineJob({ kind: 'test.never-claimed', params: z.object({}), onInterrupt: 'undo', steps: [] });

const farm = useTestFarm({ MUTU_OPERATORS: 'ops@example.org' });
const p = useProvisioning();
const cli = (...args: string[]) => runCli(args, { env: farm.env, timeoutMs: 120_000 });

let v1: Awaited<ReturnType<typeof makePlatform>>;
let v2: Awaited<ReturnType<typeof makePlatform>>;

beforeAll(async () => {
  v1 = await makePlatform('1', { command: false });
  v2 = await makePlatform('2');
  await p.startWorker();
});

describe('mutu platforms', () => {
  it('registers an upgrade command as an argument array, lists it, changes it and retires an unused platform', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-platform-cli-'));
    const name = `cli-${randomPart()}`;
    const add = await cli('platforms', 'add', '--name', name, '--profile', 'spip', '--path', dir, '--version', '4.4',
      '--upgrade-command', `php "{platform_dir}/ecrire/upgrade cli.php" --host={host} 'a b'`, '--health-check', '/spip.php', '--eol', '2027-06-30');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`upgrade      php '{platform_dir}/ecrire/upgrade cli.php' --host={host} 'a b'`);
    expect(add.stdout).toContain('health check /spip.php');
    const row = await db.platform.findUniqueOrThrow({ where: { name } });
    expect(row.upgradeCommand).toEqual(['php', '{platform_dir}/ecrire/upgrade cli.php', '--host={host}', 'a b']);
    expect(row.healthCheck).toEqual({ path: '/spip.php' });
    expect(row.eolDate?.toISOString()).toBe('2027-06-30T00:00:00.000Z');

    const list = await cli('platforms', 'list', '--json');
    const listed = (JSON.parse(list.stdout) as { name: string; upgradeCommand: string[]; healthCheck: string }[]).find((x) => x.name === name)!;
    expect(listed).toMatchObject({ upgradeCommand: ['php', '{platform_dir}/ecrire/upgrade cli.php', '--host={host}', 'a b'], healthCheck: '/spip.php' });

    const set = await cli('platforms', 'set', '--name', name, '--upgrade-command', 'none', '--eol', 'none');
    expect(set.code, set.stderr).toBe(0);
    expect(await db.platform.findUniqueOrThrow({ where: { name } })).toMatchObject({ upgradeCommand: null, eolDate: null });

    const retire = await cli('platforms', 'retire', '--name', name);
    expect(retire.code, retire.stderr).toBe(0);
    expect((await db.platform.findUniqueOrThrow({ where: { name } })).status).toBe('retired');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses bad templates at add time and retiring a platform sites run on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-platform-cli-'));
    for (const [template, message] of [
      ['upgrade.sh | tee log', /shell operator/],
      ['php upgrade.php {database}', /unknown placeholder \{database\}/],
      ["php 'unclosed", /unclosed single quote/],
    ] as const) {
      const r = await cli('platforms', 'add', '--name', `bad-${randomPart()}`, '--profile', 'spip', '--path', dir, '--upgrade-command', template);
      expect(r.code, template).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    await makeSite(p, 'sqlite', v1.name, 'keep');
    const r = await cli('platforms', 'retire', '--name', v1.name);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/still runs \d+ site\(s\).*upgrade them to another platform first/);
  });
});

describe('mutu upgrade, one site', () => {
  it('upgrades with the log live, then undoes it', async () => {
    const site = await makeSite(p, 'sqlite', v1.name, 'cli');
    const before = await databaseState(site.siteId);
    await p.stopWorkers(); // the CLI runs the job in its own process
    try {
      const up = await cli('upgrade', '--host', site.host, '--to', v2.name);
      expect(up.code, up.stderr + up.stdout).toBe(0);
      expect(up.stdout).toContain(`| migrating ${site.host} to version 2`);
      expect(up.stdout).toContain(`${site.host} now runs on ${v2.name}`);
      expect((await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).platformId).toBe(v2.id);

      const undo = await cli('upgrade', 'undo', '--host', site.host);
      expect(undo.code, undo.stderr + undo.stdout).toBe(0);
      expect(undo.stdout).toContain(`${site.host} is back on ${v1.name}`);
      expect(await databaseState(site.siteId)).toEqual(before);

      const again = await cli('upgrade', '--host', site.host, '--to', v1.name);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`already runs on ${v1.name}`);
    } finally {
      await p.startWorker();
    }
  });
});

describe('mutu upgrade --match', () => {
  it('--dry-run lists the sites it would upgrade and why the others are left out', async () => {
    const tag = `dry${randomPart()}`;
    const make = (platform: string) => makeSite(p, 'sqlite', platform, tag);
    const generic = await p.platform('generic');
    const [ok, disabled, already, busy, other] = [await make(v1.name), await make(v1.name), await make(v2.name), await make(v1.name), await make(generic.name)];
    await setSiteEnabled(adminActor, disabled.host, false);
    await enqueue(neverRun, {}, { actor: adminActor, lockKey: busy.host, siteId: busy.siteId });

    const r = await cli('upgrade', '--match', `*-${tag}.example.org`, '--to', v2.name, '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Would upgrade 1 site(s) (canary: ${ok.host})`);
    expect(r.stdout).toMatch(new RegExp(`${disabled.host}\\s+disabled`));
    expect(r.stdout).toMatch(new RegExp(`${already.host}\\s+already on ${v2.name}`));
    expect(r.stdout).toMatch(new RegExp(`${busy.host}\\s+busy \\(job \\w+, test.never-claimed queued\\)`));
    expect(r.stdout).toMatch(new RegExp(`${other.host}\\s+other profile \\(generic, not spip\\)`));
    expect(r.stdout).toContain('Left out: 4 site(s)');
    // Nothing changed.
    expect((await db.site.findUniqueOrThrow({ where: { id: ok.siteId } })).platformId).toBe(v1.id);
    expect(await db.run.count()).toBe(0);
  });

  // Five commands as real processes, each running upgrades: the slowest test of the file.
  it('pauses at its failure budget, resumes, and retries the failed sites', { timeout: 180_000 }, async () => {
    const tag = `bulk${randomPart()}`;
    const flaky = await makePlatform('2');
    const sites = [];
    for (let i = 0; i < 5; i++) sites.push(await makeSite(p, 'sqlite', v1.name, tag));
    sites.sort((a, b) => a.host.localeCompare(b.host));
    const [canary, bad, , ...rest] = sites;
    setBehaviour(flaky.codePath, { failHosts: [bad!.host] });
    const badBefore = await databaseState(bad!.siteId);
    await p.stopWorkers();
    try {
      const r = await cli('upgrade', '--match', `*-${tag}.example.org`, '--to', flaky.name, '--max-failures', '0', '--concurrency', '1', '--canary-share', '50');
      expect(r.code, r.stderr + r.stdout).toBe(3); // partial: the canary was upgraded
      expect(r.stdout).toMatch(/Run \w+: 5 site\(s\) to .*canary/);
      expect(r.stdout).toMatch(/\] +\d+%/); // progress lines, one per 10% without a terminal
      expect(r.stdout).toContain(`${bad!.host}: the upgrade command failed (exit 3)`);
      expect(r.stdout).toContain('Paused: 1 failure(s), more than the 0 allowed');
      const runId = /Run (\w+):/.exec(r.stdout)![1]!;
      const site = (id: string) => db.site.findUniqueOrThrow({ where: { id } });
      expect((await site(canary!.siteId)).platformId).toBe(flaky.id);
      expect(await site(bad!.siteId)).toMatchObject({ platformId: v1.id, status: 'active' });
      expect(await databaseState(bad!.siteId)).toEqual(badBefore);
      for (const s of rest) expect((await site(s.siteId)).platformId, 'not started').toBe(v1.id);
      expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe('paused');

      const resumed = await cli('runs', 'resume', '--id', runId);
      expect(resumed.code, resumed.stderr + resumed.stdout).toBe(3);
      expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe('partial');
      for (const s of sites) if (s !== bad) expect((await site(s.siteId)).platformId).toBe(flaky.id);

      setBehaviour(flaky.codePath, {});
      const retried = await cli('runs', 'retry-failed', '--id', runId);
      expect(retried.code, retried.stderr + retried.stdout).toBe(0);
      expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe('succeeded');
      expect((await site(bad!.siteId)).platformId).toBe(flaky.id);

      const show = await cli('runs', 'show', '--id', runId);
      expect(show.stdout).toContain('5/5 done: 5 upgraded, 0 failed');

      // The operators heard of the start, the pause, the progress and the end, with the failed host.
      const outbox = path.join(farm.dataDir, 'outbox');
      const mails = fs.readdirSync(outbox).map((f) => fs.readFileSync(path.join(outbox, f), 'utf8'));
      const subjects = mails.map((m) => /^Subject: (.*)$/m.exec(m)?.[1] ?? '');
      expect(subjects.some((s) => s.includes('Upgrade run started: 5 site(s)'))).toBe(true);
      expect(subjects.some((s) => s.includes('paused'))).toBe(true);
      expect(subjects.some((s) => /% done/.test(s))).toBe(true);
      expect(subjects.some((s) => s.includes('partial'))).toBe(true);
      expect(mails.find((m) => m.includes('paused') && m.includes(bad!.host))).toBeTruthy();
    } finally {
      await p.startWorker();
    }
  });
});
