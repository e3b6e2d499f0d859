/**
 * The dashboard at 100,000 sites: the server's response time and size for the sites list
 * (JSON API and the rendered page) on first and last pages, filtered and sorted, and for the
 * overview; a static file while another client pages the list; `mutu sites list --json`
 * against the same query in `sqlite3`. Starts the real app (`mutu start`) on a temp data
 * folder, seeds the registry, signs in over HTTP like a browser, then times requests.
 *
 *   node --import tsx bench/sites.ts [--sites 100000] [--runs 50] [--cpu-prof DIR]
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startApp, type RunningApp } from '../tests/helpers/server';
import { compareCliList } from './lib/cli-list';
import { median, ms, p95 } from './lib/stats';
import { groupCpuMs } from './lib/proc-cpu';

const args = process.argv.slice(2);
const known = new Set(['--sites', '--runs', '--cpu-prof']);
const unknown = args.filter((a, i) => a.startsWith('-') && !(known.has(a) || (i > 0 && known.has(args[i - 1]!))));
if (unknown.length) {
  process.stderr.write(`usage: node --import tsx bench/sites.ts [--sites 100000] [--runs 50] [--cpu-prof DIR]\n${unknown.includes('--help') ? '' : `unknown option: ${unknown.join(' ')}\n`}`);
  process.exit(unknown.includes('--help') ? 0 : 2);
}
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} expects a whole number`);
  return v;
};
const SITES = arg('sites', 100_000);
const RUNS = arg('runs', 50);
/** `--cpu-prof DIR`: the server's processes write their V8 CPU profiles there when they stop. */
const profileDir = args.includes('--cpu-prof') ? path.resolve(args[args.indexOf('--cpu-prof') + 1] ?? '') : undefined;
const WARMUP = 5;
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };

/** Signs in through next-auth's credentials flow and returns the session cookie. */
async function signIn(app: RunningApp, attempt = 1): Promise<string> {
  const csrf = await fetch(`${app.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const res = await fetch(`${app.url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url, cookie: jar },
    body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, json: 'true' }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('next-auth.session-token='));
  if (!session && attempt < 5) {
    // A loaded machine: the server refuses to hash when too many hashes wait ("busy"); it asks to try again.
    await new Promise((r) => setTimeout(r, 2000));
    return signIn(app, attempt + 1);
  }
  if (!session) throw new Error(`sign-in failed (${res.status}, 5 attempts)`);
  return `${jar}; ${session}`;
}

/** One request as a browser sends it (gzip accepted); `bytes` is what crossed the wire, `text` what it unpacks to. */
function get(url: string, cookie: string): Promise<{ ms: number; bytes: number; text: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { cookie, 'accept-encoding': 'gzip' } }, (res) => {
        let bytes = 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => ((bytes += c.length), chunks.push(c)));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`${url}: HTTP ${res.statusCode}`));
          const body = Buffer.concat(chunks);
          const text = res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body).length : body.length;
          resolve({ ms: performance.now() - t, bytes, text });
        });
      })
      .on('error', reject);
  });
}

/**
 * `cpuMs`: the server's CPU time (user + system, its whole process group) per request over the
 * counted runs: what the machine's load does not change, where the wall time moves with it.
 */
async function time(url: string, cookie: string, pgid?: number): Promise<{ samples: number[]; bytes: number; text: number; cpuMs: number }> {
  const samples: number[] = [];
  let last = { bytes: 0, text: 0 };
  let cpuAtStart = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    if (i === WARMUP && pgid) cpuAtStart = groupCpuMs(pgid);
    const r = await get(url, cookie);
    if (i >= WARMUP) samples.push(r.ms);
    last = r;
  }
  return { samples, ...last, cpuMs: pgid ? (groupCpuMs(pgid) - cpuAtStart) / RUNS : NaN };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KiB`;

/** A static file's latency, alone and while another client keeps paging the list (one request after another). */
async function staticUnderLoad(app: RunningApp, cookie: string, lastPage: number): Promise<{ idle: number[]; busy: number[] }> {
  const file = `${app.url}/favicon.svg`;
  const idle = (await time(file, cookie)).samples;
  let paging = true;
  const pager = (async () => {
    for (let i = 0; paging; i++) await get(`${app.url}/sites?sort=disk&page=${1 + ((i * 7919) % lastPage)}`, cookie);
  })();
  const busy = (await time(file, cookie)).samples;
  paging = false;
  await pager;
  return { idle, busy };
}

async function main() {
  const app = await startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, env: { MUTU_HEALTH_FRONT: '127.0.0.1:1' }, nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [], registry: null });
  try {
    process.env.MUTU_DATA_DIR = app.dataDir;
    process.env.MUTU_REGISTRY_URL = `file:${path.join(app.dataDir, 'mutu.db')}`;
    const { seedSites } = await import('../tests/fixtures/seed-sites');
    const t = performance.now();
    await seedSites({ count: SITES });
    console.log(`seeded ${SITES} sites in ${ms(performance.now() - t)}`);
    // What the daily maintenance job does on a farm that grew: the planner's statistics.
    const { refreshPlannerStatistics } = await import('../lib/db/statistics');
    await refreshPlannerStatistics();
    const cookie = await signIn(app);
    const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
    const lastPage = Math.ceil(SITES / 50);
    const pagesOf = async (p: string) => ((await (await fetch(`${app.url}${p}`, { headers: { cookie } })).json()) as { pages: number }).pages;
    const activePages = await pagesOf('/api/sites?status=active');
    const clubPages = await pagesOf('/api/sites?q=*.club.*');
    const scenarios: [string, string][] = [
      ['list API, first page (by host)', '/api/sites'],
      ['list API, last page (by host)', `/api/sites?page=${lastPage}`],
      ['list API, active, by disk desc, first page', '/api/sites?status=active&sort=disk&dir=desc'],
      ['list API, active, by disk desc, last page', `/api/sites?status=active&sort=disk&dir=desc&page=${activePages}`],
      ['list API, active, by disk desc, middle page', `/api/sites?status=active&sort=disk&dir=desc&page=${Math.ceil(activePages / 2)}`],
      ['list API, pattern *.club.*, by created, last page', `/api/sites?q=*.club.*&sort=created&page=${clubPages}`],
      ['list API, active + MariaDB, first page', '/api/sites?status=active&engine=mysql'],
      ['list page (HTML), first page', '/sites'],
      ['list page (HTML), last page (by host)', `/sites?page=${lastPage}`],
      ['list page (HTML), active by disk, last page', `/sites?status=active&sort=disk&dir=desc&page=${activePages}`],
      ['list page (HTML), active + MariaDB', '/sites?status=active&engine=mysql'],
      ['overview page (HTML)', '/'],
    ];
    const rows: string[] = [];
    for (const [name, p] of scenarios) {
      const { samples: s, bytes, text, cpuMs } = await time(`${app.url}${p}`, cookie, app.pgid);
      rows.push(`| ${name} | ${ms(median(s))} | ${ms(p95(s))} | ${ms(Math.max(...s))} | ${cpuMs.toFixed(1)} ms | ${kib(bytes)} (${kib(text)}) |`);
      console.log(rows[rows.length - 1]);
    }
    const { idle, busy } = await staticUnderLoad(app, cookie, lastPage);
    const staticRows = [
      `| a static file (\`/favicon.svg\`), idle | ${ms(median(idle))} | ${ms(p95(idle))} | ${ms(Math.max(...idle))} |`,
      `| the same while another client pages the list (sorted by disk, pages all over) | ${ms(median(busy))} | ${ms(p95(busy))} | ${ms(Math.max(...busy))} |`,
    ];
    console.log(staticRows.join('\n'));

    // The command line streams what the list gives, against sqlite3 and its own start-up.
    const cliRows = await compareCliList({
      registry: path.join(app.dataDir, 'mutu.db'),
      env: app.env,
      runs: 3,
      checkouts: [{ name: 'this checkout', bin: path.join(import.meta.dirname, '..', 'bin', 'mutu.js') }],
    });
    console.log(cliRows.join('\n'));
    const report = [
      `## Dashboard at ${SITES.toLocaleString('en')} sites (${new Date().toISOString().slice(0, 16)} UTC, load average ${load} at the start, ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end; ${os.cpus().length} cores)`,
      '',
      `${RUNS} sequential requests each after ${WARMUP} warm-up requests, signed in as an admin, against \`mutu start\` (production build).`,
      '',
      '| request | median | p95 | max | server CPU per request | sent, gzip (unpacked) |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      '| static file | median | p95 | max |',
      '| --- | ---: | ---: | ---: |',
      ...staticRows,
      '',
      ...cliRows,
      '',
    ].join('\n');
    fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
    const out = path.join(import.meta.dirname, 'results', `sites-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.md`);
    fs.writeFileSync(out, report);
    console.log(`\n${report}\nwritten to ${out}`);
  } finally {
    await app.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
