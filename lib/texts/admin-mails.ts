/**
 * The mails the admins and operators get, in each recipient's language: lines from the
 * `adminMails` catalogue with their values passed in; dates, durations and numbers the
 * reader's way. Free of I/O: the senders (lib/sites/notify.ts, lib/upgrades/run-mail.ts,
 * lib/tls/renew-mail.ts) read the facts, build the links and send, one mail per language.
 * What comes from elsewhere is passed on as it is: an error's words, a run's selection.
 */
import { formatDate, formatDuration } from '../domain/format';
import type { Locale } from '../domain/locale';
import { wordsOf, type Translation, type TranslationValue } from '../domain/errors';
import { catalogueTranslator, translatorFor } from '../i18n/messages';
import { mailBody, type MailText } from './mail-body';

export type SiteEvent = 'created' | 'failed' | 'destroyed';

export interface SiteEventFacts {
  host: string;
  /** who asked (an admin's e-mail, "cli", a visitor's code) */
  by?: string;
  /** why a creation failed: its words when it is Mutu's own refusal (said in the reader's language) */
  error?: TranslationValue;
  /** the site's dashboard page; none for a destroyed site */
  siteUrl?: string;
  jobUrl?: string;
}

export function siteEventMail(event: SiteEvent, m: SiteEventFacts, locale: Locale): MailText {
  const t = translatorFor(locale, 'adminMails');
  const what = {
    created: () => [m.by ? t('site.createdBy', { host: m.host, by: m.by }) : t('site.created', { host: m.host })],
    failed: () => [t('site.failed', { host: m.host }), t('site.reason', { reason: m.error === undefined ? t('site.unknownReason') : typeof m.error === 'object' ? wordsOf(catalogueTranslator(locale), m.error) : m.error })],
    destroyed: () => [m.by ? t('site.destroyedBy', { host: m.host, by: m.by }) : t('site.destroyed', { host: m.host })],
  }[event]();
  return {
    subject: t(`site.subject.${event}`, { host: m.host }),
    text: mailBody([...what, '', event !== 'destroyed' && m.siteUrl && t('site.link', { url: m.siteUrl }), m.jobUrl && t('jobLog', { url: m.jobUrl })]),
  };
}

export type RunEvent = 'started' | 'progress' | 'paused' | 'ended';

export interface RunMailFacts {
  id: string;
  /** planned | running | paused | succeeded | partial | failed | cancelled */
  status: string;
  /** what was selected, as the run recorded it ("*.example.org", a list of hosts) */
  selection: string;
  target: string;
  pausedReason?: string;
  totals: { total: number; done: number; succeeded: number; failed: number; skipped: number; inFlight: number; pending: number };
  etaMs?: number | null;
  /** the sites that failed, were cancelled or skipped, with why */
  failed: { host: string; state: string; error: string | null }[];
  runUrl: string;
}

/** Failed hosts listed one by one up to this many; the rest are counted. */
export const MAX_LISTED = 50;

export function runMail(event: RunEvent, m: RunMailFacts, locale: Locale): MailText {
  const t = translatorFor(locale, 'adminMails');
  const { totals } = m;
  const subject = {
    started: () => t('run.subject.started', { total: totals.total, target: m.target }),
    progress: () => t('run.subject.progress', { target: m.target, pct: totals.total ? Math.floor((totals.done / totals.total) * 100) : 100 }),
    paused: () => t('run.subject.paused', { target: m.target }),
    ended: () => t('run.subject.ended', { target: m.target, status: m.status }),
  }[event]();
  return {
    subject,
    text: mailBody([
      t('run.run', { id: m.id, selection: m.selection, target: m.target }),
      m.status === 'paused' && m.pausedReason ? t('run.pausedWhy', { reason: m.pausedReason }) : t('run.status', { status: m.status }),
      t('run.sites', totals),
      event !== 'ended' && !!m.etaMs && t('run.timeLeft', { duration: formatDuration(m.etaMs, locale) }),
      '',
      m.failed.length > 0 && t('run.failedList'),
      ...m.failed.slice(0, MAX_LISTED).map((f) => `  ${f.host}: ${f.error ?? t('run.targetState', { state: f.state })}`),
      m.failed.length > MAX_LISTED && `  ${t('run.more', { n: m.failed.length - MAX_LISTED })}`,
      '',
      t('run.follow', { url: m.runUrl }),
    ]),
  };
}

export interface RenewalFailure {
  host: string;
  error: string;
  /** the error's catalogue words when Mutu's own part is in it (the CA's words inside stay as it said them) */
  errorWords?: Translation;
  /** when the certificate still served expires */
  notAfter: string;
}

/** Hosts named in a subject; the others are in the text. */
const HOSTS_IN_SUBJECT = 3;

export function renewalMail(
  m: { failures: (RenewalFailure & { siteUrl: string })[]; imported: { host: string; notAfter: string }[]; jobUrl: string },
  locale: Locale,
): MailText {
  const t = translatorFor(locale, 'adminMails');
  const { failures, imported } = m;
  const hosts = failures.slice(0, HOSTS_IN_SUBJECT).map((f) => f.host).join(', ') + (failures.length > HOSTS_IN_SUBJECT ? '…' : '');
  return {
    subject: failures.length ? t('renewal.subjectFailed', { n: failures.length, hosts }) : t('renewal.subjectImported', { n: imported.length }),
    text: mailBody([
      failures.length > 0 && t('renewal.failed', { n: failures.length }),
      '',
      ...failures.flatMap((f) => [
        t('renewal.failure', { host: f.host, date: formatDate(f.notAfter, locale) }),
        `  ${t('renewal.why', { error: f.errorWords ? wordsOf(catalogueTranslator(locale), f.errorWords) : f.error })}`,
        `  ${t('renewal.site', { url: f.siteUrl })}`,
        '',
      ]),
      imported.length > 0 && t('renewal.imported'),
      '',
      ...imported.map((c) => t('renewal.importedOne', { host: c.host, date: formatDate(c.notAfter, locale) })),
      '',
      t('jobLog', { url: m.jobUrl }),
    ]),
  };
}
