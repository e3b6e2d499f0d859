/**
 * An audit event's details in the reader's words: each key named by the catalogue
 * (`audit.details.keys`), yes and no, numbers and dates the reader's way, roles by their names,
 * the fixed reasons Mutu records, a job's log phrases (what destroying a site kept) and a failed
 * job's error from its words. The stored values are not touched: the full JSON stays on hover.
 */
import { wordsOf } from '../domain/errors';
import { formatDateTime, formatNumber } from '../domain/format';
import type { Locale } from '../domain/locale';
import { jobWords, type WholeTranslator } from '../i18n/job-words';
import type { JobErrorWords } from '../jobs/job-error';

/** The reasons recorded as fixed English text (lib/auth, lib/users, lib/sites/self-service), by their catalogue key. */
const REASONS: Record<string, string> = {
  'wrong email or password': 'wrongPassword',
  'wrong current password': 'wrongCurrentPassword',
  'no such account': 'noSuchAccount',
  'too many attempts': 'tooManyAttempts',
};

const ROLE_KEYS = new Set(['role', 'from', 'to']);
const ROLES = new Set(['admin', 'webmaster']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export interface DetailWords {
  key: string;
  label: string;
  text: string;
}

export function auditDetailWords(
  details: Record<string, unknown>,
  ctx: { t: WholeTranslator; has: (key: string) => boolean; locale: Locale; errorWords?: JobErrorWords | null },
): DetailWords[] {
  const { t, has, locale } = ctx;
  const line = jobWords(t, has, [], locale).line;
  const value = (key: string, v: unknown): string => {
    if (typeof v === 'boolean') return t(v ? 'audit.details.yes' : 'audit.details.no', {});
    if (typeof v === 'number') return formatNumber(v, locale);
    if (Array.isArray(v)) return v.length ? v.map((item) => value(key, item)).join(', ') : t('audit.details.none', {});
    if (typeof v !== 'string') return JSON.stringify(v);
    if (key === 'error' && ctx.errorWords) return wordsOf(t, ctx.errorWords.words);
    if (key === 'reason' && REASONS[v]) return t(`audit.details.reasons.${REASONS[v]}`, {});
    if (ROLE_KEYS.has(key) && ROLES.has(v)) return t('users.role.name', { role: v });
    if (ISO_DATE.test(v)) return formatDateTime(v, locale);
    return line(v);
  };
  return Object.entries(details)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key, v]) => ({ key, label: has(`audit.details.keys.${key}`) ? t(`audit.details.keys.${key}`, {}) : key, text: value(key, v) }));
}
