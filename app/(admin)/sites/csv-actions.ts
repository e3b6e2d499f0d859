'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import * as z from 'zod';
import { formAction } from '@/lib/auth/action';
import { formatBytes } from '@/lib/domain/format';
import type { Locale } from '@/lib/domain/locale';
import { CSV_UPLOAD_MAX_BYTES, CSV_UPLOAD_MAX_SITES } from '@/lib/domain/site-csv';
import { checkSiteCsv, requestSitesFromCsv, type CheckedSiteRow } from '@/lib/sites/bulk-create';
import type { CsvState } from '@/components/sites/csv/csv-state';

// formAction checks the origin and the admin role (as every action of app/(admin)/sites/ does),
// and turns Mutu's refusals into a state the page shows.

const csvForm = z.object({
  csv: z.string(),
  /** creation: the number of sites the admin saw and confirmed */
  count: z.coerce.number().int().min(1).optional(),
});

/**
 * The whole upload checked as `mutu sites create --from-csv --dry-run` checks a file (the same
 * function), within the dashboard's limits: its sites, or every problem in it.
 */
async function checkUpload(csv: string, locale: Locale): Promise<CsvState & { checked?: CheckedSiteRow[] }> {
  const t = await getTranslations({ locale, namespace: 'newSite.csv' });
  const bytes = Buffer.byteLength(csv, 'utf8');
  if (bytes > CSV_UPLOAD_MAX_BYTES) return { error: t('tooLarge', { size: formatBytes(bytes, locale), max: formatBytes(CSV_UPLOAD_MAX_BYTES, locale) }) };
  if (!csv.trim()) return { error: t('empty') };
  const { rows, problems } = await checkSiteCsv(csv);
  if (problems.length) return { problems };
  if (rows.length > CSV_UPLOAD_MAX_SITES) return { error: t('tooMany', { count: rows.length, max: CSV_UPLOAD_MAX_SITES }) };
  return { checked: rows };
}

const preview = (rows: CheckedSiteRow[]) =>
  rows.map((r) => ({ line: r.line, host: r.input.host, platform: r.platform, server: r.server, webmaster: r.input.webmaster ?? null, sharedDb: !!r.input.sharedDb }));

const check = formAction(csvForm, async ({ csv }, { locale }) => {
  const { checked, ...state } = await checkUpload(csv, locale);
  return checked ? { ok: true, rows: preview(checked) } : state;
});

// Checked again as a whole (the registry may have changed since the preview): any problem, and
// nothing is made. Each site is then reserved and queued, with its audit row, as the CLI does.
const create = formAction(csvForm, async ({ csv, count }, { actor, locale }) => {
  const { checked, ...state } = await checkUpload(csv, locale);
  if (!checked) return state;
  if (checked.length !== count) return { error: (await getTranslations({ locale, namespace: 'newSite.csv' }))('changed') };
  const { queued, refused } = await requestSitesFromCsv(actor, checked);
  revalidatePath('/sites');
  return { ok: true, queued, refused };
});

export async function checkSitesCsvAction(prev: CsvState, form: FormData): Promise<CsvState> {
  return check(prev, form);
}

export async function createSitesCsvAction(prev: CsvState, form: FormData): Promise<CsvState> {
  return create(prev, form);
}
