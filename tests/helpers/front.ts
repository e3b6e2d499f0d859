// A real front for tests: Debian's nginx and PHP-FPM started as plain processes (no systemd),
// their configuration under a temporary folder, listening on a loopback port. Mutu's
// MUTU_FRONT_* settings point at that folder, so `mutu front setup` and every site change
// write, check and reload exactly as they would under /etc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { useTestFarm } from './registry';

export const PHP_VERSION = '8.2';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
const fixtureCopies: string[] = [];
afterAll(() => {
  for (const d of fixtureCopies.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of a fixture application (a platform's code) where every site's user can read it, with its VERSION; removed after the file. */
export function copyFixtureApp(app: 'php-app' | 'spip-shaped', version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mutu-${app}-v${version}-`));
  fixtureCopies.push(dir);
  fs.cpSync(path.join(FIXTURES, app), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'VERSION'), `${version}\n`);
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Whether this machine can run a front (root, nginx, PHP-FPM 8.2); why not otherwise. */
export function frontUnavailable(): string | null {
  if (process.env.MUTU_TEST_FRONT !== '1') return 'tests/run.js found no front on this machine (root, nginx, php-fpm8.2)';
  if (process.getuid?.() !== 0) return 'the front tests need root (Unix users, PHP-FPM pools)';
  const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$0" || test -x "/usr/sbin/$0"', cmd]).status === 0;
  if (!has('nginx')) return 'nginx is not installed (apt-get install nginx)';
  if (!has(`php-fpm${PHP_VERSION}`)) return `PHP-FPM ${PHP_VERSION} is not installed (apt-get install php${PHP_VERSION}-fpm)`;
  return null;
}

export interface TestFront {
  dir: string;
  port: number;
  /** MUTU_FRONT_* for this front: give them to useTestFarm */
  env: Record<string, string>;
  /** starts nginx and PHP-FPM (call after `mutu front setup` wrote their files) */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** GET through the front with a Host header */
  get(host: string, urlPath?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>;
  nginxLog(): string;
  fpmLog(): string;
}

/**
 * A front in a fresh folder. The port is chosen now (environment first, as Mutu reads it
 * once); start() fails clearly if something took it meanwhile.
 */
export function useTestFront(): TestFront {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-front-'));
  fs.chmodSync(dir, 0o755); // nginx's workers (www-data) read the pages and reach the sockets
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const nginxConf = path.join(dir, 'nginx', 'nginx.conf');
  const phpDir = path.join(dir, 'php', '{version}', 'fpm');
  const fpm = (v: string) => phpDir.replace('{version}', v);
  for (const d of ['nginx/conf.d', 'nginx/temp', `php/${PHP_VERSION}/fpm/pool.d`, 'run', 'mutu']) fs.mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
  fs.writeFileSync(
    nginxConf,
    `user www-data;
worker_processes 1;
pid ${dir}/nginx.pid;
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
    include ${dir}/nginx/conf.d/*.conf;
}
`,
  );
  fs.writeFileSync(
    path.join(fpm(PHP_VERSION), 'php-fpm.conf'),
    `[global]
pid = ${dir}/php-fpm.pid
error_log = ${dir}/php-fpm.log
daemonize = no
process_control_timeout = 5s
include = ${fpm(PHP_VERSION)}/pool.d/*.conf
`,
  );
  const env = {
    MUTU_FRONT_NGINX_DIR: path.join(dir, 'mutu'),
    MUTU_FRONT_NGINX_CONF: nginxConf,
    MUTU_FRONT_NGINX_INCLUDE: path.join(dir, 'nginx', 'conf.d', 'mutu.conf'),
    MUTU_FRONT_PHP_DIR: phpDir,
    MUTU_FRONT_LISTEN: `127.0.0.1:${port}`,
    MUTU_FRONT_RUN_DIR: path.join(dir, 'run'),
    MUTU_FRONT_WEB_USER: 'www-data',
  };
  const children: ChildProcess[] = [];
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');

  const waitFor = async (what: string, ok: () => boolean) => {
    const until = Date.now() + 15_000;
    while (!ok()) {
      if (Date.now() > until) throw new Error(`${what} did not start: ${read(path.join(dir, 'nginx-error.log'))}${read(path.join(dir, 'php-fpm.log'))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const front: TestFront = {
    dir,
    port,
    env,
    async start() {
      const nginx = spawn('nginx', ['-c', nginxConf, '-g', 'daemon off;'], { stdio: 'ignore' });
      const php = spawn(`php-fpm${PHP_VERSION}`, ['-y', path.join(fpm(PHP_VERSION), 'php-fpm.conf'), '-F'], { stdio: 'ignore' });
      children.push(nginx, php);
      await waitFor('nginx', () => fs.existsSync(path.join(dir, 'nginx.pid')));
      await waitFor('PHP-FPM', () => fs.existsSync(path.join(dir, 'php-fpm.pid')));
    },
    async stop() {
      for (const c of children.splice(0)) {
        if (c.exitCode !== null) continue;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (c.exitCode === null) c.kill('SIGKILL');
      }
    },
    get(host, urlPath = '/') {
      return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers: { Host: host }, timeout: 15_000, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        });
        req.on('timeout', () => req.destroy(new Error(`no answer from the front for ${host}${urlPath}`)));
        req.on('error', reject);
        req.end();
      });
    },
    nginxLog: () => read(path.join(dir, 'nginx-error.log')),
    fpmLog: () => read(path.join(dir, 'php-fpm.log')),
  };
  afterAll(async () => {
    await front.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return front;
}

/**
 * A test farm served by a real front: its own farm root (outside the private data folder,
 * as an admin would set MUTU_ROOT), Mutu's settings pointing at the front, and at the end
 * the front stopped, then the Unix users of the registry's sites removed (userdel refuses
 * while PHP-FPM workers run as them). Call at the top of a file instead of useTestFarm.
 */
export function useServedFarm(extraEnv: Record<string, string> = {}, opts: { farmInsideData?: boolean } = {}) {
  const front = useTestFront();
  // The embedded default keeps the farm inside the (private) data folder: the front must cope.
  const farmRoot = opts.farmInsideData ? '' : fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-farm-'));
  const farm = useTestFarm({ ...front.env, ...(farmRoot ? { MUTU_ROOT: farmRoot } : {}), ...extraEnv });
  afterAll(async () => {
    await front.stop();
    const { db } = await import('../../lib/db/client');
    const sites = await db.site.findMany({ where: { unixUser: { not: null } }, select: { unixUser: true } });
    for (const s of sites) spawnSync('userdel', [s.unixUser!]);
    if (farmRoot) fs.rmSync(farmRoot, { recursive: true, force: true });
  });
  return { front, farm, farmRoot };
}
