import fs from 'node:fs';
import { Readable } from 'node:stream';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { canSeeSite, type Requester } from '../exports/access';
import { parseRange } from '../exports/download';
import { checkDownloadSignature, signedQuery } from '../exports/signing';
import { backupPath } from './files';

const signedId = (host: string, name: string) => `backup:${host}/${name}`;

/** A download link to one of a site's backups, for one user, valid for an hour. */
export function backupLink(host: string, name: string, userId: string): string {
  return `/api/backups/${encodeURIComponent(host)}/${encodeURIComponent(name)}?${signedQuery(signedId(host, name), userId)}`;
}

const notFound = () => new Response('Not found.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

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
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return notFound();
  }
  let handedOver = false;
  try {
    const size = (await fh.stat()).size;
    const range = parseRange(req.headers.get('range'), size);
    const headers: Record<string, string> = {
      'content-type': 'application/gzip',
      'content-disposition': `attachment; filename="${site.host}-${name}"`,
      'accept-ranges': 'bytes',
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    };
    if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
    const { start, end } = range ?? { start: 0, end: size - 1 };
    await recordAudit(actor, { action: 'backup.download', siteId: site.id, siteHost: site.host, details: { name, ...(range ? { range: `${start}-${end}` } : {}) } });
    const length = size === 0 ? 0 : end - start + 1;
    if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    headers['content-length'] = String(length);
    if (length === 0) return new Response(null, { status: 200, headers });
    const stream = fh.createReadStream({ start, end, highWaterMark: 256 * 1024, autoClose: true });
    handedOver = true;
    const stop = () => stream.destroy();
    req.signal.addEventListener('abort', stop, { once: true });
    stream.once('close', () => req.signal.removeEventListener('abort', stop));
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status: range ? 206 : 200, headers });
  } finally {
    if (!handedOver) await fh.close();
  }
}
