/**
 * The front at 10,000 sites: nginx with Mutu's map and with a server block per site (one
 * site's change: write, nginx -t, reload; memory), PHP-FPM with 10,000 idle ondemand pools
 * (processes, memory, php-fpm -t, reload), and Mutu's own serveSite() on that farm. Real
 * nginx and PHP-FPM, started by the bench in its own folder on a loopback port. See
 * bench/README.md, "front".
 *
 *   node --import tsx bench/front.ts [--sites N] [--changes N] [--new-sites N] [--fpm-runs N]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { frontProcesses, frontUnavailable, type FrontProcesses } from '../tests/helpers/front-processes';
import { FRONT_USAGE, FrontUsageError, parseFrontArgs, type FrontBenchArgs } from './lib/front-args';
import { fillerUser, isRunAccountComment } from './lib/front-farm';
import { hardFileLimit } from './lib/front-procs';
import { renderGroupsReport, runGroupsBench } from './lib/front-groups';
import { renderFrontReport } from './lib/front-report';
import { runFrontBench } from './lib/front-run';
import { isolate } from './lib/isolate';
import { cleanupSteps, failed, interruptible, runBench, say, writeReport } from './lib/run';

/** Sockets PHP-FPM keeps besides one per pool (its log, the event loop, the idle pool...), with room to spare. */
const FPM_SPARE_FILES = 200;

async function main(): Promise<number> {
  let args: FrontBenchArgs;
  try {
    args = parseFrontArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof FrontUsageError)) throw err;
    if (err.message) say(err.message);
    say(FRONT_USAGE);
    return err.message ? 2 : 0;
  }
  const why = frontUnavailable();
  if (why) throw new Error(`cannot run: ${why}`);
  // One listening socket per pool in PHP-FPM's master: its open files limit must hold them all.
  const files = args.sites + args.newSites + args.fpmRuns + FPM_SPARE_FILES;
  const hard = hardFileLimit();
  if (files > hard) throw new Error(`PHP-FPM needs ${files} open files for ${args.sites} pools, above this shell's hard limit (${hard}): raise it (ulimit -Hn, or LimitNOFILE) or use fewer --sites`);
  const tag = freeTag();
  const projectDir = process.cwd();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-bench-front-'));
  fs.chmodSync(dataDir, 0o711); // nginx's workers and the sites' users pass through to the front and the farm
  const frontDir = path.join(dataDir, 'front');
  fs.mkdirSync(frontDir);
  const procs = frontProcesses(frontDir, { workerProcesses: 'auto', fpmGlobal: [`rlimit_files = ${files}`], startTimeoutMs: 600_000 });
  const leftovers = () => `leftovers, if any: nginx and PHP-FPM started from ${frontDir}, Unix users commented "Mutu site *.${tag}.bench.example.org", the folder ${dataDir}`;
  const abort = interruptible(leftovers);

  say(`Front benchmark: ${args.sites} sites (and ${args.small}), ${args.changes} changes per case, run tag ${tag}, folder ${dataDir}`);
  let exitCode = 0;
  try {
    // The map first (its figures; --lookup then switches the farm to the files lookup).
    isolate(dataDir, { ...procs.env, MUTU_FRONT_LOOKUP: 'map', MUTU_FRONT_NGINX_INCLUDE: '', MUTU_FRONT_PHP_GROUPS: String(args.fpmGroups), MUTU_FRONT_SYSTEMD_DIR: path.join(dataDir, 'systemd') });
    if (args.fpmGroups > 1) {
      const result = await runGroupsBench({ args, tag, procs, say, signal: abort.signal });
      writeReport('front-groups', renderGroupsReport(result, new Date()), projectDir);
    } else {
      const started = performance.now();
      const loadBefore = os.loadavg();
      const result = await runFrontBench({ args, tag, procs, say, signal: abort.signal, fpmFileLimit: files });
      writeReport('front', renderFrontReport(result, { date: new Date(), args, loadBefore, loadAfter: os.loadavg(), durationMs: performance.now() - started }), projectDir);
    }
  } catch (err) {
    exitCode = failed(abort, err);
  } finally {
    exitCode = Math.max(exitCode, await cleanUp(procs, tag, dataDir, projectDir, leftovers));
  }
  return exitCode;
}

/** A tag no Unix account of this machine carries in its name or its comment. */
function freeTag(): string {
  const passwd = fs.readFileSync('/etc/passwd', 'utf8');
  for (let attempt = 0; attempt < 20; attempt++) {
    const b = crypto.randomBytes(3);
    const alnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const tag = 'abcdefghijklmnopqrstuvwxyz'[b[0]! % 26]! + alnum[b[1]! % 36]! + alnum[b[2]! % 36]!;
    if (!passwd.includes(fillerUser(tag, 0).slice(0, 5)) && !passwd.includes(`.${tag}.bench.`)) return tag;
  }
  throw new Error('could not find an unused run tag: remove the leftover bench users first');
}

/** Stops the servers, removes the Unix users Mutu made for the run, then the folder. */
async function cleanUp(procs: FrontProcesses, tag: string, dataDir: string, projectDir: string, leftovers: () => string): Promise<number> {
  const steps = cleanupSteps();
  const attempt = steps.attempt;
  say('Cleaning up...');
  await attempt('stopping nginx and PHP-FPM', () => procs.stop());
  await attempt("removing the run's Unix users", async () => {
    const { removeSiteAccount } = await import('../lib/front/unix-users');
    const accounts = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .filter((f) => f.length > 4 && isRunAccountComment(tag, f[4]!));
    for (const f of accounts) await removeSiteAccount(f[0]!, f[4]!.slice('Mutu site '.length));
    if (accounts.length) say(`  removed ${accounts.length} Unix users: ${accounts.map((f) => f[0]).join(', ')}`);
  });
  await attempt('closing the registry', async () => (await import('../lib/db/client')).disconnectDb());
  process.chdir(projectDir);
  await attempt(`removing ${dataDir}`, async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  if (steps.failed) say(leftovers());
  return steps.failed ? 1 : 0;
}

runBench(main);
