import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { MutuError } from '../domain/errors';
import type { Locale } from '../domain/locale';
import { passwordSchema } from '../domain/user';
import { LOGIN_PER_ADDRESS, LOGIN_PER_ADDRESS_AND_ACCOUNT, limitAddress, loginKeys } from '../domain/limits';
import { hashPassword, verifyPassword } from '../auth/password';
import { admitAttempt, refundAttempt } from '../auth/rate-limit';
import { END_SESSIONS } from '../auth/sessions';
import { tooManyAttemptsError, translatedError } from '../i18n/errors';
import { forgetPasswordLinks } from './password-links';

/**
 * A signed-in person changes their own password, giving the current one first (a session left
 * open on a shared computer must not be enough). That check counts as a sign-in attempt, so a
 * stolen session cannot guess the password faster than the login page could. Every session of
 * the account ends, and links mailed before stop working.
 */
export async function changeOwnPassword(actor: Actor, userId: string, current: string, next: string): Promise<{ email: string }> {
  const password = passwordSchema.parse(next);
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const keys = loginKeys(limitAddress(actor.ip), user.email);
  const refused = await admitAttempt(actor, { action: 'auth.lockout' }, [
    [keys.address, LOGIN_PER_ADDRESS],
    [keys.account, LOGIN_PER_ADDRESS_AND_ACCOUNT],
  ]);
  if (refused) throw tooManyAttemptsError(refused.retryAfterMs, (m) => new MutuError(m, 429));
  if (!(await verifyPassword(current, user.passwordHash))) {
    await recordAudit(actor, { action: 'user.password-change', ok: false, details: { reason: 'wrong current password' } });
    throw translatedError((m) => new MutuError(m, 422), 'wrongCurrentPassword');
  }
  await refundAttempt(keys.account);
  if (current === password) throw translatedError((m) => new MutuError(m, 422), 'samePassword');
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password), ...END_SESSIONS } });
  await forgetPasswordLinks(user.id);
  await recordAudit(actor, { action: 'user.password-change' });
  return { email: user.email };
}

/** A person's own language for the interface and their mails; null follows their browser (mails: English). */
export async function setOwnLocale(actor: Actor, userId: string, locale: Locale | null): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { locale } });
  await recordAudit(actor, { action: 'user.locale', details: { locale } });
}
