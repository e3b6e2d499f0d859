import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { canSeeSite, type Requester } from './access';
import { exportFolder } from './paths';
import { checkDownloadSignature } from './signing';

export type ByteRange = { start: number; end: number };

/**
 * A `Range` header for one range of a file of `size` bytes: the range, 'unsatisfiable'
 * (416), or null to send the whole file (no header, or a form we do not serve, such as
 * several ranges: sending everything is always a valid answer).
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return null;
  if (!m[1]) {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

const notFound = () => new Response('Not found.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

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
 * user without access, or a file gone from disk. Streams from disk (never buffered), with
 * Content-Length and single-range support for resuming; reading stops when the client goes.
 */
export async function serveDownload(req: Request, user: Requester, actor: Actor, fileId: string): Promise<Response> {
  const url = new URL(req.url);
  if (!checkDownloadSignature(fileId, user.id, url.searchParams.get('exp'), url.searchParams.get('sig'))) return notFound();
  const found = await downloadableFile(user, fileId);
  if (!found) return notFound();
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(found.onDisk, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return notFound();
  }
  let handedOver = false;
  try {
    const size = (await fh.stat()).size;
    const range = parseRange(req.headers.get('range'), size);
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${found.file.name.replace(/["\\\r\n]/g, '_')}"`,
      'accept-ranges': 'bytes',
      etag: `"${found.file.sha256}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    };
    if (range === 'unsatisfiable') {
      return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    await recordAudit(actor, {
      action: 'export.download',
      siteId: found.file.export.siteId,
      siteHost: found.file.export.site.host,
      details: { exportId: found.file.export.id, fileId, name: found.file.name, ...(range ? { range: `${start}-${end}` } : {}) },
    });
    const length = size === 0 ? 0 : end - start + 1;
    if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    headers['content-length'] = String(length);
    if (length === 0) return new Response(null, { status: 200, headers });
    const stream = fh.createReadStream({ start, end, highWaterMark: 256 * 1024, autoClose: true });
    handedOver = true;
    // The client went away: stop reading the disk (the web stream's cancel also destroys it).
    const stop = () => stream.destroy();
    req.signal.addEventListener('abort', stop, { once: true });
    stream.once('close', () => req.signal.removeEventListener('abort', stop));
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status: range ? 206 : 200, headers });
  } finally {
    if (!handedOver) await fh.close();
  }
}
