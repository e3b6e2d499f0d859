import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { fpmGroupIndex, fpmGroupName, parseFpmGroupName } from '../domain/fpm-groups';
import { type FrontLayout, type FrontLookup } from '../domain/front';
import { farmConfLookup } from '../domain/front-lookup';

/** Where Debian and other builds of nginx keep their dynamic modules. */
const NGINX_MODULE_DIRS = ['/usr/lib/nginx/modules', '/usr/lib64/nginx/modules', '/usr/share/nginx/modules', '/usr/local/nginx/modules', '/etc/nginx/modules'];

/** Whether nginx's js module (Debian: libnginx-mod-http-js) is installed: a file in nginx's modules folder. */
export const jsModuleInstalled = () => NGINX_MODULE_DIRS.some((d) => fs.existsSync(path.join(d, 'ngx_http_js_module.so')));

/** The lookup the setting asks for (`auto`: files when nginx's js module is installed). */
export function wantedLookup(): FrontLookup {
  const l = config().front.lookup;
  return l === 'auto' ? (jsModuleInstalled() ? 'files' : 'map') : l;
}

/**
 * Where the front's parts are, from Mutu's configuration. Its lookup is the one farm.conf
 * uses as written (a site's change must write what nginx reads: a module installed since, or
 * the setting changed, takes effect at the next `mutu front setup` or `sync`); `wanted`: the
 * one the setting asks for, which setup and sync write and status compares with.
 */
export function frontLayout(opts: { wanted?: boolean } = {}): FrontLayout {
  const c = config();
  const farmConf = path.join(c.front.nginxDir, 'farm.conf');
  let onDisk: string | null = null;
  if (!opts.wanted) {
    try {
      onDisk = fs.readFileSync(farmConf, 'utf8');
    } catch {}
  }
  return {
    lookup: farmConfLookup(onDisk) ?? wantedLookup(),
    farmRoot: path.resolve(c.farmRoot),
    nginxDir: c.front.nginxDir,
    listen: c.front.listen,
    listenTls: c.front.listenTls,
    runDir: c.front.runDir,
    webUser: c.front.webUser,
    bootstrapDir: path.join(c.front.nginxDir, 'php'),
  };
}

/** PHP-FPM's folder for a version: its php-fpm.conf and the pool.d/ Mutu writes into. */
export function phpFpmPaths(version: string) {
  const dir = config().front.phpDir.replaceAll('{version}', version);
  return { dir, conf: path.join(dir, 'php-fpm.conf'), pools: path.join(dir, 'pool.d') };
}

/** One PHP-FPM master of a version and the pools it holds: the version's own (one group), or one of Mutu's groups. */
export interface FpmGroup {
  version: string;
  /** 1 to N for Mutu's groups; 0 for the version's own master (one group, as before groups) */
  index: number;
  dir: string;
  conf: string;
  pools: string;
  /** for messages: PHP-FPM 8.2, or PHP-FPM 8.2-g03 */
  label: string;
}

/** Mutu's groups of a version live here: <phpDir>/mutu-groups/gNN/{php-fpm.conf,pool.d/}. */
export const fpmGroupsDir = (version: string) => path.join(phpFpmPaths(version).dir, 'mutu-groups');

export function fpmGroup(version: string, index: number): FpmGroup {
  if (index === 0) return { version, index, ...phpFpmPaths(version), label: `PHP-FPM ${version}` };
  const dir = path.join(fpmGroupsDir(version), fpmGroupName(index));
  return { version, index, dir, conf: path.join(dir, 'php-fpm.conf'), pools: path.join(dir, 'pool.d'), label: `PHP-FPM ${version}-${fpmGroupName(index)}` };
}

/** How many groups the setting asks for (1: no groups of Mutu's, the version's own master). */
export const fpmGroupCount = () => config().front.phpGroups;

/** The masters a version's pools go to, as set now. */
export function fpmGroupsOf(version: string): FpmGroup[] {
  const n = fpmGroupCount();
  return n === 1 ? [fpmGroup(version, 0)] : Array.from({ length: n }, (_, i) => fpmGroup(version, i + 1));
}

/** The master a site's pool goes to: a pure function of its Unix user (nothing stored). */
export function fpmGroupFor(version: string, unixUser: string): FpmGroup {
  const n = fpmGroupCount();
  return fpmGroup(version, n === 1 ? 0 : fpmGroupIndex(unixUser, n));
}

/**
 * Every folder of a version that may hold a site's pool: the groups set now, and those left
 * from another setting (the version's own pool.d/, groups past N) until sync moves their pools.
 */
export function fpmGroupsPresent(version: string): FpmGroup[] {
  const out = new Map(fpmGroupsOf(version).map((g) => [g.index, g]));
  if (!out.has(0) && fs.existsSync(phpFpmPaths(version).pools)) out.set(0, fpmGroup(version, 0));
  let names: string[] = [];
  try {
    names = fs.readdirSync(fpmGroupsDir(version));
  } catch {}
  for (const name of names) {
    const i = parseFpmGroupName(name);
    if (i && !out.has(i) && fs.existsSync(fpmGroup(version, i).pools)) out.set(i, fpmGroup(version, i));
  }
  return [...out.values()].sort((a, b) => a.index - b.index);
}

/** The front is set up once `mutu front setup` has written farm.conf; until then nothing is served and nothing is written. */
export function frontIsSetUp(): boolean {
  return fs.existsSync(path.join(config().front.nginxDir, 'farm.conf'));
}

/** The address health probes go through once the front serves the sites: its first listen address (`tls`: its first HTTPS one). */
export function frontProbeAddress(opts: { tls?: boolean } = {}): string | undefined {
  const listen = (opts.tls ? config().front.listenTls : config().front.listen)[0];
  if (!listen || !frontIsSetUp()) return undefined;
  return /^\d+$/.test(listen) ? `127.0.0.1:${listen}` : listen.replace(/^0\.0\.0\.0:/, '127.0.0.1:').replace(/^\[::\]:/, '[::1]:');
}
