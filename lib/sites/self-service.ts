import crypto from 'node:crypto';
import * as z from 'zod';
import { config } from '../config';
import { deriveKey } from '../crypto/keys';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { siteHosts } from '../domain/host';
import { hostForPeople } from '../domain/idn';
import { emailSchema, passwordSchema } from '../domain/user';
import { SIGNUP_PER_ADDRESS, SIGNUP_PER_ADDRESS_AND_HOST, limitAddress, signupKeys } from '../domain/limits';
import { rewordedError, tooManyAttemptsError, translatedError } from '../i18n/errors';
import type { Locale } from '../domain/locale';
import { HashBusyError, hashPassword, verifyPassword } from '../auth/password';
import { admitAttempt, clearAttempts, refundAttempt } from '../auth/rate-limit';
import { checkCodeFor } from '../codes/service';
import { EngineError, GENERIC_CODE_ERROR, genericCodeError, SiteError } from './errors';
import { requestSite } from './request';

export { GENERIC_CODE_ERROR };

export const signupSchema = z.object({
  host: z.string().trim().min(1, 'the address of your site, such as myclub.example.org').max(300),
  email: emailSchema,
  password: passwordSchema,
  code: z.string().trim().min(1, 'the activation code you were given').max(200),
});
export type SignupInput = z.infer<typeof signupSchema>;

/** A capability to read one signup's progress, handed to the visitor who started it. */
export function signupToken(jobId: string): string {
  return crypto.createHmac('sha256', deriveKey(config().secretKey, 'signup-progress')).update(jobId).digest('base64url');
}

export function checkSignupToken(jobId: string, token: string): boolean {
  const expected = Buffer.from(signupToken(jobId));
  const given = Buffer.from(token);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

/** The signup's job as its visitor may follow it (status, step, progress, the site once made); null without the right token. */
export async function signupJob(jobId: string, token: string) {
  if (!token || jobId.length > 64 || token.length > 128 || !checkSignupToken(jobId, token)) return null;
  return db.job.findUnique({ where: { id: jobId }, select: { status: true, step: true, progress: true, site: { select: { host: true, platform: true } } } });
}

/**
 * The public self-service path: the attempt is counted first (per address, and per address
 * and host: wrong codes hold off the address that sends them, never the host for everyone),
 * then the code (one generic answer for any way it is wrong), then the same reservation and
 * job as an admin's request.
 */
export async function selfServiceSignup(ip: string, raw: SignupInput, locale?: Locale) {
  // Parsed again here (the route parses too): the account check below must see the e-mail
  // lower-cased as requestSite will, or "Boss@x" would skip the password check of "boss@x".
  const input = signupSchema.parse(raw);
  let host: string;
  try {
    host = siteHosts(input.host).host;
  } catch (err) {
    throw rewordedError(err, (m) => new SiteError(m, 422));
  }
  const actor: Actor = { source: 'public', ip, email: input.email };
  const keys = signupKeys(limitAddress(ip), host);
  const lockout = { action: 'site.signup', siteHost: host, details: { reason: 'too many attempts' } };
  const refused = await admitAttempt(actor, lockout, [
    [keys.address, SIGNUP_PER_ADDRESS],
    [keys.host, SIGNUP_PER_ADDRESS_AND_HOST],
  ]);
  if (refused) throw tooManyAttemptsError(refused.retryAfterMs, (m) => new SiteError(m, 429));
  const checked = await checkCodeFor(input.code, host);
  if (!checked.ok) {
    const reason = checked.hostPattern ? 'host outside the code\'s pattern' : 'bad activation code';
    await recordAudit(actor, { action: 'site.signup', siteHost: host, ok: false, details: { reason } });
    if (!checked.hostPattern) throw genericCodeError();
    const pattern = hostForPeople(checked.hostPattern);
    // The code's holder may know the pattern: an example address shows what it takes.
    const example = pattern.replace(/\*/g, 'myclub').replace(/\?/g, 'a');
    throw translatedError((m) => new SiteError(m, 422, { host: m }), 'outsidePattern', { host: hostForPeople(host), pattern, example });
  }
  const code = checked.row;
  let webmasterPasswordHash: string | undefined;
  try {
    const existing = await db.user.findUnique({ where: { email: input.email } });
    if (existing && !(await verifyPassword(input.password, existing.passwordHash))) {
      throw translatedError((m) => new SiteError(m, 422), 'accountExists');
    }
    webmasterPasswordHash = existing ? undefined : await hashPassword(input.password);
  } catch (err) {
    // Too busy to check: nothing was, so the attempt is given back; the visitor is told to retry.
    if (err instanceof HashBusyError) await Promise.all([refundAttempt(keys.address), refundAttempt(keys.host)]);
    throw err;
  }
  await Promise.all([clearAttempts(keys.host), refundAttempt(keys.address)]);
  let result;
  try {
    // No server named: it follows the code's platform (one its application can use).
    result = await requestSite(actor, { host, platform: code.platform?.name, webmaster: input.email }, { codeId: code.id, webmasterPasswordHash, installPassword: input.password, webmasterKnowsPassword: true, webmasterLocale: locale });
  } catch (err) {
    // The farm's servers changed since the code was made: the visitor holds a right code, so is told why, the admins by the audit trail.
    if (!(err instanceof EngineError)) throw err;
    await recordAudit(actor, { action: 'site.signup', siteHost: host, ok: false, details: { reason: err.message, code: code.id } });
    throw translatedError((m) => new SiteError(m, 422), 'codeCannotCreate', { reason: err.reasonWords ?? err.reason });
  }
  return { host: result.site.host, jobId: result.job.id, token: signupToken(result.job.id) };
}
