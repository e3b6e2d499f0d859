import type { ExportStatus } from '@prisma/client';
import { db } from '../db/client';
import { canSeeSite, type Requester } from './access';
import { downloadLink } from './signing';

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
  files: { id: string; kind: string; name: string; sizeBytes: number; sha256: string; url: string }[];
}

const include = {
  site: { select: { host: true } },
  job: { select: { status: true, progress: true, progressText: true, error: true } },
  files: true,
};

/** The dump, the uploads, then the secret keys. */
const FILE_ORDER: Record<string, number> = { sql: 0, files: 1, secrets: 2 };
const byKind = (a: { kind: string }, b: { kind: string }) => (FILE_ORDER[a.kind] ?? 9) - (FILE_ORDER[b.kind] ?? 9);

type Row = NonNullable<Awaited<ReturnType<typeof loadOne>>>;
const loadOne = (id: string) => db.export.findUnique({ where: { id }, include });

/** What a webmaster is told of a failure: the tools' messages name farm paths and servers, which are the admins' business. */
const FAILED_FOR_WEBMASTERS = 'something went wrong while preparing it; try again, and if it fails again ask an admin (the job log says why)';

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
    progressText: status === 'preparing' ? (row.job?.progressText ?? (row.job?.status === 'queued' ? 'waiting for a worker' : null)) : null,
    error: status !== 'failed' ? null : viewer.role === 'admin' ? (row.job?.error ?? 'the export failed') : FAILED_FOR_WEBMASTERS,
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
