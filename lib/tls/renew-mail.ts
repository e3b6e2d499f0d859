import { mailOperators, publicLink } from '../mail';
import { renewalMail, type RenewalFailure } from '../texts/admin-mails';

export type { RenewalFailure } from '../texts/admin-mails';

/**
 * One mail to the admins and operators (one per language) after a renewal run that left work
 * for them: each failed host with the CA's or the front's words, and the imported certificates
 * about to expire (only an admin can replace those).
 */
export async function mailRenewalReport(failures: RenewalFailure[], imported: { host: string; notAfter: string }[], jobId: string): Promise<void> {
  const facts = {
    failures: failures.map((f) => ({ ...f, siteUrl: publicLink(`/sites/${encodeURIComponent(f.host)}`) })),
    imported,
    jobUrl: publicLink(`/jobs/${jobId}`),
  };
  await mailOperators((locale) => renewalMail(facts, locale));
}
