import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PHP_VERSION, type FrontProcesses } from '../../tests/helpers/front-processes';
import { bootstrap } from '../../lib/bootstrap';
import { farmConfFile } from '../../lib/domain/front';
import { setupFront } from '../../lib/front/farm';
import { frontLayout } from '../../lib/front/settings';
import { ensureSiteAccount } from '../../lib/front/unix-users';
import type { FrontBenchArgs } from './front-args';
import { benchPlatform, fillRegistry, loadSites, writeSiteFiles } from './front-farm';
import { checkAndReloadFpm, startIdleFpm, type FpmChecks, type FpmIdle } from './front-fpm';
import { measureMutu, type MutuFigures } from './front-mutu';
import { measureLookup, writeStaticFile, type LookupFigures } from './front-lookup';
import { jsModuleInstalled } from '../../lib/front/settings';
import { measureShape, startedNginx, type NginxCase } from './front-nginx';
import { SHAPES } from './front-shapes';
import { median, ms } from './stats';

/** Changes run first and not counted: module loading, the first workers, the disk cache. */
const WARMUP = 2;

export interface FrontBenchResult {
  versions: string[];
  fillMs: number;
  filesMs: number;
  mapBytes: number;
  nginx: NginxCase[];
  fpmIdle: FpmIdle;
  /** null with --map-only */
  fpm: FpmChecks | null;
  mutu: MutuFigures;
  /** with --lookup */
  lookup: LookupFigures | null;
  fpmFileLimit: number;
}

const version = (command: string, args: string[]) => {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n')[0]!.trim();
};

export async function runFrontBench(ctx: {
  args: FrontBenchArgs;
  tag: string;
  procs: FrontProcesses;
  say: (line: string) => void;
  signal: AbortSignal;
  fpmFileLimit: number;
}): Promise<FrontBenchResult> {
  const { args, tag, procs, say, signal } = ctx;
  await bootstrap(() => {});
  const platform = await benchPlatform();
  // Mutu's front, empty: farm.conf, its pages and parameters, the SPIP bootstrap, the idle pool.
  await setupFront();
  const layout = frontLayout();

  let t0 = performance.now();
  await fillRegistry(platform, tag, args.sites);
  const fillMs = performance.now() - t0;
  t0 = performance.now();
  const sites = await loadSites();
  // The site Mutu disables and enables has its own Unix user already, as a served site does.
  const toggle = sites[Math.floor(sites.length / 2)]!;
  await ensureSiteAccount(toggle.unixUser!, toggle.host);
  const { fronts, poolBytes, mapBytes } = writeSiteFiles(layout, sites, (host) => host === toggle.host);
  const filesMs = performance.now() - t0;
  say(`registry filled with ${args.sites} sites in ${ms(fillMs)}; their map files and pools written in ${ms(filesMs)}`);
  signal.throwIfAborted();

  say(`starting PHP-FPM on ${args.sites} pools...`);
  const fpmIdle = await startIdleFpm(procs, layout, fronts, poolBytes);
  say(`  up in ${ms(fpmIdle.startMs)}, ${fpmIdle.idle.processes} process(es)`);

  const nginx: NginxCase[] = [];
  for (const size of [args.small, args.sites]) {
    for (const shape of args.mapOnly ? SHAPES.filter((x) => x === 'map') : SHAPES) {
      signal.throwIfAborted();
      say(`nginx, ${shape} shape, ${size} sites...`);
      // A server block per site at full size re-reads 10,000 servers twice per change: a few changes, no warm-up.
      const slow = shape === 'servers' && size === args.sites && size > args.small;
      const c = await measureShape({
        shape,
        layout,
        fronts: fronts.slice(0, size),
        procs,
        warmup: slow ? 0 : WARMUP,
        changes: slow ? args.serverBlockChanges : args.changes,
        signal,
      });
      nginx.push(c);
      say(`  start ${ms(c.startMs)}; ${c.changes.length} changes, median ${ms(median(c.changes.map((s) => s.totalMs)))}`);
    }
  }

  // Mutu's own front from here on: nginx includes the farm.conf Mutu wrote.
  fs.writeFileSync(path.join(procs.confDir, 'case.conf'), `include ${farmConfFile(layout)};\n`);
  await startedNginx(procs);

  let fpm: FpmChecks | null = null;
  if (!args.mapOnly) {
    say(`PHP-FPM: php-fpm -t and reloads at ${args.sites} pools...`);
    fpm = await checkAndReloadFpm({ procs, layout, template: fronts[0]!, tag, stallHost: sites[1]!.host, runs: args.fpmRuns, signal });
    say(`  php-fpm -t ${ms(median(fpm.testMs))}, reload ${ms(median(fpm.reloads.map((r) => r.readyMs)))}`);
  }

  say(`Mutu: disabling and enabling ${toggle.host}, then creating and destroying ${args.newSites} site(s)...`);
  const mutu = await measureMutu({ procs, platform, tag, toggleHost: toggle.host, raw: fronts[2]!, warmup: WARMUP, changes: args.changes, newSites: args.mapOnly ? 0 : args.newSites, signal, say });

  let lookup: LookupFigures | null = null;
  if (args.lookup) {
    if (!jsModuleInstalled()) throw new Error("--lookup needs nginx's js module: apt-get install libnginx-mod-http-js");
    // A site whose pool runs as the web server's user (PHP answers with its host), not the toggled one.
    const requestHost = fronts[3 % fronts.length]!.host;
    writeStaticFile(fronts[0]!);
    say('the files lookup: the farm switched to it, the same changes, then the cost per request of both lookups...');
    lookup = await measureLookup({ procs, fronts, toggleHost: toggle.host, requestHost, warmup: WARMUP, changes: args.changes, requests: args.requests, signal, say });
  }

  return {
    lookup,
    versions: [version('nginx', ['-v']), version(`php-fpm${PHP_VERSION}`, ['-v'])],
    fillMs,
    filesMs,
    mapBytes,
    nginx,
    fpmIdle,
    fpm,
    mutu,
    fpmFileLimit: ctx.fpmFileLimit,
  };
}
