import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../../config';
import { verifySecretKey } from '../../db/key-check';
import { describeProblem } from '../../domain/site-csv';
import { registerBuiltInHandlers } from '../../jobs/handlers';
import { Worker } from '../../jobs/worker';
import { checkSiteCsv, creationProgress, requestSitesFromCsv, type CreationProgress } from '../../sites/bulk-create';
import { CliError, cliActor } from '../output';

/**
 * `mutu sites create --from-csv FILE`: the whole file checked first (every bad line named,
 * nothing made), then each site reserved and made, `concurrency` at once, with progress.
 * Returns the exit code: 0 when every site was made, 1 otherwise.
 */
export async function createSitesFromCsv(file: string, opts: { dryRun?: boolean; concurrency: number; wait: boolean; node?: string }): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, 2);
  }
  const { rows, problems } = await checkSiteCsv(text);
  if (problems.length) {
    for (const p of problems) console.error(`${file}: ${describeProblem(p)}`);
    throw new CliError(`${problems.length} problem(s) in ${file}: nothing was made; fix them and run it again`);
  }
  if (opts.dryRun) {
    console.log(`${file}: ${rows.length} site(s), all can be made (dry run: nothing was made).`);
    return 0;
  }
  const { queued, refused } = await requestSitesFromCsv(cliActor(), rows, { node: opts.node });
  for (const r of refused) console.error(`${file}: line ${r.line}: ${r.host} refused: ${r.reason}`);
  if (!opts.wait) {
    console.log(`Queued ${queued.length} site(s): a running worker makes them (mutu jobs list).`);
    return refused.length ? 1 : 0;
  }

  await verifySecretKey(config());
  registerBuiltInHandlers();
  const ids = queued.map((q) => q.jobId);
  const worker = new Worker({ concurrency: opts.concurrency, leaseSeconds: config().worker.leaseSeconds, pollMs: 100, onlyJobIds: ids });
  await worker.start();
  const tty = process.stdout.isTTY;
  let shownDecile = -1;
  let now: CreationProgress;
  try {
    for (;;) {
      now = await creationProgress(ids);
      const done = now.made + now.failed;
      const line = `${now.made} of ${queued.length} sites made${now.failed ? `, ${now.failed} failed (undone)` : ''}`;
      const decile = Math.floor((done / Math.max(1, queued.length)) * 10);
      if (tty) process.stdout.write(`\r\x1b[2K${line}`);
      else if (decile > shownDecile) console.log(line);
      shownDecile = Math.max(shownDecile, decile);
      if (done === queued.length) break;
      await sleep(250);
    }
  } finally {
    await worker.stop();
  }
  if (tty) process.stdout.write('\n');
  const byId = new Map(queued.map((q) => [q.jobId, q]));
  const failed = now.jobs.filter((j) => j.status !== 'succeeded');
  for (const j of failed) {
    const q = byId.get(j.id)!;
    console.error(`line ${q.line}: ${q.host} ${j.status}: ${j.error ?? 'see its log'} (mutu jobs show ${j.id})`);
  }
  console.log(`${queued.length - failed.length} site(s) made${failed.length + refused.length ? `, ${failed.length + refused.length} not` : ''}.`);
  return failed.length || refused.length ? 1 : 0;
}
