import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { waitFor } from '../fixtures/wait';

/*
 * Real HTTP servers on 127.0.0.1, random ports. The probe is pointed at them through the
 * front address (MUTU_HEALTH_FRONT), as it would be at the farm's web server: sites are
 * named by host and told apart by the Host header, never by port.
 */

type Behaviour = { status: number; location?: string } | 'hang';

interface TestServer {
  port: number;
  /** Host headers received, in order */
  hosts: string[];
  /** host and path of each request, in order */
  asked: string[];
  close(): Promise<void>;
}

async function startServer(answer: (host: string, url: string) => Behaviour): Promise<TestServer> {
  const hosts: string[] = [];
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    hosts.push(host);
    asked.push(`${host}${req.url}`);
    const b = answer(host, req.url ?? '/');
    if (b === 'hang') return; // accepts, reads the request, never answers
    res.writeHead(b.status, { 'content-type': 'text/plain', ...(b.location ? { location: b.location } : {}) });
    res.end(`${b.status} for ${host}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hosts,
    asked,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const ROUTES: Record<string, Behaviour> = {
  'a.example.org': { status: 200 },
  'b.example.org': { status: 503 },
  'moved.example.org': { status: 301, location: 'https://elsewhere.example.com/' },
  'broken.example.org': { status: 500 },
  'slow.example.org': 'hang',
  // a redirect on the site itself (another port, www.), followed through the front with the site's Host
  'follow.example.org': { status: 302, location: 'http://www.follow.example.org:8080/home' },
  // an application that sends everyone to its installer
  'install.example.org': { status: 302, location: '/install/' },
};
/** Pages that answer otherwise than the site's `/`. */
const PAGES: Record<string, Behaviour> = {
  'follow.example.org/home': { status: 200 },
  'install.example.org/install/': { status: 200 },
};
// The front routes by Host header, like the farm's web server; unknown hosts get a 404.
const front = await startServer((host, url) => PAGES[`${host}${url}`] ?? ROUTES[host] ?? { status: 404 });
// 3 s: the front answers from this test's own process, which the job's worker shares; on a
// loaded machine an answer can take over a second.
const farm = useTestFarm({ MUTU_HEALTH_FRONT: `127.0.0.1:${front.port}`, MUTU_HEALTH_TIMEOUT_SECONDS: '3' });

const { db } = await import('@/lib/db/client');
const { probeSite } = await import('@/lib/sites/probe');
const { enqueue } = await import('@/lib/jobs/queue');
const { Worker } = await import('@/lib/jobs/worker');
const { registerBuiltInHandlers } = await import('@/lib/jobs/handlers');
const { HEALTH_KIND, healthHandler } = await import('@/lib/sites/health-handler');
const { listSites } = await import('@/lib/sites/list-query');
const { siteListSchema } = await import('@/lib/domain/site-list');

const servers: TestServer[] = [front];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('probeSite against one real server per answer', () => {
  const one = async (b: Behaviour) => {
    const s = await startServer(() => b);
    servers.push(s);
    return s;
  };

  it('200 is up, a 301 to another site is up (not followed), 500 is an error; each timed', async () => {
    for (const [b, status] of [[{ status: 200 }, 'up'], [{ status: 301, location: 'http://127.0.0.1:9/' }, 'up'], [{ status: 500 }, 'error']] as const) {
      const s = await one(b);
      const r = await probeSite('site.example.org', { front: `127.0.0.1:${s.port}`, scheme: 'http', timeoutMs: 2000 });
      expect(r).toMatchObject({ status, code: b.status, detail: { 200: null, 301: 'redirects to http://127.0.0.1:9/', 500: 'answers 500' }[b.status] });
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
      expect(r.latencyMs).toBeLessThan(2000);
      expect(s.hosts).toEqual(['site.example.org']); // one request, the redirect not followed
    }
  });

  it('a server that accepts and never answers is down after the timeout, with a reason', async () => {
    const s = await one('hang');
    const started = performance.now();
    const r = await probeSite('site.example.org', { front: `127.0.0.1:${s.port}`, scheme: 'http', timeoutMs: 1000 });
    const took = performance.now() - started;
    expect(r).toMatchObject({ status: 'down', code: null, latencyMs: null });
    expect(r.error).toMatch(/no answer within 1 s/);
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(10_000); // ended by its timeout, not left hanging
    expect(s.hosts).toEqual(['site.example.org']);
  });

  it('a closed port is down at once', async () => {
    const started = performance.now();
    const r = await probeSite('site.example.org', { front: `127.0.0.1:${await closedPort()}`, scheme: 'http', timeoutMs: 60_000 });
    expect(r).toMatchObject({ status: 'down', code: null, latencyMs: null });
    expect(r.error).toMatch(/ECONNREFUSED/);
    expect(performance.now() - started).toBeLessThan(10_000); // far from the timeout
  });
});

describe('the sites.health job through a real worker and the front address', () => {
  const probed = Object.keys(ROUTES);
  let jobStart: Date;
  let jobEnd: Date;

  beforeAll(async () => {
    const platform = await db.platform.create({ data: { name: 'generic', profile: 'generic', codePath: '/srv/generic' } });
    for (const host of [...probed, 'off.example.org', 'new.example.org']) {
      const status = host === 'off.example.org' ? 'disabled' : host === 'new.example.org' ? 'provisioning' : 'active';
      await db.site.create({ data: { host, status, platformId: platform.id } });
    }
    registerBuiltInHandlers();
    const worker = new Worker({ concurrency: 2, leaseSeconds: 30, pollMs: 20 });
    await worker.start();
    try {
      jobStart = new Date();
      const job = await enqueue(healthHandler, {}, { actor: { source: 'cli', ip: 'cli', email: 'tester@example.org' } });
      worker.nudge();
      const end = await waitFor('the health job', async () => {
        const j = await db.job.findUniqueOrThrow({ where: { id: job.id } });
        return ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : null;
      }, 15_000);
      jobEnd = new Date();
      expect(end.status, end.error ?? '').toBe('succeeded');
    } finally {
      await worker.stop();
    }
  });

  const site = (host: string) => db.site.findUniqueOrThrow({ where: { host } });

  it.each([
    ['a.example.org', 'up', 200, null],
    ['moved.example.org', 'up', 301, 'redirects to https://elsewhere.example.com/'],
    ['follow.example.org', 'up', 200, 'redirects to /home'],
    ['install.example.org', 'needs-install', 302, 'redirects to /install/ (the installer)'],
    ['b.example.org', 'error', 503, 'answers 503'],
    ['broken.example.org', 'error', 500, 'answers 500'],
  ] as const)('%s is %s (%i), with what the probe saw, a latency and the time of the probe', async (host, status, code, detail) => {
    const s = await site(host);
    expect(s).toMatchObject({ healthStatus: status, healthCode: code, healthDetail: detail });
    expect(s.healthLatencyMs).toBeGreaterThanOrEqual(0);
    expect(s.healthLatencyMs).toBeLessThan(3000);
    expect(s.healthCheckedAt!.getTime()).toBeGreaterThanOrEqual(jobStart.getTime() - 1);
    expect(s.healthCheckedAt!.getTime()).toBeLessThanOrEqual(jobEnd.getTime());
  });

  it('a site whose server never answers is down after MUTU_HEALTH_TIMEOUT_SECONDS, without code or latency', async () => {
    const s = await site('slow.example.org');
    expect(s).toMatchObject({ healthStatus: 'down', healthCode: null, healthLatencyMs: null, healthDetail: 'no answer within 3 s' });
    expect(s.healthCheckedAt!.getTime()).toBeGreaterThanOrEqual(jobStart.getTime() - 1);
  });

  it('the front received each active site with the site as Host header, and the pages it redirects to on the site; others were not probed', async () => {
    expect([...front.asked].sort()).toEqual([...probed.map((h) => `${h}/`), 'follow.example.org/home', 'install.example.org/install/'].sort());
    for (const host of ['off.example.org', 'new.example.org']) {
      expect(await site(host)).toMatchObject({ healthStatus: 'unknown', healthCode: null, healthCheckedAt: null });
    }
  });

  it('the job log names the sites that are not up, and the counts', async () => {
    const lines = (await db.jobLog.findMany({ where: { job: { kind: HEALTH_KIND } }, orderBy: { id: 'asc' } })).map((l) => l.message);
    expect(lines).toContain('b.example.org: error (503): answers 503');
    expect(lines).toContain('install.example.org: needs-install (302): redirects to /install/ (the installer)');
    expect(lines.some((l) => /^slow\.example\.org: down: no answer within 3 s/.test(l))).toBe(true);
    expect(lines).toContain('probed 7 sites: 3 up, 1 needing install, 2 erring, 1 down');
  });

  it('the list shows the sites that need a look (down, erring, needing install) with the "down" filter, with what the probe saw', async () => {
    const r = await listSites(siteListSchema.parse({ down: '1' }));
    expect(r.sites.map((s) => s.host)).toEqual(['b.example.org', 'broken.example.org', 'install.example.org', 'slow.example.org']);
    expect(r.sites[0]!.health).toMatchObject({ status: 'error', code: 503, detail: 'answers 503' });
    expect(r.sites[2]!.health).toMatchObject({ status: 'needs-install', code: 302, detail: 'redirects to /install/ (the installer)' });
  });

  it('`mutu sites show` says what the probe saw', async () => {
    const r = await runCli(['sites', 'show', '--host', 'install.example.org'], { env: farm.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Health {5}needs-install 302 \d+ ms, .+: redirects to \/install\/ \(the installer\)$/m);
  });

  it('`mutu sites check --host` with the front on a closed port marks that site down, and only it', async () => {
    const before = await site('b.example.org');
    const r = await runCli(['sites', 'check', '--host', 'a.example.org'], { env: { ...farm.env, MUTU_HEALTH_FRONT: `127.0.0.1:${await closedPort()}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/a\.example\.org: down: .*ECONNREFUSED/);
    expect(r.stdout).toContain('probed 1 sites: 0 up, 0 needing install, 0 erring, 1 down');
    expect(await site('a.example.org')).toMatchObject({ healthStatus: 'down', healthCode: null, healthLatencyMs: null });
    expect(await site('b.example.org')).toEqual(before);
  });
});
