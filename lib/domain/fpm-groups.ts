/**
 * PHP-FPM pool groups: several PHP-FPM masters per PHP version, each holding a share of the
 * sites' pools, so that a change checks and reloads one group (a few hundred pools) while the
 * others keep serving. PHP-FPM reads its configuration a byte per read(): at 10,000 pools in
 * one master a check took 52 s and a reload 43 to 60 s, every site's PHP waiting meanwhile
 * (bench/README.md, "front"). Pure: the callers write the files.
 */

/** FNV-1a, 32 bits, of a string's UTF-8 bytes: stable across processes, machines and Node versions. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * MurmurHash3's finalizer: FNV-1a's low bits depend only on the low bits of the input's
 * bytes, so names that differ by a last digit would share groups unevenly when N is a power
 * of two; this spreads every bit of the hash over all of them.
 */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The group (1 to `groups`) of a site's pool: a pure function of its Unix user name, nothing stored. */
export function fpmGroupIndex(unixUser: string, groups: number): number {
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`a number of PHP-FPM groups must be a whole number from 1: got ${groups}`);
  return (mix(fnv1a(unixUser)) % groups) + 1;
}

/** A group's name: g01, g02, ... (three digits past 99). */
export const fpmGroupName = (index: number) => `g${String(index).padStart(2, '0')}`;

/** A folder name that is a group's, and its index. */
export function parseFpmGroupName(name: string): number | null {
  const m = /^g(\d{2,3})$/.exec(name);
  return m && Number(m[1]) >= 1 ? Number(m[1]) : null;
}

/** The systemd template unit of a PHP version's groups, and one group's instance of it. */
export const fpmGroupUnit = (version: string) => `mutu-php-fpm${version}@.service`;
export const fpmGroupInstance = (version: string, index: number) => `mutu-php-fpm${version}@${fpmGroupName(index)}.service`;

/**
 * Open files a group's master needs: one listening socket per pool, and room for its share
 * to grow. Rounded up to a step so that the file does not change with each new site.
 */
export function fpmGroupFileLimit(sites: number, groups: number): number {
  const share = Math.ceil(sites / groups);
  return Math.max(4096, Math.ceil((share * 2 + 1024) / 4096) * 4096);
}

export interface FpmGroupConf {
  version: string;
  index: number;
  groups: number;
  pidFile: string;
  errorLog: string;
  rlimitFiles: number;
  poolsDir: string;
}

/** A group's php-fpm.conf: its own pid file and log, warnings only, its open files, its pools. */
export function renderFpmGroupConf(c: FpmGroupConf): string {
  return `; PHP-FPM ${c.version}, group ${fpmGroupName(c.index)} of ${c.groups}: a share of the farm's site pools.
; Written by Mutu (mutu front setup, mutu front sync); changes are overwritten.
[global]
pid = ${c.pidFile}
error_log = ${c.errorLog}
; Notices add a line per inherited socket at each reload (1.1 MiB per reload at 10,000 pools).
log_level = warning
; One listening socket per pool.
rlimit_files = ${c.rlimitFiles}
process_control_timeout = 10s
include = ${c.poolsDir}/*.conf
`;
}

/**
 * The systemd template unit of a version's groups, as Debian's php<version>-fpm.service
 * (Type=notify: PHP-FPM says when it is ready), one instance per group. One template per
 * version: a unit's program cannot come from a variable, so the version is in its name.
 */
export function renderFpmGroupUnit(opts: { version: string; binary: string; groupsDir: string; fileLimit: number }): string {
  return `# Written by Mutu (mutu front setup): PHP-FPM ${opts.version}, one group of the farm's site pools per instance
# (systemctl enable --now ${fpmGroupInstance(opts.version, 1)} ...). Changes are overwritten.
[Unit]
Description=PHP-FPM ${opts.version}, Mutu's pool group %i
Documentation=man:php-fpm${opts.version}(8)
After=network.target

[Service]
Type=notify
ExecStart=${opts.binary} --nodaemonize --fpm-config ${opts.groupsDir}/%i/php-fpm.conf
ExecReload=/bin/kill -USR2 $MAINPID
LimitNOFILE=${opts.fileLimit}
TimeoutStartSec=300
Restart=on-failure

[Install]
WantedBy=multi-user.target
`;
}
