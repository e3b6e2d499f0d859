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
import { frontStatus, setupFront, syncFront } from '@/lib/front/farm';
import { frontLayout } from '@/lib/front/settings';
import { readLog } from '@/lib/jobs/queue';
import { addPlatform } from '@/lib/platforms/service';
import { addAlias } from '@/lib/sites/addresses';
import { requestDestroy } from '@/lib/sites/lifecycle';
import { requestSite } from '@/lib/sites/request';
import { requestCertificate } from '@/lib/tls/request';
import { accountSetting, acmeSettings } from '@/lib/tls/acme';
import { importCertificate } from '@/lib/tls/import';
import { setHsts } from '@/lib/tls/hsts';
import { testCa } from '../helpers/certificates';
import os from 'node:os';
import { enqueue } from '@/lib/jobs/queue';
import { systemActor } from '@/lib/domain/actor';
import { tlsRenewHandler } from '@/lib/tls/renew-handler';
import { healthHandler } from '@/lib/sites/health-handler';
import { outboxMails } from '../helpers/outbox';
import { listSites } from '@/lib/sites/list-query';
import { checkCertificates } from '@/lib/doctor/tls';
import { config } from '@/lib/config';
import { siteListSchema } from '@/lib/domain/site-list';
import { TLS_ISSUE_KIND } from '@/lib/tls/issue-handler';

const unavailable = frontUnavailable() ?? pebbleUnavailable();
const { front, farm } = useServedFarm({ MUTU_OPERATORS: 'ops@example.org' });
const pebble = useTestPebble(front.port);
// Mutu reads its configuration once, at its first use (after this), and the CLI from farm.env.
Object.assign(process.env, pebble.env);
Object.assign(farm.env, pebble.env);
const p = useProvisioning();

const logOf = async (jobId: string) => (await readLog(jobId, 0, 1000)).lines.map((l) => l.message).join('\n');
const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

/**
 * The farm's next order is made on a new ACME account. Pebble takes an earlier valid
 * authorization again for 1 name in 100 even with PEBBLE_AUTHZREUSE=0 (its check is
 * `rand.Intn(100) > percent`), and authorizations belong to an account: a new one has none,
 * so a name the CA cannot reach fails every time.
 */
const forgetAcmeAccount = () => db.setting.deleteMany({ where: { key: accountSetting(acmeSettings().directory) } });

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
    // Health probes meet the site over HTTPS (plain HTTP would only say 301), pinned to its certificate.
    const probe = await enqueue(healthHandler, { hosts: [host] }, { actor: adminActor });
    expect((await waitForJob(probe.id, 30_000)).status).toBe('succeeded');
    expect(await db.site.findUniqueOrThrow({ where: { host } })).toMatchObject({ healthStatus: 'up', healthCode: 200 });
    // ACME's path stays on plain HTTP (a renewal's challenge must reach it), and answers 404 for no token.
    expect((await front.get(host, '/.well-known/acme-challenge/unknown-token-0123456789')).status).toBe(404);

    const files = tlsFiles(frontLayout(), host);
    for (const f of [files.key, files.cert, files.pemMap, files.namesMap, files.namesConf]) {
      const st = fs.statSync(f);
      expect([st.uid, st.mode & 0o777], f).toEqual([0, 0o600]);
    }
    expect(fs.statSync(files.dir).mode & 0o777).toBe(0o700);
    // The front as a whole agrees with the registry and the certificate's files: sync rewrites nothing.
    expect((await syncFront()).changed).toEqual([]);
    expect((await frontStatus()).differing).toEqual([]);
    const cert = await db.certificate.findFirstOrThrow({ where: { site: { host } } });
    expect(cert).toMatchObject({ source: 'acme', issuer: expect.stringMatching(/^Pebble Intermediate CA/), lastError: null, renewalFailures: 0 });
    expect(cert.names).toEqual([host, `www.${host}`]);
    expect(cert.serial).toBe(new X509Certificate(fs.readFileSync(files.cert)).serialNumber.toLowerCase());
    // Never in the registry in clear: no job state or setting holds a private key.
    const state = (await db.job.findUniqueOrThrow({ where: { id: issue.id } })).state;
    expect(JSON.stringify(state)).not.toMatch(/PRIVATE KEY/);
    expect(JSON.stringify(await db.setting.findMany())).not.toMatch(/PRIVATE KEY/);
  });

  it('an alias added to a site gets a certificate covering it too', async () => {
    const host = await makeSite('alias');
    expect((await issueJobOf(host)).status).toBe('succeeded');
    const { certificateJob } = await addAlias(adminActor, host, `shop.${host}`, { serve: true });
    expect(certificateJob).toBeTruthy();
    const done = await waitForJob(certificateJob!, 60_000);
    expect(done.status, await logOf(done.id)).toBe('succeeded');
    expect(await logOf(done.id)).toContain(`shop.${host} was added: a certificate covering it too`);
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
    const cli = await runCli(['tls', 'issue', '--host', host], { env: farm.env });
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`${host} is served over HTTPS with its new certificate.`);
    const before = (await front.getHttps(host, '/', root)).certificate.serialNumber;

    await pebble.pointHost(host, ['127.0.0.2']);
    await forgetAcmeAccount();
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

  it('a certificate brought by the admin is served once it fits; a wrong key, an expired one or one for another host is refused with its reason', async () => {
    const host = await makeSite('import');
    expect((await issueJobOf(host)).status).toBe('succeeded');
    const served = (await front.getHttps(host, '/', root)).certificate.serialNumber;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-import-'));
    try {
      const ca = testCa(dir);
      const names = [host, `www.${host}`];
      const good = ca.issue({ names });
      const write = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 }), path.join(dir, name));

      const wrongKey = ca.issue({ names }).key;
      const refused = await runCli(['tls', 'import', '--host', host, '--cert', write('good.pem', good.cert), '--key', write('wrong.key', wrongKey), '--chain', write('ca.pem', ca.pem)], { env: farm.env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('the certificate was not imported: the key does not match the certificate');
      const expired = ca.issue({ names, notBefore: new Date(Date.now() - 40 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
      await expect(importCertificate(adminActor, host, { certPem: expired.cert, keyPem: expired.key })).rejects.toThrow(/the certificate expired on/);
      const otherHost = ca.issue({ names: ['elsewhere.example.org', `www.${host}`] });
      await expect(importCertificate(adminActor, host, { certPem: otherHost.cert, keyPem: otherHost.key })).rejects.toThrow(`the certificate does not cover ${host} (`);
      // Nothing changed: the CA's certificate is still the one served.
      expect((await front.getHttps(host, '/', root)).certificate.serialNumber).toBe(served);

      const ok = await runCli(['tls', 'import', '--host', host, '--cert', path.join(dir, 'good.pem'), '--key', write('good.key', good.key), '--chain', path.join(dir, 'ca.pem')], { env: farm.env });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(`${host} serves the certificate`);
      const https = await front.getHttps(host, '/', ca.pem);
      expect(https.status).toBe(200);
      expect(https.certificate.subjectaltname).toBe(`DNS:${host}, DNS:www.${host}`);
      expect(https.headers['strict-transport-security']).toBeUndefined();
      expect(await db.certificate.findFirstOrThrow({ where: { site: { host } } })).toMatchObject({ source: 'imported', issuer: 'Mutu test import CA' });

      await setHsts(adminActor, host, true);
      expect((await front.getHttps(host, '/', ca.pem)).headers['strict-transport-security']).toBe('max-age=31536000');
      expect((await front.getHttps(`www.${host}`, '/', ca.pem)).headers['strict-transport-security']).toBe('max-age=31536000');

      // Destroyed: its certificate and key go with it, and HTTPS no longer knows the name.
      const { job } = await requestDestroy(adminActor, host, host);
      expect((await waitForJob(job.id, 60_000)).status).toBe('succeeded');
      expect(fs.existsSync(tlsFiles(frontLayout(), host).dir)).toBe(false);
      await expect(front.getHttps(host, '/', ca.pem)).rejects.toThrow(/alert|handshake|unrecognized name/i);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the daily renewal renews what is near its end; one failure stops no other, keeps its site serving, and is mailed with its reason', async () => {
    const [due, failing] = [await makeSite('renew'), await makeSite('renewfail')];
    for (const h of [due, failing]) expect((await issueJobOf(h)).status).toBe('succeeded');
    const served = async (h: string) => (await front.getHttps(h, '/', root)).certificate.serialNumber;
    const before = { due: await served(due), failing: await served(failing) };
    // Forced near its end: the registry is what the daily job reads.
    const soon = new Date(Date.now() + 5 * 86_400_000);
    await db.certificate.updateMany({ where: { site: { host: { in: [due, failing] } } }, data: { notAfter: soon } });
    await pebble.pointHost(failing, ['127.0.0.2']);
    await pebble.pointHost(`www.${failing}`, ['127.0.0.2']);
    await forgetAcmeAccount();
    try {
      const job = await enqueue(tlsRenewHandler, {}, { actor: systemActor });
      const done = await waitForJob(job.id, 120_000);
      const log = await logOf(done.id);
      expect(done.status, log).toBe('failed');
      expect(done.error).toBe(`renewal failed for 1 certificate: ${failing}`);
      expect(log).toMatch(/2 certificates from the CA expire before/);
      expect(log).toContain(`${due}: renewed, valid until`);
      expect(log).toContain('1 renewed, 1 failed');
    } finally {
      await pebble.pointHost(failing, null);
      await pebble.pointHost(`www.${failing}`, null);
    }
    expect(await served(due)).not.toBe(before.due);
    expect(await served(failing)).toBe(before.failing);
    const rows = Object.fromEntries((await db.certificate.findMany({ include: { site: true }, where: { site: { host: { in: [due, failing] } } } })).map((c) => [c.site.host, c]));
    expect(rows[due]!.notAfter.getTime()).toBeGreaterThan(Date.now() + 365 * 86_400_000);
    expect(rows[due]!.renewalFailures).toBe(0);
    expect(rows[failing]).toMatchObject({ renewalFailures: 1, lastError: expect.stringMatching(/connection refused/), notAfter: soon });

    const mail = outboxMails(path.join(farm.dataDir, 'outbox')).find((m) => m.includes('renewal failed'));
    expect(mail).toBeDefined();
    expect(mail).toContain('To: ops@example.org');
    const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // (a long subject is folded onto a second line)
    expect(mail).toMatch(new RegExp(`Subject: \\[Mutu\\] Certificates: 1 renewal failed\\s+\\(${esc(failing)}\\)`));
    expect(mail).toMatch(new RegExp(`${esc(failing)} \\(current certificate valid until [0-9-]+\\)\\n  why: .*connection refused`));
    expect(mail).not.toContain(`${due} (`);

    // Seen at a glance: the list of certificates, the sites list's filters.
    const list = await runCli(['tls', 'list', '--expiring', '14', '--json'], { env: farm.env });
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { host: string; state: string; renewalFailures: number }[];
    expect(listed.map((c) => c.host)).toContain(failing);
    expect(listed.map((c) => c.host)).not.toContain(due);
    expect(listed.find((c) => c.host === failing)).toMatchObject({ state: 'failed', renewalFailures: 1 });
    const hosts = async (tls: 'expiring' | 'failed' | 'none') => (await listSites(siteListSchema.parse({ tls, perPage: 200 }))).sites.map((x) => x.host);
    expect(await hosts('failed')).toContain(failing);
    const failingRow = (await listSites(siteListSchema.parse({ tls: 'failed', perPage: 200 }))).sites.find((x) => x.host === failing);
    expect(failingRow?.tls).toMatchObject({ state: 'failed', source: 'acme', lastError: expect.stringContaining('connection refused') });
    expect(failingRow?.tls?.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(await hosts('expiring')).toEqual(expect.arrayContaining([failing]));
    expect(await hosts('expiring')).not.toContain(due);
    expect(await hosts('none')).not.toContain(due);
    // mutu doctor: a warning naming the certificates to look at, a failure for an expired one.
    expect(await checkCertificates(config())).toMatchObject({ status: 'warn', detail: expect.stringContaining(`failed to renew: `) });
    expect((await checkCertificates(config())).detail).toContain(failing);
    await db.certificate.updateMany({ where: { site: { host: failing } }, data: { notAfter: new Date(Date.now() - 60_000) } });
    expect(await checkCertificates(config())).toMatchObject({ status: 'fail', detail: expect.stringContaining(`1 expired, served as is: ${failing}`) });
  });
});
