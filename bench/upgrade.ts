/**
 * Upgrade runs at scale: N SQLite sites upgraded by a bulk run (snapshot, switch, command,
 * health, bookkeeping), beside the same command run over the same databases by a plain shell
 * loop, at concurrency 1 and 4. See bench/README.md.
 *
 *   node --import tsx bench/upgrade.ts [--sites N] [--sleep S | --spip] [--cpu-prof DIR] [--concurrency 1,4]
 *
 * --sleep S: the command waits S seconds instead (a command bound by I/O, as real upgraders are),
 * to see what concurrency buys.
 * --spip: real SPIP sites (4.1.15, on SQLite) upgraded to 4.2.9 by SPIP's own upgrader, N sites per
 * concurrency (a site upgraded once is upgraded); no shell loop (its upgrade would leave the run
 * nothing to do).
 * --cpu-prof DIR: the process's CPU profile over each Mutu run (not the set-up), one
 * `.cpuprofile` per concurrency in DIR.
 * --concurrency: the concurrencies measured, in turn (1 then 4 unless said).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { cpuProfile } from './lib/cpu-profile';
import { isolate } from './lib/isolate';
import { spipUnavailable, unpackSpipRelease } from '../tests/helpers/spip-release';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const say = (line: string) => void process.stderr.write(`${line}\n`);
const DEFAULT_CONCURRENCIES = [1, 4];
/** The upgrade command: one statement on the site's database, with the path from Mutu's environment. */
const SQL_COMMAND = `sh -c 'exec sqlite3 "$DB_FILE" "PRAGMA user_version = $MUTU_PLATFORM_VERSION"'`;

function parseArgs(argv: string[]) {
  let sites = 1000;
  let sleepSeconds: number | undefined;
  let spip = false;
  let cpuProfDir: string | undefined;
  let concurrencies = DEFAULT_CONCURRENCIES;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sites' && /^\d+$/.test(argv[i + 1] ?? '')) sites = Number(argv[++i]);
    else if (argv[i] === '--sleep' && /^\d+(\.\d+)?$/.test(argv[i + 1] ?? '')) sleepSeconds = Number(argv[++i]);
    else if (argv[i] === '--spip') spip = true;
    else if (argv[i] === '--cpu-prof' && argv[i + 1]) cpuProfDir = path.resolve(argv[++i]!);
    else if (argv[i] === '--concurrency' && /^\d+(,\d+)*$/.test(argv[i + 1] ?? '')) concurrencies = argv[++i]!.split(',').map(Number);
    else throw new Error(`usage: node --import tsx bench/upgrade.ts [--sites N] [--sleep S | --spip] [--cpu-prof DIR] [--concurrency 1,4] (got ${argv[i]})`);
  }
  if (spip && sleepSeconds !== undefined) throw new Error('--spip runs SPIP\'s own upgrader: no --sleep with it');
  return { sites, sleepSeconds, spip, cpuProfDir, concurrencies };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The same command over the same files in plain `sh` loops, `concurrency` of them side by side. */
async function shellLoop(files: string[], version: number, concurrency: number, sleepSeconds?: number): Promise<number> {
  const lists: string[][] = Array.from({ length: concurrency }, () => []);
  files.forEach((f, i) => lists[i % concurrency]!.push(f));
  const started = performance.now();
  await Promise.all(
    lists.map(
      (list) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn('sh', ['-c', `for f in "$@"; do ${sleepSeconds !== undefined ? `sleep ${sleepSeconds}` : `sqlite3 "$f" "PRAGMA user_version = ${version}"`} || exit 1; done`, 'loop', ...list], { stdio: 'inherit' });
          child.on('error', reject);
          child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`shell loop exit ${code}`))));
        }),
    ),
  );
  return performance.now() - started;
}

/** The moments of one site's job, from its row and its log: consecutive ones bound its phases. */
const MARKS: { label: string; line?: RegExp }[] = [
  { label: 'queued' },
  { label: 'waiting to be claimed', line: /^started on / },
  { label: 'preflight (site, platform, database size, free disk)', line: /^preflight: / },
  { label: 'snapshot (dump, config copy, manifest, row)', line: /^snapshot taken: / },
  { label: 'marked upgrading, switched platform', line: /^switched to / },
  { label: "cache purge (the platform's command, SPIP's)", line: /^(\| purged SPIP's caches|.* has no cache purge command)/ },
  { label: 'command prepared (database access, 0600 file)', line: /^running the upgrade command/ },
  { label: 'upgrade command (spawn to exit, output logged)', line: /^the upgrade command succeeded/ },
  { label: 'health check', line: /^health check: / },
  { label: 'activated, audit row, job closed' },
];

type JobTimes = { createdAt: Date; finishedAt: Date | null; logs: { at: Date; message: string }[] };

/** Mean time of each phase over the jobs (ms), in order. */
function phases(jobs: JobTimes[]): { label: string; meanMs: number }[] {
  const sums = new Array<number>(MARKS.length - 1).fill(0);
  for (const j of jobs) {
    const times = MARKS.map((m, i) =>
      i === 0 ? j.createdAt.getTime() : i === MARKS.length - 1 ? j.finishedAt!.getTime() : (j.logs.find((l) => m.line!.test(l.message))?.at.getTime() ?? NaN),
    );
    // A mark the job's log lacks: its phase is counted in the next one.
    for (let i = times.length - 2; i > 0; i--) if (Number.isNaN(times[i])) times[i] = times[i + 1]!;
    for (let i = 1; i < times.length; i++) sums[i - 1]! += times[i]! - times[i - 1]!;
  }
  return sums.map((sum, i) => ({ label: MARKS[i + 1]!.label, meanMs: sum / jobs.length }));
}

/**
 * What Mutu adds to a site beyond the snapshot's dump and the upgrade command itself (and the
 * platform's cache purge, when it has one: another of its commands).
 */
const ownWork = (ps: { label: string; meanMs: number }[], purgeIsCommand: boolean) =>
  ps.filter((p) => !/^snapshot|^upgrade command/.test(p.label) && !(purgeIsCommand && /^cache purge/.test(p.label))).reduce((a, p) => a + p.meanMs, 0);

const SPIP_FROM = '4.1.15' as const;
const SPIP_TO = '4.2.9' as const;

async function main() {
  const { sites, sleepSeconds, spip, cpuProfDir, concurrencies: CONCURRENCIES } = parseArgs(process.argv.slice(2));
  if (cpuProfDir) fs.mkdirSync(cpuProfDir, { recursive: true });
  if (spip && spipUnavailable()) throw new Error(spipUnavailable()!);
  const COMMAND = spip ? "SPIP's upgrader (`{php} {mutu_scripts}/spip-cli.php upgrade`: `maj_base()`)" : sleepSeconds !== undefined ? `sleep ${sleepSeconds}` : SQL_COMMAND;
  const loadAtStart = os.loadavg()[0]!;
  const projectDir = process.cwd();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-bench-upgrade-'));
  const spipDirs = spip ? [unpackSpipRelease(SPIP_FROM), unpackSpipRelease(SPIP_TO)] : [];
  isolate(dataDir);
  try {
    // Every registry statement counted and timed, through the bench's instrumented client: the run's own (the
    // bench reads nothing while a run goes).
    const { instrumentRegistry } = await import('./lib/instrument');
    const { Recorder } = await import('./lib/recorder');
    const { config } = await import('../lib/config');
    const recorder = new Recorder();
    instrumentRegistry(recorder, config().registryUrl);
    const { bootstrap } = await import('../lib/bootstrap');
    const { db, disconnectDb } = await import('../lib/db/client');
    const { registerBuiltInHandlers } = await import('../lib/jobs/handlers');
    const { Worker } = await import('../lib/jobs/worker');
    const { JOB_ENDED, jobEvents } = await import('../lib/jobs/events');
    const { addPlatform } = await import('../lib/platforms/service');
    const { requestSite } = await import('../lib/sites/request');
    const { siteDbAccess } = await import('../lib/databases/site-access');
    const { createUpgradeRun } = await import('../lib/upgrades/runs');
    const { runProgress } = await import('../lib/upgrades/run-progress');
    const actor = { source: 'cli' as const, ip: 'cli', email: 'bench' };

    await bootstrap(() => {});
    registerBuiltInHandlers();
    const platforms = [];
    if (spip) {
      // SPIP's preset commands (install, upgrade, purge); no HTTP health check: the bench serves nothing.
      for (const [i, v] of [SPIP_FROM, SPIP_TO].entries()) {
        // SPIP finds a site's folders under its own root: the link the front makes when it serves a SPIP
        // site (ensurePlatformLink in lib/front/apply.ts), made here as the bench sets up no front.
        fs.mkdirSync(path.join(config().farmRoot, 'sites'), { recursive: true });
        fs.symlinkSync(path.join(config().farmRoot, 'sites'), path.join(spipDirs[i]!, 'sites'));
        platforms.push(await addPlatform(actor, { name: `spip-${v}`, profile: 'spip', path: spipDirs[i]!, version: v, healthCheck: 'none' }));
      }
    } else {
      for (const v of [1, 2, 3]) {
        const dir = path.join(dataDir, 'farm', 'platforms', `app-${v}`);
        fs.mkdirSync(dir, { recursive: true });
        platforms.push(await addPlatform(actor, { name: `app-${v}`, profile: 'generic', path: dir, version: String(v), upgradeCommand: v > 1 ? COMMAND : undefined }));
      }
    }
    // SPIP: the sites of each concurrency apart (each upgraded once from 4.1); else the same sites for both.
    const groups = spip ? CONCURRENCIES.map((c) => `c${c}.bench.test`) : ['bench.test'];
    const hosts = groups.flatMap((g) => Array.from({ length: sites }, (_, i) => `s${String(i).padStart(5, '0')}.${g}`));

    say(`provisioning ${hosts.length} ${spip ? `SPIP ${SPIP_FROM}` : 'SQLite'} sites in ${dataDir} ...`);
    const provisioner = new Worker({ concurrency: 8, leaseSeconds: 60, pollMs: 50 });
    await provisioner.start();
    for (const host of hosts) await requestSite(actor, { host, platform: platforms[0]!.name, ...(spip ? { server: 'embedded', webmaster: 'webmaster@bench.test' } : {}) });
    provisioner.nudge();
    for (;;) {
      const left = await db.job.count({ where: { kind: 'site.provision', status: { notIn: ['succeeded', 'failed', 'cancelled'] } } });
      if (!left) break;
      await sleep(200);
    }
    await provisioner.stop();
    const failedProvisions = await db.job.findMany({ where: { kind: 'site.provision', status: { not: 'succeeded' } }, select: { error: true, logs: { select: { message: true }, orderBy: { id: 'asc' } } } });
    if (failedProvisions.length) {
      const log = failedProvisions[0]!.logs.map((l) => `  ${l.message}`).join('\n');
      throw new Error(`${failedProvisions.length} site(s) could not be provisioned: ${failedProvisions[0]!.error}; the first one's log:\n${log}`);
    }
    const files = await Promise.all((await db.site.findMany({ select: { id: true } })).map(async (s) => (await siteDbAccess(s.id)).sqliteFile!));

    const rows: string[] = [];
    const breakdowns: {
      concurrency: number;
      phases: { label: string; meanMs: number }[];
      jobMeanMs: number;
      wallPerSiteMs: number;
      mutuMs: number;
      statementsPerSite: number;
      registryMsPerSite: number;
      cpuPerSiteMs: number;
      commitsPerSite: number;
      byKind: string;
    }[] = [];
    for (const [round, concurrency] of CONCURRENCIES.entries()) {
      const to = spip ? platforms[1]! : platforms[round + 1]!;
      // The plain loop first, setting the version the run then sets again: same files, same statement.
      const shellMs = spip ? NaN : await shellLoop(files, Number(to.version), concurrency, sleepSeconds);
      if (!spip) say(`shell loop, concurrency ${concurrency}: ${ms(shellMs)}`);

      // The dashboard's default worker, as `mutu start` makes it (lib/cli/commands/serve.ts: its default
      // poll, woken when a job is queued): the run gets its concurrency whatever the worker's own.
      const worker = new Worker({ concurrency: config().worker.concurrency, leaseSeconds: config().worker.leaseSeconds });
      await worker.start();
      // The run is over when its driver's job ends: the worker is then idle (the driver outlives its sites' jobs).
      let ended = 0;
      const over = new Promise<void>((resolve) => {
        const onEnd = () => {
          ended++;
          if (ended % Math.max(1, Math.round(sites / 10)) === 0) say(`  mutu run, concurrency ${concurrency}: ${ended} jobs ended`);
          if (worker.activeJobs === 0) {
            jobEvents.off(JOB_ENDED, onEnd);
            resolve();
          }
        };
        jobEvents.on(JOB_ENDED, onEnd);
      });
      recorder.begin();
      const started = performance.now();
      const run = await cpuProfile(cpuProfDir && path.join(cpuProfDir, `upgrade-c${concurrency}.cpuprofile`), async () => {
        const { run } = await createUpgradeRun(actor, { match: `*.${groups[spip ? round : 0]}`, to: to.name }, { concurrency, maxFailures: 0, canarySharePercent: 10 });
        worker.nudge();
        await over;
        return run;
      });
      const mutuMs = performance.now() - started;
      const sample = recorder.end();
      const registry = [...sample.registry.values()].reduce((a, c) => ({ ms: a.ms + c.ms, count: a.count + c.count }), { ms: 0, count: 0 });
      const statementsPerSite = registry.count / sites;
      const registryMsPerSite = registry.ms / sites;
      const cpuPerSiteMs = sample.cpuMs / sites;
      const commitsPerSite = [...sample.commits.values()].reduce((a, b) => a + b, 0) / sites;
      const byKind = [...sample.statements.entries()].sort((a, b) => b[1].count - a[1].count).map(([kind, c]) => `${kind} ${(c.count / sites).toFixed(1)}`).join(', ');
      await worker.stop();
      const p = (await runProgress(run.id))!;
      if (p.run.status !== 'succeeded') throw new Error(`the run ended ${p.run.status}: ${p.targets.find((t) => t.error)?.error}`);
      const jobs = await db.job.findMany({
        where: { runId: run.id, kind: 'site.upgrade' },
        select: { createdAt: true, startedAt: true, finishedAt: true, logs: { select: { at: true, message: true }, orderBy: { id: 'asc' } } },
      });
      const durations = jobs.map((j) => j.finishedAt!.getTime() - j.startedAt!.getTime());
      breakdowns.push({ concurrency, phases: phases(jobs), jobMeanMs: durations.reduce((a, b) => a + b, 0) / durations.length, wallPerSiteMs: mutuMs / sites, mutuMs, statementsPerSite, registryMsPerSite, cpuPerSiteMs, commitsPerSite, byKind });
      rows.push(
        `| ${concurrency} | ${spip ? '—' : `${(shellMs / 1000).toFixed(1)} s`} | ${spip ? '—' : ms(shellMs / sites)} | ${(mutuMs / 1000).toFixed(1)} s | ${ms(mutuMs / sites)} | ${spip ? '—' : ms((mutuMs - shellMs) / sites)} | ${ms(quantile(durations, 0.5))} / ${ms(quantile(durations, 0.95))} | ${statementsPerSite.toFixed(1)} |`,
      );
    }
    await disconnectDb();

    const report = [
      `## Upgrade run, ${sites} ${spip ? `SPIP sites (${SPIP_FROM} to ${SPIP_TO}, SQLite) per concurrency` : 'SQLite sites'} on the dashboard's default worker (MUTU_WORKER_CONCURRENCY=${config().worker.concurrency}; ${new Date().toISOString().slice(0, 16)} UTC, ${os.cpus().length} CPUs, node ${process.version}, load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end)`,
      '',
      `Command: ${spip ? COMMAND : `\`${COMMAND}\``}`,
      '',
      '| concurrency | shell loop | per site | Mutu run | per site | Mutu overhead per site | one site\'s job (median / p95) | registry statements per site |',
      '|---|---|---|---|---|---|---|---:|',
      ...rows,
      '',
      'Where one site\'s time goes (means, from its job row and log line times; the phases add up to the time from queued to closed):',
      '',
      `| phase | ${breakdowns.map((b) => `concurrency ${b.concurrency}`).join(' | ')} |`,
      `|---|${breakdowns.map(() => '---:').join('|')}|`,
      ...breakdowns[0]!.phases.map((ph, i) => `| ${ph.label} | ${breakdowns.map((b) => ms(b.phases[i]!.meanMs)).join(' | ')} |`),
      `| **queued to closed** | ${breakdowns.map((b) => `**${ms(b.phases.reduce((a, p) => a + p.meanMs, 0))}**`).join(' | ')} |`,
      `| job alone (claimed to closed) | ${breakdowns.map((b) => ms(b.jobMeanMs)).join(' | ')} |`,
      `| run wall time per site x concurrency | ${breakdowns.map((b) => ms(b.wallPerSiteMs * b.concurrency)).join(' | ')} |`,
      `| **Mutu's own work per site** (queued to closed, less snapshot and ${spip ? 'commands' : 'command'}) | ${breakdowns.map((b) => `**${ms(ownWork(b.phases, spip))}**`).join(' | ')} |`,
      '',
      ...(breakdowns.length < 2 ? [] : [`Speed-up of the run from concurrency ${breakdowns[0]!.concurrency} to ${breakdowns.at(-1)!.concurrency}: ×${(breakdowns[0]!.mutuMs / breakdowns.at(-1)!.mutuMs).toFixed(2)}.`]),
      `Registry per site (the whole run's statements over N): ${breakdowns.map((b) => `${b.statementsPerSite.toFixed(1)} statements (${b.commitsPerSite.toFixed(1)} commits), ${ms(b.registryMsPerSite)} of statement time at concurrency ${b.concurrency}`).join('; ')}.`,
      `Mutu's process, CPU (user + system) per site over the run, the commands' own processes apart: ${breakdowns.map((b) => `${ms(b.cpuPerSiteMs)} at concurrency ${b.concurrency}`).join('; ')}.`,
      ...breakdowns.map((b) => `Statements per site by kind, concurrency ${b.concurrency}: ${b.byKind}.`),
    ].join('\n');
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `upgrade-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.md`);
    fs.writeFileSync(file, `${report}\n`);
    process.stdout.write(`\n${report}\n`);
    say(`written to ${path.relative(projectDir, file)}`);
  } finally {
    process.chdir(projectDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
    for (const d of spipDirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    say(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
