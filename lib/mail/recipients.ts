import { config } from '../config';
import { enumValue } from '../db/dialect';
import { modelRowsNow } from '../db/model-rows';
import { DEFAULT_LOCALE, type Locale } from '../domain/locale';
import { localeOrDefault } from '../i18n/messages';
import sql, { join, empty } from 'sql-template-tag';

export interface Recipient {
  email: string;
  /** the language they read Mutu in: their own setting, English when unset or not a user */
  locale: Locale;
}

/**
 * Who hears about the farm's events: every admin, plus the addresses in `MUTU_OPERATORS`;
 * each once, each in their language (an operator address that is also a user's account
 * reads that user's language).
 */
export async function operatorRecipients(): Promise<Recipient[]> {
  const operators = config().mail.operators.map((e) => e.trim().toLowerCase()).filter(Boolean);
  // Raw (model-rows.ts): read for every site made, where a model query's compile costs more than the statement.
  const byAddress = operators.length ? sql` OR "email" IN (${join(operators)})` : empty;
  const users = await modelRowsNow<'User', { email: string; role: string; locale: string | null }>(
    'User',
    sql`SELECT "email", "role", "locale" FROM "User" WHERE "role" = ${enumValue('admin', 'Role')}${byAddress} ORDER BY "email" ASC`,
  );
  const localeOf = new Map(users.map((u) => [u.email.trim().toLowerCase(), localeOrDefault(u.locale)]));
  const admins = users.filter((u) => u.role === 'admin').map((u) => u.email.trim().toLowerCase());
  return [...new Set([...admins, ...operators])].filter(Boolean).map((email) => ({ email, locale: localeOf.get(email) ?? DEFAULT_LOCALE }));
}

/** Recipients by language, in order of first appearance: one mail per language, each with its group's addresses. */
export function byLocale(recipients: Recipient[]): { locale: Locale; to: string[] }[] {
  const groups = new Map<Locale, string[]>();
  for (const r of recipients) groups.set(r.locale, [...(groups.get(r.locale) ?? []), r.email]);
  return [...groups].map(([locale, to]) => ({ locale, to }));
}
