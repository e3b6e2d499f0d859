import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, availableEngines, randomHost, randomPart, useProvisioning, waitForJob } from '../helpers/provision';
import { articles, decompress, provisionSite, rowsAfterLoading, seedSite, SEED_ROWS } from '../helpers/export-sites';
import { siteDbAccess } from '@/lib/databases/site-access';
import { db } from '@/lib/db/client';
import { backupHandler } from '@/lib/backups/backup-handler';
import { backupLink, serveBackup } from '@/lib/backups/download';
import { backupsFolder, listBackups } from '@/lib/backups/files';
import { enqueue } from '@/lib/jobs/queue';

useTestFarm({ MUTU_BACKUP_KEEP: '2' });
const p = useProvisioning();

async function runBackups(params: { host?: string; force?: boolean }) {
  const job = await enqueue(backupHandler, params, { actor: adminActor });
  return waitForJob(job.id, 60_000);
}

async function webmaster(email: string) {
  return db.user.create({ data: { email, role: 'webmaster', passwordHash: 'x' } });
}

describe.each(availableEngines())('scheduled backups on %s', (engine) => {
  it('dumps the database into db/backups/ (0640), keeps the newest MUTU_BACKUP_KEEP, and the dump restores the rows', async () => {
    await p.startWorker();
    const host = p.trackHost(randomHost(`bk${engine.slice(0, 3)}`));
    const site = await provisionSite(p, engine, host);
    await seedSite(site.id);

    const first = await runBackups({});
    expect(first.status, first.error ?? '').toBe('succeeded');
    expect(listBackups(host)).toHaveLength(1);
    // A second scheduled run the same day skips the site (a resumed or doubled run).
    expect((await runBackups({})).status).toBe('succeeded');
    expect(listBackups(host)).toHaveLength(1);
    for (let i = 0; i < 3; i++) expect((await runBackups({ host, force: true })).status).toBe('succeeded');

    const kept = listBackups(host);
    expect(kept).toHaveLength(2);
    const onDisk = fs.readdirSync(backupsFolder(host));
    expect(onDisk.sort()).toEqual(kept.map((b) => b.name).sort()); // no .part left, older ones removed
    for (const b of kept) expect(fs.statSync(path.join(backupsFolder(host), b.name)).mode & 0o777).toBe(0o640);

    const sql = await decompress(path.join(backupsFolder(host), kept[0]!.name));
    const loaded = await rowsAfterLoading(engine, sql, articles(await siteDbAccess(site.id)), (prefix) => p.track(prefix));
    expect(loaded.rows).toEqual(SEED_ROWS);
  });
});

describe('backup downloads', () => {
  it('serve the file to the signed user who may see the site, and the same 404 to anyone else', async () => {
    await p.startWorker();
    const host = p.trackHost(randomHost('bkdl'));
    const owner = await webmaster(`owner-${randomPart()}@example.org`);
    const stranger = await webmaster(`stranger-${randomPart()}@example.org`);
    const site = await provisionSite(p, 'sqlite', host, { webmaster: owner.email });
    await seedSite(site.id);
    expect((await runBackups({ host, force: true })).status).toBe('succeeded');
    const [backup] = listBackups(host);
    const actorOf = (u: { id: string; email: string }) => ({ source: 'ui' as const, ip: '127.0.0.1', userId: u.id, email: u.email });
    const get = (url: string, u: { id: string; email: string; role: string }, headers: Record<string, string> = {}) => {
      const m = /^\/api\/backups\/([^/]+)\/([^/?]+)\?/.exec(url)!;
      return serveBackup(new Request(`http://localhost${url}`, { headers }), u, actorOf(u), decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    };

    const link = backupLink(host, backup!.name, owner.id);
    const ok = await get(link, owner);
    expect(ok.status).toBe(200);
    const body = Buffer.from(await ok.arrayBuffer());
    expect(body.equals(fs.readFileSync(path.join(backupsFolder(host), backup!.name)))).toBe(true);
    expect(ok.headers.get('content-length')).toBe(String(body.length));
    const part = await get(link, owner, { range: 'bytes=0-9' });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(0, 10))).toBe(true);
    expect(await db.auditEvent.count({ where: { action: 'backup.download', siteHost: host } })).toBe(2);

    // Another webmaster: with the owner's link, or a link signed for themselves.
    expect((await get(link, stranger)).status).toBe(404);
    expect((await get(backupLink(host, backup!.name, stranger.id), stranger)).status).toBe(404);
    // A tampered signature, a name that is not a backup's, a path out of the folder.
    expect((await get(link.replace(/sig=.{4}/, 'sig=AAAA'), owner)).status).toBe(404);
    expect((await get(backupLink(host, '../../config/connect.php', owner.id), owner)).status).toBe(404);
    expect((await get(backupLink(host, 'nope.sql.gz', owner.id), owner)).status).toBe(404);
  });
});
