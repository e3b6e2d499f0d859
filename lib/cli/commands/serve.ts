import path from 'node:path';
import type { Command } from 'commander';
import { config } from '../../config';
import { bootstrap } from '../../bootstrap';
import { Worker } from '../../jobs/worker';
import { registerBuiltInHandlers } from '../../jobs/handlers';
import { builtInSchedules, startScheduler } from '../../jobs/schedule';
import { buildAppIfStale } from '../../server/build';
import { startWebServer } from '../../server/http';
import { disconnectDb } from '../../db/client';
import { registryUnreachable } from '../../db/unreachable';
import { NodeNameError, normaliseNodeName } from '../../domain/node';
import { CliError } from '../error';

const say = (line: string) => console.log(line);

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** `--node`, checked: a name as in a host name; unsaid, the worker's default (MUTU_NODE, else the host name). */
function nodeOption(node: string | undefined): string | undefined {
  if (node === undefined) return undefined;
  try {
    return normaliseNodeName(node);
  } catch (err) {
    if (err instanceof NodeNameError) throw new CliError(`--node: ${err.message}`, 2);
    throw err;
  }
}

/** Starts the job worker and the scheduler of recurring jobs in this process. */
export async function runWorker(opts: { node?: string } = {}): Promise<RunningWorker> {
  const cfg = config();
  registerBuiltInHandlers();
  const worker = new Worker({ concurrency: cfg.worker.concurrency, leaseSeconds: cfg.worker.leaseSeconds, say, node: nodeOption(opts.node) });
  await worker.start();
  const stopScheduler = startScheduler(builtInSchedules, (err) => say(`[scheduler] ${String(err)}`));
  return {
    worker,
    async stop() {
      await Promise.all([stopScheduler(), worker.stop()]);
    },
  };
}

const REGISTRY_RETRY_MS = 2_000;

/**
 * Starts once the registry answers: a worker or a dashboard started before the registry's
 * server (a machine's boot, a restart of PostgreSQL) waits for it rather than exits, as a
 * running worker does when the registry goes away. A wrong password or address still fails
 * at once: waiting would not mend it.
 */
async function bootstrapWhenRegistryAnswers(): Promise<Awaited<ReturnType<typeof bootstrap>>> {
  for (let waiting = false; ; ) {
    try {
      const started = await bootstrap(say);
      if (waiting) say('the registry answers: starting');
      return started;
    } catch (err) {
      if (!registryUnreachable(err)) throw err;
      if (!waiting) say(`${err instanceof Error ? err.message : String(err)}: waiting for it (trying again every ${REGISTRY_RETRY_MS / 1000} s; Ctrl-C to give up)`);
      waiting = true;
      await new Promise((r) => setTimeout(r, REGISTRY_RETRY_MS));
    }
  }
}

/** `mutu worker` and `mutu jobs worker`: the worker alone, until SIGINT or SIGTERM. */
export async function workerOnlyAction(opts: { node?: string } = {}): Promise<void> {
  const node = nodeOption(opts.node);
  // Listened for before anything starts: a stop asked while the registry is awaited, or right
  // as the worker starts, ends the process cleanly instead of killing it mid-start.
  const started: { worker?: RunningWorker } = {};
  stopOn(['SIGINT', 'SIGTERM'], async () => {
    await started.worker?.stop();
    await closeRegistry();
  });
  await bootstrapWhenRegistryAnswers();
  started.worker = await runWorker({ node });
}

/**
 * The registry's client closed once the jobs are stopped, for at most a few seconds: what is
 * left then (a driver that never answers) no longer holds the process, the jobs being settled.
 */
async function closeRegistry(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      say("the registry's client did not close within 5 s: leaving it (the jobs are stopped)");
      resolve();
    }, 5000);
  });
  await Promise.race([disconnectDb(), late]);
  clearTimeout(timer);
}

/** Stops cleanly on SIGINT/SIGTERM: running jobs are paused or undone, never left "running". */
function stopOn(signals: NodeJS.Signals[], stop: () => Promise<void>) {
  let stopping = false;
  for (const s of signals) {
    process.on(s, () => {
      if (stopping) process.exit(130);
      stopping = true;
      say(`\n${s} received: stopping (again to force)...`);
      stop().then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}

export function defineStart(start: Command): void {
  start
    .option('--dev', 'serve with live reload (development)')
    .option('--no-worker', 'serve the dashboard only (run `mutu worker` elsewhere)')
    .option('--node <name>', "the node its worker runs jobs for: this machine's name in the farm (default: MUTU_NODE, else the host name)")
    .action(async (opts: { dev?: boolean; worker: boolean; node?: string }) => {
      const node = nodeOption(opts.node);
      const cfg = config();
      const { firstAdmin } = await bootstrapWhenRegistryAnswers();
      if (!opts.dev) await buildAppIfStale(say, path.join(cfg.dataDir, 'build.log'));
      const server = await startWebServer(cfg, { dev: opts.dev });
      const running = opts.worker ? await runWorker({ node }) : undefined;
      say(`Mutu is running: open ${cfg.publicUrl}/login (listening on ${cfg.hostname}:${cfg.port})`);
      say(`Data folder: ${cfg.dataDir}  Farm root: ${cfg.farmRoot}`);
      // Said again at the very end: the first lines scrolled away during the build.
      if (firstAdmin?.generatedPassword) {
        say('');
        say(`Sign in as ${firstAdmin.email} with the password ${firstAdmin.generatedPassword}`);
        say(`  at ${cfg.publicUrl}/login (shown only on this first start; change it from the menu once signed in)`);
      }
      stopOn(['SIGINT', 'SIGTERM'], async () => {
        await running?.stop();
        await server.close();
        await closeRegistry();
      });
    });
}

export const NODE_OPTION = ['--node <name>', "this machine's name in the farm: the worker runs jobs bound to it (its sites' file steps) and jobs bound to none (default: MUTU_NODE, else the host name)"] as const;

export function defineWorker(worker: Command): void {
  worker.option(...NODE_OPTION).action(workerOnlyAction);
}
