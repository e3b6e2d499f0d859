import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { ZipFile } from 'yazl';
import { parseTarLine, type TarMemberType } from '../domain/tar-report';
import type { ArchiveStats, SkipReason } from '../farm/archive-img';
import { anonymousFile, followLines } from '../processes/followed-file';
import { ProcessGroup } from '../processes/group';
import type { CompressedSink, WrittenFile } from './sink';
import { translatedError } from '../i18n/errors';

/**
 * Where the uploads archive goes: a tar compressed by `gzip`/`zstd` reading `tar` directly,
 * or a zip (yazl over tar's members) written as is.
 */
export type UploadsTarget =
  | { format: 'tar'; open(tarOutput: Readable): CompressedSink }
  /** `forceZip64`: Zip64 records whatever the sizes (to check readers cope) */
  | { format: 'zip'; open(): CompressedSink; forceZip64?: boolean };

export interface UploadsArchiveOptions {
  /** the account `find` and `tar` run as (the site's own): the kernel refuses what the site could not read */
  as?: { uid: number; gid: number };
  signal?: AbortSignal;
  /** the file bytes archived so far, as tar reaches each file */
  onBytes?: (bytesSoFar: number) => void;
}

export class UploadsChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadsChangedError';
  }
}

const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv;

const REASON_OF_FIND_TYPE = (type: string): SkipReason => (type === 'l' ? 'symlink' : type === 'f' ? 'hard link' : 'special file');
const REASON_OF_MEMBER = (type: TarMemberType): SkipReason => (type === 'l' ? 'symlink' : type === 'h' ? 'hard link' : 'special file');

/**
 * GNU tar as the walk: it never follows a link (each folder opened with O_NOFOLLOW relative to
 * its parent's descriptor, each file with O_NOFOLLOW|O_NONBLOCK), stays on one file system,
 * and writes a pax archive of uid/gid 0 with names sorted (reproducible) and no setuid, setgid
 * or sticky bits. What `find` listed as links, FIFOs, devices and files with other hard links
 * is excluded by exact name (read from standard input).
 */
function tarArgs(uploads: string | null): string[] {
  return [
    '--create',
    '--file=-',
    '--format=posix',
    '--pax-option=delete=atime,delete=ctime,delete=mtime',
    '--sort=name',
    '--one-file-system',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mode=a-st',
    '--no-acls',
    '--no-xattrs',
    '--no-selinux',
    '--ignore-failed-read',
    '--no-wildcards',
    '--anchored',
    '--exclude-from=-',
    // a long listing of each member on standard error (the archive is on standard output)
    '-vv',
    ...(uploads ? ['--', uploads] : ['--files-from=/dev/null']),
  ];
}

/** `find` of what must stay out: links, FIFOs, sockets, devices, and regular files with more than one name. */
const findArgs = (uploads: string) => ['-P', uploads, '-xdev', '(', '(', '-type', 'f', '-links', '+1', ')', '-o', '(', '!', '-type', 'f', '!', '-type', 'd', ')', ')', '-printf', '%y %p\\0'];

function start(command: string, args: string[], cwd: string, opts: UploadsArchiveOptions, stdio: ('pipe' | 'ignore' | number)[]): { child: ChildProcess; group: ProcessGroup; exit: Promise<number | null> } {
  const child = spawn(command, args, { cwd, env: ENV, stdio, detached: true, ...(opts.as ? { uid: opts.as.uid, gid: opts.as.gid } : {}) });
  const exit = new Promise<number | null>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => reject(new Error(err.code === 'ENOENT' ? `${command} is not installed (see \`mutu doctor\`)` : `${command}: ${err.message}`)));
    child.once('close', (code) => resolve(code));
  });
  exit.catch(() => {});
  return { child, group: new ProcessGroup(child.pid), exit };
}

/**
 * Streams `find`'s NUL-separated list into tar's exclusion list, one name a line, counting
 * each left-out entry; memory stays flat however many there are. A name holding a line break
 * cannot be excluded by name: tar then archives it and the listing check catches it.
 */
async function feedExclusions(found: Readable, into: Writable, skip: (rel: string, reason: SkipReason) => void): Promise<void> {
  let rest: Buffer = Buffer.alloc(0);
  const write = async (line: string) => {
    if (!into.write(line)) await new Promise<void>((resolve) => into.once('drain', resolve));
  };
  try {
    for await (const chunk of found as AsyncIterable<Buffer>) {
      rest = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let at: number;
      while ((at = rest.indexOf(0)) >= 0) {
        const record = rest.subarray(0, at).toString('utf8');
        rest = rest.subarray(at + 1);
        const name = record.slice(2);
        skip(name, REASON_OF_FIND_TYPE(record[0]!));
        if (!name.includes('\n')) await write(`${name}\n`);
      }
    }
  } finally {
    into.end();
  }
}

/**
 * The site's uploads folder (`IMG/`) archived by the real tools, only with what really lives
 * inside it (see DESIGN.md, exports):
 *  - `find` (as the site's user) lists what must stay out: symbolic links (never followed nor
 *    kept: a link would point at the farm once unpacked, and import refuses links), FIFOs,
 *    sockets, devices, and files with other hard links (their content may be another site's);
 *  - `tar` (as the site's user) archives the rest, never following a link on the way, so a
 *    folder swapped for a link while it runs is not entered;
 *  - tar's listing of every member is checked: a link or special file that appeared after
 *    `find` (a swap) fails a tar export (its bytes already went to the compressor) and is
 *    left out of a zip. A file turned into a hard link meanwhile can only point at a file
 *    its maker may read and write (Linux's protected_hardlinks), and running as the site's
 *    user, tar reads nothing the site could not read already.
 * For a tar, `tar` writes straight into the compressor (`tar -c | zstd`): Node reads only the
 * compressed bytes (to hash them) and tar's listing. Folders stay sorted, files stream:
 * memory is flat whatever the size.
 */
export async function archiveUploads(siteFolder: string, uploads: string, target: UploadsTarget, opts: UploadsArchiveOptions = {}): Promise<{ stats: ArchiveStats; file: WrittenFile }> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(uploads)) throw new Error(`not an uploads folder name: ${uploads}`);
  const stats: ArchiveStats = { files: 0, folders: 0, bytes: 0, changed: [], skipped: {} };
  const skip = (_rel: string, reason: SkipReason) => (stats.skipped[reason] = (stats.skipped[reason] ?? 0) + 1);
  opts.signal?.throwIfAborted();
  const top = await fs.promises.lstat(`${siteFolder}/${uploads}`).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null; // no uploads yet: an empty archive
    throw err;
  });
  if (top && !top.isDirectory()) skip('.', top.isSymbolicLink() ? 'symlink' : 'special file');
  const present = top?.isDirectory() ? uploads : null;

  const groups: ProcessGroup[] = [];
  const stopAll = () => groups.forEach((g) => g.stop('stopped'));
  opts.signal?.addEventListener('abort', stopAll, { once: true });
  let sink: CompressedSink | undefined;
  // tar's listing (and its messages) go to a file Node reads behind it: tar never waits for Node.
  const listingFd = anonymousFile();
  let listing: Promise<void> | undefined;
  try {
    const tar = start('tar', tarArgs(present), siteFolder, opts, ['pipe', 'pipe', listingFd]);
    groups.push(tar.group);
    tar.child.stdin!.on('error', () => {}); // tar stopped reading: its exit status says why
    const feeding = present
      ? (() => {
          const find = start('find', findArgs(present), siteFolder, opts, ['ignore', 'pipe', 'pipe']);
          groups.push(find.group);
          let findErr = '';
          find.child.stderr!.setEncoding('utf8').on('data', (d: string) => (findErr = (findErr + d).slice(-4000)));
          return Promise.all([
            feedExclusions(find.child.stdout!, tar.child.stdin!, skip),
            find.exit.then((code) => {
              // 1: some folder could not be read (tar reports it too); anything else is a failure
              if (code !== 0 && code !== 1) throw new Error(`find failed (exit ${code}): ${findErr.trim() || 'no message'}`);
            }),
          ]);
        })()
      : Promise.resolve(tar.child.stdin!.end());

    const unexpected: string[] = [];
    const messages: string[] = [];
    listing = followLines(listingFd, tar.exit, (line) => {
      const r = parseTarLine(line.replace(/\r$/, ''));
      if (r.kind === 'member') {
        if (r.type === '-') {
          stats.files++;
          stats.bytes += r.size;
          opts.onBytes?.(stats.bytes);
        } else if (r.type === 'd') stats.folders++;
        else {
          skip(r.name, REASON_OF_MEMBER(r.type));
          unexpected.push(`${r.name} is ${r.type === 'l' ? 'a symbolic link' : r.type === 'h' ? 'a hard link' : 'a special file'}`);
        }
      } else if (r.kind === 'changed') stats.changed.push(r.name);
      else if (r.kind === 'removed') skip(r.name, 'changed during the walk');
      else if (r.kind === 'unreadable') skip(r.name, 'unreadable');
      else if (r.kind === 'special') skip(r.name, 'special file');
      else messages.push(r.message);
    });

    let writing: Promise<unknown>;
    if (target.format === 'tar') {
      sink = target.open(tar.child.stdout!);
      writing = Promise.resolve();
    } else {
      const zipSink = (sink = target.open());
      writing = zipMembers(tar.child.stdout!, uploads, zipSink, !!target.forceZip64);
    }
    const [code] = await Promise.all([tar.exit, feeding, listing, writing]);
    opts.signal?.throwIfAborted();
    // 1: some file changed while read (reported above); 2: a real failure
    if (code !== 0 && code !== 1) throw new Error(`tar failed (exit ${code}): ${messages.slice(-3).join(' / ') || 'no message'}`);
    if (target.format === 'tar' && unexpected.length) throw translatedError((m) => new UploadsChangedError(m), 'serviceErrors.uploadsChanged', { what: unexpected.slice(0, 3).join(', ') });
    const file = await sink.finish();
    return { stats, file };
  } catch (err) {
    stopAll();
    await sink?.abort();
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', stopAll);
    await Promise.all(groups.map((g) => g.reap()));
    await listing?.catch(() => {}); // tar is gone: the rest of its listing is read at once
    fs.closeSync(listingFd);
  }
}

/**
 * tar's members rewritten as a zip by yazl: only folders and regular files under the uploads
 * folder (tar's listing already counted anything else as left out), each file deflated as it
 * streams. tar-stream hands out the next member only once yazl has read this one, so one
 * member is in flight at a time; yazl keeps only the central directory (a few dozen bytes and
 * the name per entry) until the end. Names are UTF-8, with Zip64 records where sizes need them.
 */
async function zipMembers(tarOutput: Readable, uploads: string, sink: CompressedSink, forceZip64: boolean): Promise<void> {
  const zip = new ZipFile();
  const members = extract();
  zip.on('error', (err: Error) => members.destroy(err));
  const written = (async () => {
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) await sink.write(chunk);
  })();
  written.catch((err: Error) => members.destroy(err));
  const parsing = pipeline(tarOutput, members);
  parsing.catch(() => {}); // awaited below
  for await (const entry of members) {
    const h = entry.header;
    const name = h.name.replace(/\/+$/, '');
    const inside = (name === uploads || name.startsWith(`${uploads}/`)) && !name.split('/').some((part) => part === '..' || part === '.' || part === '');
    const perms = (h.mode ?? 0o644) & 0o777;
    const mtime = h.mtime ?? new Date(0);
    if (inside && h.type === 'directory') {
      zip.addEmptyDirectory(name, { mtime, mode: 0o040000 | perms });
      entry.resume();
    } else if (inside && h.type === 'file') {
      zip.addReadStream(entry, name, { mtime, mode: 0o100000 | perms, size: h.size ?? 0, forceZip64Format: forceZip64 });
      await finished(entry); // read by yazl: the next member may come
    } else {
      entry.resume();
    }
  }
  await parsing;
  zip.end({ forceZip64Format: forceZip64, comment: '' });
  await written;
}
