import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { Compression } from './format';

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
  /** Writes one chunk, waiting while the compressor or the disk is behind. */
  write(chunk: Buffer): Promise<void>;
  /** Ends the stream, waits for everything to be on disk, then renames to the final name. */
  finish(): Promise<WrittenFile>;
  /** Stops the compressor and removes the partial file; safe to call at any time. */
  abort(): Promise<void>;
}

const ZSTD_GRACE_MS = 2000;

/**
 * A compressed file written under a temporary name (`.<name>.part`) and renamed only once
 * complete and synced: no reader ever sees a partial file under the final name. gzip runs in
 * Node's zlib; zstd runs as `zstd` (argument array, own process group, killed on abort);
 * 'none' writes as is (a zip archive, compressed inside). 'tar.gz' is read as gzip.
 */
export function compressedSink(finalPath: string, how: Compression | 'tar.gz', opts: { mode: number; signal?: AbortSignal; onBytes?: (n: number) => void }): CompressedSink {
  const tmp = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.part`);
  const file = fs.createWriteStream(tmp, { mode: opts.mode, flags: 'wx' });
  const counter = new HashCounter(opts.onBytes);
  let input: Writable;
  let done: Promise<unknown>;
  let kill = () => {};
  if (how === 'zstd') {
    // -T0: all cores; level 3 is zstd's default and much faster than gzip at a better ratio
    const child = spawn('zstd', ['-q', '-3', '-T0', '-c'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {}
    };
    kill = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), ZSTD_GRACE_MS).unref();
    };
    const exited = new Promise<void>((resolve, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => reject(new Error(err.code === 'ENOENT' ? 'zstd is not installed: install it (apt-get install zstd) or choose tar.gz' : `zstd: ${err.message}`)));
      child.once('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`zstd failed (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no message'}`))));
    });
    input = child.stdin;
    // A write to a dead zstd's stdin fails with EPIPE: its exit status says why.
    child.stdin.on('error', () => {});
    done = Promise.all([exited, pipeline(child.stdout, counter, file)]);
  } else if (how === 'none') {
    input = counter;
    done = pipeline(counter, file);
  } else {
    const gzip = zlib.createGzip({ level: 6 }); // gzip's own default level
    input = gzip;
    done = pipeline(gzip, counter, file);
  }
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
    counter.destroy();
    file.destroy();
    await done.catch(() => {});
    fs.rmSync(tmp, { force: true });
  }

  return {
    async write(chunk) {
      if (aborted) throw opts.signal?.reason ?? new Error('aborted');
      if (!input.write(chunk)) await Promise.race([once(input, 'drain'), failed]);
    },
    async finish() {
      try {
        input.end();
        await done;
        opts.signal?.throwIfAborted();
        const fd = fs.openSync(tmp, 'r');
        try {
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
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
  };
}

/** Streams a whole file through a sink. */
export async function copyInto(sink: CompressedSink, source: string, signal?: AbortSignal): Promise<void> {
  for await (const chunk of fs.createReadStream(source, { highWaterMark: 256 * 1024 })) {
    signal?.throwIfAborted();
    await sink.write(chunk as Buffer);
  }
}
