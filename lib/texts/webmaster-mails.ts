/**
 * Every mail a webmaster gets, in the recipient's language: lines from the `mails` catalogue
 * with their values passed in. Free of I/O: the senders (lib/sites/welcome.ts,
 * lib/sites/webmaster-notify.ts, lib/users/password-links.ts) build the links and send.
 */
import type { Locale } from '../domain/locale';
import { translatorFor } from '../i18n/messages';
import { mailBody as body, type MailText } from './mail-body';

export interface WelcomeMailInput {
  email: string;
  host: string;
  siteUrl: string;
  /** the application's admin area (SPIP /ecrire/, Moodle /admin/) */
  adminUrl: string;
  /** SPIP, Moodle, Generic PHP */
  application: string;
  /** who made them a webmaster, when a person did */
  by?: string;
  /** the application's own single-use link to choose its admin password (SPIP's) */
  applicationLink?: string;
  /** they chose their password themselves (on /create): the same one opens the admin area */
  choseOwnPassword?: boolean;
  /** the new site has no install command: its application's installer is theirs to run */
  installerPending?: boolean;
  /** Mutu's single-use link to choose their Mutu password, for an account never used yet */
  accountLink?: string;
  linkHours: number;
  loginUrl: string;
  forgotUrl: string;
  mySitesUrl: string;
}

export function welcomeMail(m: WelcomeMailInput, locale: Locale): MailText {
  const t = translatorFor(locale, 'mails');
  return {
    subject: t('welcome.subject', { host: m.host }),
    text: body([
      t('hello'),
      '',
      m.by ? t('welcome.addedBy', { host: m.host, by: m.by }) : t('welcome.now', { host: m.host }),
      '',
      t('welcome.site', { url: m.siteUrl }),
      t('welcome.admin', { application: m.application, url: m.adminUrl }),
      '',
      m.installerPending && t('welcome.installerPending', { url: m.siteUrl }),
      m.applicationLink && t('welcome.applicationLink'),
      m.applicationLink,
      m.applicationLink && t('welcome.thenSignIn', { email: m.email }),
      m.choseOwnPassword && !m.installerPending && t('welcome.signInChosen', { email: m.email }),
      '',
      t('welcome.inMutu'),
      m.accountLink && t('welcome.accountLink', { hours: m.linkHours }),
      m.accountLink,
      !m.accountLink && m.choseOwnPassword && t('welcome.signInChosenMutu', { login: m.loginUrl, email: m.email }),
      !m.accountLink && !m.choseOwnPassword && t('welcome.signInMutu', { login: m.loginUrl, email: m.email, forgot: m.forgotUrl }),
      '',
      t('welcome.yourSites', { url: m.mySitesUrl }),
    ]),
  };
}

export function passwordResetMail(m: { email: string; link: string; linkHours: number; forgotUrl: string }, locale: Locale): MailText {
  const t = translatorFor(locale, 'mails');
  return {
    subject: t('reset.subject'),
    text: body([t('hello'), '', t('reset.asked', { email: m.email }), t('reset.choose', { hours: m.linkHours }), m.link, '', t('reset.ignore'), t('reset.again', { url: m.forgotUrl })]),
  };
}

export function exportReadyMail(m: { host: string; mySitesUrl: string; expires: string; files: { name: string; size: string }[] }, locale: Locale): MailText {
  const t = translatorFor(locale, 'mails');
  return {
    subject: t('exportReady.subject', { host: m.host }),
    text: body([
      t('hello'),
      '',
      t('exportReady.ready', { host: m.host }),
      ...m.files.map((f) => `  - ${f.name} (${f.size})`),
      '',
      t('exportReady.download', { url: m.mySitesUrl }),
      t('exportReady.kept', { expires: m.expires }),
    ]),
  };
}

export function exportFailedMail(m: { host: string; mySitesUrl: string }, locale: Locale): MailText {
  const t = translatorFor(locale, 'mails');
  return {
    subject: t('exportFailed.subject', { host: m.host }),
    text: body([t('hello'), '', t('exportFailed.failed', { host: m.host }), t('exportFailed.again', { url: m.mySitesUrl })]),
  };
}

export type SiteChange =
  | { kind: 'upgraded'; from: string; to: string }
  | { kind: 'upgrade-rolled-back'; from: string; to: string }
  | { kind: 'upgrade-stuck'; to: string }
  | { kind: 'undone'; to: string }
  | { kind: 'disabled' }
  | { kind: 'enabled' };

type Translator = ReturnType<typeof translatorFor<'mails'>>;

function changeLines(t: Translator, host: string, change: SiteChange): string[] {
  switch (change.kind) {
    case 'upgraded':
      return [t('change.upgraded', { host, from: change.from, to: change.to }), t('change.upgradedCheck')];
    case 'upgrade-rolled-back':
      return [t('change.upgradeRolledBack', { host, from: change.from, to: change.to })];
    case 'upgrade-stuck':
      return [t('change.upgradeStuck', { host, to: change.to })];
    case 'undone':
      return [t('change.undone', { host, to: change.to })];
    case 'disabled':
      return [t('change.disabled', { host })];
    case 'enabled':
      return [t('change.enabled', { host })];
  }
}

const SUBJECT_KEYS = {
  upgraded: 'upgraded',
  'upgrade-rolled-back': 'upgradeRolledBack',
  'upgrade-stuck': 'upgradeStuck',
  undone: 'undone',
  disabled: 'disabled',
  enabled: 'enabled',
} as const satisfies Record<SiteChange['kind'], string>;

export function siteChangeMail(m: { host: string; change: SiteChange; by?: string; siteUrl: string; mySitesUrl: string }, locale: Locale): MailText {
  const t = translatorFor(locale, 'mails');
  return {
    subject: t(`change.subject.${SUBJECT_KEYS[m.change.kind]}`, { host: m.host }),
    text: body([
      t('hello'),
      '',
      ...changeLines(t, m.host, m.change),
      m.by && t('change.by', { by: m.by }),
      '',
      t('change.site', { url: m.siteUrl }),
      t('change.yourSites', { url: m.mySitesUrl }),
    ]),
  };
}
