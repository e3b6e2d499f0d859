import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { db } from '../db/client';
import { formatBytes } from '../domain/format';
import { siteDbAccess } from '../databases/site-access';
import { dumpCompressed } from '../exports/dump-compressed';
import { defineJob, type JobContext } from '../jobs/types';
import { backupStamp, backupsFolder, listBackups, type BackupFile } from './files';
import { formatWorkerLine } from '../domain/job-log-lines';
import type { TranslationValue } from '../domain/errors';
import { translatedError } from '../i18n/errors';
import { causeOf, quoting } from '../jobs/job-error';

export const BACKUP_KIND = 'sites.backup';
const FILE_MODE = 0o640;
/** A scheduled run skips a site backed up this recently (a resumed or doubled run). */
const RECENT_MS = 20 * 3600_000;

const params = z.object({
  /** one site, now (on demand); none: every active or disabled site (the daily run) */
  host: z.string().optional(),
  /** back up even if a recent backup exists */
  force: z.boolean().default(false),
});
type Params = z.infer<typeof params>;

/**
 * Dumps one site's database into `db/backups/<stamp>.sql.gz` (mode 0640), written under a
 * temporary name and renamed once complete, then keeps the newest `keep`.
 */
export async function backupSite(siteId: string, host: string, keep: number, signal?: AbortSignal): Promise<{ file: BackupFile; removed: string[] }> {
  const dir = backupsFolder(host);
  fs.mkdirSync(dir, { recursive: true, mode: config().modes.folder });
  const stamp = backupStamp(new Date());
  let name = `${stamp}.sql.gz`;
  for (let i = 2; fs.existsSync(path.join(dir, name)); i++) name = `${stamp}-${i}.sql.gz`;
  await dumpCompressed(await siteDbAccess(siteId), path.join(dir, name), 'gzip', { mode: FILE_MODE, signal });
  const all = listBackups(host);
  const removed = all.slice(Math.max(1, keep)).map((b) => b.name);
  for (const old of removed) fs.rmSync(path.join(dir, old), { force: true });
  return { file: all.find((b) => b.name === name)!, removed };
}

async function run(ctx: JobContext<Params>) {
  const keep = config().backupKeep;
  if (!ctx.params.host && keep === 0) {
    await ctx.log(formatWorkerLine('backupsOff'));
    return;
  }
  const sites = await db.site.findMany({
    where: { status: { in: ['active', 'disabled'] }, database: { isNot: null }, ...(ctx.params.host ? { host: ctx.params.host } : { node: ctx.job.node }) },
    select: { id: true, host: true },
    orderBy: { host: 'asc' },
  });
  if (ctx.params.host && sites.length === 0) throw translatedError((m) => new Error(m), 'serviceErrors.backupNoSite', { host: ctx.params.host });
  const failed: { host: string; text: string; words: TranslationValue }[] = [];
  let done = 0;
  for (const [i, site] of sites.entries()) {
    ctx.signal.throwIfAborted();
    const newest = listBackups(site.host)[0];
    if (!ctx.params.force && newest && Date.now() - newest.createdAt.getTime() < RECENT_MS) continue;
    try {
      const r = await backupSite(site.id, site.host, keep || 7, ctx.signal);
      done++;
      const backedUp = { host: site.host, file: r.file.name, size: formatBytes(r.file.sizeBytes), count: String(r.removed.length) };
      await ctx.log(formatWorkerLine(r.removed.length ? 'backedUpSitePruned' : 'backedUpSite', backedUp));
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      const cause = causeOf(err);
      failed.push({ host: site.host, ...cause });
      await ctx.log(formatWorkerLine('backupFailed', { host: site.host, reason: cause.text }), 'error');
    }
    await ctx.progress((i + 1) / sites.length, formatWorkerLine('progressSites', { count: String(i + 1), nTotal: String(sites.length) }));
  }
  const line = done === 1 ? (failed.length ? 'backedUpOneFailed' : 'backedUpOne') : failed.length ? 'backedUpFailed' : 'backedUp';
  await ctx.log(formatWorkerLine(line, { count: String(done), nFailed: String(failed.length) }));
  if (failed.length) {
    const err = translatedError((m) => new Error(m), 'serviceErrors.backupsFailed', { count: failed.length, hosts: `${failed.slice(0, 5).map((f) => f.host).join(', ')}${failed.length > 5 ? '…' : ''}` });
    // Each site's reason, as its log line quotes it: said in the reader's language on the job's page too.
    throw quoting(err, failed);
  }
}

/**
 * sites.backup: daily, each site's database dumped into its own `db/backups/`, the newest
 * MUTU_BACKUP_KEEP kept (0: off). One site failing does not stop the others; the job then
 * fails, naming them. A resumed run skips the sites it already did.
 */
export const backupHandler = defineJob({
  kind: BACKUP_KIND,
  params,
  onInterrupt: 'resume',
  steps: [{ name: 'backups', run }],
});
