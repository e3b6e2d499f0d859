import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { db } from '../db/client';
import { recordJobEnd } from '../audit/record';
import { notifyExportRequester } from '../sites/webmaster-notify';
import { actorSchema } from '../domain/actor';
import { formatBytes } from '../domain/format';
import { PROFILES } from '../domain/profiles';
import { siteDbAccess } from '../databases/site-access';
import { archiveListedFiles, type SkipReason } from '../farm/archive-img';
import { TarWriter } from '../farm/archive-tar';
import { siteAccountToRunAs } from '../front/unix-users';
import { siteDir } from '../farm/paths';
import { defineJob, type JobContext } from '../jobs/types';
import { exportFolder } from './paths';
import { compressionOf, exportFileNames, exportFormatSchema, MANIFEST_NAME, type ExportFileKind, type ExportManifest } from './format';
import { compressedSink, type WrittenFile } from './sink';
import { dumpCompressed } from './dump-compressed';
import { archiveUploads } from './uploads-archive';
import { formatWorkerLine, type WorkerLine } from '../domain/job-log-lines';

export const EXPORT_KIND = 'site.export';

const params = z.object({
  exportId: z.string(),
  siteId: z.string(),
  host: z.string(),
  format: exportFormatSchema,
  /** the site's secret files (SPIP's config/cles.php) asked for; jobs queued before the choice existed had none */
  secrets: z.boolean().default(false),
  actor: actorSchema,
});
export type ExportParams = z.infer<typeof params>;

type Ctx = JobContext<ExportParams>;
type Done = WrittenFile & { name: string; kind: ExportFileKind; secretFiles?: string[] };

const FILE_MODE = 0o640;
/** The secrets archive is Mutu's own user's alone on the farm, as the site's keys are root's. */
const SECRETS_MODE = 0o600;
const FOLDER_MODE = 0o750;
const PROGRESS_EVERY_MS = 500;

/**
 * Reports bytes written against an estimate (the site's last measured sizes), at most
 * twice a second: progress is a registry write.
 */
function progressReporter(ctx: Ctx, from: number, to: number, estimate: number, folder: string) {
  let last = 0;
  return (bytes: number) => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    const share = estimate > 0 ? Math.min(1, bytes / estimate) : 0.5;
    const text = estimate > 0 ? formatWorkerLine('progressDumpingOf', { folder, bytes: formatBytes(bytes), estimate: formatBytes(estimate) }) : formatWorkerLine('progressDumpingBytes', { folder, bytes: formatBytes(bytes) });
    void ctx.progress(from + (to - from) * share, text).catch(() => {});
  };
}

async function siteFacts(siteId: string) {
  const site = await db.site.findUniqueOrThrow({
    where: { id: siteId },
    select: { host: true, dbBytes: true, diskImgBytes: true, platform: { select: { profile: true } }, database: { select: { tablePrefix: true, shared: true, server: { select: { engine: true } } } } },
  });
  const profile = PROFILES[site.platform.profile];
  return { site, profile };
}

async function siteUnixUser(siteId: string): Promise<string | null> {
  return (await db.site.findUniqueOrThrow({ where: { id: siteId }, select: { unixUser: true } })).unixUser;
}

async function fileNames(ctx: Ctx) {
  const exp = await db.export.findUniqueOrThrow({ where: { id: ctx.params.exportId }, select: { createdAt: true } });
  const { profile } = await siteFacts(ctx.params.siteId);
  return exportFileNames(ctx.params.host, exp.createdAt, ctx.params.format, profile.usage.uploads);
}

/** "config/cles.php is a symbolic link: left out of the export", for the log. */
const LEFT_OUT_LINE: Record<SkipReason, WorkerLine> = {
  symlink: 'leftOutSymlink',
  'hard link': 'leftOutHardLink',
  'special file': 'leftOutSpecial',
  'changed during the walk': 'leftOutChanged',
  'outside the folder': 'leftOutOutside',
  unreadable: 'leftOutUnreadable',
};

/** "2 symlinks, 1 hard link": what an uploads archive left out, each a phrase of the log-line table. */
const SKIPPED_PHRASES: Partial<Record<SkipReason, [WorkerLine, WorkerLine]>> = {
  symlink: ['skippedSymlink', 'skippedSymlinks'],
  'hard link': ['skippedHardLink', 'skippedHardLinks'],
  'special file': ['skippedSpecial', 'skippedSpecials'],
};
const skippedPhrase = (why: SkipReason, n: number) => {
  const lines = SKIPPED_PHRASES[why];
  return lines ? formatWorkerLine(lines[n === 1 ? 0 : 1], { count: String(n) }) : `${n} ${why}`;
};

/**
 * site.export: the site's SQL dump, its uploads archive and, when asked, its secret files,
 * compressed (gzip or zstd), checksummed while written, in `exports/<host>/<exportId>/` with
 * a manifest; then the Export row is marked ready with its files and expiry. An interrupted or failed export is
 * undone: its folder and file rows go, and the Export row says it failed.
 */
export const exportHandler = defineJob({
  kind: EXPORT_KIND,
  params,
  onInterrupt: 'undo',
  steps: [
    {
      name: 'folder',
      async run(ctx) {
        const dir = exportFolder(ctx.params.host, ctx.params.exportId);
        fs.mkdirSync(path.dirname(dir), { recursive: true, mode: FOLDER_MODE });
        fs.mkdirSync(dir, { mode: FOLDER_MODE });
        fs.chmodSync(dir, FOLDER_MODE); // the umask may have narrowed it
        await ctx.progress(0.01, formatWorkerLine('progressPreparing'));
      },
      async undo(ctx) {
        await fs.promises.rm(exportFolder(ctx.params.host, ctx.params.exportId), { recursive: true, force: true });
        await db.exportFile.deleteMany({ where: { exportId: ctx.params.exportId } });
        await db.export.updateMany({ where: { id: ctx.params.exportId }, data: { status: 'failed' } });
      },
    },
    {
      // The dump and the uploads archive touch different things: made at the same time, each
      // by its own tools (the dump tool into its compressor, tar into its), as an admin would
      // run them in two terminals. Either failing stops the other.
      name: 'dump and uploads',
      async run(ctx) {
        const dir = exportFolder(ctx.params.host, ctx.params.exportId);
        const names = await fileNames(ctx);
        const { site, profile } = await siteFacts(ctx.params.siteId);
        const uploads = profile.usage.uploads;
        await ctx.progress(0.02, formatWorkerLine('progressDumping', { folder: uploads }));
        const both = new AbortController();
        const signal = AbortSignal.any([ctx.signal, both.signal]);
        const report = progressReporter(ctx, 0.02, 0.97, Number(site.dbBytes ?? 0) + Number(site.diskImgBytes ?? 0), uploads);
        let sqlBytes = 0;
        let imgBytes = 0;
        const stopOnFailure = <T>(p: Promise<T>) =>
          p.catch((err: unknown) => {
            both.abort(err);
            throw err;
          });
        const dump = stopOnFailure(
          (async () => {
            const done = await dumpCompressed(await siteDbAccess(ctx.params.siteId), path.join(dir, names.sql), compressionOf(ctx.params.format, 'sql'), {
              mode: FILE_MODE,
              signal,
              onBytes: (n) => report((sqlBytes = n) + imgBytes),
            });
            await ctx.save({ sql: { ...done, name: names.sql, kind: 'sql' } satisfies Done });
            await ctx.log(formatWorkerLine('dumped', { file: names.sql, size: formatBytes(done.sizeBytes), sha: done.sha256 }));
          })(),
        );
        const archive = stopOnFailure(
          (async () => {
            const file = path.join(dir, names.files);
            const how = compressionOf(ctx.params.format, 'files');
            const account = siteAccountToRunAs(await siteUnixUser(ctx.params.siteId));
            if (account) await ctx.log(formatWorkerLine('archivedAsSite', { folder: uploads, user: account.name }));
            const { stats, file: done } = await archiveUploads(
              siteDir(config().farmRoot, ctx.params.host),
              uploads,
              how === 'none'
                ? { format: 'zip', open: () => compressedSink(file, how, { mode: FILE_MODE, signal }) }
                : { format: 'tar', open: (source) => compressedSink(file, how, { mode: FILE_MODE, signal, source }) },
              { as: account, signal, onBytes: (n) => report(sqlBytes + (imgBytes = n)) },
            );
            await ctx.save({ files: { ...done, name: names.files, kind: 'files' } satisfies Done });
            const skipped = (Object.entries(stats.skipped) as [SkipReason, number][]).map(([why, n]) => skippedPhrase(why, n));
            await ctx.log(formatWorkerLine('archived', { file: names.files, count: String(stats.files), nFolders: String(stats.folders), bytes: formatBytes(stats.bytes), size: formatBytes(done.sizeBytes), sha: done.sha256 }));
            if (skipped.length) await ctx.log(formatWorkerLine('linksLeftOut', { skipped: skipped.join(', ') }), 'warn');
            if (stats.changed.length) await ctx.log(formatWorkerLine('changedWhileArchived', { list: `${stats.changed.slice(0, 5).join(', ')}${stats.changed.length > 5 ? '…' : ''}` }), 'warn');
          })(),
        );
        const [d, a] = await Promise.allSettled([dump, archive]);
        // The first failure is the cause; the other part only stopped because of it.
        const failed = [d, a].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed.length) throw both.signal.aborted ? both.signal.reason : failed[0]!.reason;
      },
    },
    {
      name: 'secret files',
      async run(ctx) {
        const { profile } = await siteFacts(ctx.params.siteId);
        const listed = profile.secretFiles;
        if (!listed.length) return;
        if (!ctx.params.secrets) {
          await ctx.log(formatWorkerLine('secretsNotAsked', { list: listed.join(', ') }));
          return;
        }
        const dir = exportFolder(ctx.params.host, ctx.params.exportId);
        const name = (await fileNames(ctx)).secrets;
        const sink = compressedSink(path.join(dir, name), compressionOf(ctx.params.format, 'secrets'), { mode: SECRETS_MODE, signal: ctx.signal });
        const tar = new TarWriter((chunk) => sink.write(chunk));
        let stats;
        try {
          stats = await archiveListedFiles(siteDir(config().farmRoot, ctx.params.host), listed, tar, { signal: ctx.signal });
          await tar.end();
        } catch (err) {
          await sink.abort();
          throw err;
        }
        for (const { path: rel, reason } of stats.leftOut) await ctx.log(formatWorkerLine(LEFT_OUT_LINE[reason], { path: rel }), 'warn');
        if (stats.missing.length) await ctx.log(formatWorkerLine('secretsMissing', { list: stats.missing.join(', ') }));
        if (!stats.held.length) {
          await sink.abort();
          await ctx.log(formatWorkerLine('noSecretFile'), 'warn');
          return;
        }
        const done = await sink.finish();
        await ctx.save({ secrets: { ...done, name, kind: 'secrets', secretFiles: stats.held } satisfies Done });
        await ctx.log(formatWorkerLine('secretsFile', { file: name, held: stats.held.join(', '), sha: done.sha256 }));
      },
    },
    {
      name: 'manifest',
      async run(ctx) {
        const dir = exportFolder(ctx.params.host, ctx.params.exportId);
        const files = [ctx.state.sql, ctx.state.files, ctx.state.secrets].filter(Boolean) as Done[];
        const { site, profile } = await siteFacts(ctx.params.siteId);
        const exp = await db.export.findUniqueOrThrow({ where: { id: ctx.params.exportId }, select: { createdAt: true } });
        const manifest: ExportManifest = {
          mutu: 1,
          host: ctx.params.host,
          profile: profile.name,
          engine: site.database?.server.engine ?? 'sqlite',
          tablePrefix: site.database?.tablePrefix ?? '',
          shared: site.database?.shared ?? false,
          uploads: profile.usage.uploads,
          created: exp.createdAt.toISOString(),
          format: ctx.params.format,
          files: files.map((f) => ({ kind: f.kind, name: f.name, size: f.sizeBytes, sha256: f.sha256, ...(f.secretFiles ? { secretFiles: f.secretFiles } : {}) })),
        };
        const tmp = path.join(dir, `.${MANIFEST_NAME}.part`);
        fs.writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: FILE_MODE });
        fs.chmodSync(tmp, FILE_MODE);
        fs.renameSync(tmp, path.join(dir, MANIFEST_NAME));
        const now = new Date();
        await db.$transaction([
          db.exportFile.deleteMany({ where: { exportId: ctx.params.exportId } }),
          ...files.map((f) =>
            db.exportFile.create({ data: { exportId: ctx.params.exportId, kind: f.kind, name: f.name, path: f.path, sizeBytes: BigInt(f.sizeBytes), sha256: f.sha256 } }),
          ),
          db.export.update({ where: { id: ctx.params.exportId }, data: { status: 'ready', readyAt: now, expiresAt: new Date(now.getTime() + config().exportDays * 86_400_000) } }),
          db.site.update({ where: { id: ctx.params.siteId }, data: { lastExportAt: now } }),
        ]);
        await ctx.progress(1, formatWorkerLine('progressReady'));
      },
    },
  ],
  async onEnd(ctx, outcome) {
    const ok = outcome.status === 'succeeded';
    await recordJobEnd(ctx, outcome, 'export.create', {
      details: {
        exportId: ctx.params.exportId,
        format: ctx.params.format,
        secrets: ctx.params.secrets,
        ...(ok ? { secretFiles: (ctx.state.secrets as Done | undefined)?.secretFiles ?? [] } : {}),
      },
    });
    try {
      const to = await notifyExportRequester(ctx.params.exportId, ok);
      if (to) await ctx.log(formatWorkerLine('exportToldByMail', { email: to }));
    } catch (err) {
      await ctx.log(formatWorkerLine('exportTellFailed', { reason: err instanceof Error ? err.message : String(err) }), 'warn');
    }
  },
});
