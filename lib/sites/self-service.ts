import crypto from 'node:crypto';
import { z } from 'zod';
import { config } from '../config';
import { deriveKey } from '../crypto/keys';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { HostError, siteHosts } from '../domain/host';
import { emailSchema, passwordSchema } from '../domain/user';
import { hashPassword, verifyPassword } from '../auth/password';
import { lockedFor, recordFailure, type LimitRule } from '../auth/rate-limit';
import { checkCode } from '../codes/service';
import { GENERIC_CODE_ERROR, SiteError } from './errors';
import { requestSite } from './request';

/** Wrong codes: ten per client and five per host an hour, then an hour of lockout that refuses even a right code. */
export const SIGNUP_PER_CLIENT: LimitRule = { max: 10, windowMs: 3600_000, lockMs: 3600_000 };
export const SIGNUP_PER_HOST: LimitRule = { max: 5, windowMs: 3600_000, lockMs: 3600_000 };

export { GENERIC_CODE_ERROR };
export const LOCKED_ERROR = 'Too many attempts. Wait an hour and try again.';

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

/**
 * The public self-service path: rate limits first, then the code (one generic answer for
 * any way it is wrong), then the same reservation and job as an admin's request.
 */
export async function selfServiceSignup(ip: string, raw: SignupInput) {
  // Parsed again here (the route parses too): the account check below must see the e-mail
  // lower-cased as requestSite will, or "Boss@x" would skip the password check of "boss@x".
  const input = signupSchema.parse(raw);
  let host: string;
  try {
    host = siteHosts(input.host).host;
  } catch (err) {
    throw new SiteError(err instanceof HostError ? err.message : String(err), 422);
  }
  const hostKey = `signup:host:${host}`;
  const clientKey = `signup:ip:${ip}`;
  if ((await lockedFor(clientKey)) || (await lockedFor(hostKey))) throw new SiteError(LOCKED_ERROR, 429);
  const actor: Actor = { source: 'public', ip, email: input.email };
  const code = await checkCode(input.code, host);
  if (!code) {
    await recordFailure(clientKey, SIGNUP_PER_CLIENT);
    await recordFailure(hostKey, SIGNUP_PER_HOST);
    await recordAudit(actor, { action: 'site.signup', siteHost: host, ok: false, details: { reason: 'bad activation code' } });
    throw new SiteError(GENERIC_CODE_ERROR, 422);
  }
  const existing = await db.user.findUnique({ where: { email: input.email } });
  if (existing && !(await verifyPassword(input.password, existing.passwordHash))) {
    await recordFailure(clientKey, SIGNUP_PER_CLIENT);
    throw new SiteError('This e-mail already has a Mutu account: give its password, or use another e-mail.', 422);
  }
  const result = await requestSite(
    actor,
    { host, platform: code.platform?.name, webmaster: input.email },
    { codeId: code.id, webmasterPasswordHash: existing ? undefined : await hashPassword(input.password) },
  );
  return { host: result.site.host, jobId: result.job.id, token: signupToken(result.job.id) };
}
