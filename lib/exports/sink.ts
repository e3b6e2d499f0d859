import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { Compression } from './format';
import { fileWriter } from '../processes/file-streams';
import { translatedError } from '../i18n/errors';

export interface WrittenFile {
  path: string;
  sizeBytes: number;
  sha256: string;
}

/** Hashes what Node writes itself (a zip) on its way, so the checksum costs no second read. */
class HashCounter extends Transform {
  readonly hash = crypto.createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

const HASH_READ_BYTES = 1 << 20;
const readAt = promisify(fs.read);
const fsyncFd = promisify(fs.fsync);
const fstatFd = promisify(fs.fstat);

/**
 * The sha256 and size of a file a compressor has just written, read back from the page cache
 * (a memory copy, the next piece read in libuv's pool while this one is hashed): cheaper than
 * the compressed bytes passed through a pipe into Node and written out again.
 */
async function sha256OfFile(fd: number): Promise<{ sha256: string; size: number }> {
  const hash = crypto.createHash('sha256');
  const buffers = [Buffer.allocUnsafe(HASH_READ_BYTES), Buffer.allocUnsafe(HASH_READ_BYTES)];
  let size = 0;
  let turn = 0;
  let next = readAt(fd, buffers[0]!, 0, HASH_READ_BYTES, 0);
  for (;;) {
    const { bytesRead } = await next;
    if (bytesRead === 0) return { sha256: hash.digest('hex'), size };
    size += bytesRead;
    next = readAt(fd, buffers[1 - turn]!, 0, HASH_READ_BYTES, size);
    hash.update(buffers[turn]!.subarray(0, bytesRead));
    turn = 1 - turn;
  }
}

export interface CompressedSink {
  /** Writes one chunk, waiting while the compressor or the disk is behind (not with a `source`). */
  write(chunk: Buffer): Promise<void>;
  /** Ends the stream, waits for everything to be on disk, then renames to the final name. */
  finish(): Promise<WrittenFile>;
  /** Stops the compressor and removes the partial file; safe to call at any time. */
  abort(): Promise<void>;
  /**
   * Once the compressor has exited: its own failure (not installed, a full disk...), or
   * undefined. For a source program that failed, this tells whether the compressor was why.
   */
  compressorFailure(): Promise<Error | undefined>;
}

const COMPRESSOR_GRACE_MS = 2000;
/** Written bytes between two flushes to disk while the file grows (see flushAsWritten). */
const FLUSH_EVERY_BYTES = 32 << 20;

/**
 * The file's data sent to disk while it is written, one `fdatasync` at a time in libuv's pool
 * each time another 32 MiB went out, instead of all of it by the final sync: the disk works
 * while the tools compress, and the sync before the rename finds little left to write (a
 * 330 MiB archive: about 0.8 s of final sync on this machine's disk otherwise). The file's
 * size is read from its descriptor, whoever writes it (the compressor, or Node).
 */
function flushAsWritten(fd: number): { settled(): Promise<void> } {
  let inFlight: Promise<void> | null = null;
  let flushedAt = 0;
  const flushIfGrown = async () => {
    const { size } = await fstatFd(fd);
    if (size - flushedAt < FLUSH_EVERY_BYTES) return;
    flushedAt = size;
    await new Promise<void>((resolve) => fs.fdatasync(fd, () => resolve()));
  };
  // Checked on a timer: cheaper than on each of thousands of writes, and never in their way.
  const timer = setInterval(() => {
    if (!inFlight) inFlight = flushIfGrown().catch(() => {}).finally(() => (inFlight = null));
  }, 50);
  return {
    async settled() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
// Compressors run as processes of their own, on another core than the producer, as `tar -z` does.
const GZIP: [string, string[]] = ['gzip', ['-6', '-c', '-n']]; // gzip's default level; -n: no name or time inside
// -T0: all cores; level 3 is zstd's default and much faster than gzip at a better ratio
const ZSTD: [string, string[]] = ['zstd', ['-q', '-3', '-T0', '-c']];
/**
 * Bytes accepted ahead of the compressor: the producer (a dump tool, the archive walk) goes on
 * reading while the compressor works on what came before, in its own process,
 * instead of the two taking turns chunk by chunk. Bounded, so memory stays flat.
 */
const AHEAD_BYTES = 4 << 20;

/**
 * A compressed file written under a temporary name (`.<name>.part`) and renamed only once
 * complete and synced: no reader ever sees a partial file under the final name. gzip and zstd
 * run as `gzip` / `zstd` processes (argument array, own process group, killed on abort) whose
 * standard output is the file itself, as in `tar -c | zstd > file`: no compressed byte goes
 * through Node, and the checksum is read back from the page cache once the compressor is done.
 * 'none' is written by Node as is (a zip archive, compressed inside), hashed on its way.
 * 'tar.gz' is read as gzip. With a `source` (another program's standard output, such as
 * `tar`'s), the compressor reads that program directly: no byte of it goes through Node either.
 */
export function compressedSink(finalPath: string, how: Compression | 'tar.gz', opts: { mode: number; signal?: AbortSignal; source?: Readable }): CompressedSink {
  if (opts.source && how === 'none') throw new Error('a source program needs a compressor');
  const tmp = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.part`);
  let fd: number | null = fs.openSync(tmp, 'wx+', opts.mode); // read back for its checksum
  const fileFd = fd;
  const flushing = flushAsWritten(fileFd);
  let counter: HashCounter | undefined;
  let compressor: Writable;
  let done: Promise<unknown>;
  let compressorExit: Promise<Error | undefined> = Promise.resolve(undefined);
  let kill = () => {};
  if (how !== 'none') {
    const [tool, args] = how === 'zstd' ? ZSTD : GZIP;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(tool, args, { stdio: [opts.source ?? 'pipe', fileFd, 'pipe'], detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv });
    } catch (err) {
      // Refused at once (no memory, too many processes): nothing started, nothing left behind.
      void flushing.settled();
      fs.closeSync(fileFd);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {}
    };
    kill = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), COMPRESSOR_GRACE_MS).unref();
    };
    const exited = new Promise<void>((resolve, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? translatedError((m) => new Error(m), 'serviceErrors.exportToolMissing', { tool }) : new Error(`${tool}: ${err.message}`)));
      child.once('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${tool} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no message'}`))));
    });
    compressorExit = exited.then(
      () => undefined,
      (err: Error) => err,
    );
    // The compressor holds its own end of the source's pipe: Node's copy is closed, so the
    // compressor sees the end when the source program exits.
    opts.source?.destroy();
    compressor = child.stdin ?? new PassThrough();
    // A write to a dead compressor's stdin fails with EPIPE: its exit status says why.
    compressor.on('error', () => {});
    done = exited;
  } else {
    counter = new HashCounter();
    compressor = counter;
    done = pipeline(counter, fileWriter(tmp, { fd: fileFd, autoClose: false }));
  }
  const input = new PassThrough({ highWaterMark: AHEAD_BYTES });
  if (opts.source) input.destroy();
  const fed = opts.source ? Promise.resolve() : pipeline(input, compressor).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err; // the compressor stopped reading: its exit status tells why
  });
  done = Promise.all([done, fed]);
  done.catch(() => {}); // observed in write() and finish(); never an unhandled rejection
  const failed = done.then(() => {
    throw new Error('the compressed stream ended early');
  });
  failed.catch(() => {});
  const onAbort = () => void abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const closeFile = () => {
    if (fd !== null) fs.closeSync(fd);
    fd = null;
  };

  let aborted = false;
  async function abort() {
    if (aborted) return;
    aborted = true;
    opts.signal?.removeEventListener('abort', onAbort);
    kill();
    input.destroy();
    compressor.destroy();
    await done.catch(() => {});
    await flushing.settled();
    closeFile();
    fs.rmSync(tmp, { force: true });
  }

  return {
    async write(chunk) {
      if (opts.source) throw new Error('this file is written by its source program');
      if (aborted) throw opts.signal?.reason ?? new Error('aborted');
      if (!input.write(chunk)) await Promise.race([once(input, 'drain'), failed]);
    },
    async finish() {
      try {
        if (!opts.source) input.end();
        await done;
        opts.signal?.throwIfAborted();
        await flushing.settled();
        // The data goes to disk while it is read back for its checksum.
        const [, sum] = await Promise.all([fsyncFd(fileFd), counter ? { sha256: counter.hash.digest('hex'), size: counter.bytes } : sha256OfFile(fileFd)]);
        closeFile();
        fs.chmodSync(tmp, opts.mode); // the umask may have narrowed it
        fs.renameSync(tmp, finalPath);
        return { path: finalPath, sizeBytes: sum.size, sha256: sum.sha256 };
      } catch (err) {
        await abort();
        throw err;
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
      }
    },
    abort,
    compressorFailure: () => compressorExit,
  };
}
