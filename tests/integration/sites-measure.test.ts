import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, randomHost, useProvisioning, waitForJob } from '../helpers/provision';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { PROFILES } from '@/lib/domain/profiles';
import { siteListSchema } from '@/lib/domain/site-list';
import { siteDir } from '@/lib/farm/paths';
import { enqueue } from '@/lib/jobs/queue';
import type { Worker } from '@/lib/jobs/worker';
import { listSites } from '@/lib/sites/list-query';
import { measureHandler } from '@/lib/sites/measure-handler';
import { requestSite } from '@/lib/sites/request';

useTestFarm();
const p = useProvisioning();

const KIB = 1024;
const spipHost = randomHost('spip');
const genericHost = randomHost('generic');
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-outside-'));
afterAll(() => fs.rmSync(outside, { recursive: true, force: true }));

/** A file of exactly `bytes` random (hence allocated, incompressible) bytes. */
function writeFile(file: string, bytes: number) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, crypto.randomBytes(bytes));
}

/**
 * What GNU du says, in bytes, for each folder, given in one call: allocated blocks, links
 * not followed, a file hard-linked several times counted once across all the arguments.
 * The independent reference for Mutu's own walk. SQLite's transient shared-memory index is
 * left out, as Mutu leaves it out.
 */
function du(...dirs: string[]): number[] {
  const r = spawnSync('du', ['-s', '-B1', '--exclude=*.sqlite-shm', ...dirs], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`du failed: ${r.stderr}`);
  const sizes = new Map(r.stdout.trim().split('\n').map((l) => { const [n, d] = l.split('\t'); return [d!, Number(n)] as const; }));
  return dirs.map((d) => sizes.get(d) ?? 0);
}

let worker: Worker;
async function measure(hosts?: string[]) {
  const started = new Date();
  const job = await enqueue(measureHandler, hosts ? { hosts } : {}, { actor: adminActor });
  worker.nudge();
  const end = await waitForJob(job.id);
  expect(end.status, end.error ?? '').toBe('succeeded');
  const log = (await db.jobLog.findMany({ where: { jobId: job.id }, orderBy: { id: 'asc' } })).map((l) => l.message);
  return { started, ended: new Date(), log };
}

const site = (host: string) => db.site.findUniqueOrThrow({ where: { host }, include: { database: true } });

let spipDir: string;
let genericDir: string;
let sqliteFile: string;

beforeAll(async () => {
  const spip = await p.platform('spip');
  const generic = await p.platform('generic');
  worker = await p.startWorker();
  for (const [host, platform] of [[spipHost, spip.name], [genericHost, generic.name]] as const) {
    const { job } = await requestSite(adminActor, { host, platform, server: (await p.serverFor('sqlite')).name });
    worker.nudge();
    const end = await waitForJob(job.id);
    if (end.status !== 'succeeded') throw new Error(`provisioning ${host}: ${end.error}`);
  }
  spipDir = siteDir(config().farmRoot, spipHost);
  genericDir = siteDir(config().farmRoot, genericHost);

  // SPIP: uploads in IMG (a hard-linked pair inside, a link to a big file outside), computed files in local, tmp.
  writeFile(path.join(spipDir, 'IMG/jpg/photo.jpg'), 40 * KIB);
  writeFile(path.join(spipDir, 'IMG/pdf/report.pdf'), 64 * KIB);
  fs.linkSync(path.join(spipDir, 'IMG/pdf/report.pdf'), path.join(spipDir, 'IMG/report-again.pdf'));
  writeFile(path.join(outside, 'huge.iso'), 8 * 1024 * KIB);
  fs.symlinkSync(path.join(outside, 'huge.iso'), path.join(spipDir, 'IMG/huge.iso'));
  fs.symlinkSync(outside, path.join(spipDir, 'IMG/outside-folder'));
  writeFile(path.join(spipDir, 'local/cache-vignettes/L64xH64/photo.png'), 12 * KIB);
  // the same bytes as an upload, linked from local/: charged to IMG, once
  fs.linkSync(path.join(spipDir, 'IMG/jpg/photo.jpg'), path.join(spipDir, 'local/photo-copy.jpg'));
  writeFile(path.join(spipDir, 'tmp/cache/a'), 8 * KIB);
  writeFile(path.join(spipDir, 'tmp/cache/b'), 100); // one block on disk
  writeFile(path.join(spipDir, 'priv/private.txt'), 4 * KIB); // in the total only

  // Rows in the site's own SQLite database, so it has a size.
  const rec = (await site(spipHost)).database!;
  sqliteFile = path.join(spipDir, PROFILES.spip.sqliteFolder, `${rec.name}.sqlite`);
  const client = createClient({ url: `file:${sqliteFile}` });
  await client.execute('CREATE TABLE spip_articles (id INTEGER PRIMARY KEY, texte TEXT)');
  await client.batch(Array.from({ length: 500 }, (_, i) => ({ sql: 'INSERT INTO spip_articles (texte) VALUES (?)', args: [`article ${i} `.repeat(40)] })), 'write');
  // The native connection closes only once the garbage collector frees its statements, taking its
  // -wal file with it, at a time no test can wait for. Emptied into the database file first, the
  // -wal weighs nothing whether it is still there or not when the job and the checks measure.
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  client.close();

  // Generic: uploads in data/, no cache folder.
  writeFile(path.join(genericDir, 'data/upload.bin'), 20 * KIB);
  writeFile(path.join(genericDir, 'tmp/session'), 4 * KIB);
});

describe('the sites.measure job', () => {
  let run: Awaited<ReturnType<typeof measure>>;
  beforeAll(async () => {
    run = await measure();
  });

  it('caches the SPIP site total, split IMG / local / tmp, as du counts them, with the time of measure', async () => {
    const s = await site(spipHost);
    const [img, local, tmp] = du(path.join(spipDir, 'IMG'), path.join(spipDir, 'local'), path.join(spipDir, 'tmp'));
    expect({ total: Number(s.diskBytes), img: Number(s.diskImgBytes), local: Number(s.diskLocalBytes), tmp: Number(s.diskTmpBytes) }).toEqual({ total: du(spipDir)[0], img, local, tmp });
    expect(s.sizesMeasuredAt!.getTime()).toBeGreaterThanOrEqual(run.started.getTime() - 1);
    expect(s.sizesMeasuredAt!.getTime()).toBeLessThanOrEqual(run.ended.getTime());
  });

  it('counts the hard-linked file once, not the big file behind a symbolic link, and charges shared bytes to IMG', async () => {
    const s = await site(spipHost);
    const imgFiles = (40 + 64) * KIB; // report.pdf counted once
    expect(Number(s.diskImgBytes)).toBeGreaterThanOrEqual(imgFiles);
    expect(Number(s.diskImgBytes)).toBeLessThan(imgFiles + 64 * KIB); // plus a few folder blocks
    expect(Number(s.diskLocalBytes)).toBeGreaterThanOrEqual(12 * KIB);
    expect(Number(s.diskLocalBytes)).toBeLessThan((12 + 40) * KIB); // photo-copy.jpg is IMG's
    expect(Number(s.diskTmpBytes)).toBeGreaterThanOrEqual(12 * KIB); // 8 KiB + one 4 KiB block
    expect(Number(s.diskBytes)).toBeLessThan(2 * 1024 * KIB); // the 8 MiB behind the link is not the site's
  });

  it('caches the database size: the SQLite file with its rows', async () => {
    const s = await site(spipHost);
    const onDisk = ['', '-wal'].reduce((n, suffix) => n + (fs.existsSync(sqliteFile + suffix) ? fs.statSync(sqliteFile + suffix).size : 0), 0);
    expect(onDisk).toBeGreaterThan(100 * KIB);
    expect(Number(s.dbBytes)).toBe(onDisk);
    expect(Number(s.database!.sizeBytes)).toBe(onDisk);
  });

  it('splits a generic site by its own profile: uploads in data/, no cache column', async () => {
    const s = await site(genericHost);
    const [data, tmp] = du(path.join(genericDir, 'data'), path.join(genericDir, 'tmp'));
    expect({ total: Number(s.diskBytes), img: Number(s.diskImgBytes), local: s.diskLocalBytes, tmp: Number(s.diskTmpBytes) }).toEqual({ total: du(genericDir)[0], img: data, local: null, tmp });
    expect(Number(s.diskImgBytes)).toBeGreaterThanOrEqual(20 * KIB);
    expect(s.dbBytes).not.toBeNull();
  });

  it('logs what it did', () => {
    expect(run.log).toContain('measured 2 of 2 sites');
  });
});

describe('a page load never measures', () => {
  const listed = async (host: string) => (await listSites(siteListSchema.parse({ q: host }))).sites.find((s) => s.host === host)!;

  it('the list shows the cached sizes until the next measure, whatever happened on disk', async () => {
    const cached = await listed(spipHost);
    expect(cached.disk.img).toBeGreaterThan(100 * KIB);

    fs.rmSync(path.join(spipDir, 'IMG'), { recursive: true });
    expect(await listed(spipHost)).toEqual(cached);

    const { log } = await measure([spipHost]);
    expect(log).toContain('measured 1 of 1 sites');
    const after = await listed(spipHost);
    expect(after.disk.img).toBe(0);
    expect(after.disk.total).toBe(du(spipDir)[0]);
    // the photo linked from local/ is local's alone now
    expect(after.disk.local).toBe(du(path.join(spipDir, 'local'))[0]);
    expect(after.disk.local).toBeGreaterThanOrEqual(cached.disk.local! + 40 * KIB);
    expect(after.disk.measuredAt!.getTime()).toBeGreaterThan(cached.disk.measuredAt!.getTime());
  });

  it('a site whose whole folder vanished keeps its last measure, and the job says why', async () => {
    const before = await listed(genericHost);
    fs.rmSync(genericDir, { recursive: true });
    expect(await listed(genericHost)).toEqual(before);

    const { log } = await measure([genericHost]);
    expect(log.some((l) => l.startsWith(`${genericHost}: its folder `) && l.includes('is missing'))).toBe(true);
    expect(log).toContain('measured 0 of 1 sites');
    expect(await listed(genericHost)).toEqual(before);
  });
});
