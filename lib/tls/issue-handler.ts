import * as z from 'zod';
import { config } from '../config';
import { open, seal } from '../crypto/secret-box';
import { db } from '../db/client';
import { recordJobEnd } from '../audit/record';
import { actorSchema } from '../domain/actor';
import { certificateFacts, parseChain } from '../domain/certificates';
import { frontLayout } from '../front/settings';
import { defineJob, type JobContext } from '../jobs/types';
import { forgetPreviousCertificate, installCertificate, restorePreviousCertificate, tlsUnavailable, tlsUnavailableError } from './install';
import { obtainSiteCertificate } from './issue';
import { recordCertificate, recordCertificateFailure } from './records';
import { loadSiteRecord } from '../front/site-front';
import { formatWorkerLine } from '../domain/job-log-lines';

export const TLS_ISSUE_KIND = 'tls.issue';

const params = z.object({ siteId: z.string(), host: z.string(), actor: actorSchema, reason: z.string().optional() });
type Params = z.infer<typeof params>;
type Ctx = JobContext<Params>;

const issueState = z.object({
  fullchain: z.string().optional(),
  /** the new key, sealed with the secret key while the job needs it, then forgotten */
  keySealed: z.string().nullish(),
  installed: z.boolean().optional(),
  recorded: z.boolean().optional(),
});
const stateOf = (ctx: Ctx) => ctx.stateAs(issueState);

/**
 * tls.issue: a certificate from the farm's ACME CA for a site and its aliases (HTTP-01
 * answered by the front), installed, then recorded. A failure at any step leaves the site
 * serving what it served before (its previous certificate, or plain HTTP).
 */
export const tlsIssueHandler = defineJob({
  kind: TLS_ISSUE_KIND,
  params,
  onInterrupt: 'undo',
  steps: [
    {
      name: 'order',
      async run(ctx) {
        const why = tlsUnavailable(await loadSiteRecord(ctx.params.host), ctx.params.host);
        if (why) throw tlsUnavailableError(why);
        if (ctx.params.reason) await ctx.log(ctx.params.reason);
        const pem = await obtainSiteCertificate({ id: ctx.params.siteId, host: ctx.params.host }, (m) => ctx.log(m));
        await ctx.save({ fullchain: pem.fullchain, keySealed: seal(config().secretKey, pem.key) });
        await ctx.progress(0.7);
      },
    },
    {
      name: 'install',
      async run(ctx) {
        const s = stateOf(ctx);
        // Recorded first: after a crash half way through, the undo still looks.
        await ctx.save({ installed: true });
        const done = await installCertificate(ctx.params.host, { fullchain: s.fullchain!, key: open(config().secretKey, s.keySealed!) });
        await ctx.log(done.reloaded.length ? formatWorkerLine('frontHttps', { count: String(done.changed.length), reloaded: done.reloaded.join(' and '), host: ctx.params.host }) : formatWorkerLine('frontHttpsNoReload', { count: String(done.changed.length), host: ctx.params.host }));
        await ctx.progress(0.9);
      },
      async undo(ctx) {
        const s = stateOf(ctx);
        if (!s.installed || s.recorded) return;
        const done = await restorePreviousCertificate(ctx.params.host);
        if (done.changed.length) await ctx.log(formatWorkerLine('frontCertBack', { count: String(done.changed.length) }));
      },
    },
    {
      name: 'record',
      async run(ctx) {
        const facts = certificateFacts(parseChain(stateOf(ctx).fullchain!)[0]!);
        await recordCertificate(ctx.params.siteId, facts, 'acme');
        await ctx.save({ recorded: true, keySealed: null });
        forgetPreviousCertificate(frontLayout(), ctx.params.host);
        await ctx.progress(1, formatWorkerLine('progressCertInstalled'));
      },
    },
  ],
  async onEnd(ctx, outcome) {
    // The key is in its file now, or nowhere: the job's state keeps none.
    if (stateOf(ctx).keySealed) await ctx.save({ keySealed: null });
    if (outcome.status === 'failed' && outcome.error) await recordCertificateFailure(ctx.params.siteId, outcome.error, { renewal: false });
    const site = await db.site.findUnique({ where: { id: ctx.params.siteId }, select: { id: true } });
    await recordJobEnd(ctx, outcome, 'tls.issue', { siteId: site?.id ?? null });
  },
});
