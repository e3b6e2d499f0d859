/**
 * The dashboard at 10,000 sites: the server's response time for the sites list (JSON API
 * and the full page) on first and last pages, filtered and sorted, and for the overview.
 * Starts the real app (`mutu start`) on a temp data folder, seeds the registry, signs in
 * over HTTP like a browser, then times sequential requests.
 *
 *   node --import tsx bench/sites.ts [--sites 10000] [--runs 50]
 */
import fs from 'node:fs';
import path from 'node:path';
import { startApp, type RunningApp } from '../tests/helpers/server';
import { median, ms, p95 } from './lib/stats';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} expects a whole number`);
  return v;
};
const SITES = arg('sites', 10_000);
const RUNS = arg('runs', 50);
const WARMUP = 5;
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };

/** Signs in through next-auth's credentials flow and returns the session cookie. */
async function signIn(app: RunningApp): Promise<string> {
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
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return `${jar}; ${session}`;
}

async function time(url: string, cookie: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    if (i >= WARMUP) samples.push(performance.now() - t);
  }
  return samples;
}

async function main() {
  const app = await startApp({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, env: { MUTU_HEALTH_FRONT: '127.0.0.1:1' } });
  try {
    process.env.MUTU_DATA_DIR = app.dataDir;
    process.env.MUTU_REGISTRY_URL = `file:${path.join(app.dataDir, 'mutu.db')}`;
    const { seedSites } = await import('../tests/fixtures/seed-sites');
    const t = performance.now();
    await seedSites({ count: SITES });
    console.log(`seeded ${SITES} sites in ${ms(performance.now() - t)}`);
    const cookie = await signIn(app);
    const lastPage = Math.ceil(SITES / 50);
    const scenarios: [string, string][] = [
      ['list API, first page (by host)', '/api/sites'],
      ['list API, last page (by host)', `/api/sites?page=${lastPage}`],
      ['list API, active, by disk desc, first page', '/api/sites?status=active&sort=disk&dir=desc'],
      ['list API, active, by disk desc, last page', '/api/sites?status=active&sort=disk&dir=desc&page=1000000'],
      ['list API, pattern *.club.*, by created, last page', '/api/sites?q=*.club.*&sort=created&page=1000000'],
      ['list page (HTML), first page', '/sites'],
      ['list page (HTML), active by disk, last page', `/sites?status=active&sort=disk&dir=desc&page=${lastPage}`],
      ['overview page (HTML)', '/'],
    ];
    const rows: string[] = [];
    for (const [name, p] of scenarios) {
      const s = await time(`${app.url}${p}`, cookie);
      rows.push(`| ${name} | ${ms(median(s))} | ${ms(p95(s))} | ${ms(Math.max(...s))} |`);
      console.log(rows[rows.length - 1]);
    }
    const report = [
      `## Dashboard at ${SITES.toLocaleString('en')} sites (${new Date().toISOString().slice(0, 16)} UTC)`,
      '',
      `${RUNS} sequential requests each after ${WARMUP} warm-up requests, signed in as an admin, against \`mutu start\` (production build).`,
      '',
      '| request | median | p95 | max |',
      '| --- | ---: | ---: | ---: |',
      ...rows,
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
