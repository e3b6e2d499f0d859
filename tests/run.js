#!/usr/bin/env node
// `npm test`: finds which real servers and tools this machine has, says which suites
// will be skipped and why (under CI nothing may be skipped), runs vitest, and ends with
// one "N passed, N failed" line.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

const ci = process.env.CI === 'true' || process.env.CI === '1';

function reachable(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1500 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const has = (cmd) => spawnSync('sh', ['-c', 'command -v "$0"', cmd]).status === 0;

const env = { ...process.env };
const missing = [];
if (!env.MUTU_TEST_MYSQL_URL) {
  if ((await reachable(3306)) && (has('mariadb') || has('mysql'))) env.MUTU_TEST_MYSQL_URL = 'mysql://root@127.0.0.1:3306';
  else missing.push('MariaDB/MySQL suites: no server on 127.0.0.1:3306 or no client (set MUTU_TEST_MYSQL_URL)');
}
if (!env.MUTU_TEST_POSTGRES_URL) {
  if ((await reachable(5432)) && has('psql')) env.MUTU_TEST_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
  else missing.push('PostgreSQL suites: no server on 127.0.0.1:5432 or no client (set MUTU_TEST_POSTGRES_URL)');
}
if (!env.MUTU_TEST_CHROMIUM) {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
  if (chromium) env.MUTU_TEST_CHROMIUM = chromium;
  else missing.push('browser suites: no Chromium at /usr/bin/chromium (apt-get install chromium)');
}
if (!env.MUTU_TEST_PHP) {
  if (has('php')) env.MUTU_TEST_PHP = 'php';
  else missing.push('PHP checks of SPIP connection files: no php (apt-get install php-cli)');
}
if (!env.MUTU_TEST_FRONT) {
  const sbin = (name) => has(name) || fs.existsSync(`/usr/sbin/${name}`);
  if (process.getuid?.() !== 0) missing.push('front suites (nginx, PHP-FPM, a Unix user per site): they need root');
  else if (!sbin('nginx') || !sbin('php-fpm8.2')) missing.push('front suites: no nginx or php-fpm8.2 (apt-get install nginx php8.2-fpm)');
  else env.MUTU_TEST_FRONT = '1';
}
if (!env.MUTU_TEST_PEBBLE) {
  // A real ACME CA for the HTTPS suites (tests/helpers/pebble-processes.ts)
  if (has('pebble') && has('pebble-challtestsrv') && has('openssl')) env.MUTU_TEST_PEBBLE = '1';
  else missing.push('ACME suites (certificates for the sites): no pebble or pebble-challtestsrv (apt-get install pebble)');
}
if (!env.MUTU_TEST_SPIP_DIR) {
  // SPIP's own releases, kept beside the project (../shared/spip/README): tests/helpers/spip.ts
  const spip = path.resolve(import.meta.dirname, '..', '..', 'shared', 'spip');
  if (['4.1.15', '4.2.9'].every((v) => fs.existsSync(path.join(spip, `spip-v${v}.tar.gz`)))) env.MUTU_TEST_SPIP_DIR = spip;
  else missing.push(`real SPIP suites: no SPIP 4.1.15 and 4.2.9 releases at ${spip} (set MUTU_TEST_SPIP_DIR)`);
}
for (const m of missing) console.log(`SKIPPING ${m}`);
if (ci && missing.length) {
  console.error('Under CI every suite must run: install and start what is listed above (.ci/run does).');
  process.exit(1);
}

/**
 * The suites that lean most on the registry, run a second time on a PostgreSQL registry
 * (MUTU_TEST_REGISTRY=postgres: a fresh database per file) after the whole suite on SQLite.
 */
const POSTGRES_SUITES = [
  'tests/integration/jobs-run.test.ts',
  'tests/integration/jobs-locks.test.ts',
  'tests/integration/jobs-recovery.test.ts',
  'tests/integration/jobs-wake.test.ts',
  'tests/integration/jobs-nodes.test.ts',
  'tests/integration/jobs-nodes-processes.test.ts',
  'tests/integration/cli-jobs.test.ts',
  'tests/integration/provision-success.test.ts',
  'tests/integration/provision-concurrency.test.ts',
  'tests/integration/provision-lifecycle.test.ts',
  'tests/integration/sites-list.test.ts',
  'tests/integration/auth.test.ts',
  'tests/integration/registry-dialect.test.ts',
];
const args = process.argv.slice(2);
// Only a whole run gets the second pass; `npm test -- some/file` runs what it names, on SQLite
// (MUTU_TEST_REGISTRY=postgres npm test -- some/file runs it on PostgreSQL).
const secondPass = args.every((a) => a.startsWith('-')) && !process.env.MUTU_TEST_REGISTRY && !!env.MUTU_TEST_POSTGRES_URL;
const vitest = path.join(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');

function run(name, extraArgs, extraEnv) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-report-')), 'report.json');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs],
      { stdio: 'inherit', env: { ...env, ...extraEnv } },
    );
    child.on('close', (code) => {
      let counts = null;
      let longest = [];
      try {
        const r = JSON.parse(fs.readFileSync(report, 'utf8'));
        counts = { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
        // What to look at when the suite grows slow, and what vitest.config.ts's LONGEST_FIRST should list.
        longest = r.testResults
          .map((f) => ({ file: path.relative(process.cwd(), f.name), seconds: Math.round((f.endTime - f.startTime) / 1000) }))
          .sort((a, b) => b.seconds - a.seconds)
          .slice(0, 15);
      } catch {}
      resolve({ name, code: code ?? 1, counts, longest, seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

const runs = [await run('SQLite registry', args, {})];
if (secondPass) {
  console.log(`\n== the registry-dependent suites again, on a PostgreSQL registry (${POSTGRES_SUITES.length} files)\n`);
  runs.push(await run('PostgreSQL registry', [...args, ...POSTGRES_SUITES], { MUTU_TEST_REGISTRY: 'postgres' }));
}
for (const r of runs) {
  if (!r.longest.length) continue;
  console.log(`\nlongest files, ${r.name} (wall seconds, two files at a time):`);
  for (const f of r.longest) console.log(`  ${String(f.seconds).padStart(5)}  ${f.file}`);
}
for (const m of missing) console.log(`skipped: ${m}`);
const line = (c) => (c ? `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}` : 'no report');
if (runs.length > 1) for (const r of runs) console.log(`${r.name}: ${line(r.counts)} (${r.seconds} s)`);
const all = runs.every((r) => r.counts)
  ? runs.reduce((t, r) => ({ passed: t.passed + r.counts.passed, failed: t.failed + r.counts.failed, skipped: t.skipped + r.counts.skipped }), { passed: 0, failed: 0, skipped: 0 })
  : null;
console.log(line(all));
process.exit(runs.find((r) => r.code !== 0)?.code ?? 0);
