import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';
import { ProcessGroup } from '../processes/group';
import { fileWriter } from '../processes/file-streams';

export interface ToolRun {
  /** what the tool reads on its standard input (a file's stream, or one transformed) */
  stdin?: Readable;
  /** file to stream the tool's standard output into (created with mode 0600), or a stream (ended with it) */
  stdoutFile?: string | Writable;
  /**
   * Another program reads the tool's standard output directly, as in `tool | zstd`: given the
   * output's pipe and the tool's pid as soon as it runs, the caller passes the pipe as that
   * program's standard input. No byte of it goes through Node.
   */
  stdoutTo?: (toolOutput: Readable, pid: number | undefined) => void;
  env?: Record<string, string>;
  cwd?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const STDERR_KEPT = 16 * 1024;

export class ToolError extends Error {
  constructor(message: string, readonly exitCode: number | null, readonly stderr: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/**
 * Runs a program with an argument array (never a shell) in its own process group,
 * streaming files in and out with constant memory. On abort or timeout the whole group
 * is killed, so no process is left behind. Rejects with the tail of stderr on failure.
 */
export async function runTool(command: string, args: string[], opts: ToolRun = {}): Promise<{ stderr: string }> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: process.env.HOME ?? '/', ...opts.env } as unknown as NodeJS.ProcessEnv;
  if (opts.stdoutFile && opts.stdoutTo) throw new Error('runTool: stdoutFile or stdoutTo, not both');
  const stdio: ('pipe' | 'ignore')[] = [opts.stdin ? 'pipe' : 'ignore', opts.stdoutFile || opts.stdoutTo ? 'pipe' : 'ignore', 'pipe'];
  const child: ChildProcess = spawn(command, args, { cwd: opts.cwd, env, stdio, detached: true });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_KEPT);
  });
  const group = new ProcessGroup(child.pid);
  const stop = (why: string) => {
    if (child.exitCode === null) group.stop(why);
  };
  const onAbort = () => stop(`stopped: ${opts.signal?.reason instanceof Error ? opts.signal.reason.message : 'aborted'}`);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  const timer = opts.timeoutMs ? setTimeout(() => stop(`no result within ${Math.round(opts.timeoutMs! / 1000)} s`), opts.timeoutMs) : undefined;

  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const streams: Promise<unknown>[] = [];
  if (opts.stdoutTo) opts.stdoutTo(child.stdout!, child.pid);
  if (opts.stdoutFile) {
    const out = typeof opts.stdoutFile === 'string' ? fileWriter(opts.stdoutFile, { mode: 0o600 }) : opts.stdoutFile;
    streams.push(pipeline(child.stdout!, out));
  }
  if (opts.stdin) {
    streams.push(
      pipeline(opts.stdin, child.stdin!).catch((err: NodeJS.ErrnoException) => {
        // The tool stopped reading (it failed, or refused what it read): its exit status tells why.
        if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
      }),
    );
  }
  try {
    const [code] = await Promise.all([exited.catch((err: NodeJS.ErrnoException) => {
      throw new ToolError(err.code === 'ENOENT' ? `${command} is not installed (see \`mutu doctor\`)` : `${command}: ${err.message}`, null, '');
    }), ...streams]);
    if (group.stopReason) throw new ToolError(`${command} ${group.stopReason}`, code, stderr);
    if (code !== 0) throw new ToolError(`${command} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' / ') || 'no message'}`, code, stderr);
    return { stderr };
  } catch (err) {
    stop('failed');
    throw err;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    // Nothing of the tool's group outlives the call, not even a zombie waiting for init.
    await group.reap();
  }
}

/** A tool's standard output as text, for tools that answer in a few lines. */
export async function toolText(command: string, args: string[], opts: Omit<ToolRun, 'stdoutFile' | 'stdoutTo'> = {}): Promise<string> {
  let out = '';
  const collect = new Writable({
    write(chunk: Buffer, _enc, done) {
      out = (out + chunk.toString('utf8')).slice(-STDERR_KEPT);
      done();
    },
  });
  await runTool(command, args, { ...opts, stdoutFile: collect });
  return out;
}

/**
 * A private folder for credential files, removed with everything in it once `fn` ends.
 * Credentials go to tools through 0600 files, never through their arguments.
 */
export async function withSecretDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-secret-'));
  fs.chmodSync(dir, 0o700);
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function writeSecretFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  return file;
}
