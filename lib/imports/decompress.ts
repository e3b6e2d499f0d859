import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { ExportFormat } from '../exports/format';
import { fileWriter } from '../processes/file-streams';
import { translatedError } from '../i18n/errors';

const READ_CHUNK = 256 * 1024;

/**
 * The decompressed content of a `.gz` (Node's zlib) or `.zst` file (`zstd -d`, argument
 * array, own process group), as chunks with backpressure: constant memory. Stopping the
 * iteration early stops the reading and kills zstd; a corrupt file or a failed zstd throws.
 */
export async function* decompressed(file: string, format: ExportFormat, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const source = fs.createReadStream(file, { highWaterMark: READ_CHUNK });
  if (format !== 'zstd') {
    const gunzip = zlib.createGunzip();
    const piped = pipeline(source, gunzip, { signal });
    piped.catch(() => {}); // surfaces through the iteration below
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
      await piped;
    } finally {
      source.destroy();
      gunzip.destroy();
    }
    return;
  }
  const child = spawn('zstd', ['-d', '-q', '-c'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? translatedError((m) => new Error(m), 'serviceErrors.importNoZstd') : new Error(`zstd: ${err.message}`)));
    child.once('close', (code, sig) => (code === 0 ? resolve() : reject(new Error(`zstd -d failed (${sig ?? `exit ${code}`}): ${stderr.trim() || 'no message'}`))));
  });
  exited.catch(() => {});
  child.stdin.on('error', () => {}); // EPIPE when we stop early: zstd's exit tells the rest
  const fed = pipeline(source, child.stdin).catch(() => {});
  const kill = () => {
    try {
      if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  signal?.addEventListener('abort', kill, { once: true });
  let complete = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    await exited;
    await fed;
    complete = true;
  } finally {
    signal?.removeEventListener('abort', kill);
    if (!complete) kill();
    source.destroy();
  }
}

/** Writes the decompressed content of `file` to `out` (mode 0600, created new). */
export async function decompressToFile(file: string, format: ExportFormat, out: string, signal?: AbortSignal): Promise<void> {
  await pipeline(decompressed(file, format, signal), fileWriter(out, { mode: 0o600, flags: 'wx' }));
}

/** sha256 of a file, streamed. */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_CHUNK })) {
    signal?.throwIfAborted();
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
