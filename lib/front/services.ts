import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { config } from '../config';
import { runTool, ToolError } from '../databases/run-tool';
import { translatedError } from '../i18n/errors';
import type { FpmGroup } from './settings';

const SEARCH = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin'].filter(Boolean);
const RELOAD_WAIT_MS = 10_000;

/**
 * How long a check or a reload may take for a configuration of `parts` files: nginx and
 * PHP-FPM read every site's file each time (PHP-FPM reads its configuration a byte at a
 * time: about 5 ms per pool; see bench/README.md, "front"), so the limit grows with the farm.
 */
export const limitFor = (baseMs: number, parts: number, msPerPart: number) => baseMs + parts * msPerPart;

function filesIn(dir: string): number {
  try {
    return fs.readdirSync(dir).length;
  } catch {
    return 0;
  }
}

const which = (name: string) => SEARCH.map((d) => path.join(d, name)).find((f) => fs.existsSync(f));

/** Versions change when a package is installed, not between two sites of a sync: the PATH is read again after this. */
const VERSIONS_FRESH_MS = 5_000;
let versionsSeen: { at: number; versions: string[] } | undefined;

/**
 * PHP-FPM versions installed on this machine (Debian's php-fpmX.Y), newest first. Asked for
 * several times per site by sync and status, so the PATH's folders are read at most once
 * every few seconds (at 10,000 sites, reading them each time took minutes).
 */
export function installedPhpVersions(): string[] {
  if (versionsSeen && Math.abs(Date.now() - versionsSeen.at) < VERSIONS_FRESH_MS) return [...versionsSeen.versions];
  const found = new Set<string>();
  for (const dir of SEARCH) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = /^php-fpm(\d+\.\d+)$/.exec(n);
      if (m) found.add(m[1]!);
    }
  }
  const versions = [...found].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  versionsSeen = { at: Date.now(), versions };
  return [...versions];
}

/** The version a platform without its own runs: the newest installed. */
export function defaultPhpVersion(): string | undefined {
  return installedPhpVersions()[0];
}

export function phpFpmBinary(version: string): string {
  const bin = which(`php-fpm${version}`);
  if (!bin) throw translatedError((m) => new ToolError(m, null, ''), 'serviceErrors.frontFpmMissing', { version });
  return bin;
}

export function nginxBinary(): string {
  const bin = which('nginx');
  if (!bin) throw translatedError((m) => new ToolError(m, null, ''), 'serviceErrors.frontNginxMissing');
  return bin;
}

/** What nginx reads for the sites: their map files and their certificates' folders. */
const nginxParts = () => filesIn(path.join(config().front.nginxDir, 'sites')) + filesIn(path.join(config().front.nginxDir, 'tls'));

/** Checks the whole nginx configuration; throws nginx's own words (they name the file and line). */
export async function nginxTest(): Promise<void> {
  await runTool(nginxBinary(), ['-t', '-q', '-c', config().front.nginxConf], { timeoutMs: limitFor(60_000, nginxParts(), 1) });
}

/** Checks one PHP-FPM master's configuration (a version's own, or one of Mutu's groups): its pools only. */
export async function phpFpmTest(group: FpmGroup): Promise<void> {
  const pools = filesIn(group.pools);
  await runTool(phpFpmBinary(group.version), ['-t', '-y', group.conf], { timeoutMs: limitFor(60_000, pools, 10) });
}

/** A top-level `pid` directive of a configuration file, or a default. */
function pidFileOf(confFile: string, pattern: RegExp, fallback: string): string {
  try {
    const m = pattern.exec(fs.readFileSync(confFile, 'utf8'));
    if (m) return m[1]!.trim();
  } catch {}
  return fallback;
}

function runningPid(pidFile: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export const nginxPid = () => runningPid(pidFileOf(config().front.nginxConf, /^\s*pid\s+([^;\s]+)\s*;/m, '/run/nginx.pid'));
/** The pid file a version's or group's php-fpm.conf names: PHP-FPM writes it again at each (re)load. */
export const phpFpmPidFile = (group: FpmGroup) => pidFileOf(group.conf, /^\s*pid\s*=\s*(\S+)/m, `/run/php/php${group.version}-fpm.pid`);
/** The running master of a version or group. */
export const phpFpmPid = (group: FpmGroup) => runningPid(phpFpmPidFile(group));

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long nginx's master may sleep after a reload signal without new workers before the reload counts as refused. */
const REFUSED_AFTER_MS = 300;

/** nginx kept its old configuration: the new one did not load (see nginx -t, or its error log). */
export class NginxRefusedError extends ToolError {
  constructor() {
    super('nginx refused the new configuration and kept serving the old one: see its error log', null, '');
    this.name = 'NginxRefusedError';
  }
}

/** A process's state letter (R running, S sleeping, D disk...) and its CPU time in ticks, from /proc. */
function procStat(pid: number): string[] {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return [];
  }
}
const procState = (pid: number) => procStat(pid)[0];
const cpuTicks = (pid: number) => {
  const f = procStat(pid);
  return Number(f[11]) + Number(f[12]);
};

/**
 * Graceful reload of nginx: its master starts workers with the new configuration and lets
 * the old ones finish their requests. Resolves once a new worker is up, so what follows
 * (a health check) sees the change. A stopped nginx is left stopped.
 */
export async function nginxReload(): Promise<'reloaded' | 'not running'> {
  const master = nginxPid();
  if (!master) return 'not running';
  const before = new Set(childrenOf(master));
  process.kill(master, 'SIGHUP');
  const until = Date.now() + limitFor(RELOAD_WAIT_MS, nginxParts(), 1);
  // Done once new workers run and every old one has stopped accepting (it finishes what it
  // serves as "worker process is shutting down"): a request now meets the new configuration.
  const retiring = (pid: number) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('shutting down');
    } catch {
      return true; // gone
    }
  };
  // A master back asleep, using no CPU, with no new worker, has refused the configuration: it
  // keeps serving the old one and logs why (nginx -t says it again).
  let asleepSince: number | null = null;
  let cpu = cpuTicks(master);
  while (Date.now() < until) {
    const now = childrenOf(master);
    const fresh = now.some((c) => !before.has(c));
    if (fresh && [...before].every(retiring)) return 'reloaded';
    const cpuNow = cpuTicks(master);
    if (!fresh && cpuNow === cpu && procState(master) === 'S') {
      asleepSince ??= Date.now();
      if (Date.now() - asleepSince >= REFUSED_AFTER_MS) throw new NginxRefusedError();
    } else asleepSince = null;
    cpu = cpuNow;
    await sleep(10);
  }
  throw translatedError((m) => new ToolError(m, null, ''), 'serviceErrors.frontNginxNoWorkers');
}

/** Whether something listens on a Unix socket. */
export function accepts(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socket);
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

/**
 * Graceful reload of one PHP-FPM master (SIGUSR2: it reads its pools again); the other
 * groups' masters are not touched. Resolves once the given sockets (of the pools added)
 * accept connections and the given socket files exist. A stopped PHP-FPM is left stopped.
 */
export async function phpFpmReload(group: FpmGroup, sockets: string[] = [], socketFiles: string[] = []): Promise<'reloaded' | 'not running'> {
  const master = phpFpmPid(group);
  if (!master) return 'not running';
  process.kill(master, 'SIGUSR2');
  const until = Date.now() + limitFor(RELOAD_WAIT_MS * 3, filesIn(group.pools), 10);
  // PHP-FPM keeps the sockets of the pools it had and opens those of new pools. Many new pools
  // at once (a sync) are awaited by their files: connecting would start a worker in each.
  for (const s of socketFiles) {
    while (!fs.existsSync(s)) {
      if (Date.now() > until) throw translatedError((m) => new ToolError(m, null, ''), 'serviceErrors.frontFpmNoSocket', { group: group.label, socket: s });
      await sleep(20);
    }
  }
  for (const s of sockets) {
    while (!(await accepts(s))) {
      if (Date.now() > until) throw translatedError((m) => new ToolError(m, null, ''), 'serviceErrors.frontFpmNoSocket', { group: group.label, socket: s });
      await sleep(20);
    }
  }
  return 'reloaded';
}
