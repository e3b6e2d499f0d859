import type { Command } from 'commander';
import { formatDuration } from '../../domain/format';
import { runParams, runProgress } from '../../upgrades/run-progress';
import { cancelRun, listRuns, pauseRun, resumeRun, retryFailed } from '../../upgrades/runs';
import { CliError, cliActor, humanDate, printJson, printTable, requireRegistry } from '../output';
import { followRun } from './upgrade-bulk';

async function progressOf(id: string) {
  const p = await runProgress(id);
  if (!p) throw new CliError(`no run has the id ${id} (mutu runs list)`);
  return p;
}

export function defineRuns(runs: Command): void {
  runs.hook('preAction', requireRegistry);

  runs
    .command('list')
    .description('the latest runs')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await listRuns();
      if (opts.json) return printJson(rows);
      printTable(
        rows.map((r) => {
          const params = runParams(r);
          return { id: r.id, status: r.status, to: params.targetName, sites: params.targets.length, selection: params.selection, started: humanDate(r.startedAt), finished: humanDate(r.finishedAt) };
        }),
        ['id', 'status', 'to', 'sites', 'selection', 'started', 'finished'],
        'No runs yet: start one with `mutu upgrade --match PATTERN --to PLATFORM`.',
      );
    });

  runs
    .command('show')
    .description("a run's totals and each site's state")
    .requiredOption('--id <id>', 'the run')
    .option('--json', 'print it as JSON')
    .action(async (opts: { id: string; json?: boolean }) => {
      const p = await progressOf(opts.id);
      if (opts.json) return printJson({ run: { ...p.run, params: undefined, summary: undefined }, to: p.params.targetName, totals: p.totals, etaMs: p.etaMs, targets: p.targets, leftOut: p.params.leftOut });
      const t = p.totals;
      console.log(`Run ${p.run.id} (${p.params.selection} -> ${p.params.targetName}): ${p.run.status}${p.summary.pausedReason && p.run.status === 'paused' ? ` (${p.summary.pausedReason})` : ''}`);
      console.log(`${t.done}/${t.total} done: ${t.succeeded} upgraded, ${t.failed} failed, ${t.skipped} skipped, ${t.inFlight} under way, ${t.pending} waiting${p.etaMs ? `; about ${formatDuration(p.etaMs)} left` : ''}`);
      printTable(p.targets.map((s) => ({ host: s.host, wave: s.wave + 1, state: s.state, job: s.jobId, error: s.error })), ['host', 'wave', 'state', 'job', 'error']);
    });

  runs
    .command('pause')
    .description('queue no more sites; those under way finish')
    .requiredOption('--id <id>', 'the run')
    .action(async (opts: { id: string }) => {
      await pauseRun(cliActor(), opts.id);
      console.log(`Run ${opts.id} is paused. Go on with \`mutu runs resume --id ${opts.id}\`.`);
    });

  for (const [name, description] of [
    ['resume', 'go on with a paused run; the failures so far no longer count against its budget'],
    ['retry-failed', 'upgrade again the sites of the run that failed or were skipped'],
  ] as const) {
    runs
      .command(name)
      .description(description)
      .requiredOption('--id <id>', 'the run')
      .option('--no-wait', 'leave the run to a running worker and return at once')
      .action(async (opts: { id: string; wait: boolean }) => {
        const driver = name === 'resume' ? await resumeRun(cliActor(), opts.id) : (await retryFailed(cliActor(), opts.id)).driver;
        console.log(name === 'resume' ? `Run ${opts.id} resumed.` : `Retrying the failed sites of run ${opts.id}.`);
        if (!opts.wait) return;
        await progressOf(opts.id);
        process.exitCode = await followRun(opts.id, driver.id);
      });
  }

  runs
    .command('cancel')
    .description('start no more sites and cancel the queued ones; those running finish (or roll back)')
    .requiredOption('--id <id>', 'the run')
    .action(async (opts: { id: string }) => {
      const r = await cancelRun(cliActor(), opts.id);
      console.log(`Run ${opts.id} is cancelled: ${r.cancelledJobs} queued upgrade(s) cancelled${r.stillRunning ? `, ${r.stillRunning} still finishing` : ''}.`);
    });
}
