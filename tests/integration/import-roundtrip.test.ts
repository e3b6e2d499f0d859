import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, expectNothingLeft, profileFor, randomHost, sharedDatabaseName, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { PROFILES } from '@/lib/domain/profiles';
import { provisionSite, replaceExportFile, seedSite, SEED_ROWS, siteRows, uploadsFor } from '../helpers/export-sites';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { siteDbAccess } from '@/lib/databases/site-access';
import { MANIFEST_NAME, manifestSchema, type ExportFormat } from '@/lib/exports/format';
import { exportFolder } from '@/lib/exports/paths';
import { requestExport } from '@/lib/exports/service';
import { siteDir } from '@/lib/farm/paths';
import { readConnectionFile } from '@/lib/farm/connection-file';
import { requestImport } from '@/lib/imports/request';
import { addPlatform } from '@/lib/platforms/service';
import { requestDestroy } from '@/lib/sites/lifecycle';

useTestFarm();
const p = useProvisioning();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-import-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Every file under a folder with its sha256 (folders marked), for "same files" checks. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      const rel = path.relative(root, f);
      if (e.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(f);
      } else out[rel] = e.isFile() ? crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex') : 'SPECIAL';
    }
  };
  walk(root);
  return out;
}

/** The site's uploads folder: SPIP's IMG, or generic's data on PostgreSQL (which SPIP cannot use). */
const imgOf = (host: string, engine: Engine) => path.join(siteDir(config().farmRoot, host), uploadsFor(engine));

/** A seeded SPIP site with a few more uploads, exported; the export copied away as if to another farm. */
async function exportedSite(engine: Engine, format: ExportFormat, opts: { server?: string; shared?: boolean } = {}) {
  await p.startWorker();
  const host = p.trackHost(randomHost(engine.slice(0, 5)));
  const site = await provisionSite(p, engine, host, opts);
  await seedSite(site.id);
  const img = imgOf(host, engine);
  fs.mkdirSync(path.join(img, 'rubrique 2', 'été'), { recursive: true });
  fs.writeFileSync(path.join(img, 'rubrique 2', 'été', 'photo — 写真.jpg'), crypto.randomBytes(200_000));
  fs.writeFileSync(path.join(img, 'a'.repeat(120)), 'long name\n');
  const { export: exp, jobId } = await requestExport(adminActor, site.id, format);
  const job = await waitForJob(jobId!, 30_000);
  expect(job.status, job.error ?? '').toBe('succeeded');
  const copy = path.join(work, `${host}-${exp.id}`);
  fs.cpSync(exportFolder(host, exp.id), copy, { recursive: true });
  return { host, site, copy, files: tree(img) };
}

async function destroy(host: string) {
  const { job } = await requestDestroy(adminActor, host, host);
  expect((await waitForJob(job.id, 30_000)).status).toBe('succeeded');
}

async function importAs(from: string, host: string) {
  const r = await requestImport(adminActor, { from, host });
  return waitForJob(r.job.id, 60_000);
}

describe.each(availableEngines())('import on %s', (engine) => {
  const format: ExportFormat = engine === 'postgresql' ? 'zstd' : 'tar.gz';

  it(`export (${format}), destroy, import: same rows, same files, a new database account and connection file`, async () => {
    const { host, site, copy, files } = await exportedSite(engine, format);
    const before = await siteDbAccess(site.id);
    await destroy(host);
    expect(fs.existsSync(siteDir(config().farmRoot, host))).toBe(false);

    const job = await importAs(copy, host);
    expect(job.status, job.error ?? '').toBe('succeeded');
    const back = await db.site.findUniqueOrThrow({ where: { host }, include: { database: { include: { server: true } } } });
    expect(back.status).toBe('active');
    expect(back.database!.server.engine).toBe(engine);
    const a = await siteDbAccess(back.id);
    expect(a.tablePrefix).toBe(before.tablePrefix);
    // What the application reads: its connection file names the same prefix.
    expect(readConnectionFile(siteDir(config().farmRoot, host))?.tablePrefix).toBe(before.tablePrefix);
    expect(await siteRows(a)).toEqual(SEED_ROWS);
    expect(tree(imgOf(host, engine))).toEqual(files);
    const connect = fs.readFileSync(path.join(siteDir(config().farmRoot, host), PROFILES[profileFor(engine)].configFile), 'utf8');
    if (engine !== 'sqlite') {
      expect(a.password).not.toBe(before.password); // a new account, its own new password
      expect(connect).toContain(a.database);
      expect(connect).toContain(a.user);
    }
    const audit = await db.auditEvent.findFirst({ where: { action: 'site.import', siteHost: host } });
    expect(audit?.ok).toBe(true);
  });

  it('refuses an export whose archive holds a link, and leaves nothing behind', async () => {
    const { host, copy } = await exportedSite(engine, 'tar.gz');
    const src = path.join(work, `hostile-${host}`);
    const uploads = uploadsFor(engine);
    fs.mkdirSync(path.join(src, uploads), { recursive: true });
    fs.writeFileSync(path.join(src, uploads, 'fine.txt'), 'fine\n');
    fs.symlinkSync('/etc/passwd', path.join(src, uploads, 'passwd'));
    const tgz = spawnSync('tar', ['-czf', '-', '-C', src, uploads]);
    expect(tgz.status).toBe(0);
    replaceExportFile(copy, 'files', tgz.stdout);
    const other = p.trackHost(randomHost('hostile'));
    const job = await importAs(copy, other);
    expect(job.status).toBe('failed');
    expect(job.error).toContain(`"${uploads}/passwd": a symbolic link`);
    await expectNothingLeft(p, { host: other, engine });
  });
});

describe.each(availableEngines().filter((e) => e !== 'sqlite'))('import of a shared-database export on %s', (engine) => {
  it('gives the site its own database, keeping the table prefix and the rows', async () => {
    const server = await p.addTestServer(engine, { sharedDatabase: sharedDatabaseName() });
    const { host, site, copy, files } = await exportedSite(engine, 'tar.gz', { server: server.name, shared: true });
    const before = await siteDbAccess(site.id);
    expect(before.shared).toBe(true);
    await destroy(host);
    const r = await requestImport(adminActor, { from: copy, host, server: server.name });
    const job = await waitForJob(r.job.id, 60_000);
    expect(job.status, job.error ?? '').toBe('succeeded');
    const a = await siteDbAccess((await db.site.findUniqueOrThrow({ where: { host } })).id);
    expect(a.shared).toBe(false);
    expect(a.database).not.toBe(before.database);
    expect(a.tablePrefix).toBe(before.tablePrefix);
    // What the application reads: its connection file names the same prefix.
    expect(readConnectionFile(siteDir(config().farmRoot, host))?.tablePrefix).toBe(before.tablePrefix);
    expect(await siteRows(a)).toEqual(SEED_ROWS);
    expect(tree(imgOf(host, engine))).toEqual(files);
  });
});

describe('import checks', () => {
  it('refuses a damaged export before making anything', async () => {
    const { copy } = await exportedSite('sqlite', 'tar.gz');
    const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(copy, MANIFEST_NAME), 'utf8')));
    const sql = path.join(copy, manifest.files.find((f) => f.kind === 'sql')!.name);
    const bytes = fs.readFileSync(sql);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff; // same size, different content
    fs.writeFileSync(sql, bytes);
    const host = p.trackHost(randomHost('damaged'));
    const job = await importAs(copy, host);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/does not match its checksum/);
    await expectNothingLeft(p, { host, engine: 'sqlite' });
  });

  it('imports onto a platform with an install command without a webmaster: the export brings its own administrators', async () => {
    const { copy } = await exportedSite('sqlite', 'tar.gz');
    const code = fs.mkdtempSync(path.join(work, 'installing-platform-'));
    const installing = await addPlatform(adminActor, { name: `spip-installing-${crypto.randomBytes(3).toString('hex')}`, profile: 'spip', path: code, version: '1.0', installCommand: 'false' });
    const host = p.trackHost(randomHost('noinstall'));
    const r = await requestImport(adminActor, { from: copy, host, platform: installing.name });
    const job = await waitForJob(r.job.id, 60_000);
    expect(job.status, job.error ?? '').toBe('succeeded'); // the install command, which would fail, is not run
    expect(await siteRows(await siteDbAccess(r.site.id))).toEqual(SEED_ROWS);
  });

  it('refuses a folder that is not an export, shared-database mode, and another engine, at once', async () => {
    await expect(requestImport(adminActor, { from: work, host: randomHost('x') })).rejects.toThrow(/holds no manifest\.json/);
    const { copy } = await exportedSite('sqlite', 'tar.gz');
    await expect(requestImport(adminActor, { from: copy, host: randomHost('x'), sharedDb: true })).rejects.toThrow(/shared-database mode/);
    if (availableEngines().includes('mysql')) {
      const server = await p.serverFor('mysql');
      await expect(requestImport(adminActor, { from: copy, host: randomHost('x'), server: server.name })).rejects.toThrow(/the dump is for the embedded SQLite/);
    }
  });
});
