import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { waitFor } from '../fixtures/wait';
import { services } from '../helpers/services';
import { runCli } from '../helpers/cli';
import { adminActor, ENGINES, randomHost, sharedDatabaseName, useProvisioning, waitForJob, type Engine } from '../helpers/provision';
import { articles, decompress, provisionSite, rowsAfterLoading, seedSite, SEED_ROWS, siteRows, uploadsFor } from '../helpers/export-sites';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import type { Actor } from '@/lib/domain/actor';
import { siteDbAccess } from '@/lib/databases/site-access';
import { serveDownload } from '@/lib/exports/download';
import { manifestSchema, MANIFEST_NAME, type ExportFormat } from '@/lib/exports/format';
import { exportFolder } from '@/lib/exports/paths';
import { requestExport, requestExportAs } from '@/lib/exports/service';
import { downloadLink } from '@/lib/exports/signing';
import { sweepHandler } from '@/lib/exports/sweep-handler';
import { exportView } from '@/lib/exports/views';
import { siteDir } from '@/lib/farm/paths';
import { enqueue } from '@/lib/jobs/queue';
import type { Worker } from '@/lib/jobs/worker';

const farm = useTestFarm();
const p = useProvisioning();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-export-job-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let worker: Worker;
beforeAll(async () => {
  worker = await p.startWorker();
});

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const available = (engine: Engine) => engine === 'sqlite' || (engine === 'mysql' ? !!services.mysqlUrl : !!services.postgresUrl);

/** Queues an export and lets the worker run it; returns the job as it ended. */
async function runExport(siteId: string, format: ExportFormat, actor: Actor = adminActor) {
  const r = await requestExport(actor, siteId, format);
  worker.nudge();
  return { ...r, job: await waitForJob(r.jobId!, 60_000) };
}

/** Processes this test process started that are still alive (a dump tool or compressor left behind). */
function leftoverChildren(): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (m && Number(m[2]) === process.pid && /dump|sqlite3|zstd|psql|mariadb|mysql/.test(m[1]!)) out.push(`${pid} ${m[1]}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Unpacks an uploads archive with the real tools, into a fresh folder. */
function unpack(file: string): string {
  const out = fs.mkdtempSync(path.join(work, 'unpacked-'));
  const r = file.endsWith('.zip')
    ? spawnSync('unzip', ['-q', file, '-d', out], { encoding: 'utf8' })
    : spawnSync('tar', [file.endsWith('.zst') ? '--zstd' : '-z', '-xf', file, '-C', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`unpacking ${file}: ${r.stderr}`);
  return out;
}

async function readyFiles(exportId: string) {
  const exp = await db.export.findUniqueOrThrow({ where: { id: exportId }, include: { files: true, site: true } });
  const byKind = Object.fromEntries(exp.files.map((f) => [f.kind, f]));
  return { exp, sql: byKind.sql!, files: byKind.files! };
}

const FORMAT_OF: Record<Engine, ExportFormat> = { sqlite: 'tar.gz', mysql: 'zstd', postgresql: 'zip' };

describe.each(ENGINES)('exporting a site on %s', (engine) => {
  it.skipIf(!available(engine))(`gives a restorable dump and the uploads as ${FORMAT_OF[engine]}, checksummed, with a manifest`, async () => {
    const host = p.trackHost(randomHost('ex'));
    const site = await provisionSite(p, engine, host);
    const access = await seedSite(site.id);
    const format = FORMAT_OF[engine];
    const { export: exp, job } = await runExport(site.id, format);
    expect(job.status, job.error ?? '').toBe('succeeded');

    const { exp: row, sql, files } = await readyFiles(exp.id);
    expect(row.status).toBe('ready');
    expect(row.expiresAt.getTime() - row.readyAt!.getTime()).toBe(config().exportDays * 86_400_000);
    const dir = exportFolder(host, exp.id);
    expect(fs.readdirSync(dir).sort()).toEqual([sql.name, files.name, MANIFEST_NAME].sort()); // no partial file left
    for (const f of [sql, files]) {
      const onDisk = path.join(dir, f.name);
      expect(sha(onDisk), f.name).toBe(f.sha256);
      expect(fs.statSync(onDisk).size).toBe(Number(f.sizeBytes));
      expect(fs.statSync(onDisk).mode & 0o777).toBe(0o640);
    }
    expect(sql.name).toMatch(format === 'zstd' ? /\.sql\.zst$/ : /\.sql\.gz$/);
    const uploads = uploadsFor(engine); // SPIP's IMG, or generic's data on PostgreSQL
    expect(files.name.endsWith(`-${uploads}.${{ zip: 'zip', zstd: 'tar.zst', 'tar.gz': 'tar.gz' }[format]}`), files.name).toBe(true);
    const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8')));
    expect(manifest).toMatchObject({ host, engine, format, uploads, shared: false });
    expect(manifest.files.map((f) => f.sha256).sort()).toEqual([sql.sha256, files.sha256].sort());

    // Restored into a brand new database, the dump gives the same rows.
    const restored = await rowsAfterLoading(engine, await decompress(path.join(dir, sql.name)), articles(access), p.track);
    expect(restored.rows).toEqual(SEED_ROWS);
    expect(restored.rows).toEqual(await siteRows(access));
    // Unpacked elsewhere, the archive gives the same uploads.
    const out = unpack(path.join(dir, files.name));
    const img = path.join(siteDir(config().farmRoot, host), uploads);
    for (const rel of ['jpg/logo.jpg', 'document final.pdf']) expect(sha(path.join(out, uploads, rel)), rel).toBe(sha(path.join(img, rel)));

    const audit = await db.auditEvent.findMany({ where: { siteHost: host, action: { startsWith: 'export.' } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => `${a.action} ${a.ok}`)).toEqual(['export.request true', 'export.create true']);
  }, 120_000);
});

describe.each(['mysql', 'postgresql'] as const)('shared-database mode on %s', (engine) => {
  it.skipIf(!available(engine))("exports only the site's prefixed tables", async () => {
    const shared = sharedDatabaseName();
    const server = await p.addTestServer(engine, { sharedDatabase: shared });
    const a = await provisionSite(p, engine, p.trackHost(randomHost('sha')), { server: server.name, shared: true });
    const b = await provisionSite(p, engine, p.trackHost(randomHost('shb')), { server: server.name, shared: true });
    const accessA = await seedSite(a.id);
    const accessB = await seedSite(b.id);
    expect(accessA.database).toBe(accessB.database);
    const { export: exp, job } = await runExport(a.id, 'tar.gz');
    expect(job.status, job.error ?? '').toBe('succeeded');
    const { sql } = await readyFiles(exp.id);
    const dumpFile = await decompress(path.join(exportFolder(a.host, exp.id), sql.name));
    const text = fs.readFileSync(dumpFile, 'utf8');
    expect(text).toContain(articles(accessA));
    expect(text).not.toContain(`${accessB.tablePrefix}_`);
    const restored = await rowsAfterLoading(engine, dumpFile, articles(accessA), p.track);
    expect(restored.rows).toEqual(SEED_ROWS);
    expect(restored.tables.length).toBeGreaterThan(0);
    expect(restored.tables.every((t) => t.startsWith(`${accessA.tablePrefix}_`)), restored.tables.join(', ')).toBe(true);
  }, 120_000);
});

describe('downloads, the sweeper and failures', () => {
  const owner = `owner-${crypto.randomBytes(3).toString('hex')}@example.org`;
  const stranger = `stranger-${crypto.randomBytes(3).toString('hex')}@example.org`;
  let host: string;
  let exportId: string;

  const userOf = async (email: string) => {
    const u = await db.user.findUniqueOrThrow({ where: { email } });
    return { id: u.id, role: u.role, actor: { userId: u.id, email: u.email, source: 'api', ip: '192.0.2.7' } satisfies Actor };
  };
  const get = (url: string, headers: Record<string, string> = {}) => new Request(`http://mutu.test${url}`, { headers });

  beforeAll(async () => {
    host = p.trackHost(randomHost('dl'));
    const site = await provisionSite(p, 'sqlite', host, { webmaster: owner });
    await provisionSite(p, 'sqlite', p.trackHost(randomHost('other')), { webmaster: stranger });
    await seedSite(site.id);
    fs.writeFileSync(path.join(siteDir(config().farmRoot, host), 'IMG', 'big.bin'), crypto.randomBytes(3_000_000)); // more than a few read chunks: a download can be cut halfway
    const me = await userOf(owner);
    const r = await requestExportAs(me, me.actor, host, 'tar.gz');
    worker.nudge();
    const job = await waitForJob(r.jobId!, 60_000);
    if (job.status !== 'succeeded') throw new Error(`export failed: ${job.error}`);
    exportId = r.export.id;
  }, 120_000);

  it("serves the site's webmaster the whole file, with Content-Length and the recorded sha256, then a resumed range", async () => {
    const me = await userOf(owner);
    const { files } = await readyFiles(exportId);
    const res = await serveDownload(get(downloadLink(files.id, me.id)), me, me.actor, files.id);
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(Number(files.sizeBytes));
    expect(body.length).toBe(Number(files.sizeBytes));
    expect(crypto.createHash('sha256').update(body).digest('hex')).toBe(files.sha256);
    expect(res.headers.get('content-disposition')).toContain(files.name);
    expect(res.headers.get('accept-ranges')).toBe('bytes');

    const from = 1000;
    const part = await serveDownload(get(downloadLink(files.id, me.id), { range: `bytes=${from}-` }), me, me.actor, files.id);
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${from}-${body.length - 1}/${body.length}`);
    const rest = Buffer.from(await part.arrayBuffer());
    expect(Number(part.headers.get('content-length'))).toBe(body.length - from);
    expect(Buffer.concat([body.subarray(0, from), rest]).equals(body)).toBe(true);

    const audit = await db.auditEvent.findMany({ where: { action: 'export.download', siteHost: host } });
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.actorEmail === owner)).toBe(true);
    expect(audit.map((a) => (a.details as { fileId?: string }).fileId)).toEqual([files.id, files.id]);
  });

  it('stops reading the disk when the client goes away halfway', async () => {
    const me = await userOf(owner);
    const { files } = await readyFiles(exportId);
    const onDisk = fs.realpathSync(path.join(exportFolder(host, exportId), files.name));
    const openOnIt = () => fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`) === onDisk;
      } catch {
        return false;
      }
    }).length;
    expect(openOnIt()).toBe(0);
    const client = new AbortController();
    const req = new Request(`http://mutu.test${downloadLink(files.id, me.id)}`, { signal: client.signal });
    const res = await serveDownload(req, me, me.actor, files.id);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.value!.length).toBeLessThan(Number(files.sizeBytes));
    expect(openOnIt()).toBe(1);
    client.abort();
    await reader.cancel().catch(() => {});
    await waitFor('the file to be closed', async () => (openOnIt() === 0 ? true : null), 5000);
  });

  it('answers 404 to an expired or forged link, to another webmaster and to a link signed for someone else', async () => {
    const me = await userOf(owner);
    const other = await userOf(stranger);
    const { files, sql } = await readyFiles(exportId);
    const before = await db.auditEvent.count({ where: { action: 'export.download' } });
    const expired = downloadLink(files.id, me.id, Date.now() - 2 * 3600_000);
    const forged = downloadLink(files.id, me.id).replace(/sig=[^&]+/, `sig=${'A'.repeat(43)}`);
    const otherFile = downloadLink(sql.id, me.id).replace(encodeURIComponent(sql.id), encodeURIComponent(files.id)); // a valid signature for another file
    const cases: [string, string, typeof me][] = [
      ['expired', expired, me],
      ['forged', forged, me],
      ['signature of another file', otherFile, me],
      ["the owner's link, used by another webmaster", downloadLink(files.id, me.id), other],
      ["another webmaster's own signed link", downloadLink(files.id, other.id), other],
      ['an unknown id', downloadLink('zzzzzzzzzzzzzzzzzzzzzzzz', me.id), me],
    ];
    for (const [what, url, who] of cases) {
      const fileId = new URL(url, 'http://x').pathname.split('/').pop()!;
      const res = await serveDownload(get(url), who, who.actor, decodeURIComponent(fileId));
      expect(res.status, what).toBe(404);
      expect(await res.text(), what).toBe('Not found.');
    }
    // What the other webmaster sees of the export: nothing.
    expect(await exportView(other, exportId)).toBeNull();
    await expect(requestExportAs(other, other.actor, host, 'tar.gz')).rejects.toMatchObject({ status: 404 });
    expect(await db.auditEvent.count({ where: { action: 'export.download' } })).toBe(before);
  });

  it('lets the CLI export a site into a folder and list the exports', async () => {
    const out = path.join(work, 'cli-out');
    const r = await runCli(['export', '--host', host, '--out', out, '--format', 'zip', '--json'], { env: farm.env, timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { exportId: string; files: { kind: string; path: string; sizeBytes: number; sha256: string }[] };
    expect(result.files.map((f) => f.kind).sort()).toEqual(['files', 'sql']);
    for (const f of result.files) {
      expect(path.dirname(f.path)).toBe(out);
      expect(sha(f.path)).toBe(f.sha256);
      expect(fs.statSync(f.path).size).toBe(f.sizeBytes);
    }
    expect(result.files.find((f) => f.kind === 'files')!.path).toMatch(/-IMG\.zip$/);
    const listed = await runCli(['exports', 'list', '--host', host, '--json'], { env: farm.env });
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as { id: string; status: string; format: string }[];
    expect(rows.map((e) => e.id)).toEqual(expect.arrayContaining([result.exportId, exportId]));
    expect(rows.find((e) => e.id === result.exportId)).toMatchObject({ status: 'ready', format: 'zip' });
    const table = await runCli(['exports', 'list'], { env: farm.env });
    expect(table.stdout).toContain(host);
    // Without --json: the job's log, then each file's path, size and sha256.
    const human = await runCli(['export', '--host', host, '--out', path.join(work, 'cli-human')], { env: farm.env, timeoutMs: 90_000 });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Exporting .* as tar\.gz \(job \w+\)/);
    expect(human.stdout).toContain('database dumped');
    const placed = fs.readdirSync(path.join(work, 'cli-human')).filter((f) => !f.endsWith('.json'));
    expect(placed).toHaveLength(2);
    for (const f of placed) {
      expect(human.stdout).toContain(path.join(work, 'cli-human', f));
      expect(human.stdout).toContain(sha(path.join(work, 'cli-human', f)));
    }
    const bad = await runCli(['export', '--host', 'nope.example.org', '--out', out], { env: farm.env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('no site is named nope.example.org');
  }, 120_000);

  it('sweeps expired exports: files and file rows go, the export says expired', async () => {
    const { exp: before } = await readyFiles(exportId);
    const dir = exportFolder(host, exportId);
    expect(fs.existsSync(dir)).toBe(true);
    await db.export.update({ where: { id: exportId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const job = await enqueue(sweepHandler, {}, { actor: adminActor });
    worker.nudge();
    expect((await waitForJob(job.id)).status).toBe('succeeded');
    expect(fs.existsSync(dir)).toBe(false);
    expect(await db.exportFile.count({ where: { exportId } })).toBe(0);
    expect((await db.export.findUniqueOrThrow({ where: { id: exportId } })).status).toBe('expired');
    // Other sites' and unexpired exports are left alone.
    const live = await db.export.findMany({ where: { status: 'ready', siteId: before.siteId } });
    for (const e of live) expect(fs.existsSync(exportFolder(host, e.id)), e.id).toBe(true);
  });

  it.each(['sqlite', 'mysql', 'postgresql'] as const)('fails cleanly on %s when the dump tool dies: no file offered, folder removed, no process left', async (engine) => {
    if (!available(engine)) return;
    const h = p.trackHost(randomHost('die'));
    const webmaster = `die-${crypto.randomBytes(3).toString('hex')}@example.org`;
    const site = await provisionSite(p, engine, h, { webmaster });
    await seedSite(site.id);
    const a = await siteDbAccess(site.id);
    if (engine === 'sqlite') fs.rmSync(a.sqliteFile!);
    else await (await p.probe(engine)).dropDatabase(a.database);
    const { export: exp, job } = await runExport(site.id, 'tar.gz');
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/(sqlite3|mariadb-dump|mysqldump|pg_dump) failed/);
    const row = await db.export.findUniqueOrThrow({ where: { id: exp.id } });
    expect(row.status).toBe('failed');
    expect(await db.exportFile.count({ where: { exportId: exp.id } })).toBe(0);
    expect(fs.existsSync(exportFolder(h, exp.id))).toBe(false);
    // The admin reads the tool's message; the webmaster is not shown farm paths or server names.
    const view = await exportView({ id: 'admin', role: 'admin' }, exp.id);
    expect(view).toMatchObject({ status: 'failed', files: [], error: job.error });
    const theirs = await exportView(await userOf(webmaster), exp.id);
    expect(theirs).toMatchObject({ status: 'failed', files: [] });
    expect(theirs!.error).toContain('ask an admin');
    expect(theirs!.error).not.toContain(a.database);
    expect(leftoverChildren()).toEqual([]);
    const audit = await db.auditEvent.findFirst({ where: { siteHost: h, action: 'export.create' } });
    expect(audit?.ok).toBe(false);
  }, 120_000);
});
