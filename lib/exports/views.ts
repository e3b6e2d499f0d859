import type { ExportStatus } from '@prisma/client';
import { db } from '../db/client';
import { canSeeSite, type Requester } from './access';
import { downloadLink } from './signing';
import { formatWorkerLine } from '../domain/job-log-lines';
import type { Translation } from '../domain/errors';
import { phrase, say } from '../i18n/errors';
import { errorWordsIn } from '../jobs/job-error';

/** An export as pages and the polling route show it: plain JSON, links signed for the viewer. */
export interface ExportView {
  id: string;
  host: string;
  format: string;
  /** whether the site's secret files were asked for */
  secrets: boolean;
  status: ExportStatus;
  createdAt: string;
  readyAt: string | null;
  expiresAt: string;
  progress: number;
  progressText: string | null;
  error: string | null;
  /** the error's catalogue words, when it has them: said in the reader's language */
  errorWords: Translation | null;
  files: { id: string; kind: string; name: string; sizeBytes: number; sha256: string; url: string }[];
}

const include = {
  site: { select: { host: true } },
  job: { select: { status: true, progress: true, progressText: true, error: true, state: true } },
  files: true,
};

/** The dump, the uploads, then the secret keys. */
const FILE_ORDER: Record<string, number> = { sql: 0, files: 1, secrets: 2 };
const byKind = (a: { kind: string }, b: { kind: string }) => (FILE_ORDER[a.kind] ?? 9) - (FILE_ORDER[b.kind] ?? 9);

type Row = NonNullable<Awaited<ReturnType<typeof loadOne>>>;
const loadOne = (id: string) => db.export.findUnique({ where: { id }, include });

/** What a webmaster is told of a failure: the tools' messages name farm paths and servers, which are the admins' business. */
const FAILED_FOR_WEBMASTERS = phrase('serviceErrors.exportFailedForWebmasters');
const FAILED = phrase('serviceErrors.exportFailedUnknown');

/** Why an export failed, as its viewer may read it: the job's own error for an admin, else a word for the webmaster. */
function failure(row: Row, viewer: Requester): { error: string; errorWords: Translation | null } {
  if (viewer.role !== 'admin') return { error: say('en', FAILED_FOR_WEBMASTERS.key), errorWords: FAILED_FOR_WEBMASTERS };
  if (!row.job?.error) return { error: say('en', FAILED.key), errorWords: FAILED };
  return { error: row.job.error, errorWords: errorWordsIn(row.job.state)?.words ?? null };
}

function toView(row: Row, viewer: Requester, now = new Date()): ExportView {
  const expired = row.status === 'expired' || (row.status === 'ready' && row.expiresAt <= now);
  const jobFailed = row.job && ['failed', 'cancelled'].includes(row.job.status);
  const status: ExportView['status'] = expired ? 'expired' : row.status === 'preparing' && jobFailed ? 'failed' : row.status;
  return {
    id: row.id,
    host: row.site.host,
    format: row.format,
    secrets: row.secrets,
    status,
    createdAt: row.createdAt.toISOString(),
    readyAt: row.readyAt?.toISOString() ?? null,
    expiresAt: row.expiresAt.toISOString(),
    progress: status === 'ready' ? 1 : (row.job?.progress ?? 0),
    progressText: status === 'preparing' ? (row.job?.progressText ?? (row.job?.status === 'queued' ? formatWorkerLine('progressWaiting') : null)) : null,
    ...(status !== 'failed' ? { error: null, errorWords: null } : failure(row, viewer)),
    files:
      status === 'ready'
        ? [...row.files].sort(byKind).map((f) => ({ id: f.id, kind: f.kind, name: f.name, sizeBytes: Number(f.sizeBytes), sha256: f.sha256, url: downloadLink(f.id, viewer.id) }))
        : [],
  };
}

/** One export, if the viewer may see its site; else null (the caller answers 404). */
export async function exportView(viewer: Requester, exportId: string): Promise<ExportView | null> {
  if (!/^[a-z0-9]{8,40}$/.test(exportId)) return null;
  const row = await loadOne(exportId);
  if (!row || !(await canSeeSite(viewer, row.siteId))) return null;
  return toView(row, viewer);
}

/** A site's latest exports (expired ones older than a day are left out), newest first. */
export async function siteExportViews(viewer: Requester, siteId: string, limit = 5): Promise<ExportView[]> {
  if (!(await canSeeSite(viewer, siteId))) return [];
  const rows = await db.export.findMany({
    where: { siteId, OR: [{ status: { not: 'expired' } }, { expiresAt: { gt: new Date(Date.now() - 86_400_000) } }] },
    orderBy: { createdAt: 'desc' },
    take: limit,
    include,
  });
  return rows.map((r) => toView(r, viewer));
}
