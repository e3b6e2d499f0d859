import { setTimeout as sleep } from 'node:timers/promises';
import { db } from '../db/client';
import { registerBuiltInHandlers } from '../jobs/handlers';
import { readLog } from '../jobs/queue';
import { FINISHED_STATUSES } from '../jobs/types';
import { Worker } from '../jobs/worker';
import { config } from '../config';
import { verifySecretKey } from '../db/key-check';

const isFinished = (status: string) => (FINISHED_STATUSES as string[]).includes(status);

/**
 * Runs a job the command just queued, in this process, printing its log as it goes, so
 * `mutu` works without a server. If a server's worker claims it first, this only follows
 * it. Returns the job as it ended.
 */
export async function runJobHere(jobId: string, opts: { quiet?: boolean; onProgress?: (progress: number, text: string | null) => void } = {}) {
  // A job run with another Mutu's key would fail on the first stored password it opens.
  await verifySecretKey(config());
  registerBuiltInHandlers();
  const worker = new Worker({ concurrency: 1, leaseSeconds: config().worker.leaseSeconds, pollMs: 200, onlyJobIds: [jobId] });
  await worker.start();
  let cursor = 0;
  let saidNode = false;
  try {
    for (;;) {
      const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
      if (job.status === 'queued' && job.node && job.node !== worker.node && !saidNode && !opts.quiet) {
        // Its site's files are on another machine: that node's worker runs it, this command follows.
        console.log(`waiting for a worker on node ${job.node} (this machine is node ${worker.node})`);
        saidNode = true;
      }
      const page = await readLog(jobId, cursor);
      cursor = page.cursor;
      if (!opts.quiet) {
        for (const l of page.lines) console.log(`${l.at.slice(11, 19)}  ${l.level === 'info' ? '' : `${l.level}: `}${l.message}`);
      }
      if (!isFinished(job.status)) opts.onProgress?.(job.progress, job.progressText);
      if (isFinished(job.status) && page.lines.length === 0) return job;
      await sleep(200);
    }
  } finally {
    await worker.stop();
  }
}
