import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { adminActor, profileFor, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { PROFILES } from '@/lib/domain/profiles';
import { configState, databaseState, makePlatform, makeSite, setBehaviour } from '../fixtures/upgrade-sites';
import { db } from '@/lib/db/client';
import { readLog } from '@/lib/jobs/queue';
import { requestUndo, requestUpgrade } from '@/lib/upgrades/request';
import { siteDbAccess } from '@/lib/databases/site-access';

useTestFarm();
const p = useProvisioning();

let spip1: Awaited<ReturnType<typeof makePlatform>>;
let spip2: Awaited<ReturnType<typeof makePlatform>>;

beforeAll(async () => {
  spip1 = await makePlatform('1', { command: false });
  spip2 = await makePlatform('2');
  await p.startWorker();
});

async function logOf(jobId: string) {
  return (await readLog(jobId, 0, 5000)).lines.map((l) => l.message).join('\n');
}

async function upgrade(host: string, to: string) {
  const r = await requestUpgrade(adminActor, { host, to });
  return waitForJob(r.job.id, 60_000);
}

describe.each(['sqlite', 'mysql', 'postgresql'] as Engine[])('upgrading one site on %s', (engine) => {
  const skip = (engine === 'mysql' && !services.mysqlUrl) || (engine === 'postgresql' && !services.postgresUrl);
  const profile = profileFor(engine);
  // The file's SPIP releases, or on PostgreSQL (which SPIP cannot use) generic ones.
  let v1: Awaited<ReturnType<typeof makePlatform>>;
  let v2: Awaited<ReturnType<typeof makePlatform>>;
  beforeAll(async () => {
    [v1, v2] = profile === 'spip' ? [spip1, spip2] : [await makePlatform('1', { command: false, profile }), await makePlatform('2', { profile })];
  });

  it.skipIf(skip)('changes the schema, switches the platform, keeps a snapshot and stamps upgradedAt', async () => {
    const site = await makeSite(p, engine, v1.name, 'ok');
    const job = await upgrade(site.host, v2.name);
    const log = await logOf(job.id);
    expect(job.status, log).toBe('succeeded');

    const after = await db.site.findUniqueOrThrow({ where: { id: site.siteId } });
    expect(after).toMatchObject({ status: 'active', platformId: v2.id });
    expect(after.upgradedAt).toBeInstanceOf(Date);

    const { tables, state } = await databaseState(site.siteId);
    expect(tables.some((t) => t.endsWith('notes'))).toBe(true);
    const articles = Object.entries(state).find(([t]) => t.endsWith('articles'))![1];
    expect(articles.columns).toContain('subtitle');
    expect(articles.rows.map((r) => (r as { subtitle: string }).subtitle)).toEqual(['v2', 'v2', 'v2']);
    // The command's output is in the job log, line by line; the database password is not.
    expect(log).toContain(`| migrating ${site.host} to version 2 (${engine})`);
    const { password } = await siteDbAccess(site.siteId);
    if (password) expect(log).not.toContain(password);

    const snaps = await db.snapshot.findMany({ where: { siteId: site.siteId } });
    expect(snaps).toHaveLength(1);
    expect(snaps[0]!.platformId).toBe(v1.id);
    expect(snaps[0]!.expiresAt.getTime() - snaps[0]!.createdAt.getTime()).toBe(14 * 86_400_000);
    // A SQLite database is kept as a file copy, never as SQL text to be read back as commands.
    const database = engine === 'sqlite' ? 'database.sqlite' : 'database.sql';
    for (const f of [database, 'snapshot.json', PROFILES[profile].configFile]) expect(fs.existsSync(path.join(snaps[0]!.path, f)), f).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(snaps[0]!.path, 'snapshot.json'), 'utf8'))).toMatchObject({ host: site.host, platform: { name: v1.name } });

    const audit = await db.auditEvent.findFirst({ where: { action: 'site.upgrade', siteHost: site.host } });
    expect(audit).toMatchObject({ ok: true });
  });

  it.skipIf(skip)('that fails half way gets its database, config and platform back exactly, and stays usable', async () => {
    const broken = await makePlatform('2', { behaviour: {}, profile });
    const site = await makeSite(p, engine, v1.name, 'fail');
    setBehaviour(broken.codePath, { failHosts: [site.host] });
    const before = await databaseState(site.siteId);
    const configBefore = configState(site.host);

    const job = await upgrade(site.host, broken.name);
    const log = await logOf(job.id);
    expect(job.status, log).toBe('failed');
    expect(job.error).toMatch(/upgrade command failed \(exit 3\)/);
    expect(log).toContain(`migration step 2 of ${site.host} failed on purpose`);

    expect(await databaseState(site.siteId)).toEqual(before);
    expect(configState(site.host)).toEqual(configBefore);
    expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: v1.id, upgradedAt: null });
    // The rolled-back upgrade's snapshot is gone; the audit says it failed and was rolled back.
    expect(await db.snapshot.count({ where: { siteId: site.siteId } })).toBe(0);
    const audit = await db.auditEvent.findFirst({ where: { action: 'site.upgrade', siteHost: site.host } });
    expect(audit?.ok).toBe(false);
    expect(audit!.details).toMatchObject({ rolledBack: true });

    // It works as before: the good release upgrades it.
    expect((await upgrade(site.host, v2.name)).status).toBe('succeeded');
  });
});

describe('undoing a successful upgrade', () => {
  it('puts back the database, config and platform of its snapshot', async () => {
    const site = await makeSite(p, 'sqlite', spip1.name, 'undo');
    const before = await databaseState(site.siteId);
    const configBefore = configState(site.host);
    expect((await upgrade(site.host, spip2.name)).status).toBe('succeeded');
    expect(await databaseState(site.siteId)).not.toEqual(before);
    expect(configState(site.host)['upgraded.txt']).toBe('2\n');

    const r = await requestUndo(adminActor, { host: site.host });
    const job = await waitForJob(r.job.id, 60_000);
    expect(job.status, await logOf(job.id)).toBe('succeeded');
    expect(await databaseState(site.siteId)).toEqual(before);
    expect(configState(site.host)).toEqual(configBefore);
    expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: spip1.id });
    // The undo snapshotted the upgraded state first: that one can be undone in turn.
    const snaps = await db.snapshot.findMany({ where: { siteId: site.siteId }, orderBy: { createdAt: 'asc' } });
    expect(snaps.map((s) => s.platformId)).toEqual([spip1.id, spip2.id]);
  });
});

describe('refusals before anything is queued', () => {
  it('refuses the same platform, another profile, a retired platform and a busy site', async () => {
    const site = await makeSite(p, 'sqlite', spip1.name, 'refuse');
    await expect(requestUpgrade(adminActor, { host: site.host, to: spip1.name })).rejects.toThrow(/already runs on/);
    const generic = await p.platform('generic');
    await expect(requestUpgrade(adminActor, { host: site.host, to: generic.name })).rejects.toThrow(/generic platform but .* runs spip/);
    await expect(requestUpgrade(adminActor, { host: site.host, to: 'nope' })).rejects.toThrow(/no platform is named nope/);
    await expect(requestUndo(adminActor, { host: site.host })).rejects.toThrow(/no snapshot/);
  });
});
