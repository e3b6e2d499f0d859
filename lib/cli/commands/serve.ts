import type { Command } from 'commander';
import { config } from '../../config';
import { bootstrap } from '../../bootstrap';
import { Worker } from '../../jobs/worker';
import { registerBuiltInHandlers } from '../../jobs/handlers';
import { builtInSchedules, startScheduler } from '../../jobs/schedule';
import { buildAppIfStale } from '../../server/build';
import { startWebServer } from '../../server/http';
import { disconnectDb } from '../../db/client';

const say = (line: string) => console.log(line);

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** Starts the job worker and the scheduler of recurring jobs in this process. */
export async function runWorker(): Promise<RunningWorker> {
  const cfg = config();
  registerBuiltInHandlers();
  const worker = new Worker({ concurrency: cfg.worker.concurrency, leaseSeconds: cfg.worker.leaseSeconds, say });
  await worker.start();
  const stopScheduler = startScheduler(builtInSchedules, (err) => say(`[scheduler] ${String(err)}`));
  return {
    worker,
    async stop() {
      stopScheduler();
      await worker.stop();
    },
  };
}

/** `mutu worker` and `mutu jobs worker`: the worker alone, until SIGINT or SIGTERM. */
export async function workerOnlyAction(): Promise<void> {
  await bootstrap(say);
  const running = await runWorker();
  stopOn(['SIGINT', 'SIGTERM'], async () => {
    await running.stop();
    await disconnectDb();
  });
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
    .action(async (opts: { dev?: boolean; worker: boolean }) => {
      const cfg = config();
      await bootstrap(say, cfg);
      if (!opts.dev) await buildAppIfStale(say);
      const server = await startWebServer(cfg, { dev: opts.dev });
      const running = opts.worker ? await runWorker() : undefined;
      say(`Mutu is running: open ${cfg.publicUrl}/login (listening on ${cfg.hostname}:${cfg.port})`);
      say(`Data folder: ${cfg.dataDir}  Farm root: ${cfg.farmRoot}`);
      stopOn(['SIGINT', 'SIGTERM'], async () => {
        await running?.stop();
        await new Promise((r) => server.close(r));
        await disconnectDb();
      });
    });
}

export function defineWorker(worker: Command): void {
  worker.action(workerOnlyAction);
}
