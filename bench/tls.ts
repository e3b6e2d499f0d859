/**
 * HTTPS: the time to issue one certificate through Mutu against Debian's certbot
 * (`certbot certonly --webroot`) on the same ACME CA (pebble, on loopback, validating
 * HTTP-01 against the same real front); the daily renewal's time at 1,000 certificates none
 * of which is due; nginx -t and a reload with a server per certified site. See
 * bench/README.md, "tls".
 *
 *   node --import tsx bench/tls.ts [--issues N] [--certificates N] [--servers N]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { frontProcesses, frontUnavailable } from '../tests/helpers/front-processes';
import { pebbleProcesses, pebbleUnavailable } from '../tests/helpers/pebble-processes';
import { isolate } from './lib/isolate';
import { cleanupSteps, failed, interruptible, runBench, say, writeReport } from './lib/run';
import { median, ms, p95, ratio } from './lib/stats';

const USAGE = `usage: node --import tsx bench/tls.ts [--issues N] [--certificates N] [--servers N]
  --issues N         certificates issued each way, one site each (default 10)
  --certificates N   certificates in the registry for the renewal run, none due (default 1000)
  --servers N        certified sites for nginx -t and its reload (default 1000)`;

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const DAY = 86_400_000;

function args() {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { issues: { type: 'string', default: '10' }, certificates: { type: 'string', default: '1000' }, servers: { type: 'string', default: '1000' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    say(USAGE);
    process.exit(0);
  }
  const n = (v: string, what: string) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1 || x > 100_000) throw new Error(`--${what} expects a whole number from 1 to 100000\n${USAGE}`);
    return x;
  };
  return { issues: n(values.issues, 'issues'), certificates: n(values.certificates, 'certificates'), servers: n(values.servers, 'servers') };
}

/** Runs a program to its end; its time in ms, or its output in the error. */
function timed(command: string, argv: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} ${argv[0]} exited ${code}: ${out.slice(-2000)}`))));
  });
}

async function main(): Promise<number> {
  const opts = args();
  const why = frontUnavailable() ?? pebbleUnavailable() ?? (spawnSync('sh', ['-c', 'command -v certbot']).status === 0 ? null : 'certbot is not installed (apt-get install certbot)');
  if (why) throw new Error(`cannot run: ${why}`);
  const projectDir = process.cwd();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-bench-tls-'));
  fs.chmodSync(dataDir, 0o711); // nginx's workers and the sites' users pass through to the front and the farm
  for (const d of ['front', 'pebble', 'certbot', 'platform']) fs.mkdirSync(path.join(dataDir, d));
  const procs = frontProcesses(path.join(dataDir, 'front'));
  const pebble = pebbleProcesses(path.join(dataDir, 'pebble'), { httpPort: procs.port });
  const leftovers = () => `leftovers, if any: nginx, PHP-FPM, pebble started from ${dataDir}, Unix users commented "Mutu site *.tls.bench.test", the folder ${dataDir}`;
  const abort = interruptible(leftovers);
  let exitCode = 0;
  let stopWorker = async () => {};
  try {
    isolate(dataDir, { ...procs.env, ...pebble.env });
    const { bootstrap } = await import('../lib/bootstrap');
    const { db } = await import('../lib/db/client');
    const { setupFront } = await import('../lib/front/farm');
    const { frontLayout } = await import('../lib/front/settings');
    const { registerBuiltInHandlers } = await import('../lib/jobs/handlers');
    const { enqueue } = await import('../lib/jobs/queue');
    const { Worker } = await import('../lib/jobs/worker');
    const { addPlatform } = await import('../lib/platforms/service');
    const { requestSite } = await import('../lib/sites/request');
    const { requestCertificate } = await import('../lib/tls/request');
    const { obtainSiteCertificate } = await import('../lib/tls/issue');
    const { tlsRenewHandler } = await import('../lib/tls/renew-handler');
    const { acmeRoot, renderTlsFiles, tlsFiles } = await import('../lib/domain/front');
    const { loadSiteRecord, siteFrontOf, tlsPem } = await import('../lib/front/site-front');
    const { nginxReload, nginxTest } = await import('../lib/front/services');
    const actor = { source: 'cli' as const, ip: 'cli', email: 'bench' };

    await bootstrap(() => {});
    registerBuiltInHandlers();
    const code = path.join(dataDir, 'platform');
    fs.writeFileSync(path.join(code, 'index.php'), '<?php echo "ok";\n');
    fs.chmodSync(code, 0o755);
    await addPlatform(actor, { name: 'app', profile: 'generic', path: code, version: '1' });
    await setupFront();
    await Promise.all([procs.start(), pebble.start()]);
    const worker = new Worker({ concurrency: 4, leaseSeconds: 60, pollMs: 10 });
    await worker.start();
    stopWorker = () => worker.stop();
    const finished = async (kinds: string[]) => {
      for (;;) {
        abort.signal.throwIfAborted();
        const left = await db.job.count({ where: { kind: { in: kinds }, status: { in: ['queued', 'running', 'undoing'] } } });
        if (!left) return;
        await sleep(100);
      }
    };

    // Sites served by the front; each gets its first certificate as it is made (this also
    // registers Mutu's ACME account): not counted.
    const hosts = Array.from({ length: opts.issues }, (_, i) => `s${String(i).padStart(3, '0')}.tls.bench.test`);
    say(`making ${hosts.length} sites served by the front (each gets its first certificate)...`);
    for (const host of hosts) await requestSite(actor, { host, platform: 'app' });
    worker.nudge();
    await finished(['site.provision', 'tls.issue']);
    const bad = await db.job.findMany({ where: { kind: { in: ['site.provision', 'tls.issue'] }, status: { not: 'succeeded' } }, select: { kind: true, target: true, error: true } });
    if (bad.length) throw new Error(`${bad.length} site or certificate jobs failed: ${bad.map((j) => `${j.kind} ${j.target}: ${j.error}`).join('; ')}`);

    const certbotDirs = ['--config-dir', path.join(dataDir, 'certbot', 'config'), '--work-dir', path.join(dataDir, 'certbot', 'work'), '--logs-dir', path.join(dataDir, 'certbot', 'logs')];
    const certbotEnv = { REQUESTS_CA_BUNDLE: pebble.listenerCaFile };
    const certbotCommon = ['--server', pebble.directory, '--non-interactive', '--agree-tos', '-m', 'bench@tls.bench.test', ...certbotDirs];
    await timed('certbot', ['register', ...certbotCommon], certbotEnv);
    const webroot = acmeRoot(frontLayout());

    const figures = { certbot: [] as number[], mutuJob: [] as number[], mutuAcme: [] as number[] };
    say(`issuing ${hosts.length} certificates each way, taken in turn site after site...`);
    for (const host of hosts) {
      abort.signal.throwIfAborted();
      // Both ask for the same names: the host and its www. alias.
      figures.certbot.push(await timed('certbot', ['certonly', '--webroot', '-w', webroot, '-d', host, '-d', `www.${host}`, '--cert-name', host, '--force-renewal', ...certbotCommon], certbotEnv));
      const site = await db.site.findUniqueOrThrow({ where: { host } });
      let t0 = performance.now();
      await obtainSiteCertificate(site, async () => {});
      figures.mutuAcme.push(performance.now() - t0);
      t0 = performance.now();
      const { job } = await requestCertificate(actor, host);
      worker.nudge();
      for (;;) {
        const j = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, error: true } });
        if (j.status === 'succeeded') break;
        if (j.status === 'failed' || j.status === 'cancelled') throw new Error(`tls.issue for ${host} ${j.status}: ${j.error}`);
        await sleep(5);
      }
      figures.mutuJob.push(performance.now() - t0);
      say(`  ${host}: certbot ${ms(figures.certbot.at(-1)!)}, Mutu's ACME part ${ms(figures.mutuAcme.at(-1)!)}, Mutu's job ${ms(figures.mutuJob.at(-1)!)}`);
    }

    // The daily renewal with `certificates` in the registry, none due.
    say(`renewal run at ${opts.certificates} certificates, none due...`);
    const platform = await db.platform.findFirstOrThrow();
    const now = Date.now();
    for (let i = 0; i < opts.certificates; i += 500) {
      const batch = Array.from({ length: Math.min(500, opts.certificates - i) }, (_, k) => `r${String(i + k).padStart(6, '0')}.renew.bench.test`);
      await db.site.createMany({ data: batch.map((host) => ({ host, status: 'active', platformId: platform.id })) });
      const ids = await db.site.findMany({ where: { host: { in: batch } }, select: { id: true, host: true } });
      await db.certificate.createMany({
        data: ids.map((s, k) => ({ siteId: s.id, names: [s.host], issuer: 'bench', serial: String(i + k), fingerprint: 'x', notBefore: new Date(now - DAY), notAfter: new Date(now + (31 + ((i + k) % 60)) * DAY), source: 'acme' })),
      });
    }
    const renewals: number[] = [];
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      const job = await enqueue(tlsRenewHandler, {}, { actor });
      worker.nudge();
      for (;;) {
        const j = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, error: true } });
        if (j.status === 'succeeded') break;
        if (j.status === 'failed') throw new Error(`tls.renew failed: ${j.error}`);
        await sleep(5);
      }
      renewals.push(performance.now() - t0);
    }
    await worker.stop();
    stopWorker = async () => {};

    // nginx with many certified sites (each with its own key and certificate files, copies of one): -t and a reload, before and after.
    say(`nginx -t and reload with ${opts.servers} more certified sites...`);
    const layout = frontLayout();
    const model = await loadSiteRecord(hosts[0]!);
    const modelFront = siteFrontOf(model!, model!.unixUser!, layout);
    const modelFiles = tlsFiles(layout, hosts[0]!);
    const measureNginx = async () => {
      const t: number[] = [];
      const r: number[] = [];
      for (let i = 0; i < 3; i++) {
        let t0 = performance.now();
        await nginxTest();
        t.push(performance.now() - t0);
        t0 = performance.now();
        await nginxReload();
        r.push(performance.now() - t0);
      }
      return { test: median(t), reload: median(r) };
    };
    const before = await measureNginx();
    const extra: string[] = [];
    for (let i = 0; i < opts.servers; i++) {
      const host = `n${String(i).padStart(6, '0')}.servers.bench.test`;
      const files = tlsFiles(layout, host);
      fs.mkdirSync(files.dir, { recursive: true, mode: 0o700 });
      fs.copyFileSync(modelFiles.cert, files.cert);
      fs.copyFileSync(modelFiles.key, files.key);
      const rendered = renderTlsFiles(layout, { ...modelFront, host, aliases: [{ host: `www.${host}`, serve: false }], tls: { pem: tlsPem(files.cert, files.key)!, hsts: false } })!;
      for (const [name, text] of Object.entries(rendered)) fs.writeFileSync(path.join(files.dir, name), text, { mode: 0o600 });
      extra.push(files.dir);
    }
    const after = await measureNginx();
    // Full handshakes (no resumption) with one certified site, its chain and key parsed by nginx at each.
    const root = await pebble.issuingRoot();
    const handshake = () =>
      new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        const socket = tls.connect({ host: '127.0.0.1', port: procs.tlsPort, servername: hosts[0]!, ca: root }, () => {
          socket.end();
          resolve(performance.now() - t0);
        });
        socket.on('error', reject);
      });
    for (let i = 0; i < 20; i++) await handshake();
    const handshakes: number[] = [];
    for (let i = 0; i < 300; i++) handshakes.push(await handshake());
    const nginxMemory = (() => {
      const pid = Number(fs.readFileSync(path.join(procs.dir, 'nginx.pid'), 'utf8'));
      const rss = (p: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      return rss(pid);
    })();
    for (const d of extra) fs.rmSync(d, { recursive: true, force: true });

    const versions = {
      certbot: spawnSync('certbot', ['--version'], { encoding: 'utf8' }).stdout.trim(),
      pebble: spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'pebble'], { encoding: 'utf8' }).stdout.trim(),
      nginx: spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim(),
    };
    const row = (what: string, v: number[]) => `| ${what} | ${ms(median(v))} | ${ms(p95(v))} | ${ratio(median(v), median(figures.certbot))} |`;
    const report = [
      `## tls: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${opts.issues} certificates each way, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      '',
      `${versions.certbot}, pebble ${versions.pebble} (PEBBLE_VA_NOSLEEP=1, PEBBLE_WFE_NONCEREJECT=0, PEBBLE_AUTHZREUSE=0), ${versions.nginx}, Node ${process.version}, ${os.cpus().length} CPUs.`,
      '',
      '| one certificate (host + www.) | median | p95 | against certbot |',
      '|---|---|---|---|',
      row('`certbot certonly --webroot` (a process, its account registered beforehand)', figures.certbot),
      row("Mutu's ACME part alone (`obtainSiteCertificate`: order, HTTP-01 answered by the front, finalize, download)", figures.mutuAcme),
      row('Mutu, whole `tls.issue` job (request, worker, ACME, install, nginx -t, reload, record)', figures.mutuJob),
      '',
      `| daily renewal, ${opts.certificates} certificates none due | median of 5 | max |`,
      '|---|---|---|',
      `| \`tls.renew\` job, queued to succeeded | ${ms(median(renewals))} | ${ms(Math.max(...renewals))} |`,
      '',
      `| nginx, one HTTPS server for every certified site | -t | reload |`,
      '|---|---|---|',
      `| ${opts.issues} certified sites | ${ms(before.test)} | ${ms(before.reload)} |`,
      `| ${opts.issues + opts.servers} certified sites | ${ms(after.test)} | ${ms(after.reload)} |`,
      '',
      `nginx master's resident memory with ${opts.issues + opts.servers} certified sites: ${(nginxMemory / 1048576).toFixed(0)} MiB.`,
      `A full TLS handshake with a certified site (Node's client, verified against pebble's root, 300 in a row): median ${ms(median(handshakes))}, p95 ${ms(p95(handshakes))}.`,
    ].join('\n');
    writeReport('tls', report, projectDir);
  } catch (err) {
    say(`nginx's error log, its end: ${procs.nginxLog().slice(-3000)}`);
    exitCode = failed(abort, err);
  } finally {
    const steps = cleanupSteps();
    await steps.attempt('stop the worker', stopWorker);
    await steps.attempt('stop nginx and PHP-FPM', () => procs.stop());
    await steps.attempt('stop pebble', () => pebble.stop());
    await steps.attempt('remove the sites’ Unix users', async () => {
      for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [name, , , , comment] = line.split(':');
        if (name && /^Mutu site .*\.tls\.bench\.test$/.test(comment ?? '')) spawnSync('userdel', [name]);
      }
    });
    await steps.attempt('remove the folder', async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    process.chdir(projectDir);
    if (steps.failed) {
      say(leftovers());
      exitCode = Math.max(exitCode, 1);
    }
  }
  return exitCode;
}

runBench(main);
