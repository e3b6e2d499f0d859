import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Compression } from './format';
import { fileWriter } from '../processes/file-streams';
import { translatedError } from '../i18n/errors';

export interface WrittenFile {
  path: string;
  sizeBytes: number;
  sha256: string;
}

/** Counts and hashes what goes through, so the checksum costs no second read. */
class HashCounter extends Transform {
  readonly hash = crypto.createHash('sha256');
  bytes = 0;
  constructor(private readonly onBytes?: (n: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    done(null, chunk);
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
 * 330 MiB archive: about 0.8 s of final sync on this machine's disk otherwise).
 */
function flushAsWritten(file: fs.WriteStream): { settled(): Promise<void> } {
  let inFlight: Promise<void> | null = null;
  let flushedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  file.once('open', (fd: number) => {
    // Checked on a timer: cheaper than on each of thousands of writes, and never in their way.
    timer = setInterval(() => {
      if (inFlight || file.bytesWritten - flushedAt < FLUSH_EVERY_BYTES) return;
      flushedAt = file.bytesWritten;
      inFlight = new Promise<void>((resolve) => fs.fdatasync(fd, () => resolve())).finally(() => (inFlight = null));
    }, 50);
  });
  file.once('close', () => clearInterval(timer));
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
 * run as `gzip` / `zstd` processes (argument array, own process group, killed on abort);
 * 'none' writes as is (a zip archive, compressed inside). 'tar.gz' is read as gzip.
 * With a `source` (another program's standard output, such as `tar`'s), the compressor reads
 * that program directly, as in `tar -c | gzip`: no byte of it goes through Node.
 */
export function compressedSink(
  finalPath: string,
  how: Compression | 'tar.gz',
  opts: { mode: number; signal?: AbortSignal; onBytes?: (n: number) => void; source?: Readable },
): CompressedSink {
  if (opts.source && how === 'none') throw new Error('a source program needs a compressor');
  const tmp = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.part`);
  const file = fileWriter(tmp, { mode: opts.mode, flags: 'wx' });
  const counter = new HashCounter(opts.onBytes);
  const flushing = flushAsWritten(file);
  let compressor: Writable;
  let done: Promise<unknown>;
  let compressorExit: Promise<Error | undefined> = Promise.resolve(undefined);
  let kill = () => {};
  if (how !== 'none') {
    const [tool, args] = how === 'zstd' ? ZSTD : GZIP;
    const child = spawn(tool, args, { stdio: [opts.source ?? 'pipe', 'pipe', 'pipe'], detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv });
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
    done = Promise.all([exited, pipeline(child.stdout!, counter, file)]);
  } else {
    compressor = counter;
    done = pipeline(counter, file);
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

  let aborted = false;
  async function abort() {
    if (aborted) return;
    aborted = true;
    opts.signal?.removeEventListener('abort', onAbort);
    kill();
    input.destroy();
    compressor.destroy();
    counter.destroy();
    file.destroy();
    await done.catch(() => {});
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
        const fd = await fs.promises.open(tmp, 'r');
        try {
          await fd.sync();
        } finally {
          await fd.close();
        }
        fs.chmodSync(tmp, opts.mode); // the umask may have narrowed it
        fs.renameSync(tmp, finalPath);
        return { path: finalPath, sizeBytes: counter.bytes, sha256: counter.hash.digest('hex') };
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
