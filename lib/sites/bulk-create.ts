import { db } from '../db/client';
import type { Actor } from '../domain/actor';
import { MutuError } from '../domain/errors';
import { siteHosts } from '../domain/host';
import { parseSiteCsv, type CsvProblem, type CsvSiteRow } from '../domain/site-csv';
import { checkSiteRequest, refusedField, requestSite, type SiteRequestField } from './request';

const COLUMN: Record<SiteRequestField, CsvProblem['column']> = { host: 'host', platform: 'platform', server: 'server', sharedDb: 'shared-db', webmaster: 'webmaster' };

/**
 * A CSV of sites checked whole against the registry before any is made: each line that reads well as
 * requestSite would check it (platform, server, engine, shared mode, webmaster), and its host
 * free. Reads only. Any problem: no rows, every problem named.
 */
export async function checkSiteCsv(text: string): Promise<{ rows: CsvSiteRow[]; problems: CsvProblem[] }> {
  const parsed = parseSiteCsv(text);
  const names = parsed.rows.flatMap((r) => Object.values(siteHosts(r.input.host)));
  const taken = new Set<string>();
  // In slices: SQLite caps the number of values one statement may carry.
  for (let i = 0; i < names.length; i += 500) {
    const slice = names.slice(i, i + 500);
    for (const s of await db.site.findMany({ where: { host: { in: slice } }, select: { host: true } })) taken.add(s.host);
    for (const a of await db.siteAlias.findMany({ where: { host: { in: slice } }, select: { host: true } })) taken.add(a.host);
  }
  const problems: CsvProblem[] = [...parsed.problems];
  for (const row of parsed.rows) {
    const { host, wwwAlias } = siteHosts(row.input.host);
    if (taken.has(host)) problems.push({ line: row.line, column: 'host', reason: `a site or an alias named ${host} already exists` });
    else if (taken.has(wwwAlias)) problems.push({ line: row.line, column: 'host', reason: `${wwwAlias}, the www. alias it would get, is already another site's` });
    try {
      await checkSiteRequest(row.input);
    } catch (err) {
      const field = refusedField(err);
      if (!field) throw err;
      problems.push({ line: row.line, column: COLUMN[field], reason: (err as Error).message });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return problems.length ? { rows: [], problems } : parsed;
}

/**
 * Reserves every site of a checked CSV and queues its provisioning (each one its own durable
 * job: complete, or undone). A line refused now (its host taken since the check) is reported
 * and the others go on.
 */
export async function requestSitesFromCsv(actor: Actor, rows: CsvSiteRow[]) {
  const queued: { line: number; host: string; jobId: string }[] = [];
  const refused: { line: number; host: string; reason: string }[] = [];
  for (const row of rows) {
    try {
      const r = await requestSite(actor, row.input);
      queued.push({ line: row.line, host: r.site.host, jobId: r.job.id });
    } catch (err) {
      if (!(err instanceof MutuError)) throw err;
      refused.push({ line: row.line, host: row.input.host, reason: (err as Error).message });
    }
  }
  return { queued, refused };
}
