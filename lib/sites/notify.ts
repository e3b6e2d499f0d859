import { mailOperators, publicLink } from '../mail';
import type { TranslationValue } from '../domain/errors';
import { siteEventMail, type SiteEvent } from '../texts/admin-mails';

/**
 * Tells the admins and technical operators, each in their language. No secret goes in:
 * links point to the dashboard, built from the configured public URL.
 */
export async function notifySiteEvent(event: SiteEvent, host: string, info: { jobId?: string; error?: TranslationValue; by?: string }) {
  const facts = {
    host,
    by: info.by,
    error: info.error,
    siteUrl: publicLink(`/sites/${encodeURIComponent(host)}`),
    jobUrl: info.jobId ? publicLink(`/jobs/${info.jobId}`) : undefined,
  };
  await mailOperators((locale) => siteEventMail(event, facts, locale));
}
