import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { ProcessGroup } from '../processes/group';
import { formatWorkerLine } from '../domain/job-log-lines';
import { translatedError } from '../i18n/errors';

export interface LoggedRun {
  cwd: string;
  /** the whole environment of the program (nothing is inherited but what is given here) */
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** each output line, in order; awaited, so the log keeps up with the program */
  onLine(line: string, stream: 'stdout' | 'stderr'): Promise<void>;
  /** Mutu's own words about the run (lines cut, processes left), apart from the program's: a line of the log-line table */
  onNote?(line: string, level: 'info' | 'warn'): Promise<void>;
  /** told the process (and group) id once the program started, before anything else */
  onStart?(pid: number): Promise<void>;
  /** run as this user and group (a site's own account) instead of Mutu's */
  as?: { uid: number; gid: number };
  /** written to the program's standard input, then closed (a secret goes there, never in argv) */
  stdin?: string;
  /** what the program is, in messages: "the upgrade command" */
  what?: string;
  /** which platform command it is, to say its failure in the reader's language (its words match `what`) */
  kind?: 'upgrade' | 'install' | 'purge' | 'postImport';
}

export class CommandError extends Error {
  constructor(message: string, readonly exitCode: number | null, readonly timedOut: boolean) {
    super(message);
    this.name = 'CommandError';
  }
}

const MAX_LINE = 2000;
const MAX_LINES = 5000;

/**
 * Runs a platform's command (upgrade, install...): an argument array, never a shell, in its own process group, its
 * output sent line by line to `onLine` (a job's log). At the timeout or on abort the whole
 * group gets SIGTERM, then SIGKILL: a script's children die with it. Resolves on exit 0;
 * rejects with a CommandError saying how it ended otherwise.
 */
export async function runLogged(command: string, args: string[], opts: LoggedRun): Promise<void> {
  const what = opts.what ?? 'the upgrade command';
  const note = (line: string, level: 'info' | 'warn') => (opts.onNote ? opts.onNote(line, level) : opts.onLine(line, level === 'warn' ? 'stderr' : 'stdout'));
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env as unknown as NodeJS.ProcessEnv,
    stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: true,
    ...(opts.as ? { uid: opts.as.uid, gid: opts.as.gid } : {}),
  });
  if (opts.stdin !== undefined) {
    child.stdin!.on('error', () => {}); // a program that does not read it: its exit status tells
    child.stdin!.end(opts.stdin);
  }
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const group = new ProcessGroup(child.pid);
  let timedOut = false;

  // Lines go to the log one after the other; past MAX_LINES they are counted, not kept.
  let chain = Promise.resolve();
  let lines = 0;
  const follow = (stream: 'stdout' | 'stderr') => {
    readline.createInterface({ input: child[stream]!, crlfDelay: Infinity }).on('line', (line) => {
      lines++;
      if (lines > MAX_LINES) return;
      const text = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… (${line.length} characters)` : line;
      chain = chain.then(() => opts.onLine(lines === MAX_LINES ? `${text}\n(further output not logged)` : text, stream)).catch(() => {});
    });
  };
  follow('stdout');
  follow('stderr');

  try {
    await spawned;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' ? translatedError((m) => new CommandError(m, null, false), 'serviceErrors.commandNotFound', { command }) : new CommandError(`${command}: ${(err as Error).message}`, null, false);
  }
  const onAbort = () => group.stop(`stopped: ${opts.signal?.reason instanceof Error ? opts.signal.reason.message : 'aborted'}`);
  const timer = setTimeout(() => {
    timedOut = true;
    group.stop(`still running after ${Math.round(opts.timeoutMs / 1000)} s: killed with its process group (MUTU_UPGRADE_TIMEOUT_SECONDS)`);
  }, opts.timeoutMs);
  try {
    await opts.onStart?.(child.pid!);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    const { code, signal } = await exited;
    // The program is gone; anything it left in its group (holding our pipes open) goes too.
    group.signal('SIGKILL');
    await closed;
    await chain;
    if (lines > MAX_LINES) await note(formatWorkerLine('moreLinesNotLogged', { count: String(lines - MAX_LINES) }), 'info');
    if (timedOut && opts.kind) throw translatedError((m) => new CommandError(m, code, true), 'serviceErrors.commandTimedOut', { command: opts.kind, seconds: String(Math.round(opts.timeoutMs / 1000)) });
    if (group.stopReason) throw new CommandError(`${what} ${group.stopReason}`, code, timedOut);
    if (code !== 0 && !signal && opts.kind) throw translatedError((m) => new CommandError(m, code, false), 'serviceErrors.commandExit', { command: opts.kind, code: String(code) });
    if (code !== 0 && signal && opts.kind) throw translatedError((m) => new CommandError(m, code, false), 'serviceErrors.commandKilled', { command: opts.kind, signal });
    if (code !== 0) throw new CommandError(`${what} failed (${signal ? `killed by ${signal}` : `exit ${code}`})`, code, false);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    // Whatever happened, nothing of the group outlives the step (a daemonised child, a zombie included).
    if (!(await group.reap())) await note(formatWorkerLine('commandUnreaped', { what }), 'warn').catch(() => {});
  }
}
