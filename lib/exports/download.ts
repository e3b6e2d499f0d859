import path from 'node:path';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { canSeeSite, type Requester } from './access';
import { exportFolder } from './paths';
import { checkDownloadSignature } from './signing';
import { notFound, serveFile } from '../downloads/serve-file';

/** The ready, unexpired file a user may download, or null for every other case alike. */
async function downloadableFile(user: Requester, fileId: string) {
  if (!/^[a-z0-9]{8,40}$/.test(fileId)) return null;
  const file = await db.exportFile.findUnique({
    where: { id: fileId },
    include: { export: { select: { id: true, status: true, expiresAt: true, siteId: true, site: { select: { host: true } } } } },
  });
  if (!file || file.export.status !== 'ready' || file.export.expiresAt <= new Date()) return null;
  if (!(await canSeeSite(user, file.export.siteId))) return null;
  // The path is rebuilt from checked parts rather than trusted from the row.
  const onDisk = path.join(exportFolder(file.export.site.host, file.export.id), path.basename(file.name));
  return { file, onDisk };
}

/**
 * Serves one export file: the same 404 for an unknown id, a wrong or expired signature, a
 * user without access, or a file gone from disk; each download in the audit trail.
 */
export async function serveDownload(req: Request, user: Requester, actor: Actor, fileId: string): Promise<Response> {
  const url = new URL(req.url);
  if (!checkDownloadSignature(fileId, user.id, url.searchParams.get('exp'), url.searchParams.get('sig'))) return notFound();
  const found = await downloadableFile(user, fileId);
  if (!found) return notFound();
  const { file } = found;
  return serveFile(req, { path: found.onDisk, downloadName: file.name, contentType: 'application/octet-stream', etag: file.sha256 }, (range) =>
    recordAudit(actor, {
      action: 'export.download',
      siteId: file.export.siteId,
      siteHost: file.export.site.host,
      details: { exportId: file.export.id, fileId, name: file.name, ...(range ? { range: `${range.start}-${range.end}` } : {}) },
    }),
  );
}
