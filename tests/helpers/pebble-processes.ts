// A real ACME CA on loopback: Debian's pebble (RFC 8555, test-only) and pebble-challtestsrv
// as its DNS, answering every name with 127.0.0.1, so the CA's HTTP-01 checks reach the test
// front's port. Pebble's own HTTPS listener gets a certificate from a CA made here with
// openssl: Mutu trusts that CA through MUTU_ACME_CA_FILE only. Shared by the tests and
// bench/tls.ts; nothing here depends on the test runner.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { windowPort } from './free-port';

/** Whether this machine has pebble, pebble-challtestsrv and openssl; why not otherwise. */
export function pebbleUnavailable(): string | null {
  const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$0"', cmd]).status === 0;
  for (const cmd of ['pebble', 'pebble-challtestsrv', 'openssl']) if (!has(cmd)) return `${cmd} is not installed (apt-get install pebble openssl)`;
  return null;
}

export interface PebbleProcesses {
  dir: string;
  /** the ACME directory URL */
  directory: string;
  /** the CA that signed pebble's HTTPS listener (for MUTU_ACME_CA_FILE) */
  listenerCaFile: string;
  /** MUTU_ACME_* for this CA */
  env: Record<string, string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** the root pebble issues from (made anew at each start): what a client of the sites trusts */
  issuingRoot(): Promise<string>;
  /** DNS answers for one host (the CA then looks for the challenge there), or back to 127.0.0.1 */
  pointHost(host: string, addresses: string[] | null): Promise<void>;
  log(): string;
}

const port = windowPort;

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A CA and a certificate for 127.0.0.1 and localhost signed by it, valid two days. */
function listenerCertificates(dir: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Mutu test ACME listener CA'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'listener.key', '-out', 'listener.csr', '-subj', '/CN=localhost'], dir);
  fs.writeFileSync(path.join(dir, 'listener.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', 'listener.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'listener.pem', '-days', '2', '-extfile', 'listener.ext'], dir);
}

/**
 * Pebble in `dir` (made and removed by the caller), validating HTTP-01 on `httpPort` (the
 * front's), with its ports chosen now so Mutu's environment can name them before start().
 */
export function pebbleProcesses(dir: string, opts: { httpPort: number }): PebbleProcesses {
  listenerCertificates(dir);
  const ports = { acme: port(), management: port(), dns: port(), challManagement: port() };
  const config = path.join(dir, 'pebble-config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${ports.acme}`,
        managementListenAddress: `127.0.0.1:${ports.management}`,
        certificate: path.join(dir, 'listener.pem'),
        privateKey: path.join(dir, 'listener.key'),
        httpPort: opts.httpPort,
        tlsPort: port(),
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const listenerCaFile = path.join(dir, 'ca.pem');
  const directory = `https://127.0.0.1:${ports.acme}/dir`;
  const running: ChildProcess[] = [];
  const logFile = (name: string) => path.join(dir, `${name}.log`);
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  const log = () => `${read(logFile('pebble')).slice(-4000)}${read(logFile('challtestsrv')).slice(-2000)}`;

  const launch = async (name: string, command: string, args: string[], env: Record<string, string>, ready: RegExp) => {
    const out = fs.openSync(logFile(name), 'w');
    const child = spawn(command, args, { stdio: ['ignore', out, out], env: { ...process.env, ...env } });
    fs.closeSync(out);
    running.push(child);
    const until = Date.now() + 15_000;
    while (!ready.test(read(logFile(name)))) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`${command} did not start: ${read(logFile(name))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const management = (urlPath: string, body: unknown) =>
    fetch(`http://127.0.0.1:${ports.challManagement}${urlPath}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => {
      if (!r.ok) throw new Error(`pebble-challtestsrv ${urlPath}: HTTP ${r.status}`);
    });

  return {
    dir,
    directory,
    listenerCaFile,
    env: { MUTU_ACME_DIRECTORY: directory, MUTU_ACME_CA_FILE: listenerCaFile, MUTU_ACME_EMAIL: 'certificates@mutu.test' },
    async start() {
      // The DNS first: every name is 127.0.0.1 (no IPv6 answer, so the CA never tries ::1).
      const off = ['-http01', '', '-https01', '', '-tlsalpn01', ''];
      await launch('challtestsrv', 'pebble-challtestsrv', ['-dns01', `127.0.0.1:${ports.dns}`, '-management', `127.0.0.1:${ports.challManagement}`, '-defaultIPv4', '127.0.0.1', '-defaultIPv6', '', ...off], {}, /Starting management server/);
      // No random sleeps before validations, no nonce refused on purpose, and an earlier valid
      // authorization taken again for 1 name in 100 only (not 0: pebble's check is
      // `rand.Intn(100) > percent`; a test that needs a failed validation uses a new account).
      await launch('pebble', 'pebble', ['-config', config, '-dnsserver', `127.0.0.1:${ports.dns}`], { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' }, /Listening on/);
    },
    async stop() {
      for (const c of running.splice(0)) {
        if (c.exitCode !== null || c.signalCode !== null) continue;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
    },
    issuingRoot() {
      const ca = fs.readFileSync(listenerCaFile, 'utf8');
      return new Promise((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port: ports.management, path: '/roots/0', ca, agent: false }, (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (d: string) => (body += d));
            res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`pebble's root: HTTP ${res.statusCode}`))));
          })
          .on('error', reject);
      });
    },
    pointHost: (host, addresses) => (addresses ? management('/add-a', { host, addresses }) : management('/clear-a', { host })),
    log,
  };
}
