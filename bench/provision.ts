/**
 * Provisioning time per engine: Mutu's whole path (request, job, worker, steps, registry
 * writes, audit and mail) beside the raw SQL statements alone. See bench/README.md.
 *
 *   node --import tsx bench/provision.ts [--sites N] [--engines sqlite,mysql,postgresql]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isolate } from './lib/isolate';
import { chooseEngines, freeTag } from './lib/setup';
import { parseBenchArgs, USAGE, UsageError, type BenchArgs, type Engine } from './lib/args';
import { createSiteWithFiles, openRawRunner } from './lib/raw-sql';
import { PROFILES } from '../lib/domain/profiles';
import { Recorder, PHASE } from './lib/recorder';
import { renderReport, type EngineResult } from './lib/report';
import { cleanupSteps, failed, interruptible, runBench, say, writeReport } from './lib/run';
import { benchPrefix, dropBenchObjects, type ServerTarget } from './lib/servers';

/** The Worker's default poll interval (WorkerOptions.pollMs), which the bench keeps. */
const POLL_MS = 1000;
/** Pause before an at-once request, so the worker is back asleep and the nudge is not lost in its claim. */
const SETTLE_MS = 20;
/** Sites per engine run first and not counted: module loading, JIT, first connections. */
const WARMUP_SITES = 3;
const ENGINE_HOST_LABEL: Record<Engine, string> = { sqlite: 'sqlite', mysql: 'mysql', postgresql: 'pg' };

const pad4 = (i: number) => String(i).padStart(4, '0');

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) say(err.message);
    say(USAGE);
    return err.message ? 2 : 0;
  }
  const runStart = performance.now();
  const loadBefore = os.loadavg();
  const { engines, targets, versions } = await chooseEngines(args, say);
  const tag = await freeTag(targets);
  const projectDir = process.cwd();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-bench-'));
  const leftovers = () =>
    `leftovers, if any: the folder ${dataDir}` +
    (targets.length ? ` and the databases and users named ${benchPrefix(tag)}* on ${targets.map((t) => t.url).join(', ')}` : '');
  const abort = interruptible(leftovers);

  say(`Benchmark: ${args.sites} sites per engine (${engines.join(', ')}), names tagged ${benchPrefix(tag)}, data in ${dataDir}`);
  let farm: import('./lib/farm').BenchFarm | undefined;
  let exitCode = 0;
  try {
    isolate(dataDir);
    const recorder = new Recorder();
    const { BenchFarm } = await import('./lib/farm');
    farm = await BenchFarm.start(recorder, targets, (line) => (line.includes('error') ? say(line) : undefined));
    const signal = abort.signal;
    const results: EngineResult[] = [];
    for (const engine of engines) {
      const target = targets.find((t) => t.engine === engine);
      const raw = await openRawRunner(engine, {
        url: target?.url,
        hostMask: engine === 'mysql' ? await farm.hostMask(engine) : undefined,
        sqliteFolder: path.join(dataDir, 'raw-sqlite'),
      });
      const result: EngineResult = { engine, version: versions.get(engine)!, raw: [], rawWithFiles: [], atOnce: [], asDeployed: [], lostNudges: 0 };
      // The farm's platforms: SPIP's folders and connect.php, PostgreSQL's sites the generic profile's.
      const profile = PROFILES[engine === 'postgresql' ? 'generic' : 'spip'];
      const rawFarm = path.join(dataDir, 'raw-farm', engine);
      const rawFiles = (name: string) => ({ dir: path.join(rawFarm, name), folders: [...profile.folders, profile.sqliteFolder], configFile: profile.configFile });
      fs.mkdirSync(rawFarm, { recursive: true });
      const host = (mode: string, i: number) => `${tag}${mode}${pad4(i)}.${ENGINE_HOST_LABEL[engine]}.bench.test`;
      try {
        for (let i = 1; i <= WARMUP_SITES + args.sites; i++) {
          signal.throwIfAborted();
          const counted = i > WARMUP_SITES;
          // The three ways in turn, site after site, so a drift of the machine touches them alike.
          const rawMs = await raw.createSite(`${benchPrefix(tag)}r${pad4(i)}`);
          await sleep(SETTLE_MS, undefined, { signal });
          const withFilesName = `${benchPrefix(tag)}f${pad4(i)}`;
          const rawWithFilesMs = await createSiteWithFiles(raw, withFilesName, rawFiles(withFilesName));
          await sleep(SETTLE_MS, undefined, { signal });
          const atOnce = await farm.provision(host('n', i), engine, true, signal);
          // Requests arrive at any moment of the worker's poll cycle, not just after a job ended.
          await sleep(Math.random() * POLL_MS, undefined, { signal });
          const asDeployed = await farm.provision(host('p', i), engine, false, signal);
          if (!counted) continue;
          result.raw.push(rawMs);
          result.rawWithFiles.push(rawWithFilesMs);
          result.atOnce.push(atOnce);
          if ((atOnce.phases.get(PHASE.pickup) ?? 0) > POLL_MS / 2) result.lostNudges++;
          result.asDeployed.push(asDeployed);
          const done = i - WARMUP_SITES;
          if (done % 10 === 0 || done === args.sites) say(`  ${engine}: ${done}/${args.sites} sites`);
        }
      } finally {
        await raw.close();
      }
      results.push(result);
    }
    const report = renderReport(results, {
      date: new Date(),
      sites: args.sites,
      warmup: WARMUP_SITES,
      pollMs: POLL_MS,
      loadBefore,
      loadAfter: os.loadavg(),
      durationMs: performance.now() - runStart,
    });
    writeReport('provision', report, projectDir);
  } catch (err) {
    exitCode = failed(abort, err);
  } finally {
    exitCode = Math.max(exitCode, await cleanUp(farm, targets, tag, dataDir, projectDir, leftovers));
  }
  return exitCode;
}

/** Undoes everything the run made, whatever happened; says what it could not. */
async function cleanUp(
  farm: import('./lib/farm').BenchFarm | undefined,
  targets: ServerTarget[],
  tag: string,
  dataDir: string,
  projectDir: string,
  leftovers: () => string,
): Promise<number> {
  const steps = cleanupSteps();
  const attempt = steps.attempt;
  say('Cleaning up...');
  // The worker first: a job it is running is undone by Mutu itself.
  if (farm) await attempt('stopping the worker', () => farm.stop());
  for (const t of targets) {
    await attempt(`dropping the bench's databases and users on ${t.url}`, async () => {
      const dropped = await dropBenchObjects(t, tag);
      say(`  ${t.engine}: dropped ${dropped.databases.length} databases and ${dropped.users.length} users`);
    });
  }
  process.chdir(projectDir);
  await attempt(`removing ${dataDir}`, async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  if (steps.failed) say(leftovers());
  return steps.failed ? 1 : 0;
}

runBench(main);
