import fs from 'node:fs';
import path from 'node:path';
import type { TarEntryMeta } from './archive-tar';

/** What an archive is written with (the tar writer, `archive-tar.ts`). */
export interface ArchiveWriter {
  directory(name: string, meta: TarEntryMeta): Promise<void>;
  /** a regular file announced as `size` bytes; returns how many body bytes were real */
  file(name: string, size: number, meta: TarEntryMeta, body: AsyncIterable<Buffer>): Promise<number>;
}

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
const READ_CHUNK = 256 * 1024;

export type SkipReason = 'symlink' | 'hard link' | 'special file' | 'changed during the walk' | 'outside the folder' | 'unreadable';

export interface ArchiveStats {
  files: number;
  folders: number;
  /** body bytes read from files */
  bytes: number;
  /** files whose size changed while read: archived as read, padded or cut to the size seen */
  changed: string[];
  skipped: Partial<Record<SkipReason, number>>;
}

/**
 * Where an open descriptor really points. On Linux the kernel's own answer for the file
 * that was opened, so no rename or link swap between the checks and the read can change it.
 */
async function openedPath(fd: number, fallback: string): Promise<string> {
  try {
    return await fs.promises.readlink(`/proc/self/fd/${fd}`);
  } catch {
    return fs.promises.realpath(fallback);
  }
}


async function* readBody(fh: fs.promises.FileHandle, size: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let position = 0;
  while (position < size) {
    signal?.throwIfAborted();
    // A fresh buffer per read: the sink (a compressor) may still hold the previous one.
    const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - position));
    const { bytesRead } = await fh.read(buf, 0, buf.length, position);
    if (bytesRead === 0) return; // shrank while being read: the writer pads
    position += bytesRead;
    yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }
}

interface Walk {
  /** the real path of the folder archived */
  root: string;
  tar: ArchiveWriter;
  stats: ArchiveStats;
  skip(rel: string, reason: SkipReason): void;
  opts: { signal?: AbortSignal; onBytes?: (bytesSoFar: number) => void };
}

/**
 * Adds one file that lstat saw as a regular file: opened with O_NOFOLLOW (and O_NONBLOCK,
 * so a FIFO swapped in cannot block), then fstat must show the same file (device and inode)
 * with no other hard link, and `where` must accept the kernel's path of the open descriptor.
 */
async function addFile(w: Walk, full: string, rel: string, name: string, seen: fs.Stats, where: (opened: string) => boolean) {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    w.skip(rel, code === 'ELOOP' ? 'symlink' : code === 'ENOENT' ? 'changed during the walk' : 'unreadable');
    return;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.dev !== seen.dev || st.ino !== seen.ino) return w.skip(rel, 'changed during the walk');
    if (st.nlink > 1) return w.skip(rel, 'hard link');
    if (!where(await openedPath(fh.fd, full))) return w.skip(rel, 'outside the folder');
    const stats = w.stats;
    const before = stats.bytes;
    const body = readBody(fh, st.size, w.opts.signal);
    const counted = (async function* () {
      for await (const chunk of body) {
        stats.bytes += chunk.length;
        w.opts.onBytes?.(stats.bytes);
        yield chunk;
      }
    })();
    const got = await w.tar.file(name, st.size, { mode: st.mode, mtime: st.mtime }, counted);
    if (got !== st.size || stats.bytes - before !== st.size) stats.changed.push(rel);
    stats.files++;
  } finally {
    await fh.close();
  }
}

export interface ListedFilesStats extends ArchiveStats {
  /** the paths archived */
  held: string[];
  /** the paths that do not exist */
  missing: string[];
  /** the paths left out, and why */
  leftOut: { path: string; reason: SkipReason }[];
}

/**
 * Writes named files of a folder (a site's secret files: `config/cles.php`) into a tar,
 * under the same names, with the same checks as the folder walk: only regular files with no
 * other hard link, never through a link, and the open descriptor's real path must be exactly
 * the one named (a folder on the way swapped for a link leads elsewhere: left out). A path
 * that does not exist is reported as missing.
 */
export async function archiveListedFiles(folder: string, rels: string[], tar: ArchiveWriter, opts: { signal?: AbortSignal } = {}): Promise<ListedFilesStats> {
  const stats: ListedFilesStats = { files: 0, folders: 0, bytes: 0, changed: [], skipped: {}, held: [], missing: [], leftOut: [] };
  const skip = (rel: string, reason: SkipReason) => {
    stats.skipped[reason] = (stats.skipped[reason] ?? 0) + 1;
    stats.leftOut.push({ path: rel, reason });
  };
  const root = await fs.promises.realpath(folder);
  for (const rel of rels) {
    opts.signal?.throwIfAborted();
    const full = path.join(root, rel);
    const st = await fs.promises.lstat(full).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
      throw err;
    });
    if (!st) stats.missing.push(rel);
    else if (st.isSymbolicLink()) skip(rel, 'symlink');
    else if (!st.isFile()) skip(rel, 'special file');
    else if (st.nlink > 1) skip(rel, 'hard link');
    else {
      await addFile({ root, tar, stats, skip, opts }, full, rel, rel, st, (opened) => opened === full);
      if (!stats.leftOut.some((l) => l.path === rel)) stats.held.push(rel);
    }
  }
  return stats;
}
