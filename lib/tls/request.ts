import { config } from '../config';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { enqueue } from '../jobs/queue';
import { frontIsSetUp } from '../front/settings';
import { loadSiteRecord } from '../front/site-front';
import { SiteError } from '../sites/errors';
import { findSite } from '../sites/lifecycle';
import { acmeSettings } from './acme';
import { tlsUnavailable, tlsUnavailableError } from './install';
import { tlsIssueHandler } from './issue-handler';
import { formatWorkerLine } from '../domain/job-log-lines';

/** Whether the farm gets certificates by itself: an ACME directory, and a front to answer its challenges. */
export const acmeEnabled = () => !!config().acme.directory && frontIsSetUp() && config().front.listenTls.length > 0;

/**
 * Queues tls.issue for a site: refused at once, saying why, when no CA is configured or the
 * front cannot serve the site's challenges and certificate.
 */
export async function requestCertificate(actor: Actor, host: string, opts: { reason?: string } = {}) {
  const found = await findSite(host);
  try {
    acmeSettings();
  } catch (err) {
    throw new SiteError((err as Error).message, 409);
  }
  const why = tlsUnavailable(await loadSiteRecord(found.host), found.host);
  if (why) throw tlsUnavailableError(why);
  const job = await enqueue(tlsIssueHandler, { siteId: found.id, host: found.host, actor, reason: opts.reason }, { actor, lockKey: found.host, siteId: found.id });
  await recordAudit(actor, { action: 'tls.issue.request', siteId: found.id, siteHost: found.host, details: { jobId: job.id } });
  return { site: found, job };
}

/**
 * After a site was made (created or imported): its certificate, as a job of its own, when
 * the farm has an ACME directory. Its failure is that job's, never the site's.
 */
export async function requestCertificateForNewSite(actor: Actor, siteId: string, host: string, log: (m: string) => Promise<void>): Promise<void> {
  if (!acmeEnabled()) return;
  const site = await db.site.findUnique({ where: { id: siteId }, select: { status: true } });
  if (site?.status !== 'active') return;
  try {
    const { job } = await requestCertificate(actor, host, { reason: formatWorkerLine('certForNewSite') });
    await log(formatWorkerLine('certAsked', { job: job.id }));
  } catch (err) {
    await log(formatWorkerLine('certNotAsked', { reason: err instanceof Error ? err.message : String(err) }));
  }
}
