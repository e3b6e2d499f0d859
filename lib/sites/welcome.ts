import { db } from '../db/client';
import { PROFILES } from '../domain/profiles';
import { publicLink, sendMail } from '../mail';
import { PASSWORD_LINK_HOURS } from '../domain/limits';
import { welcomeMail } from '../texts/webmaster-mails';
import { localeOrDefault } from '../i18n/messages';
import type { Locale } from '../domain/locale';
import { FORGOT_PASSWORD_PATH, issuePasswordLink } from '../users/password-links';
import { adminUrl, visitUrl } from '../domain/site-urls';

export interface WelcomeOptions {
  /** who made them a webmaster (an admin's e-mail), when a person did */
  by?: string;
  /** the application's own single-use link to choose its admin password (SPIP's, from the install) */
  applicationLink?: string;
  /** they chose their password on /create: no link, the same password opens both */
  choseOwnPassword?: boolean;
  /** a new site whose platform has no install command: the application's installer is theirs */
  installerPending?: boolean;
  /**
   * The language of the page that made them a webmaster (an admin's): the mail's while they
   * have chosen none, as a French farm's admin adds French webmasters. English otherwise.
   */
  locale?: Locale;
}

/**
 * The mail a person gets on becoming a site's webmaster (an admin's or the CLI's creation,
 * /create, an import, an adoption, or being added to a site): the site's address, its admin
 * area, and the way into Mutu. An account nobody has signed in to yet gets a single-use link
 * to choose its password; never a password in a mail. Returns the address it went to.
 */
export async function sendWelcomeMail(userId: string, siteId: string, opts: WelcomeOptions = {}): Promise<string> {
  const [user, site] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, lastLoginAt: true, locale: true } }),
    db.site.findUniqueOrThrow({ where: { id: siteId }, select: { host: true, platform: { select: { profile: true } } } }),
  ]);
  const profile = PROFILES[site.platform.profile];
  const accountLink = !opts.choseOwnPassword && !user.lastLoginAt ? (await issuePasswordLink(user.id, 'welcome')).link : undefined;
  const mail = welcomeMail({
    email: user.email,
    host: site.host,
    siteUrl: visitUrl(site.host),
    adminUrl: adminUrl(site.host, profile.adminPath),
    application: profile.label,
    by: opts.by,
    applicationLink: opts.applicationLink,
    choseOwnPassword: opts.choseOwnPassword,
    installerPending: opts.installerPending,
    accountLink,
    linkHours: PASSWORD_LINK_HOURS,
    loginUrl: publicLink('/login'),
    forgotUrl: publicLink(FORGOT_PASSWORD_PATH),
    mySitesUrl: publicLink('/my'),
  }, localeOrDefault(user.locale ?? opts.locale));
  await sendMail({ to: user.email, ...mail });
  return user.email;
}
