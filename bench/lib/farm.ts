import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bootstrap } from '../../lib/bootstrap';
import { config } from '../../lib/config';
import { EMBEDDED_SERVER } from '../../lib/databases';
import { addServer } from '../../lib/databases/server-registry';
import { serverOptions } from '../../lib/databases/connections';
import { db, disconnectDb } from '../../lib/db/client';
import type { Actor } from '../../lib/domain/actor';
import { registerBuiltInHandlers } from '../../lib/jobs/handlers';
import { registerHandler } from '../../lib/jobs/registry';
import { Worker } from '../../lib/jobs/worker';
import { addPlatform } from '../../lib/platforms/service';
import { provisionHandler } from '../../lib/sites/provision-handler';
import { requestSite } from '../../lib/sites/request';
import type { Engine } from './args';
import { instrumentDrivers, instrumentRegistry, timedHandler } from './instrument';
import { PHASE, type Recorder, type SiteSample } from './recorder';
import type { ServerTarget } from './servers';

const actor: Actor = { source: 'cli', ip: 'cli', email: 'bench' };
const PLATFORM = 'spip-bench';
/** SPIP 4 has no PostgreSQL driver: a site on PostgreSQL gets a generic application instead. */
const POSTGRES_PLATFORM = 'generic-bench';
/** A job that has not ended by then is reported as stuck rather than waited for forever. */
const JOB_TIMEOUT_MS = 120_000;

/**
 * A Mutu farm in the bench's temporary data folder, with the real worker (one job at a
 * time, the default 1 s poll) and the real provisioning handler, wrapped in probes.
 */
export class BenchFarm {
  private constructor(
    readonly worker: Worker,
    private readonly recorder: Recorder,
    private readonly serverNames: Map<Engine, string>,
  ) {}

  static async start(recorder: Recorder, targets: ServerTarget[], say: (line: string) => void): Promise<BenchFarm> {
    instrumentRegistry(recorder, config().registryUrl);
    instrumentDrivers(recorder);
    await bootstrap(() => {});
    // A SPIP platform: SPIP's seven folders and its config/connect.php, the farm's common case.
    const codePath = path.join(config().farmRoot, 'platforms', PLATFORM);
    fs.mkdirSync(codePath, { recursive: true });
    await addPlatform(actor, { name: PLATFORM, profile: 'spip', path: codePath, version: '4.3' });
    if (targets.some((t) => t.engine === 'postgresql')) {
      const genericPath = path.join(config().farmRoot, 'platforms', POSTGRES_PLATFORM);
      fs.mkdirSync(genericPath, { recursive: true });
      await addPlatform(actor, { name: POSTGRES_PLATFORM, profile: 'generic', path: genericPath, version: '1.0' });
    }
    const serverNames = new Map<Engine, string>([['sqlite', EMBEDDED_SERVER]]);
    for (const t of targets) {
      const name = `bench-${t.engine}`;
      await addServer(actor, { name, engine: t.engine, url: t.url, password: '' });
      serverNames.set(t.engine, name);
    }
    registerBuiltInHandlers();
    registerHandler(timedHandler(provisionHandler, recorder));
    const worker = new Worker({ concurrency: 1, leaseSeconds: config().worker.leaseSeconds, say });
    await worker.start();
    return new BenchFarm(worker, recorder, serverNames);
  }

  /** The admin connection's host mask Mutu chose for a MySQL server (the raw run uses the same). */
  async hostMask(engine: Engine): Promise<string | undefined> {
    const server = await db.dbServer.findUniqueOrThrow({ where: { name: this.serverNames.get(engine)! } });
    const mask = serverOptions(server).hostMask;
    return typeof mask === 'string' ? mask : undefined;
  }

  /**
   * Requests one site and waits for its job to end, as an admin would with `mutu sites
   * create`. `startNow` nudges the worker after the request instead of leaving it to its
   * next poll. Throws unless the job succeeded.
   */
  async provision(host: string, engine: Engine, startNow: boolean, signal: AbortSignal): Promise<SiteSample> {
    const rec = this.recorder;
    rec.begin();
    try {
      const { job } = await requestSite(actor, { host, platform: engine === 'postgresql' ? POSTGRES_PLATFORM : PLATFORM, server: this.serverNames.get(engine) });
      rec.enter(PHASE.pickup);
      if (startNow) this.worker.nudge();
      const deadline = Date.now() + JOB_TIMEOUT_MS;
      // In memory, so waiting adds no registry query: the closing hook ran and the worker let go of the job.
      while (!(rec.phase === PHASE.closing && this.worker.activeJobs === 0)) {
        signal.throwIfAborted();
        if (Date.now() > deadline) throw new Error(`the job for ${host} did not end within ${JOB_TIMEOUT_MS / 1000} s (job ${job.id})`);
        await sleep(1);
      }
      const sample = rec.end();
      const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      if (row.status !== 'succeeded') throw new Error(`provisioning ${host} ended "${row.status}": ${row.error ?? 'no error recorded'} (job ${job.id})`);
      if (row.startedAt) sample.queueWaitMs = row.startedAt.getTime() - row.createdAt.getTime();
      return sample;
    } catch (err) {
      rec.discard();
      throw err;
    }
  }

  /** Stops the worker (a running job is undone) and closes the registry. */
  async stop(): Promise<void> {
    await this.worker.stop();
    await disconnectDb();
  }
}
