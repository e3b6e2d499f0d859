// A dump is data, never commands: hostile dumps of each engine, given to a restore directly,
// to an import, to the rollback of a failed upgrade and to an undo, run nothing, write no
// file outside the site and touch no other database (the registry and a neighbour unchanged).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, expectNothingLeft, profileFor, randomHost, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { databaseState, makePlatform, makeSite, siteSql, table } from '../fixtures/upgrade-sites';
import { db } from '@/lib/db/client';
import { dumpDatabase } from '@/lib/databases/dump';
import { restoreDatabase } from '@/lib/databases/restore';
import { siteDbAccess, type SiteDbAccess } from '@/lib/databases/site-access';
import { MANIFEST_NAME, manifestSchema } from '@/lib/exports/format';
import { exportFolder } from '@/lib/exports/paths';
import { requestExport } from '@/lib/exports/service';
import { readLog } from '@/lib/jobs/queue';
import { addPlatform } from '@/lib/platforms/service';
import { requestImport } from '@/lib/imports/request';
import { requestUndo, requestUpgrade } from '@/lib/upgrades/request';

const farm = useTestFarm();
const p = useProvisioning();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-hostile-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const TAMPER = path.resolve(import.meta.dirname, '../fixtures/tamper-snapshot.mjs');
/** Where a hostile dump would leave its trace, outside every site. */
const markers = path.join(work, 'markers');
fs.mkdirSync(markers);
const marker = (name: string) => path.join(markers, name);
const traces = () => fs.readdirSync(markers);

interface Target {
  victim: SiteDbAccess;
  neighbour: SiteDbAccess;
}

/** What each engine's client would obey if it read a dump as commands. */
const PAYLOADS: Record<Engine, { name: string; sql: (t: Target) => string }[]> = {
  sqlite: [
    { name: '.shell', sql: () => `.shell touch ${marker('shell')}` },
    { name: '.system', sql: () => `.system touch ${marker('system')}` },
    { name: '.output', sql: () => `.output ${marker('output')}\nSELECT 'written';` },
    { name: 'ATTACH of the registry', sql: () => `ATTACH DATABASE '${farm.registryFile}' AS r;\nDELETE FROM r."User";\nDROP TABLE r."Site";` },
    { name: "ATTACH of a neighbour's file", sql: (t) => `ATTACH DATABASE '${t.neighbour.sqliteFile}' AS n;\nDROP TABLE n.${table(t.neighbour, 'articles')};` },
    { name: 'VACUUM INTO', sql: () => `VACUUM INTO '${marker('vacuum')}';` },
    { name: 'writefile()', sql: () => `SELECT writefile('${marker('writefile')}', 'x');` },
  ],
  mysql: [
    { name: '\\!', sql: () => `\\! touch ${marker('bang')}` },
    { name: 'system', sql: () => `system touch ${marker('system')}` },
    { name: 'tee', sql: () => `tee ${marker('tee')}\nSELECT 'written';` },
    { name: 'INTO OUTFILE', sql: () => `SELECT 'x' INTO OUTFILE '${marker('outfile')}';` },
    { name: "a neighbour's table", sql: (t) => `DROP TABLE \`${t.neighbour.database}\`.\`${table(t.neighbour, 'articles')}\`;` },
  ],
  postgresql: [
    { name: '\\!', sql: () => `\\! touch ${marker('bang')}` },
    { name: '\\o', sql: () => `\\o ${marker('o')}\nSELECT 'written';` },
    { name: '\\copy', sql: () => `\\copy (SELECT 1) TO '${marker('copy')}'` },
    { name: 'COPY TO a file', sql: () => `COPY (SELECT 1) TO '${marker('copyto')}';` },
    { name: 'COPY TO PROGRAM', sql: () => `COPY (SELECT 1) TO PROGRAM 'touch ${marker('program')}';` },
    { name: "\\c to a neighbour", sql: (t) => `\\c ${t.neighbour.database}\nDROP TABLE ${table(t.neighbour, 'articles')};` },
    { name: 'an \\unrestrict of its own', sql: () => `\\unrestrict abc\n\\! touch ${marker('unrestrict')}` },
  ],
};

/** A real dump of the site with the hostile lines after its first statements, then more SQL. */
async function hostileDump(t: Target, payload: string): Promise<string> {
  const file = path.join(work, `dump-${crypto.randomBytes(4).toString('hex')}.sql`);
  await dumpDatabase(t.victim, file);
  // A forger leaves out what would protect an unwary client (mariadb-dump's sandbox line).
  const real = fs.readFileSync(file, 'utf8').replace(/^\/\*M!999999\\- enable the sandbox mode \*\/.*\n/, '');
  fs.writeFileSync(file, `${real}\n${payload}\nCREATE TABLE ${table(t.victim, 'after')} (id INTEGER);\n`);
  return file;
}

async function registryCounts() {
  return { users: await db.user.count(), sites: await db.site.count(), servers: await db.dbServer.count() };
}

async function logOf(jobId: string) {
  return (await readLog(jobId, 0, 5000)).lines.map((l) => l.message).join('\n');
}

describe.each(availableEngines())('hostile dumps on %s', (engine) => {
  let v1: Awaited<ReturnType<typeof makePlatform>>;
  let v2: Awaited<ReturnType<typeof makePlatform>>;
  let t: Target;
  let neighbourBefore: Awaited<ReturnType<typeof databaseState>>;
  let neighbourId: string;
  let countsBefore: Awaited<ReturnType<typeof registryCounts>>;

  beforeAll(async () => {
    await p.startWorker();
    v1 = await makePlatform('1', { command: false, profile: profileFor(engine) });
    v2 = await makePlatform('2', { profile: profileFor(engine) });
    const neighbour = await makeSite(p, engine, v1.name, 'nb');
    const victim = await makeSite(p, engine, v1.name, 'victim');
    neighbourId = neighbour.siteId;
    t = { victim: await siteDbAccess(victim.siteId), neighbour: await siteDbAccess(neighbour.siteId) };
    neighbourBefore = await databaseState(neighbourId);
    countsBefore = await registryCounts();
  });

  const expectNothingRan = async () => {
    expect(traces()).toEqual([]);
    expect(await databaseState(neighbourId)).toEqual(neighbourBefore);
    expect(await registryCounts()).toMatchObject({ users: countsBefore.users, servers: countsBefore.servers });
  };

  it.each(PAYLOADS[engine].map((x) => [x.name, x] as const))('a restore refuses %s and runs nothing', async (_name, payload) => {
    const file = await hostileDump(t, payload.sql(t));
    // Refused by the tool itself (its own words), not by an accident of the plumbing.
    await expect(restoreDatabase(t.victim, file)).rejects.toThrow(/(sqlite3|mariadb|mysql|psql) failed \(exit \d+\)/);
    await expectNothingRan();
  });

  it('an import of a hostile export fails and leaves nothing', async () => {
    const victim = await db.site.findUniqueOrThrow({ where: { host: t.victim.host } });
    const { export: exp, jobId } = await requestExport(adminActor, victim.id, 'tar.gz');
    expect((await waitForJob(jobId!, 30_000)).status).toBe('succeeded');
    const copy = path.join(work, `export-${exp.id}`);
    fs.cpSync(exportFolder(t.victim.host, exp.id), copy, { recursive: true });
    // The forger rewrites the dump and its manifest entry (size and checksum): the checks pass.
    const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(copy, MANIFEST_NAME), 'utf8')));
    const entry = manifest.files.find((f) => f.kind === 'sql')!;
    const hostile = zlib.gzipSync(fs.readFileSync(await hostileDump(t, PAYLOADS[engine][0]!.sql(t))));
    fs.writeFileSync(path.join(copy, entry.name), hostile);
    Object.assign(entry, { size: hostile.length, sha256: crypto.createHash('sha256').update(hostile).digest('hex') });
    fs.writeFileSync(path.join(copy, MANIFEST_NAME), JSON.stringify(manifest));

    const host = p.trackHost(randomHost('hostile'));
    const r = await requestImport(adminActor, { from: copy, host, server: t.victim.server.name });
    const job = await waitForJob(r.job.id, 60_000);
    expect(job.status, await logOf(job.id)).toBe('failed');
    await expectNothingLeft(p, { host, engine });
    await expectNothingRan();
  });

  it("the rollback of a failed upgrade restores its snapshot's dump as data only", async () => {
    const site = await makeSite(p, engine, v1.name, 'rb');
    const payload = path.join(work, `payload-rb-${engine}.sql`);
    const a = await siteDbAccess(site.siteId);
    // The attacker's dump replaces the snapshot's database (for SQLite, a file copy, by an old-style SQL dump).
    fs.copyFileSync(await hostileDump({ ...t, victim: a }, PAYLOADS[engine][0]!.sql(t)), payload);
    const tamper = await addPlatform(adminActor, {
      name: `tamper-${crypto.randomBytes(3).toString('hex')}`,
      profile: v2.profile,
      path: v2.codePath,
      version: '2',
      upgradeCommand: `'${process.execPath}' ${TAMPER} {host} ${payload}`,
    });
    const r = await requestUpgrade(adminActor, { host: site.host, to: tamper.name });
    const job = await waitForJob(r.job.id, 60_000);
    const log = await logOf(job.id);
    expect(job.status, log).toBe('failed');
    expect(log).toContain('tampered with');
    await expectNothingRan();
  });

  it("an undo restores its snapshot's dump as data only, and its failure is rolled back", async () => {
    const site = await makeSite(p, engine, v1.name, 'undo');
    const up = await requestUpgrade(adminActor, { host: site.host, to: v2.name });
    expect((await waitForJob(up.job.id, 60_000)).status).toBe('succeeded');
    const upgraded = await databaseState(site.siteId);
    const snap = await db.snapshot.findFirstOrThrow({ where: { siteId: site.siteId } });
    const a = await siteDbAccess(site.siteId);
    const hostile = await hostileDump({ ...t, victim: a }, PAYLOADS[engine][0]!.sql(t));
    fs.rmSync(path.join(snap.path, 'database.sqlite'), { force: true });
    fs.copyFileSync(hostile, path.join(snap.path, 'database.sql'));

    const r = await requestUndo(adminActor, { host: site.host, snapshotId: snap.id });
    const job = await waitForJob(r.job.id, 60_000);
    expect(job.status, await logOf(job.id)).toBe('failed');
    await expectNothingRan();
    // The undo's own first snapshot put the site back as it was.
    expect(await databaseState(site.siteId)).toEqual(upgraded);
    expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: v2.id });
  });
});

describe('a SQLite site that hides .shell in its own schema', () => {
  it('is exported, rolled back after a failed upgrade and imported, and nothing runs', async () => {
    await p.startWorker();
    const v1 = await makePlatform('1', { command: false });
    const site = await makeSite(p, 'sqlite', v1.name, 'schema');
    const a = await siteDbAccess(site.siteId);
    const evil = table(a, 'evil');
    const shell = marker('schema-shell');
    await siteSql(a, `CREATE TABLE ${evil} (a)`);
    // What a webmaster whose PHP can write the file could do: a table definition that, dumped, is a dot-command.
    execFileSync('sqlite3', [a.sqliteFile!, `PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = 'CREATE TABLE ${evil} (a);' || char(10) || '.shell touch ${shell}' || char(10) || '--' WHERE name = '${evil}';`]);
    const before = await databaseState(site.siteId);

    const { export: exp, jobId } = await requestExport(adminActor, site.siteId, 'tar.gz');
    expect((await waitForJob(jobId!, 30_000)).status).toBe('succeeded');
    const sql = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(exportFolder(site.host, exp.id), MANIFEST_NAME), 'utf8'))).files.find((f) => f.kind === 'sql')!;
    expect(zlib.gunzipSync(fs.readFileSync(path.join(exportFolder(site.host, exp.id), sql.name))).toString()).toContain(`\n.shell touch ${shell}\n`);

    const broken = await makePlatform('2', { behaviour: { failHosts: [site.host] } });
    const up = await requestUpgrade(adminActor, { host: site.host, to: broken.name });
    expect((await waitForJob(up.job.id, 60_000)).status).toBe('failed');
    expect(await databaseState(site.siteId)).toEqual(before);
    expect(await db.site.findUniqueOrThrow({ where: { id: site.siteId } })).toMatchObject({ status: 'active', platformId: v1.id });

    const host = p.trackHost(randomHost('schema-import'));
    const r = await requestImport(adminActor, { from: exportFolder(site.host, exp.id), host });
    const job = await waitForJob(r.job.id, 60_000);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/safe mode/);
    await expectNothingLeft(p, { host, engine: 'sqlite' });
    expect(traces()).toEqual([]);
  });
});
