import path from 'node:path';
import type { Translation } from './errors';
import type { ProfileName } from './profiles';
import { translatedError } from '../i18n/errors';
import { renderFilesLookup } from './front-lookup';

/**
 * The farm's front, as text: one nginx server for every site, which finds a request's site
 * through a `map` on the Host header (its lines in 64 shard files, included by the map), and one
 * PHP-FPM pool per site running as the site's own Unix user. Pure: the callers write files.
 *
 * A map rather than a server block per site: at 10,000 sites nginx parses 10,000 map lines
 * instead of 10,000 servers with their locations, so a reload stays fast and small (figures
 * in bench/README.md, "front").
 */

export class FrontError extends Error {
  /** its catalogue words, for the refusals a page shows (a moved site's new address) */
  translation?: Translation;

  constructor(message: string) {
    super(message);
    this.name = 'FrontError';
  }
}

/** Where the front's parts are and who runs them (from the environment; see lib/front/settings). */
export interface FrontLayout {
  farmRoot: string;
  /** Mutu's own nginx folder: farm.conf, sites/*.map, pages/ */
  nginxDir: string;
  /** `listen` values of the farm's server, such as `80` or `127.0.0.1:8080` */
  listen: string[];
  /** `listen` values of the farm's HTTPS servers, such as `443` (none: no HTTPS) */
  listenTls: string[];
  /** PHP-FPM sockets, one per site */
  runDir: string;
  /** the user nginx's workers run as; sockets and public folders are readable by its group */
  webUser: string;
  /** the PHP bootstraps Mutu generates (never inside a platform) */
  bootstrapDir: string;
  /**
   * How nginx finds a request's site: `files`, a file per host read per request by a small njs
   * script (a site's change needs no check and no reload); `map` (the default), a `map` whose
   * lines a change writes, then checks and reloads (lib/domain/front-lookup).
   */
  lookup?: FrontLookup;
}

export type FrontLookup = 'files' | 'map';

/** What the front does for a host: the site's own state, or an alias's redirect. */
export type FrontState =
  /** the site's PHP answers */
  | 'serve'
  /** 503 and the maintenance page (disabled, or failed: never taken for healthy) */
  | 'closed'
  /** 301 to another address (a moved site) */
  | 'moved'
  /** 301 to the site's canonical host, same scheme and path (an alias that redirects) */
  | 'alias';

export interface SiteFront {
  host: string;
  state: Exclude<FrontState, 'alias'>;
  /** other hosts: redirected to `host`, or served as it when `serve` */
  aliases: { host: string; serve: boolean }[];
  /** the new address of a moved site */
  movedTo?: string;
  profile: ProfileName;
  /** the platform's code, the web root */
  codePath: string;
  /** PHP version of the platform, such as 8.2 */
  phpVersion: string;
  unixUser: string;
  siteDir: string;
  /** the application's connection file, absolute */
  connectionFile: string;
  /** folders the application writes and may serve: relative to siteDir */
  publicFolders: string[];
  tmpFolder: string;
  /** its certificate, once one is installed: the front then serves it over HTTPS and redirects HTTP there */
  tls?: SiteTls;
}

export interface SiteTls {
  /** the chain (leaf first) then the key, PEM: what nginx loads for the site's handshakes */
  pem: string;
  /** Strict-Transport-Security: browsers that saw it come back over HTTPS only, for a year */
  hsts: boolean;
}

/** PEM is base64, dashes, spaces and line ends: nothing nginx could read as a variable or the end of a string. */
const PEM_TEXT = /^-----BEGIN [A-Z ]+-----\n[A-Za-z0-9+/=\n -]+-----END [A-Z ]+-----\n?$/;

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
/** Paths go inside nginx and PHP-FPM configuration unquoted-safe: no spaces, quotes, `;`, `$`, braces or newlines. */
const SAFE_PATH = /^\/[A-Za-z0-9._+@/-]*$/;
const UNIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const PHP_VERSION = /^\d+\.\d+$/;
const LISTEN = /^((\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):)?\d{1,5}$/;
const FOLDER = /^[A-Za-z0-9_-]+$/;

export function assertFrontHost(host: string, what: 'host' | 'alias' | 'new address' = 'host'): string {
  if (!HOST.test(host)) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontBadHost', { what, host: host.replace(/[^\x20-\x7e]/g, '?') });
  return host;
}

/** What a path is, as the refusal names it (its words are in the catalogue: serviceErrors.frontBadPath). */
export type PathRole = 'platform' | 'site' | 'connection' | 'bootstrapFile' | 'farmRoot' | 'nginx' | 'sockets' | 'bootstrap';

export function assertSafePath(p: string, what: PathRole): string {
  if (!SAFE_PATH.test(p) || p.split('/').includes('..')) {
    throw translatedError((m) => new FrontError(m), 'serviceErrors.frontBadPath', { what, path: p.replace(/[^\x20-\x7e]/g, '?') });
  }
  return p.replace(/\/+$/, '') || '/';
}

/** A moved site's new address: an http(s) URL that nginx can return as it is. */
export function assertRedirectUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw translatedError((m) => new FrontError(m), 'serviceErrors.redirectNotUrl', { url });
  }
  if (!/^https?:$/.test(u.protocol) || u.username || u.password || u.search || u.hash) {
    throw translatedError((m) => new FrontError(m), 'serviceErrors.redirectNotPlain', { url });
  }
  assertFrontHost(u.hostname, 'new address');
  if (!/^[A-Za-z0-9._~/%-]*$/.test(u.pathname)) throw translatedError((m) => new FrontError(m), 'serviceErrors.redirectPathChars', { url });
  return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '')}`;
}

function checkSite(s: SiteFront): void {
  assertFrontHost(s.host);
  for (const a of s.aliases) assertFrontHost(a.host, 'alias');
  assertSafePath(s.codePath, 'platform');
  assertSafePath(s.siteDir, 'site');
  assertSafePath(s.connectionFile, 'connection');
  if (!UNIX_USER.test(s.unixUser)) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontBadUnixUser', { user: s.unixUser });
  if (!PHP_VERSION.test(s.phpVersion)) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontBadPhpVersion', { version: s.phpVersion });
  for (const f of [...s.publicFolders, s.tmpFolder]) if (!FOLDER.test(f)) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontBadFolder', { folder: f });
  if (s.state === 'moved') assertRedirectUrl(s.movedTo ?? '');
  if (s.tls && !PEM_TEXT.test(s.tls.pem.replace(/\r\n/g, '\n'))) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontBadPem', { host: s.host });
}

function checkLayout(l: FrontLayout): void {
  for (const [p, what] of [
    [l.farmRoot, 'farmRoot'],
    [l.nginxDir, 'nginx'],
    [l.runDir, 'sockets'],
    [l.bootstrapDir, 'bootstrap'],
  ] as const) {
    assertSafePath(p, what);
  }
  for (const listen of [...l.listen, ...l.listenTls]) if (!LISTEN.test(listen)) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontBadListen', { listen });
  if (!UNIX_USER.test(l.webUser)) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontBadUnixUser', { user: l.webUser });
}

export const socketPath = (layout: FrontLayout, unixUser: string) => path.join(layout.runDir, `${unixUser}.sock`);
export const poolName = (unixUser: string) => `mutu-${unixUser}`;
/**
 * The sites' map lines are shared out over MAP_SHARDS files by a hash of the host (about 150
 * sites each at 10,000): nginx opens and reads each file at every check and reload, and at
 * 10,000 sites opening 10,000 files cost more than reading their lines (bench/README.md,
 * "front"). A site's change rewrites its shard alone, its own lines spliced in.
 */
export const MAP_SHARDS = 64;
/** `_` is in no host name: a shard's file never takes the name of a site's (older) file. */
const SHARD_FILE = /^shard_([0-9a-f]{2})\.map$/;
export const isMapShardFile = (name: string) => SHARD_FILE.test(name);
export function mapShardOf(host: string): number {
  let h = 0x811c9dc5; // FNV-1a: stable across versions and machines
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 0x01000193) >>> 0;
  return h % MAP_SHARDS;
}
export const mapShardFile = (layout: FrontLayout, shard: number) => path.join(layout.nginxDir, 'sites', `shard_${shard.toString(16).padStart(2, '0')}.map`);
/** The file holding a site's map lines. */
export const siteMapFile = (layout: FrontLayout, host: string) => mapShardFile(layout, mapShardOf(assertFrontHost(host)));
/** Where earlier versions of Mutu wrote a site's map lines, one file per site: removed by its next change or a sync. */
export const legacySiteMapFile = (layout: FrontLayout, host: string) => path.join(layout.nginxDir, 'sites', `${assertFrontHost(host)}.map`);

const BLOCK_HEAD = /^# ([a-z0-9.-]+): /;

/**
 * The blocks of a shard's text by host (each from its `# host:` line to the next one),
 * as renderSiteMap wrote them; what precedes the first block (the shard's head) is dropped.
 */
export function mapShardBlocks(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let host: string | null = null;
  for (const line of text.split(/(?<=\n)/)) {
    const m = BLOCK_HEAD.exec(line);
    if (m) host = m[1]!;
    if (host !== null) blocks.set(host, (blocks.get(host) ?? '') + line);
  }
  return blocks;
}

/** A shard's whole text from its sites' blocks (sorted by host, so the same sites give the same bytes); null with none. */
export function renderMapShard(blocks: Map<string, string>): string | null {
  if (!blocks.size) return null;
  const hosts = [...blocks.keys()].sort();
  return `# Mutu's map lines of the sites in this shard, written from its registry; changes are overwritten.\n${hosts.map((h) => blocks.get(h)!).join('')}`;
}

/** A shard's text with one site's block put in (or taken out, `block` null); the other sites' blocks are kept as they are. */
export function spliceMapShard(text: string | null, host: string, block: string | null): string | null {
  const blocks = mapShardBlocks(text ?? '');
  if (block === null) blocks.delete(host);
  else blocks.set(host, block);
  return renderMapShard(blocks);
}
export const farmConfFile = (layout: FrontLayout) => path.join(layout.nginxDir, 'farm.conf');
/** What every server of the farm serves (the plain HTTP one and each certified site's HTTPS one). */
export const siteServerFile = (layout: FrontLayout) => path.join(layout.nginxDir, 'site-server.conf');
/** ACME HTTP-01 answers: `<acmeRoot>/.well-known/acme-challenge/<token>`, outside every site. */
export const acmeRoot = (layout: FrontLayout) => path.join(layout.nginxDir, 'acme');
export const acmeChallengeDir = (layout: FrontLayout) => path.join(acmeRoot(layout), '.well-known', 'acme-challenge');
/** A site's certificate and key (PEM), and what nginx reads of them: one folder of root's. */
export const tlsDir = (layout: FrontLayout, host: string) => path.join(layout.nginxDir, 'tls', assertFrontHost(host));
export const tlsFiles = (layout: FrontLayout, host: string) => {
  const dir = tlsDir(layout, host);
  return {
    dir,
    cert: path.join(dir, 'fullchain.pem'),
    key: path.join(dir, 'privkey.pem'),
    /** its names (host and aliases) -> its host, for the handshake */
    namesMap: path.join(dir, 'names.map'),
    /** its names as the HTTPS server's server_name */
    namesConf: path.join(dir, 'names.conf'),
    /** its host -> its chain and key */
    pemMap: path.join(dir, 'pem.map'),
  };
};
/** The files of a site's folder nginx reads, rendered from the registry (the PEM files are written by lib/tls). */
export const TLS_RENDERED = ['names.map', 'names.conf', 'pem.map'] as const;

/** Whether the front serves a site over HTTPS: it has a certificate, and the farm listens for HTTPS. */
const servesTls = (layout: FrontLayout, s: SiteFront) => !!s.tls && layout.listenTls.length > 0;

/** `:port` of the farm's HTTPS address in redirects, nothing for 443. */
function tlsPortSuffix(layout: FrontLayout): string {
  const port = /(\d+)$/.exec(layout.listenTls[0] ?? '443')![1];
  return port === '443' ? '' : `:${port}`;
}

/**
 * One site's lines of the host map: `host "state|site|code|socket|target|profile|folders[|tls]";`
 * (the last field once the site has a certificate, `tls`, or `hsts` with HSTS: plain HTTP then
 * redirects to HTTPS); an alias that redirects: `alias "alias|site|||site||[|tls]";`.
 * The fields are split again by farm.conf's own maps; none may hold `|` or `"` (checked).
 */
export function renderSiteMap(layout: FrontLayout, s: SiteFront): string {
  const lines = [`# ${s.host}: written by Mutu from its registry; changes are overwritten.`];
  for (const [host, value] of siteLookupEntries(layout, s)) lines.push(`${host} "${value}";`);
  return lines.join('\n') + '\n';
}

/**
 * What each of a site's hosts looks up (its own first, then its aliases'): the value of its map
 * line, or of its host file (lib/domain/front-lookup), the same in both shapes.
 */
export function siteLookupEntries(layout: FrontLayout, s: SiteFront): [string, string][] {
  checkLayout(layout);
  checkSite(s);
  const tls = servesTls(layout, s) ? [s.tls!.hsts ? 'hsts' : 'tls'] : [];
  const fields = (state: Exclude<FrontState, 'alias'>, target: string) =>
    // The tls field only when set: the map lines of sites without a certificate stay as they were.
    [state, s.host, s.codePath, socketPath(layout, s.unixUser), target, s.profile, s.publicFolders.join(','), ...tls].join('|');
  const own = s.state === 'moved' ? fields('moved', assertRedirectUrl(s.movedTo!)) : fields(s.state, '');
  // An alias that redirects needs its site's host (twice: farm.conf reads it as the target) and
  // its certificate's field, nothing else: half of a farm's lines are such aliases, and nginx
  // reads every byte at each reload.
  const redirect = ['alias', s.host, '', '', s.host, '', '', ...tls].join('|');
  return [[s.host, own], ...s.aliases.map((a): [string, string] => [a.host, a.serve || s.state === 'moved' ? own : redirect])];
}

/**
 * The map from host to site, including `include` (a glob, or a file): farm.conf's, and the one
 * a change of the map's shards alone is checked with (lib/front/nginx-check).
 */
export function renderHostMap(include: string): string {
  return `map_hash_max_size 262144;
map_hash_bucket_size 512;
map $host $mutu_site {
    default "";
    include ${include};
}`;
}

const field = (n: number) => `"~^(?:[^|]*\\|){${n}}(?<v>[^|]*)"`;

/** The farm's server, included once in nginx's `http` block. */
export function renderFarmConf(layout: FrontLayout): string {
  checkLayout(layout);
  const n = layout.nginxDir;
  const tls = layout.listenTls.length > 0;
  return `# Mutu's front: every site of the farm, found by its host. Written by \`mutu front setup\` and
# \`mutu front sync\`; changes are overwritten. Include it in nginx's http block.

${layout.lookup === 'files' ? renderFilesLookup(layout) : renderHostMap(`${n}/sites/*.map`)}
map $mutu_site $mutu_state   { default ""; ${field(0)} $v; }
map $mutu_site $mutu_host    { default ""; ${field(1)} $v; }
map $mutu_site $mutu_code    { default ${n}/empty; ${field(2)} $v; }
map $mutu_site $mutu_socket  { default ${layout.runDir}/none.sock; ${field(3)} $v; }
map $mutu_site $mutu_target  { default ""; ${field(4)} $v; }
map $mutu_site $mutu_public  { default ""; ${field(6)} $v; }
map $mutu_site $mutu_tls     { default ""; ${field(7)} $v; }
# A public folder is served when the request names this very site and one of its public folders.
map "$mutu_host|$mutu_public_site|,$mutu_public,|$mutu_public_dir" $mutu_public_ok {
    default 0;
    "~^(?<h>[^|]+)\\|\\k<h>\\|[^|]*,(?<d>[^,|]+),[^|]*\\|\\k<d>$" 1;
}
# Where a request goes, from HTTPS or not, the site's state, its certificate and the path: ACME
# challenges over plain HTTP for the farm's hosts (whatever their state); plain HTTP of a site
# with a certificate to HTTPS, an alias to its site's HTTPS address. (nginx keeps a map's value
# for the whole request: Mutu's own pages, reached by internal redirects, are told apart by a
# \`set\` in site-server.conf, which runs again after each.)
map "$https|$mutu_state|$mutu_tls|$uri" $mutu_route {
    default $mutu_state;
    "~^\\|[a-z]+\\|[^|]*\\|/\\.well-known/acme-challenge/" acme;
    "~^\\|(serve|closed)\\|(tls|hsts)\\|" https;
    "~^(on\\|alias|\\|alias\\|(tls|hsts))\\|" alias-https;
}
server_names_hash_max_size 262144;
server_names_hash_bucket_size 512;

server {
${layout.listen.map((l) => `    listen ${l} default_server;`).join('\n')}
    server_name _;
    include ${siteServerFile(layout)};
}
${
  tls
    ? `
# HTTPS. A handshake names a certified site (its host or an alias): its chain and key come from
# maps nginx's master reads at each reload from files readable by root only (tls/<host>/),
# parsed at each handshake. One server for every certified site: a server each would cost
# about 300 KiB of memory per site (bench/README.md, "tls").
map $ssl_server_name $mutu_tls_site { default ""; include ${n}/tls/*/names.map; }
map $mutu_tls_site $mutu_tls_pem    { default ""; include ${n}/tls/*/pem.map; }
map $mutu_tls $mutu_hsts            { default ""; hsts "max-age=31536000"; }

# A name with no certificate here: the handshake is refused (no other site's certificate is shown).
server {
${layout.listenTls.map((l) => `    listen ${l} ssl default_server;`).join('\n')}
    server_name _;
    ssl_reject_handshake on;
    ssl_protocols TLSv1.2 TLSv1.3;
}

server {
${layout.listenTls.map((l) => `    listen ${l} ssl;`).join('\n')}
    include ${n}/tls/*/names.conf;
    ssl_certificate data:$mutu_tls_pem;
    ssl_certificate_key data:$mutu_tls_pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:mutu_tls:20m;
    ssl_session_timeout 1d;
    add_header Strict-Transport-Security $mutu_hsts always;
    include ${siteServerFile(layout)};
}
`
    : ''
}`;
}

/** What every server of the farm does, whichever way the request came (site-server.conf). */
export function renderSiteServer(layout: FrontLayout): string {
  checkLayout(layout);
  const n = layout.nginxDir;
  const port = tlsPortSuffix(layout);
  return `# Mutu's front: what every server of the farm serves, found by the request's host (farm.conf).
# Written by \`mutu front setup\` and \`mutu front sync\`; changes are overwritten.
root $mutu_code;
index index.php index.html;
server_tokens off;
client_max_body_size 64m;

error_page 404 /.mutu/404.html;
error_page 503 /.mutu/503.html;
location ^~ /.mutu/ {
    internal;
    alias ${n}/pages/;
}
# ACME HTTP-01: the tokens Mutu writes while it asks for a certificate, outside every site.
location ^~ /.well-known/acme-challenge/ {
    root ${acmeRoot(layout)};
    default_type text/plain;
    try_files $uri =404;
}

set $mutu_gate $mutu_route;
if ($uri ~ "^/\\.mutu/") {
    set $mutu_gate "page";
}
if ($mutu_gate = "") {
    return 404;
}
if ($mutu_gate = "https") {
    return 301 https://$host${port}$request_uri;
}
if ($mutu_gate = "alias") {
    return 301 $scheme://$mutu_target$request_uri;
}
if ($mutu_gate = "alias-https") {
    return 301 https://$mutu_target${port}$request_uri;
}
if ($mutu_gate = "moved") {
    return 301 $mutu_target$request_uri;
}
if ($mutu_gate = "closed") {
    return 503;
}

# Uploads and computed files: static only, never PHP, and only the requested site's own.
location ~ ^/sites/(?<mutu_public_site>[^/]+)/(?<mutu_public_dir>[^/]+)/ {
    if ($mutu_public_ok = 0) {
        return 404;
    }
    root ${layout.farmRoot};
    try_files $uri =404;
}
${renderSiteLocations(layout, '$mutu_socket').replace(/^ {4}/gm, '')}`;
}

/**
 * A certified site's lines for the farm's HTTPS server: its names (host and every alias,
 * whose requests the farm's maps then route as over plain HTTP), and its chain and key.
 * Null without a certificate (or without HTTPS): the site is served over plain HTTP only.
 */
export function renderTlsFiles(layout: FrontLayout, s: SiteFront): Record<(typeof TLS_RENDERED)[number], string> | null {
  checkLayout(layout);
  checkSite(s);
  if (!servesTls(layout, s)) return null;
  const names = [s.host, ...s.aliases.map((a) => a.host)];
  const head = `# ${s.host}: written by Mutu from its registry and certificate; changes are overwritten.\n`;
  return {
    'names.map': head + names.map((name) => `${name} ${s.host};\n`).join(''),
    'names.conf': `${head}server_name ${names.join(' ')};\n`,
    'pem.map': `${head}${s.host} "${s.tls!.pem.replace(/\r\n/g, '\n').trim()}\n";\n`,
  };
}

/**
 * The locations a site's server holds whatever its shape (the farm's one server here; the
 * server block per site bench/front.ts compares it with): what is kept private is never
 * served, PHP goes to `socket` (a path, or a variable holding one), the rest to the application.
 */
export function renderSiteLocations(layout: FrontLayout, socket: string): string {
  return `    # What a platform or a site keeps for itself is never served.
    location ~ ^/(config|priv|log|db|tmp|sites)(/|$) {
        return 404;
    }
    location ~ /\\.(?!well-known/) {
        return 404;
    }
    location ~ [^/]\\.php(/|$) {
        fastcgi_split_path_info ^(.+?\\.php)(/.*)$;
        try_files $fastcgi_script_name =404;
        fastcgi_pass unix:${socket};
        fastcgi_index index.php;
        include ${layout.nginxDir}/fastcgi_params;
        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
        fastcgi_param PATH_INFO $fastcgi_path_info;
        fastcgi_param HTTP_PROXY "";
    }
    location / {
        try_files $uri $uri/ /index.php$is_args$args;
    }
`;
}

/** A PHP-FPM pool for one site: its own user, started on demand, confined to its folders. */
export function renderPool(layout: FrontLayout, s: SiteFront, opts: { bootstrap?: string; maxChildren?: number } = {}): string {
  checkLayout(layout);
  checkSite(s);
  if (opts.bootstrap) assertSafePath(opts.bootstrap, 'bootstrapFile');
  const tmp = path.join(s.siteDir, s.tmpFolder);
  const lines = [
    `; ${s.host}: written by Mutu from its registry; changes are overwritten.`,
    `[${poolName(s.unixUser)}]`,
    `user = ${s.unixUser}`,
    `group = ${s.unixUser}`,
    `listen = ${socketPath(layout, s.unixUser)}`,
    `listen.owner = ${layout.webUser}`,
    `listen.group = ${layout.webUser}`,
    'listen.mode = 0660',
    // No process until a request comes, none left once idle: thousands of quiet sites cost nothing.
    'pm = ondemand',
    `pm.max_children = ${opts.maxChildren ?? 5}`,
    'pm.process_idle_timeout = 10s',
    'pm.max_requests = 500',
    `chdir = ${s.codePath}`,
    'clear_env = yes',
    'security.limit_extensions = .php',
    `env[MUTU_HOST] = ${s.host}`,
    `env[MUTU_SITE_DIR] = ${s.siteDir}`,
    `env[MUTU_CONNECTION_FILE] = ${s.connectionFile}`,
    `env[TMPDIR] = ${tmp}`,
    `php_admin_value[open_basedir] = ${[s.siteDir, s.codePath, ...(opts.bootstrap ? [opts.bootstrap] : [])].map((p, i) => (i < 2 ? `${p}/` : p)).join(':')}`,
    `php_admin_value[upload_tmp_dir] = ${tmp}`,
    `php_admin_value[session.save_path] = ${tmp}`,
    `php_admin_value[sys_temp_dir] = ${tmp}`,
    `php_admin_value[error_log] = ${path.join(tmp, 'php-errors.log')}`,
    'php_admin_flag[log_errors] = on',
    'php_admin_flag[expose_php] = off',
    'php_admin_flag[allow_url_include] = off',
  ];
  if (opts.bootstrap) lines.push(`php_admin_value[auto_prepend_file] = ${opts.bootstrap}`);
  return lines.join('\n') + '\n';
}

/** The pool PHP-FPM needs to start with no site at all (it refuses a configuration without pools). */
export function renderIdlePool(layout: FrontLayout, socket = 'idle.sock'): string {
  checkLayout(layout);
  if (!/^[A-Za-z0-9._-]+\.sock$/.test(socket)) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontBadSocket', { socket });
  return [
    '; Written by Mutu: PHP-FPM needs one pool to start; this one serves nothing and starts no process.',
    '[mutu-idle]',
    `user = ${layout.webUser}`,
    `group = ${layout.webUser}`,
    `listen = ${path.join(layout.runDir, socket)}`,
    `listen.owner = ${layout.webUser}`,
    `listen.group = ${layout.webUser}`,
    'listen.mode = 0660',
    'pm = ondemand',
    'pm.max_children = 1',
    '',
  ].join('\n');
}

const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The neutral page of an unknown host, and the maintenance page of a closed site. */
export function renderPage(kind: '404' | '503', text?: string): string {
  const title = kind === '404' ? 'Not found' : 'Under maintenance';
  const body = kind === '404' ? 'There is no site at this address.' : text?.trim() || 'This site is under maintenance. Please come back later.';
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#222;max-width:36rem;margin:15vh auto;padding:0 1rem}h1{font-size:1.4rem}</style>
</head><body><h1>${title}</h1><p>${html(body).replace(/\n/g, '<br>')}</p></body></html>
`;
}

/** nginx's FastCGI parameters, as Debian ships them, so the farm's server needs no file of nginx's. */
export const FASTCGI_PARAMS = `# Written by Mutu (nginx's own fastcgi_params).
fastcgi_param  QUERY_STRING       $query_string;
fastcgi_param  REQUEST_METHOD     $request_method;
fastcgi_param  CONTENT_TYPE       $content_type;
fastcgi_param  CONTENT_LENGTH     $content_length;
fastcgi_param  SCRIPT_NAME        $fastcgi_script_name;
fastcgi_param  REQUEST_URI        $request_uri;
fastcgi_param  DOCUMENT_URI       $document_uri;
fastcgi_param  DOCUMENT_ROOT      $document_root;
fastcgi_param  SERVER_PROTOCOL    $server_protocol;
fastcgi_param  REQUEST_SCHEME     $scheme;
fastcgi_param  HTTPS              $https if_not_empty;
fastcgi_param  GATEWAY_INTERFACE  CGI/1.1;
fastcgi_param  SERVER_SOFTWARE    nginx;
fastcgi_param  REMOTE_ADDR        $remote_addr;
fastcgi_param  REMOTE_PORT        $remote_port;
fastcgi_param  SERVER_ADDR        $server_addr;
fastcgi_param  SERVER_PORT        $server_port;
fastcgi_param  SERVER_NAME        $host;
fastcgi_param  REDIRECT_STATUS    200;
`;

/** Names for a site's Unix user, best first: `mu-` and SPIP's prefix of the host, then numbered. */
export function unixUserCandidates(prefix: string, count = 50): string[] {
  const base = `mu-${prefix.replace(/[^a-z0-9]/g, '').slice(0, 24) || 'site'}`;
  return [base, ...Array.from({ length: count - 1 }, (_, i) => `${base}-${i + 2}`)];
}
