import { db, queryRawNow } from '../db/client';
import { formatBytes, formatDateTime } from '../domain/format';
import { publicLink, sendMail } from '../mail';
import { exportFailedMail, exportReadyMail, siteChangeMail, type SiteChange } from '../texts/webmaster-mails';
import { visitUrl } from '../domain/site-urls';
import { localeOrDefault } from '../i18n/messages';
import { formatWorkerLine } from '../domain/job-log-lines';
import sql from 'sql-template-tag';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Who did it, for a webmaster: a signed-in person's address; nothing for the CLI or the system. */
export const doneBy = (actor: { userId?: string; email?: string }) => (actor.userId ? actor.email : undefined);

/**
 * Tells a site's webmasters what happened to it (upgraded, rolled back, put back, disabled,
 * enabled). A mail that fails never undoes the change: the failure is reported to `warn`
 * (a job's log, the console) and the others still go. Returns how many were sent.
 */
export async function notifyWebmasters(siteId: string, change: SiteChange, opts: { by?: string; warn?: (line: string) => Promise<void> | void } = {}): Promise<number> {
  // One raw statement, not a model query of three: every site a bulk run upgrades asks (a row with no email: no webmaster).
  const rows = await queryRawNow<{ host: string; email: string | null; locale: string | null }>(sql`
    SELECT s."host" AS "host", u."email" AS "email", u."locale" AS "locale"
    FROM "Site" s LEFT JOIN "SiteWebmaster" w ON w."siteId" = s."id" LEFT JOIN "User" u ON u."id" = w."userId"
    WHERE s."id" = ${siteId}`);
  if (!rows.length) return 0;
  const site = { host: rows[0]!.host, webmasters: rows.flatMap((r) => (r.email === null ? [] : [{ user: { email: r.email, locale: r.locale } }])) };
  const facts = { host: site.host, change, by: opts.by, siteUrl: visitUrl(site.host), mySitesUrl: publicLink('/my') };
  let sent = 0;
  for (const { user } of site.webmasters) {
    try {
      await sendMail({ to: user.email, ...siteChangeMail(facts, localeOrDefault(user.locale)) });
      sent++;
    } catch (err) {
      await (opts.warn ?? console.warn)(`could not tell ${user.email} that ${site.host} ${change.kind}: ${errorText(err)}`);
    }
  }
  return sent;
}

/**
 * Tells the webmaster who asked for an export that it is ready (or failed). Exports asked by
 * an admin from the dashboard or the CLI mail nobody: they watch them there.
 */
export async function notifyExportRequester(exportId: string, ok: boolean): Promise<string | null> {
  const exp = await db.export.findUnique({
    where: { id: exportId },
    select: {
      siteId: true,
      expiresAt: true,
      site: { select: { host: true } },
      requestedBy: { select: { id: true, email: true, locale: true } },
      files: { select: { name: true, sizeBytes: true }, orderBy: { name: 'asc' } },
    },
  });
  if (!exp?.requestedBy) return null;
  const isWebmaster = await db.siteWebmaster.count({ where: { siteId: exp.siteId, userId: exp.requestedBy.id } });
  if (!isWebmaster) return null;
  const mySitesUrl = publicLink('/my');
  const locale = localeOrDefault(exp.requestedBy.locale);
  const mail = ok
    ? exportReadyMail({ host: exp.site.host, mySitesUrl, expires: formatDateTime(exp.expiresAt, locale), files: exp.files.map((f) => ({ name: f.name, size: formatBytes(f.sizeBytes, locale) })) }, locale)
    : exportFailedMail({ host: exp.site.host, mySitesUrl }, locale);
  await sendMail({ to: exp.requestedBy.email, ...mail });
  return exp.requestedBy.email;
}

/** notifyWebmasters at the end of a job about a site: its actor as "done by", failures in its log. */
export async function tellWebmasters(
  ctx: { params: { siteId: string; actor: { userId?: string; email?: string } }; log: (m: string, level?: 'info' | 'warn' | 'error') => Promise<void> },
  change: SiteChange,
): Promise<void> {
  try {
    const sent = await notifyWebmasters(ctx.params.siteId, change, { by: doneBy(ctx.params.actor), warn: (line) => ctx.log(line, 'warn') });
    if (sent) await ctx.log(formatWorkerLine('webmastersTold', { count: String(sent) }));
  } catch (err) {
    await ctx.log(formatWorkerLine('webmastersTellFailed', { reason: errorText(err) }), 'warn');
  }
}
