import type { Prisma } from '@prisma/client';
import * as z from 'zod';
import { db } from '../db/client';
import { containsIgnoringCase } from '../db/dialect';
import { jsonObject } from '../db/json';
import { searchTermToAscii } from '../domain/idn';
import { errorWordsIn, type JobErrorWords } from '../jobs/job-error';

export const auditFilterSchema = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(200).optional(),
  site: z.string().trim().max(253).transform(searchTermToAscii).optional(),
  source: z.enum(['ui', 'api', 'cli', 'public', 'system']).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** A page of the trail, newest first; `before` is the cursor (an event id). */
export async function listAudit(filter: AuditFilter) {
  const where: Prisma.AuditEventWhereInput = {
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.actor ? { actorEmail: containsIgnoringCase(filter.actor) } : {}),
    ...(filter.site ? { siteHost: containsIgnoringCase(filter.site) } : {}),
    ...(filter.source ? { source: filter.source } : {}),
    ...(filter.before ? { id: { lt: filter.before } } : {}),
  };
  const rows = await db.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  return { events: await forPeople(page), nextBefore: rows.length > filter.limit ? page[page.length - 1]!.id : null };
}

/**
 * Audit rows as plain JSON for the pages, each saying whether its site still exists (its
 * host then links to the site's page; a destroyed site's host is only text).
 */
export async function forPeople(rows: Prisma.AuditEventGetPayload<object>[]) {
  const hosts = [...new Set(rows.map((r) => r.siteHost).filter((h): h is string => !!h))];
  const live = hosts.length
    ? new Set((await db.site.findMany({ where: { host: { in: hosts }, status: { not: 'trashed' } }, select: { host: true } })).map((s) => s.host))
    : new Set<string>();
  const words = await jobErrorWords(rows.map((r) => jsonObject(r.details)));
  return rows.map((e) => {
    const details = jsonObject(e.details);
    return { ...e, at: e.at.toISOString(), details, siteLive: !!e.siteHost && live.has(e.siteHost), errorWords: typeof details.jobId === 'string' ? (words.get(details.jobId) ?? null) : null };
  });
}

/**
 * The words of the failed jobs the events name with their error (the English Job.error keeps, as
 * the event recorded it): read from those jobs' states only, so the page says them in its
 * reader's language.
 */
async function jobErrorWords(details: Record<string, unknown>[]): Promise<Map<string, JobErrorWords>> {
  const ids = [...new Set(details.filter((d) => typeof d.error === 'string' && typeof d.jobId === 'string').map((d) => d.jobId as string))];
  const found = new Map<string, JobErrorWords>();
  if (!ids.length) return found;
  for (const job of await db.job.findMany({ where: { id: { in: ids } }, select: { id: true, state: true } })) {
    const words = errorWordsIn(job.state);
    if (words) found.set(job.id, words);
  }
  return found;
}
export type AuditPage = Awaited<ReturnType<typeof listAudit>>;
