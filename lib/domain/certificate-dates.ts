/*
 * When a certificate is due and how it fares, from its dates alone: what the lists, the overview
 * and the renewal read, apart from the parsing and checks of certificates.ts (and the catalogue
 * its refusals load).
 */

/** Renewal starts this many days before a certificate expires (Let's Encrypt's advice for 90-day certificates). */
export const RENEW_BEFORE_DAYS = 30;
/** The dashboard and the overview warn about certificates expiring within this many days. */
export const EXPIRY_WARNING_DAYS = 14;

const DAY_MS = 86_400_000;

/** A certificate expiring at or before this date is due (renewal: within RENEW_BEFORE_DAYS of `now`). */
export const dueBefore = (now = new Date(), days = RENEW_BEFORE_DAYS) => new Date(now.getTime() + days * DAY_MS);

/** Days left, rounded down (negative once expired). */
export const daysLeft = (notAfter: Date, now = new Date()) => Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);

/** How a site's certificate fares, for badges, filters and warnings. */
export type CertificateState = 'none' | 'ok' | 'expiring' | 'expired' | 'failed';

export function certificateState(c: { notAfter: Date; lastError: string | null } | null | undefined, now = new Date()): CertificateState {
  if (!c) return 'none';
  if (c.notAfter <= now) return 'expired';
  if (c.lastError) return 'failed';
  // The same bound as the lists' filter and the overview's count.
  return c.notAfter <= dueBefore(now, EXPIRY_WARNING_DAYS) ? 'expiring' : 'ok';
}
