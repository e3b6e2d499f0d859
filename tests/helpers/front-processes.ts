// Debian's nginx and PHP-FPM started as plain processes (no systemd), their configuration
// under a folder of the caller's, listening on a loopback port. Mutu's MUTU_FRONT_* settings
// point at that folder, so `mutu front setup` and every site change write, check and reload
// exactly as they would under /etc. Shared by the tests (tests/helpers/front.ts) and the
// front's bench (bench/front.ts); nothing here depends on the test runner.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { PeerCertificate } from 'node:tls';
import path from 'node:path';
import { accepts } from '../../lib/front/services';
import { windowPort } from './free-port';

export const PHP_VERSION = '8.2';
/** Debian's libnginx-mod-http-js: with it Mutu's front finds a request's site by its host's file (MUTU_FRONT_LOOKUP=auto). */
export const NGINX_JS_MODULE = '/usr/lib/nginx/modules/ngx_http_js_module.so';

/** Whether this machine can run a front (root, nginx, PHP-FPM 8.2); why not otherwise. */
export function frontUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'a real front needs root (Unix users, PHP-FPM pools)';
  const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$0" || test -x "/usr/sbin/$0"', cmd]).status === 0;
  if (!has('nginx')) return 'nginx is not installed (apt-get install nginx)';
  if (!has(`php-fpm${PHP_VERSION}`)) return `PHP-FPM ${PHP_VERSION} is not installed (apt-get install php${PHP_VERSION}-fpm)`;
  return null;
}

export interface FrontProcessOptions {
  /** nginx's `worker_processes` (the tests' 1; Debian's nginx.conf says `auto`) */
  workerProcesses?: string;
  /** more lines for php-fpm.conf's [global] section, such as `rlimit_files = 20000` */
  fpmGlobal?: string[];
  /** how long each server may take to start (PHP-FPM with thousands of pools takes seconds) */
  startTimeoutMs?: number;
}

export interface FrontProcesses {
  dir: string;
  port: number;
  /** the farm's HTTPS port */
  tlsPort: number;
  /** MUTU_FRONT_* for this front */
  env: Record<string, string>;
  /** nginx's http block includes every `*.conf` of this folder */
  confDir: string;
  /** starts nginx and PHP-FPM (call after `mutu front setup` wrote their files) */
  start(): Promise<void>;
  startNginx(): Promise<void>;
  startFpm(): Promise<void>;
  stop(): Promise<void>;
  stopNginx(): Promise<void>;
  stopFpm(): Promise<void>;
  /** starts one PHP-FPM master per group `mutu front setup` wrote (MUTU_FRONT_PHP_GROUPS > 1), as its systemd unit would */
  startFpmGroups(): Promise<void>;
  stopFpmGroups(): Promise<void>;
  /** the pid of each group's master, by group (g01...), as its pid file says */
  fpmGroupPids(): Record<string, number>;
  /** a group's php-fpm.conf */
  fpmGroupConf(group: string): string;
  /** GET through the front with a Host header */
  get(host: string, urlPath?: string, timeoutMs?: number): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>;
  /** GET over HTTPS (SNI and Host: `host`), trusting only `ca`, as `curl --cacert ca --resolve host:port:127.0.0.1` */
  getHttps(host: string, urlPath: string, ca: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders; certificate: PeerCertificate }>;
  nginxLog(): string;
  fpmLog(): string;
}

/** A front in `dir` (made by the caller, removed by the caller), on loopback ports of this worker's window (free-port.ts). */
export function frontProcesses(dir: string, opts: FrontProcessOptions = {}): FrontProcesses {
  fs.chmodSync(dir, 0o755); // nginx's workers (www-data) read the pages and reach the sockets
  const port = windowPort();
  const tlsPort = windowPort();
  const nginxConf = path.join(dir, 'nginx', 'nginx.conf');
  const confDir = path.join(dir, 'nginx', 'conf.d');
  const phpDir = path.join(dir, 'php', '{version}', 'fpm');
  const fpmConf = path.join(phpDir.replace('{version}', PHP_VERSION), 'php-fpm.conf');
  const nginxPid = path.join(dir, 'nginx.pid');
  const fpmPid = path.join(dir, 'php-fpm.pid');
  for (const d of ['nginx/conf.d', 'nginx/temp', `php/${PHP_VERSION}/fpm/pool.d`, 'run', 'mutu']) fs.mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
  fs.writeFileSync(
    nginxConf,
    `${fs.existsSync(NGINX_JS_MODULE) ? `load_module ${NGINX_JS_MODULE};\n` : ''}user www-data;
worker_processes ${opts.workerProcesses ?? '1'};
pid ${nginxPid};
error_log ${dir}/nginx-error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path ${dir}/nginx/temp/body;
    fastcgi_temp_path ${dir}/nginx/temp/fastcgi;
    proxy_temp_path ${dir}/nginx/temp/proxy;
    uwsgi_temp_path ${dir}/nginx/temp/uwsgi;
    scgi_temp_path ${dir}/nginx/temp/scgi;
    include ${confDir}/*.conf;
}
`,
  );
  fs.writeFileSync(
    fpmConf,
    `[global]
pid = ${fpmPid}
error_log = ${dir}/php-fpm.log
daemonize = no
process_control_timeout = 5s
${(opts.fpmGlobal ?? []).map((l) => `${l}\n`).join('')}include = ${path.dirname(fpmConf)}/pool.d/*.conf
`,
  );
  const env = {
    MUTU_FRONT_NGINX_DIR: path.join(dir, 'mutu'),
    MUTU_FRONT_NGINX_CONF: nginxConf,
    MUTU_FRONT_NGINX_INCLUDE: path.join(confDir, 'mutu.conf'),
    MUTU_FRONT_PHP_DIR: phpDir,
    MUTU_FRONT_LISTEN: `127.0.0.1:${port}`,
    MUTU_FRONT_LISTEN_TLS: `127.0.0.1:${tlsPort}`,
    MUTU_FRONT_RUN_DIR: path.join(dir, 'run'),
    MUTU_FRONT_WEB_USER: 'www-data',
  };
  const running: Record<string, ChildProcess | null> = { nginx: null, fpm: null };
  const groupsDir = path.join(path.dirname(fpmConf), 'mutu-groups');
  const groupNames = () => (fs.existsSync(groupsDir) ? fs.readdirSync(groupsDir).filter((g) => /^g\d+$/.test(g) && fs.existsSync(path.join(groupsDir, g, 'php-fpm.conf'))) : []);
  const confValue = (conf: string, key: string) => new RegExp(`^\\s*${key}\\s*=\\s*(\\S+)`, 'm').exec(read(conf))?.[1] ?? '';
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  const logs = () => `${read(path.join(dir, 'nginx-error.log'))}${read(path.join(dir, 'php-fpm.log')).slice(-4000)}`;

  const launch = async (which: string, command: string, args: string[], pidFile: string) => {
    fs.rmSync(pidFile, { force: true });
    const child = spawn(command, args, { stdio: 'ignore' });
    running[which] = child;
    const until = Date.now() + (opts.startTimeoutMs ?? 15_000);
    // The file may exist a moment before its number is written.
    while (!/^\d+\s*$/.test(read(pidFile))) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`${command} did not start: ${logs()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const halt = async (which: string) => {
    const c = running[which];
    running[which] = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };

  const front: FrontProcesses = {
    dir,
    port,
    tlsPort,
    env,
    confDir,
    startNginx: () => launch('nginx', 'nginx', ['-c', nginxConf, '-g', 'daemon off;'], nginxPid),
    startFpm: () => launch('fpm', `php-fpm${PHP_VERSION}`, ['-y', fpmConf, '-F'], fpmPid),
    async start() {
      await Promise.all([front.startNginx(), front.startFpm()]);
    },
    stopNginx: () => halt('nginx'),
    stopFpm: () => halt('fpm'),
    async startFpmGroups() {
      await Promise.all(groupNames().map((g) => {
        const conf = path.join(groupsDir, g, 'php-fpm.conf');
        return launch(`fpm-${g}`, `php-fpm${PHP_VERSION}`, ['-y', conf, '-F'], confValue(conf, 'pid'));
      }));
    },
    async stopFpmGroups() {
      await Promise.all(Object.keys(running).filter((k) => k.startsWith('fpm-')).map((k) => halt(k)));
    },
    fpmGroupPids() {
      return Object.fromEntries(groupNames().map((g) => [g, Number(read(confValue(path.join(groupsDir, g, 'php-fpm.conf'), 'pid')).trim())]).filter(([, pid]) => pid));
    },
    fpmGroupConf: (g) => path.join(groupsDir, g, 'php-fpm.conf'),
    async stop() {
      await halt('nginx');
      await halt('fpm');
      await front.stopFpmGroups();
    },
    get(host, urlPath = '/', timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers: { Host: host }, timeout: timeoutMs, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        });
        req.on('timeout', () => req.destroy(new Error(`no answer from the front for ${host}${urlPath}`)));
        req.on('error', reject);
        req.end();
      });
    },
    getHttps(host, urlPath, ca) {
      return new Promise((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port: tlsPort, servername: host, path: urlPath, headers: { Host: host }, ca, timeout: 15_000, agent: false }, (res) => {
          const certificate = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, certificate }));
        });
        req.on('timeout', () => req.destroy(new Error(`no HTTPS answer from the front for ${host}${urlPath}`)));
        req.on('error', reject);
        req.end();
      });
    },
    nginxLog: () => read(path.join(dir, 'nginx-error.log')),
    // The version's own master's log, then each group's (its php-fpm.conf names it).
    fpmLog: () => [path.join(dir, 'php-fpm.log'), ...groupNames().map((g) => confValue(path.join(groupsDir, g, 'php-fpm.conf'), 'error_log'))].map((f) => read(f)).join(''),
  };
  return front;
}

/**
 * Runs `fn` while PHP-FPM's pid file names a process that ignores the reload signal (a reload
 * that never opens a new pool, as a PHP-FPM slow to parse thousands of pools), then puts the
 * real pid back. Returns the real master's pid, for the test to reload it late itself.
 */
export async function withDeafPhpFpm(front: { dir: string }, fn: () => Promise<void>): Promise<number> {
  const pidFile = path.join(front.dir, 'php-fpm.pid');
  const realPid = fs.readFileSync(pidFile, 'utf8');
  const deaf = spawn(process.execPath, ['-e', "process.on('SIGUSR2', () => {}); console.log('ready'); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => deaf.stdout.once('data', resolve));
  fs.writeFileSync(pidFile, String(deaf.pid));
  try {
    await fn();
  } finally {
    fs.writeFileSync(pidFile, realPid);
    deaf.kill('SIGKILL');
  }
  return Number(realPid);
}

/** Waits until a Unix socket accepts (a pool PHP-FPM opened), failing after `timeoutMs` with `log()`. */
export async function waitUntilAccepts(socket: string, timeoutMs: number, log: () => string = () => ''): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await accepts(socket))) {
    if (Date.now() > until) throw new Error(`${socket} does not accept connections after ${timeoutMs / 1000} s${log() ? `: ${log()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
