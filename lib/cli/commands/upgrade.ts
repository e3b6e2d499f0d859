import type { Command } from 'commander';
import { formatBytes } from '../../domain/format';
import { findSite } from '../../sites/lifecycle';
import { listSnapshots, requestUndo, requestUpgrade } from '../../upgrades/request';
import { CliError, cliActor, humanDate, positiveInteger, printJson, printTable, requireRegistry } from '../output';
import { runJobHere } from '../run-job';
import { runBulkUpgrade, type BulkOptions } from './upgrade-bulk';

async function follow(jobId: string, wait: boolean, what: string) {
  if (!wait) {
    console.log(`Queued job ${jobId}: follow it with \`mutu jobs show ${jobId} --follow\`.`);
    return null;
  }
  const job = await runJobHere(jobId);
  if (job.status !== 'succeeded') throw new CliError(`${what} ${job.status}: ${job.error ?? 'see the log above'}`);
  return job;
}

const percent = (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100) throw new CliError('--canary-share: expected a whole percentage from 1 to 100', 2);
  return n;
};
const count = (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value)) throw new CliError('--max-failures: expected a whole number (0: pause at the first failure)', 2);
  return n;
};

export function defineUpgrade(upgrade: Command): void {
  upgrade
    .option('--host <host>', 'one site')
    .option('--match <pattern>', 'every site whose host matches, such as *.example.org (* and ?)')
    .option('--hosts <list>', 'these sites, separated by commas')
    .option('--to <platform>', 'the platform to upgrade to')
    .option('--dry-run', 'list which sites would be upgraded and why the others would not; change nothing')
    .option('--concurrency <n>', 'bulk: sites upgraded at once', positiveInteger(64), 2)
    .option('--max-failures <n>', 'bulk: failures tolerated before the run pauses', count, 0)
    .option('--canary-share <percent>', 'bulk: after the canary site, this share of the sites goes next, then the rest', percent, 10)
    .option('--no-wait', 'queue the work and return at once (a running `mutu start` or `mutu worker` does it)')
    .hook('preAction', requireRegistry)
    .action(async (opts: BulkOptions & { host?: string; wait: boolean }) => {
      if (!opts.to) throw new CliError('say which platform to upgrade to with --to (mutu platforms list)', 2);
      const targets = [opts.host, opts.match, opts.hosts].filter(Boolean).length;
      if (targets !== 1) throw new CliError('give exactly one of --host, --match or --hosts', 2);
      if (opts.host && !opts.dryRun) {
        const r = await requestUpgrade(cliActor(), { host: opts.host, to: opts.to });
        console.log(`Upgrading ${r.site.host} from ${r.from.name} to ${r.target.name} (job ${r.job.id})`);
        const job = await follow(r.job.id, opts.wait, `upgrading ${r.site.host}`);
        if (job) console.log(`${r.site.host} now runs on ${r.target.name}. Undo with \`mutu upgrade undo --host ${r.site.host}\`.`);
        return;
      }
      process.exitCode = await runBulkUpgrade(cliActor(), { ...opts, match: opts.match ?? (opts.host ? opts.host : undefined) });
    });

  upgrade
    .command('undo')
    .description('put a site back as a snapshot has it: database, config and platform')
    .option('--host <host>', 'the site')
    .option('--snapshot <id>', 'the snapshot (default: the latest; see `mutu upgrade snapshots`)')
    .option('--no-wait', 'queue the job and return at once')
    .action(async (_opts, cmd: Command) => {
      // `upgrade` has a --host of its own, which commander fills first: read both levels.
      const opts = cmd.optsWithGlobals<{ host?: string; snapshot?: string; wait: boolean }>();
      if (!opts.host) throw new CliError('say which site with --host', 2);
      const r = await requestUndo(cliActor(), { host: opts.host, snapshotId: opts.snapshot });
      console.log(`Putting ${r.site.host} back on ${r.snapshot.platform.name} as of ${humanDate(r.snapshot.createdAt)} (job ${r.job.id})`);
      const job = await follow(r.job.id, opts.wait, `undoing the upgrade of ${r.site.host}`);
      if (job) console.log(`${r.site.host} is back on ${r.snapshot.platform.name}.`);
    });

  upgrade
    .command('snapshots')
    .description("list a site's snapshots")
    .option('--host <host>', 'the site')
    .option('--json', 'print the list as JSON')
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ host?: string; json?: boolean }>();
      if (!opts.host) throw new CliError('say which site with --host', 2);
      const site = await findSite(opts.host);
      const rows = await listSnapshots(site.id);
      if (opts.json) return printJson(rows);
      printTable(
        rows.map((s) => ({ id: s.id, taken: humanDate(s.createdAt), platform: s.platform.name, size: formatBytes(s.sizeBytes), expires: humanDate(s.expiresAt), path: s.path })),
        ['id', 'taken', 'platform', 'size', 'expires', 'path'],
        `${site.host} has no snapshots: one is taken before each upgrade.`,
      );
    });
}
