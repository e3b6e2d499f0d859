import fs from 'node:fs';
import { Readable } from 'node:stream';

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

/** The one answer to every refused download, whatever the reason. */
export const notFound = () => new Response('Not found.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * Streams a file from disk as an attachment (never buffered, never through a link), with
 * Content-Length and single-range support for resuming; reading stops when the client goes.
 * `beforeSending` runs once the answer is known to be a download (the audit record), with the
 * range served if any. A file that cannot be opened gets the same 404 as any refusal.
 */
export async function serveFile(
  req: Request,
  file: { path: string; downloadName: string; contentType: string; etag?: string },
  beforeSending: (range: ByteRange | null) => Promise<void>,
): Promise<Response> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file.path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return notFound();
  }
  let handedOver = false;
  try {
    const size = (await fh.stat()).size;
    const range = parseRange(req.headers.get('range'), size);
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.downloadName.replace(/["\\\r\n]/g, '_')}"`,
      'accept-ranges': 'bytes',
      ...(file.etag ? { etag: `"${file.etag}"` } : {}),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    };
    if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
    const { start, end } = range ?? { start: 0, end: size - 1 };
    await beforeSending(range);
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
