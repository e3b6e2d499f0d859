import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { canSeeSite, type Requester } from '../exports/access';
import { notFound, serveFile } from '../downloads/serve-file';
import { checkDownloadSignature, signedQuery } from '../exports/signing';
import { backupPath } from './files';

const signedId = (host: string, name: string) => `backup:${host}/${name}`;

/** A download link to one of a site's backups, for one user, valid for an hour. */
export function backupLink(host: string, name: string, userId: string): string {
  return `/api/backups/${encodeURIComponent(host)}/${encodeURIComponent(name)}?${signedQuery(signedId(host, name), userId)}`;
}

/**
 * Serves a backup as export files are served: one 404 for every refusal (bad signature,
 * unknown site or name, no access, gone from disk), streamed from disk with Content-Length
 * and single-range support, never through a link, each download in the audit trail.
 */
export async function serveBackup(req: Request, user: Requester, actor: Actor, host: string, name: string): Promise<Response> {
  const url = new URL(req.url);
  if (!checkDownloadSignature(signedId(host, name), user.id, url.searchParams.get('exp'), url.searchParams.get('sig'))) return notFound();
  const site = await db.site.findUnique({ where: { host }, select: { id: true, host: true } });
  if (!site || !(await canSeeSite(user, site.id))) return notFound();
  const file = backupPath(site.host, name);
  if (!file) return notFound();
  return serveFile(req, { path: file, downloadName: `${site.host}-${name}`, contentType: 'application/gzip' }, (range) =>
    recordAudit(actor, { action: 'backup.download', siteId: site.id, siteHost: site.host, details: { name, ...(range ? { range: `${range.start}-${range.end}` } : {}) } }),
  );
}
