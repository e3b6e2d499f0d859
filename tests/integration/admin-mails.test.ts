import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type ReceivedMail } from '../helpers/smtp';
import { useTestFarm } from '../helpers/registry';
import { adminActor, randomHost, useProvisioning, waitForJob } from '../helpers/provision';
import { makePlatform, makeSite } from '../fixtures/upgrade-sites';
import { waitFor } from '../fixtures/wait';
import { db } from '@/lib/db/client';
import { requestSite } from '@/lib/sites/request';
import { runProgress } from '@/lib/upgrades/run-progress';
import { createUpgradeRun } from '@/lib/upgrades/runs';

/*
 * The admins and operators read the farm's mails in their own language: a French admin gets
 * the French mail, an English admin and an operator who is no user (English) share the
 * English one. One mail per language, each to its own readers only.
 */

// The mail server must be listening before the configuration is read.
const smtp = await startSmtpServer();
afterAll(() => smtp.close());
const PUBLIC_URL = 'https://mutu.example.org';
useTestFarm({ MUTU_SMTP_URL: smtp.url, MUTU_OPERATORS: 'ops@example.org', MUTU_PUBLIC_URL: PUBLIC_URL });
const p = useProvisioning();
const NBSP = '\u00a0';
const FRENCH = 'chef@example.org';
const ENGLISH = ['boss@example.org', 'ops@example.org'];

beforeAll(async () => {
  await db.user.create({ data: { email: 'boss@example.org', role: 'admin', passwordHash: 'x' } });
  await db.user.create({ data: { email: FRENCH, role: 'admin', passwordHash: 'x', locale: 'fr' } });
  await p.startWorker();
});

const mailTo = (who: string, subject: string) =>
  waitFor(`a mail "${subject}" to ${who}`, () => smtp.received.find((m) => m.to.includes(who) && m.subject === subject), 15_000);

/** Each mail went to one language's readers: never a French reader on an English mail. */
function expectReaders(en: ReceivedMail, fr: ReceivedMail) {
  expect([...en.to].sort()).toEqual(ENGLISH);
  expect(fr.to).toEqual([FRENCH]);
}

describe('mails to admins and operators, each in their language', () => {
  it('tell of a created site in French to the French admin, in English to the others', async () => {
    const host = p.trackHost(randomHost('langs'));
    const { job } = await requestSite(adminActor, { host });
    expect((await waitForJob(job.id)).status).toBe('succeeded');

    const en = await mailTo('ops@example.org', `[Mutu] Site created: ${host}`);
    const fr = await mailTo(FRENCH, `[Mutu] Site créé${NBSP}: ${host}`);
    expectReaders(en, fr);
    expect(en.text).toContain(`The site ${host} was created (asked by tester@example.org).`);
    expect(en.text).toContain(`Job log: ${PUBLIC_URL}/jobs/${job.id}`);
    expect(fr.text).toContain(`Le site ${host} a été créé (à la demande de tester@example.org).`);
    expect(fr.text).toContain(`Le site${NBSP}: ${PUBLIC_URL}/sites/${host}`);
    expect(fr.text).toContain(`Journal de la tâche${NBSP}: ${PUBLIC_URL}/jobs/${job.id}`);
    expect(fr.text).not.toContain('was created');
  });

  it('tell of an upgrade run, from its start to its end, the same way', async () => {
    const v1 = await makePlatform('1', { command: false });
    const v2 = await makePlatform('2', { command: false });
    const site = await makeSite(p, 'sqlite', v1.name, 'run');
    const { run } = await createUpgradeRun(adminActor, { hosts: [site.host], to: v2.name }, { concurrency: 1, maxFailures: 0, canarySharePercent: 10 });
    await waitFor('the run to end', async () => {
      const progress = await runProgress(run.id);
      return progress && ['succeeded', 'failed', 'partial'].includes(progress.run.status) ? progress : null;
    }, 60_000, 100);

    const started = [
      await mailTo('boss@example.org', `[Mutu] Upgrade run started: 1 site(s) to ${v2.name}`),
      await mailTo(FRENCH, `[Mutu] Campagne de mise à jour lancée${NBSP}: 1 site vers ${v2.name}`),
    ] as const;
    expectReaders(...started);
    expect(started[1].text).toContain(`Campagne ${run.id}${NBSP}:`);
    expect(started[1].text).toContain(`Suivez-la${NBSP}: ${PUBLIC_URL}/runs/${run.id}`);

    const ended = [
      await mailTo('boss@example.org', `[Mutu] Upgrade run to ${v2.name} succeeded`),
      await mailTo(FRENCH, `[Mutu] Campagne de mise à jour vers ${v2.name}${NBSP}: réussie`),
    ] as const;
    expectReaders(...ended);
    expect(ended[0].text).toContain('Status: succeeded');
    expect(ended[0].text).toContain('Sites: 1; upgraded 1, failed 0');
    expect(ended[1].text).toContain(`État${NBSP}: réussie`);
    expect(ended[1].text).toContain(`Sites${NBSP}: 1${NBSP}; mis à jour 1, en échec 0`);
  }, 120_000);
});
