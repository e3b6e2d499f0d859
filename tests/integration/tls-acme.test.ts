// HTTPS for every site, on the real protocol: pebble (a real ACME CA) on loopback, its DNS
// answering every name with 127.0.0.1, validating HTTP-01 against the test front (real nginx
// and PHP-FPM), which serves each certified site over HTTPS.
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureApp, frontUnavailable, useServedFarm } from '../helpers/front';
import { pebbleUnavailable, useTestPebble } from '../helpers/pebble';
import { adminActor, randomHost, useProvisioning, waitForJob } from '../helpers/provision';
import { runCli } from '../helpers/cli';
import { siteSql } from '../helpers/export-sites';
import { siteDbAccess } from '@/lib/databases/site-access';
import { db } from '@/lib/db/client';
import { tlsFiles } from '@/lib/domain/front';
import { setupFront } from '@/lib/front/farm';
import { frontLayout } from '@/lib/front/settings';
import { readLog } from '@/lib/jobs/queue';
import { addPlatform } from '@/lib/platforms/service';
import { addAlias } from '@/lib/sites/addresses';
import { requestSite } from '@/lib/sites/request';
import { requestCertificate } from '@/lib/tls/request';
import { TLS_ISSUE_KIND } from '@/lib/tls/issue-handler';

const unavailable = frontUnavailable() ?? pebbleUnavailable();
const { front, farm } = useServedFarm();
const pebble = useTestPebble(front.port);
// Mutu reads its configuration once, at its first use (after this), and the CLI from farm.env.
Object.assign(process.env, pebble.env);
Object.assign(farm.env, pebble.env);
const p = useProvisioning();

const logOf = async (jobId: string) => (await readLog(jobId, 0, 1000)).lines.map((l) => l.message).join('\n');
const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

/** The tls.issue job queued for a host after `after`, once finished. */
async function issueJobOf(host: string) {
  const queued = await db.job.findFirstOrThrow({ where: { kind: TLS_ISSUE_KIND, target: host }, orderBy: { createdAt: 'desc' } });
  return waitForJob(queued.id, 60_000);
}

describe.skipIf(!!unavailable)('certificates from an ACME CA', () => {
  let platform: string;
  let root: string;

  beforeAll(async () => {
    await setupFront();
    await Promise.all([front.start(), pebble.start()]);
    await p.startWorker();
    root = await pebble.issuingRoot();
    const dir = copyFixtureApp('php-app', '1');
    platform = (await addPlatform(adminActor, { name: `app-${path.basename(dir).slice(-6).toLowerCase()}`, profile: 'generic', path: dir, version: '1' })).name;
  });

  async function makeSite(label: string, chosen?: string) {
    const host = p.trackHost(chosen ?? randomHost(label));
    const r = await requestSite(adminActor, { host, platform, server: (await p.serverFor('sqlite')).name });
    const job = await waitForJob(r.job.id, 60_000);
    expect(job.status, await logOf(job.id)).toBe('succeeded');
    // The fixture application answers with a row of its table.
    const a = await siteDbAccess((await db.site.findUniqueOrThrow({ where: { host } })).id);
    await siteSql(a, ['CREATE TABLE articles (id INTEGER PRIMARY KEY, titre VARCHAR(100))', `INSERT INTO articles (id, titre) VALUES (1, 'hello over https')`]);
    return host;
  }

  it('a new site gets its certificate right after it is made: HTTPS answers with its content, HTTP redirects there', async () => {
    const host = await makeSite('new');
    const issue = await issueJobOf(host);
    expect(issue.status, await logOf(issue.id) + pebble.log()).toBe('succeeded');
    expect(await logOf(issue.id)).toMatch(/certificate [0-9a-f]+ issued by Pebble Intermediate CA/);

    const https = await front.getHttps(host, '/', root);
    expect(https.status, https.body + front.nginxLog()).toBe(200);
    expect(json(https.body)).toMatchObject({ app: 'php-app', host, row: 'hello over https' });
    // www. is an alias the front answers for (a redirect): the certificate covers it too.
    expect(https.certificate.subjectaltname).toBe(`DNS:${host}, DNS:www.${host}`);
    const www = await front.getHttps(`www.${host}`, '/a?b=c', root);
    expect(www.status).toBe(301);
    expect(www.headers.location).toBe(`https://${host}:${front.tlsPort}/a?b=c`);

    const http = await front.get(host, '/some/page?x=1');
    expect(http.status).toBe(301);
    expect(http.headers.location).toBe(`https://${host}:${front.tlsPort}/some/page?x=1`);
    // ACME's path stays on plain HTTP (a renewal's challenge must reach it), and answers 404 for no token.
    expect((await front.get(host, '/.well-known/acme-challenge/unknown-token-0123456789')).status).toBe(404);

    const files = tlsFiles(frontLayout(), host);
    for (const f of [files.key, files.cert]) {
      const st = fs.statSync(f);
      expect([st.uid, st.mode & 0o777], f).toEqual([0, 0o600]);
    }
    expect(fs.statSync(files.dir).mode & 0o777).toBe(0o700);
    const cert = await db.certificate.findFirstOrThrow({ where: { site: { host } } });
    expect(cert).toMatchObject({ source: 'acme', issuer: expect.stringMatching(/^Pebble Intermediate CA/), lastError: null, renewalFailures: 0 });
    expect(JSON.parse(cert.names)).toEqual([host, `www.${host}`]);
    expect(cert.serial).toBe(new X509Certificate(fs.readFileSync(files.cert)).serialNumber.toLowerCase());
    // Never in the registry in clear: no job state or setting holds a private key.
    const state = (await db.job.findUniqueOrThrow({ where: { id: issue.id } })).state;
    expect(state).not.toMatch(/PRIVATE KEY/);
    expect(JSON.stringify(await db.setting.findMany())).not.toMatch(/PRIVATE KEY/);
  });

  it('`mutu tls issue` gets a certificate covering an alias added since', async () => {
    const host = await makeSite('alias');
    expect((await issueJobOf(host)).status).toBe('succeeded');
    await addAlias(adminActor, host, `shop.${host}`, { serve: true });
    const r = await runCli(['tls', 'issue', '--host', host], { env: farm.env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const shop = await front.getHttps(`shop.${host}`, '/', root);
    expect(shop.status).toBe(200);
    expect(json(shop.body)).toMatchObject({ host });
    expect(shop.certificate.subjectaltname).toContain(`DNS:shop.${host}`);
  });

  it('a challenge the CA cannot reach fails the job with the CA’s words; the site keeps serving what it served', async () => {
    // The CA looks for this host's challenges at an address where nothing listens.
    const host = randomHost('fail');
    await pebble.pointHost(host, ['127.0.0.2']);
    await pebble.pointHost(`www.${host}`, ['127.0.0.2']);
    await makeSite('fail', host);
    const first = await issueJobOf(host);
    expect(first.status).toBe('failed');
    expect(first.error).toMatch(/did not issue the certificate: .*dial tcp 127\.0\.0\.2:\d+: connect: connection refused/);
    // No certificate yet: served over plain HTTP, no redirect; the site was made all the same.
    expect((await front.get(host)).status).toBe(200);
    expect(await db.certificate.count({ where: { site: { host } } })).toBe(0);
    expect((await db.site.findUniqueOrThrow({ where: { host } })).status).toBe('active');

    await pebble.pointHost(host, null);
    await pebble.pointHost(`www.${host}`, null);
    const { job } = await requestCertificate(adminActor, host);
    expect((await waitForJob(job.id, 60_000)).status).toBe('succeeded');
    const before = (await front.getHttps(host, '/', root)).certificate.serialNumber;

    await pebble.pointHost(host, ['127.0.0.2']);
    try {
      const again = await requestCertificate(adminActor, host);
      const done = await waitForJob(again.job.id, 60_000);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/connection refused/);
    } finally {
      await pebble.pointHost(host, null);
    }
    const after = await front.getHttps(host, '/', root);
    expect(after.status).toBe(200);
    expect(after.certificate.serialNumber).toBe(before);
    const cert = await db.certificate.findFirstOrThrow({ where: { site: { host } } });
    expect(cert.lastError).toMatch(/did not issue the certificate/);
  });
});
