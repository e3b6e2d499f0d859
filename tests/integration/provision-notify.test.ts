import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type ReceivedMail } from '../helpers/smtp';
import { useTestFarm } from '../helpers/registry';
import { services } from '../helpers/services';
import { adminActor, randomHost, randomPart, useProvisioning, waitForJob } from '../helpers/provision';
import { waitFor } from '../fixtures/wait';
import { provisionWithStep } from '../fixtures/provision-variant';
import { config } from '@/lib/config';
import { open } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { createCode } from '@/lib/codes/service';
import { setDefaultServer } from '@/lib/databases/server-registry';
import { siteDir } from '@/lib/farm/paths';
import { registerHandler } from '@/lib/jobs/registry';
import { configStep, provisionHandler } from '@/lib/sites/provision-handler';
import { requestDestroy } from '@/lib/sites/lifecycle';
import { requestSite } from '@/lib/sites/request';
import { selfServiceSignup } from '@/lib/sites/self-service';

// The mail server must be listening before the configuration is read.
const smtp = await startSmtpServer();
afterAll(() => smtp.close());
const PUBLIC_URL = 'https://mutu.example.org/farm';
useTestFarm({ MUTU_SMTP_URL: smtp.url, MUTU_OPERATORS: 'ops@example.org', MUTU_PUBLIC_URL: PUBLIC_URL });
const p = useProvisioning();
const RECIPIENTS = ['boss@example.org', 'ops@example.org'];

beforeAll(async () => {
  await db.user.create({ data: { email: 'boss@example.org', role: 'admin', passwordHash: 'x' } });
  await db.user.create({ data: { email: 'web@example.org', role: 'webmaster', passwordHash: 'x' } }); // never told
  // A network server by default, so the site has a real database password that must not travel.
  const engine = services.mysqlUrl ? 'mysql' : services.postgresUrl ? 'postgresql' : 'sqlite';
  const server = await p.serverFor(engine);
  if (engine !== 'sqlite') await setDefaultServer(adminActor, server.name);
  await p.startWorker();
});

const mailAbout = (subject: string) => waitFor(`a mail "${subject}"`, () => smtp.received.find((m) => m.subject === subject), 10_000);

function expectSafeMail(mail: ReceivedMail, secrets: string[]) {
  expect([...mail.to].sort()).toEqual(RECIPIENTS);
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  for (const link of links) expect(link.startsWith(`${PUBLIC_URL}/`), link).toBe(true);
  for (const secret of secrets.filter(Boolean)) {
    expect(mail.raw.includes(secret), 'a secret in the raw mail').toBe(false);
    expect(mail.text.includes(secret), 'a secret in the mail text').toBe(false);
  }
  return links;
}

describe('mails to admins and operators', () => {
  it('tell of a created site, with dashboard links and no password', async () => {
    const { code } = await createCode(adminActor, { label: 'notify' });
    const host = p.trackHost(randomHost('mail'));
    const visitorPassword = `visitor-${randomPart()}-password`;
    const started = await selfServiceSignup('192.0.2.50', { host, email: `v-${randomPart()}@example.org`, password: visitorPassword, code });
    expect((await waitForJob(started.jobId)).status).toBe('succeeded');
    const rec = (await db.site.findUniqueOrThrow({ where: { host }, include: { database: true } })).database!;
    const dbPassword = open(config().secretKey, rec.passwordEnc);

    const mail = await mailAbout(`[Mutu] Site created: ${host}`);
    expect(mail.from).toBe('mutu@localhost');
    const links = expectSafeMail(mail, [dbPassword, visitorPassword, code]);
    expect(links).toEqual([`${PUBLIC_URL}/sites/${host}`, `${PUBLIC_URL}/jobs/${started.jobId}`]);
    expect(mail.text).toContain(`The site ${host} was created`);
  });

  it('tell of a failed creation, with the reason', async () => {
    const host = p.trackHost(randomHost('fail'));
    // A folder nobody registered stands where the site's would go: provisioning must not take it over.
    fs.mkdirSync(siteDir(config().farmRoot, host), { recursive: true });
    const { job } = await requestSite(adminActor, { host });
    const done = await waitForJob(job.id);
    expect(done.status).toBe('failed');
    const mail = await mailAbout(`[Mutu] Site creation failed: ${host}`);
    const links = expectSafeMail(mail, []);
    expect(links).toEqual([`${PUBLIC_URL}/sites/${host}`, `${PUBLIC_URL}/jobs/${job.id}`]);
    expect(mail.text).toContain('already exists and belongs to no site');
  });

  it('never carry the database password of a creation that failed after making it', async () => {
    let dbPassword = '';
    registerHandler(
      provisionWithStep(configStep, async (step, ctx) => {
        await step.run(ctx);
        const rec = await db.siteDatabase.findUniqueOrThrow({ where: { siteId: ctx.params.siteId } });
        dbPassword = open(config().secretKey, rec.passwordEnc);
        throw new Error('the disk filled up');
      }),
    );
    try {
      const host = p.trackHost(randomHost('leak'));
      const { job } = await requestSite(adminActor, { host, webmaster: 'web@example.org' });
      expect((await waitForJob(job.id)).status).toBe('failed');
      expect(dbPassword).not.toBe('');
      const mail = await mailAbout(`[Mutu] Site creation failed: ${host}`);
      expectSafeMail(mail, [dbPassword]);
      expect(mail.text).toContain('Reason: the disk filled up');
      expect(mail.to).not.toContain('web@example.org');
    } finally {
      registerHandler(provisionHandler);
    }
  });

  it('tell of a destroyed site', async () => {
    const host = p.trackHost(randomHost('gone'));
    const created = await requestSite(adminActor, { host });
    expect((await waitForJob(created.job.id)).status).toBe('succeeded');
    const { job } = await requestDestroy(adminActor, host, host);
    expect((await waitForJob(job.id)).status).toBe('succeeded');
    const mail = await mailAbout(`[Mutu] Site destroyed: ${host}`);
    expectSafeMail(mail, []);
    expect(mail.text).toContain(`The site ${host} was destroyed by tester@example.org`);
  });
});
