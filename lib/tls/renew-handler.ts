import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { config } from '../config';
import { db } from '../db/client';
import { dueBefore, EXPIRY_WARNING_DAYS, RENEW_BEFORE_DAYS } from '../domain/certificate-dates';
import { acmeChallengeDir } from '../domain/front';
import { formatDate } from '../domain/format';
import { frontIsSetUp, frontLayout } from '../front/settings';
import { defineJob, type JobContext } from '../jobs/types';
import { renewSiteCertificate } from './issue';
import { recordCertificateFailure } from './records';
import { mailRenewalReport, type RenewalFailure } from './renew-mail';
import { formatWorkerLine } from '../domain/job-log-lines';
import { reasonOf, translatedError } from '../i18n/errors';
import { quoting, translationSchema } from '../jobs/job-error';

export const TLS_RENEW_KIND = 'tls.renew';
/** A challenge answer left by a run that died is swept after this long. */
const STALE_TOKEN_MS = 24 * 3600_000;

const params = z.object({ days: z.number().int().min(1).max(365).default(RENEW_BEFORE_DAYS) });
type Params = z.infer<typeof params>;

const renewState = z.object({ failures: z.array(z.object({ host: z.string(), error: z.string(), errorWords: translationSchema.optional(), notAfter: z.string() })).optional() });

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function sweepStaleChallenges(): number {
  const dir = acmeChallengeDir(frontLayout());
  let removed = 0;
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const file = path.join(dir, name);
    if (Date.now() - fs.lstatSync(file).mtimeMs > STALE_TOKEN_MS) {
      fs.rmSync(file, { force: true });
      removed++;
    }
  }
  return removed;
}

async function run(ctx: JobContext<Params>) {
  if (!config().acme.directory || !frontIsSetUp()) {
    await ctx.log(formatWorkerLine(config().acme.directory ? 'renewNoFront' : 'renewNoAcme'));
    return;
  }
  const swept = sweepStaleChallenges();
  if (swept) await ctx.log(formatWorkerLine('challengesSwept', { count: String(swept) }));
  const now = new Date();
  const before = dueBefore(now, ctx.params.days);
  // One indexed query whatever the farm's size: certificates not due are never loaded.
  const due = await db.certificate.findMany({
    where: { source: 'acme', notAfter: { lte: before }, site: { status: { in: ['active', 'disabled', 'moved'] }, node: ctx.job.node } },
    select: { siteId: true, notAfter: true, site: { select: { host: true } } },
    orderBy: { notAfter: 'asc' },
  });
  await ctx.log(formatWorkerLine(due.length === 1 ? 'renewDueOne' : 'renewDue', { count: String(due.length), date: formatDate(before) }));
  const failures: RenewalFailure[] = [];
  for (const [i, c] of due.entries()) {
    ctx.signal.throwIfAborted();
    const host = c.site.host;
    try {
      const facts = await renewSiteCertificate({ id: c.siteId, host }, (m) => ctx.log(`${host}: ${m}`));
      await ctx.log(formatWorkerLine('renewedUntil', { host, date: formatDate(facts.notAfter) }));
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      // One site's failure never stops the others; its previous certificate keeps serving.
      const words = reasonOf(err);
      failures.push({ host, error: errorText(err), ...(typeof words === 'object' ? { errorWords: words } : {}), notAfter: c.notAfter.toISOString() });
      await recordCertificateFailure(c.siteId, errorText(err), { renewal: true });
      await ctx.log(formatWorkerLine('renewFailed', { host, date: formatDate(c.notAfter), reason: errorText(err) }), 'error');
    }
    await ctx.progress((i + 1) / due.length, formatWorkerLine('progressCertificates', { count: String(i + 1), nTotal: String(due.length) }));
  }
  await ctx.save({ failures });
  await ctx.log(formatWorkerLine(failures.length ? 'renewedSomeFailed' : 'renewedAll', { count: String(due.length - failures.length), nFailed: String(failures.length) }));
  if (failures.length) {
    const err = translatedError((m) => new Error(m), 'serviceErrors.renewalFailed', { count: failures.length, hosts: `${failures.slice(0, 5).map((f) => f.host).join(', ')}${failures.length > 5 ? '…' : ''}` });
    // Each site's reason, as its log line quotes it: said in the reader's language on the job's page too.
    throw quoting(err, failures.map((f) => ({ text: f.error, words: f.errorWords })));
  }
}

/**
 * tls.renew: daily, every certificate from the CA within `days` (30) of its end is renewed,
 * one site after the other; a failure is recorded on its certificate, the others go on, and
 * the admins get one mail naming the failed hosts and why (and the imported certificates
 * about to expire, which only an admin can replace). Safe to run again: what was renewed is
 * no longer due.
 */
export const tlsRenewHandler = defineJob({
  kind: TLS_RENEW_KIND,
  params,
  onInterrupt: 'resume',
  steps: [{ name: 'renew', run }],
  async onEnd(ctx) {
    const failures = ctx.stateAs(renewState).failures ?? [];
    const imported = await db.certificate.findMany({
      where: { source: 'imported', notAfter: { lte: dueBefore(new Date(), EXPIRY_WARNING_DAYS) }, site: { node: ctx.job.node } },
      select: { notAfter: true, site: { select: { host: true } } },
      orderBy: { notAfter: 'asc' },
    });
    if (!failures.length && !imported.length) return;
    try {
      await mailRenewalReport(failures, imported.map((c) => ({ host: c.site.host, notAfter: c.notAfter.toISOString() })), ctx.job.id);
      await ctx.log(formatWorkerLine('adminsNotified'));
    } catch (err) {
      await ctx.log(formatWorkerLine('notifyFailed', { reason: errorText(err) }), 'warn');
    }
  },
});
