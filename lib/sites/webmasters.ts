import { Prisma } from '@prisma/client';
import { translatedError } from '../i18n/errors';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import type { Locale } from '../domain/locale';
import { emailSchema } from '../domain/user';
import { generatePassword, hashPassword } from '../auth/password';
import { SiteError } from './errors';
import { findSite } from './lifecycle';
import { sendWelcomeMail } from './welcome';
import { doneBy } from './webmaster-notify';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Makes someone a webmaster of a site: an existing user, or a new webmaster account for a new
 * address (with a password nobody knows: their welcome mail carries a link to choose one).
 * The welcome mail goes out once the link holds; when it fails, the link stays and the answer
 * says so (they can use "Forgot password?"). `locale`: the adding admin's, for the mail of an
 * account that has not chosen its language.
 */
export async function addWebmaster(actor: Actor, host: string, rawEmail: string, locale?: Locale) {
  const email = emailSchema.parse(rawEmail);
  const site = await findSite(host);
  if (site.status === 'provisioning' || site.status === 'trashed') throw translatedError((m) => new SiteError(m, 409), 'serviceErrors.webmastersNotYet', { host: site.host, status: site.status });
  const existing = await db.user.findUnique({ where: { email } });
  const passwordHash = existing ? undefined : await hashPassword(generatePassword());
  let user;
  try {
    user = await db.$transaction(async (tx) => {
      const u = existing ?? (await tx.user.create({ data: { email, role: 'webmaster', passwordHash: passwordHash! } }));
      await tx.siteWebmaster.create({ data: { siteId: site.id, userId: u.id } });
      return u;
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw existing
        ? translatedError((m) => new SiteError(m, 409), 'serviceErrors.alreadyWebmaster', { email, host: site.host })
        : translatedError((m) => new SiteError(m, 409), 'serviceErrors.userJustMade', { email });
    }
    throw err;
  }
  await recordAudit(actor, { action: 'site.webmaster.add', siteId: site.id, siteHost: site.host, details: { email, newAccount: !existing } });
  let mailError: string | undefined;
  try {
    await sendWelcomeMail(user.id, site.id, { by: doneBy(actor), locale });
  } catch (err) {
    mailError = errorText(err);
  }
  return { site, user, newAccount: !existing, mailError };
}

/** Takes a site away from one of its webmasters. Their account stays (with its other sites, if any). */
export async function removeWebmaster(actor: Actor, host: string, rawEmail: string) {
  const email = emailSchema.parse(rawEmail);
  const site = await findSite(host);
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true } });
  const { count } = user ? await db.siteWebmaster.deleteMany({ where: { siteId: site.id, userId: user.id } }) : { count: 0 };
  if (!count) throw translatedError((m) => new SiteError(m, 404), 'serviceErrors.notWebmaster', { email, host: site.host });
  await recordAudit(actor, { action: 'site.webmaster.remove', siteId: site.id, siteHost: site.host, details: { email } });
  return { site, email };
}
