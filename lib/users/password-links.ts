import crypto from 'node:crypto';
import { config } from '../config';
import { deriveKey } from '../crypto/keys';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import type { Locale } from '../domain/locale';
import { MutuError } from '../domain/errors';
import { emailSchema, passwordSchema } from '../domain/user';
import { RESET_PER_ADDRESS, RESET_PER_ADDRESS_AND_ACCOUNT, limitAddress, loginAccountPrefix, resetKeys } from '../domain/limits';
import { hashPassword } from '../auth/password';
import { admitAttempt, clearAttemptsStartingWith } from '../auth/rate-limit';
import { END_SESSIONS } from '../auth/sessions';
import { publicLink, sendMail } from '../mail';
import { PASSWORD_LINK_HOURS } from '../domain/limits';
import { tooManyAttemptsError, translatedError } from '../i18n/errors';
import { passwordResetMail } from '../texts/webmaster-mails';
import { localeOrDefault } from '../i18n/messages';

export type PasswordLinkPurpose = 'welcome' | 'reset';

/** The page a link opens; the token rides in the fragment, which browsers never send to a server (nor into its logs). */
export const SET_PASSWORD_PATH = '/set-password';
export const FORGOT_PASSWORD_PATH = '/forgot-password';

/** Expired, used, unknown or damaged: the one answer, which tells nothing about the account. */
export class DeadLinkError extends MutuError {}
const deadLink = () => translatedError((m) => new DeadLinkError(m, 404), 'deadLink');

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function tokenHash(token: string): string {
  return crypto.createHmac('sha256', deriveKey(config().secretKey, 'password-link')).update(token).digest('hex');
}

/**
 * A new single-use link to choose a password, valid PASSWORD_LINK_HOURS. Only the token's
 * HMAC is kept: the registry alone cannot open it. Returned once, to go into a mail.
 */
export async function issuePasswordLink(userId: string, purpose: PasswordLinkPurpose, now = new Date()): Promise<{ link: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + PASSWORD_LINK_HOURS * 3_600_000);
  await db.passwordToken.create({ data: { userId, tokenHash: tokenHash(token), purpose, createdAt: now, expiresAt } });
  return { link: `${publicLink(SET_PASSWORD_PATH)}#${token}`, expiresAt };
}

async function usableToken(token: string, now = new Date()) {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db.passwordToken.findUnique({ where: { tokenHash: tokenHash(token) }, include: { user: { select: { id: true, email: true } } } });
  if (!row || row.usedAt || row.expiresAt <= now) return null;
  return row;
}

/** Whose password a link sets, while it still works: the page greets them by their address. */
export async function describePasswordLink(token: string): Promise<{ email: string; purpose: string } | null> {
  const row = await usableToken(token);
  return row ? { email: row.user.email, purpose: row.purpose } : null;
}

/**
 * Sets the password a link was mailed for, and spends the link: the claim is a compare-and-set
 * on `usedAt`, so two uses at once cannot both succeed. Every session of the user ends, their
 * other links go, and their sign-in lockouts are lifted (they just proved they own the address).
 */
export async function setPasswordFromLink(token: string, newPassword: string, ip: string): Promise<{ email: string }> {
  const password = passwordSchema.parse(newPassword);
  const found = await usableToken(token);
  if (!found) throw deadLink();
  // Hashed before the claim: a busy hasher leaves the link usable for another try.
  const passwordHash = await hashPassword(password);
  const now = new Date();
  await db.$transaction(async (tx) => {
    const { count } = await tx.passwordToken.updateMany({ where: { id: found.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (count !== 1) throw deadLink();
    await tx.user.update({ where: { id: found.userId }, data: { passwordHash, ...END_SESSIONS } });
    await tx.passwordToken.deleteMany({ where: { userId: found.userId, id: { not: found.id } } });
  });
  await clearAttemptsStartingWith(loginAccountPrefix(found.user.email));
  await recordAudit({ source: 'public', ip, email: found.user.email, userId: found.userId }, { action: 'user.password-link', details: { purpose: found.purpose } });
  return { email: found.user.email };
}

/** A password changed another way (by its owner, by an admin): links mailed before it stop working. */
export async function forgetPasswordLinks(userId: string): Promise<void> {
  await db.passwordToken.deleteMany({ where: { userId } });
}

/**
 * "Forgot password?": the attempt is counted first (per address, and per address and account,
 * as sign-ins are), then a link goes to the account's address if there is one. The caller
 * answers the same either way; the mail is sent in the background so the time taken does not
 * tell either. `locale`: the asking page's, for the mail of an account that has not chosen its
 * language (whoever asks from a French page reads French).
 */
export async function requestPasswordReset(rawEmail: string, ip: string, locale?: Locale): Promise<void> {
  const email = emailSchema.parse(rawEmail);
  const actor: Actor = { source: 'public', ip, email };
  const keys = resetKeys(limitAddress(ip), email);
  const refused = await admitAttempt(actor, { action: 'auth.reset.lockout' }, [
    [keys.address, RESET_PER_ADDRESS],
    [keys.account, RESET_PER_ADDRESS_AND_ACCOUNT],
  ]);
  if (refused) throw tooManyAttemptsError(refused.retryAfterMs, (m) => new MutuError(m, 429));
  void mailResetLink(actor, email, locale).catch((err) => console.error('[password reset] the mail could not be sent:', err));
}

async function mailResetLink(actor: Actor, email: string, locale: Locale | undefined): Promise<void> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, locale: true } });
  if (!user) {
    await recordAudit(actor, { action: 'user.password-reset', ok: false, details: { reason: 'no such account' } });
    return;
  }
  const { link } = await issuePasswordLink(user.id, 'reset');
  await sendMail({ to: user.email, ...passwordResetMail({ email: user.email, link, linkHours: PASSWORD_LINK_HOURS, forgotUrl: publicLink(FORGOT_PASSWORD_PATH) }, localeOrDefault(user.locale ?? locale)) });
  await recordAudit({ ...actor, userId: user.id }, { action: 'user.password-reset' });
}

/** Housekeeping: links spent or expired before the cutoff. */
export async function forgetSpentPasswordLinks(olderThan: Date): Promise<number> {
  const { count } = await db.passwordToken.deleteMany({ where: { OR: [{ expiresAt: { lt: olderThan } }, { usedAt: { lt: olderThan } }] } });
  return count;
}
