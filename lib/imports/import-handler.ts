import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { db } from '../db/client';
import { formatBytes } from '../domain/format';
import { PROFILES } from '../domain/profiles';
import { restoreDatabase } from '../databases/restore';
import { siteDbAccess } from '../databases/site-access';
import { siteDir } from '../farm/paths';
import { defineJob, type JobContext } from '../jobs/types';
import { formatWorkerLine } from '../domain/job-log-lines';
import { translatedError } from '../i18n/errors';
import {
  activateStep,
  checkLoginStep,
  closeSiteCreation,
  configStep,
  databaseStep,
  foldersStep,
  provisionParams,
  reserveStep,
  serveStep,
  setRunTablePrefix,
  webmasterStep,
} from '../sites/provision-handler';
import { siteUserStep } from '../sites/serve-step';
import { runPlatformCommand } from '../platforms/run-command';
import { decompressed, decompressToFile } from './decompress';
import { restoreSecretFiles } from './secret-files';
import { readExportSource, verifyChecksums } from './source';
import { extractTar } from './tar-reader';

export const IMPORT_KIND = 'site.import';

export const importParams = provisionParams.extend({
  /** the export's folder, absolute */
  source: z.string(),
});
export type ImportParams = z.infer<typeof importParams>;
type Ctx = JobContext<ImportParams>;

async function target(ctx: Ctx) {
  const site = await db.site.findUniqueOrThrow({ where: { id: ctx.params.siteId }, include: { platform: true } });
  const profile = PROFILES[site.platform.profile];
  return { site, profile, dir: siteDir(config().farmRoot, site.host) };
}

/**
 * site.import: provisioning's steps (reserve, folders, database and user, connection file,
 * webmaster, activate) with the export's checks and contents in between: the manifest and
 * checksums before anything is made, the manifest's table prefix before the connection file
 * is written, then the dump restored into the new database, the uploads and the secret files
 * unpacked by the safe tar reader, and the application told its new address. Any failure,
 * or a crash at any step, undoes it all: provisioning's undo drops the database and user and
 * removes the folder with what was unpacked into it.
 */
export const importHandler = defineJob({
  kind: IMPORT_KIND,
  params: importParams,
  onInterrupt: 'undo',
  steps: [
    reserveStep,
    {
      name: 'validate',
      async run(ctx) {
        const src = readExportSource(ctx.params.source);
        const { profile } = await target(ctx);
        const server = await db.dbServer.findUniqueOrThrow({ where: { id: ctx.params.serverId } });
        if (src.manifest.engine !== server.engine) throw translatedError((m) => new Error(m), 'serviceErrors.importEngineMismatch', { engine: src.manifest.engine, server: server.name, serverEngine: server.engine });
        if (src.manifest.profile !== profile.name) throw translatedError((m) => new Error(m), 'serviceErrors.importProfileMismatch', { profile: src.manifest.profile, platformProfile: profile.name });
        await ctx.progress(0.02, formatWorkerLine('progressChecksums'));
        await verifyChecksums(src, ctx.signal);
        await ctx.log(formatWorkerLine('importVerified', { host: src.manifest.host, created: src.manifest.created, engine: src.manifest.engine, format: src.manifest.format }));
      },
    },
    foldersStep,
    siteUserStep,
    databaseStep,
    {
      name: 'table prefix',
      async run(ctx) {
        // The dump's tables carry the exported site's prefix: the new site keeps it (its own
        // database, so no other site's tables can clash), and the connection file says so.
        const { manifest } = readExportSource(ctx.params.source);
        await setRunTablePrefix(ctx, manifest.tablePrefix);
        const prefix = manifest.tablePrefix;
        await ctx.log(prefix ? formatWorkerLine(manifest.shared ? 'importPrefixShared' : 'importPrefix', { prefix }) : formatWorkerLine('importNoPrefix'));
      },
    },
    configStep,
    checkLoginStep,
    {
      name: 'restore database',
      async run(ctx) {
        const src = readExportSource(ctx.params.source);
        const { dir } = await target(ctx);
        const sql = path.join(dir, 'tmp', `.import-${crypto.randomBytes(6).toString('hex')}.sql`);
        try {
          await ctx.progress(0.5, formatWorkerLine('progressRestoringDb'));
          await decompressToFile(src.sqlFile, src.manifest.format, sql, ctx.signal);
          await ctx.log(formatWorkerLine('importDumpSize', { size: formatBytes(fs.statSync(sql).size) }));
          await restoreDatabase(await siteDbAccess(ctx.params.siteId), sql, { signal: ctx.signal });
          await ctx.log(formatWorkerLine('importDbRestored'));
        } finally {
          fs.rmSync(sql, { force: true });
        }
      },
    },
    {
      name: 'uploads',
      async run(ctx) {
        const src = readExportSource(ctx.params.source);
        const { dir, profile } = await target(ctx);
        const dest = path.join(dir, profile.usage.uploads);
        // Retried after a crash: start from an empty folder again.
        await fs.promises.rm(dest, { recursive: true, force: true });
        fs.mkdirSync(dest, { mode: config().modes.folder });
        const caps = config().importCaps;
        let last = 0;
        const stats = await extractTar(decompressed(src.uploadsFile, src.manifest.format, ctx.signal), {
          dest,
          top: src.manifest.uploads,
          maxBytes: caps.maxBytes,
          maxEntries: caps.maxEntries,
          folderMode: config().modes.folder,
          signal: ctx.signal,
          onBytes: (n) => {
            if (Date.now() - last < 500) return;
            last = Date.now();
            void ctx.progress(0.7, formatWorkerLine('progressUnpacking', { folder: profile.usage.uploads, bytes: formatBytes(n) })).catch(() => {});
          },
        });
        await ctx.log(formatWorkerLine('importUploads', { folder: profile.usage.uploads, count: String(stats.files), nFolders: String(stats.folders), bytes: formatBytes(stats.bytes) }));
        await ctx.progress(0.9);
      },
    },
    {
      name: 'secret files',
      async run(ctx) {
        const src = readExportSource(ctx.params.source);
        const { dir, profile } = await target(ctx);
        if (!profile.secretFiles.length) return;
        if (!src.secretsFile) {
          await ctx.log(formatWorkerLine('importNoSecrets', { list: profile.secretFiles.join(', '), app: profile.label }), 'warn');
          return;
        }
        const restored = await restoreSecretFiles({ ...src, secretsFile: src.secretsFile }, dir, profile, ctx.signal);
        await ctx.log(formatWorkerLine('importSecrets', { list: restored.join(', ') }));
      },
    },
    {
      name: 'post-import',
      async run(ctx) {
        const { manifest } = readExportSource(ctx.params.source);
        const { site } = await target(ctx);
        if (manifest.host === site.host) {
          await ctx.log(formatWorkerLine('importSameHost', { host: site.host }));
          return;
        }
        // The application keeps its old address (SPIP's adresse_site): its platform's command gives it the new one.
        const { ran } = await runPlatformCommand({ kind: 'post-import', jobId: ctx.job.id, siteId: site.id, platform: site.platform, log: (m, level) => ctx.log(m, level), signal: ctx.signal });
        if (!ran) await ctx.log(formatWorkerLine('importNoPostImport', { platform: site.platform.name, host: manifest.host }), 'warn');
      },
    },
    webmasterStep,
    activateStep,
    serveStep,
  ],
  onEnd: (ctx, outcome) => closeSiteCreation(ctx, outcome, 'site.import', { from: ctx.params.source }),
});
