import { db } from '../db/client';
import type { Actor } from '../domain/actor';
import { MutuError, type Translatable, type Translation } from '../domain/errors';
import { siteHosts } from '../domain/host';
import { csvProblem, parseSiteCsv, type CsvProblem, type CsvSiteRow } from '../domain/site-csv';
import { errorWordsIn, type JobErrorWords } from '../jobs/job-error';
import { FINISHED_STATUSES, type JobStatus } from '../jobs/types';
import { checkSiteRequest, refusedField, requestSite, type SiteRequestField } from './request';

/** A line that passed every check, with the platform and server its site would get (named or the defaults). */
export interface CheckedSiteRow extends CsvSiteRow {
  platform: string;
  server: string;
}

const COLUMN: Record<SiteRequestField, CsvProblem['column']> = { host: 'host', platform: 'platform', server: 'server', sharedDb: 'shared-db', webmaster: 'webmaster' };

/**
 * A CSV of sites checked whole against the registry before any is made: each line that reads well as
 * requestSite would check it (platform, server, engine, shared mode, webmaster), and its host
 * free. Reads only. Any problem: no rows, every problem named.
 */
export async function checkSiteCsv(text: string): Promise<{ rows: CheckedSiteRow[]; problems: CsvProblem[] }> {
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
  const rows: CheckedSiteRow[] = [];
  for (const row of parsed.rows) {
    const { host, wwwAlias } = siteHosts(row.input.host);
    if (taken.has(host)) problems.push(csvProblem(row.line, 'host', 'taken', { host }));
    else if (taken.has(wwwAlias)) problems.push(csvProblem(row.line, 'host', 'aliasTaken', { alias: wwwAlias }));
    try {
      const { platform, server } = await checkSiteRequest(row.input);
      rows.push({ ...row, platform: platform.name, server: server.name });
    } catch (err) {
      const field = refusedField(err);
      if (!field) throw err;
      const words = (err as Translatable).translation;
      problems.push({ line: row.line, column: COLUMN[field], reason: (err as Error).message, ...(words ? { words } : {}) });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return problems.length ? { rows: [], problems } : { rows, problems };
}

/**
 * Reserves every site of a checked CSV and queues its provisioning (each one its own durable
 * job: complete, or undone). A line refused now (its host taken since the check) is reported
 * and the others go on.
 */
export async function requestSitesFromCsv(actor: Actor, rows: CsvSiteRow[], opts: { node?: string } = {}) {
  const queued: { line: number; host: string; jobId: string }[] = [];
  const refused: { line: number; host: string; reason: string; words?: Translation }[] = [];
  for (const row of rows) {
    try {
      const r = await requestSite(actor, { ...row.input, node: opts.node });
      queued.push({ line: row.line, host: r.site.host, jobId: r.job.id });
    } catch (err) {
      if (!(err instanceof MutuError)) throw err;
      refused.push({ line: row.line, host: row.input.host, reason: err.message, ...(err.translation ? { words: err.translation } : {}) });
    }
  }
  return { queued, refused };
}

/** Where the sites of one bulk creation stand: the command line and the New site page follow it alike. */
export interface CreationProgress {
  /** made: succeeded; failed: failed or cancelled (undone); the rest are queued or under way */
  made: number;
  failed: number;
  inProgress: number;
  /** errorWords: a failed job's error in catalogue words, when Mutu's own refusal is in it (lib/jobs/job-error.ts) */
  jobs: { id: string; host: string | null; status: JobStatus; step: string | null; error: string | null; errorWords: JobErrorWords | null }[];
}

/** The provisioning jobs given (those that exist), with the tally; read in slices, as checkSiteCsv does. */
export async function creationProgress(jobIds: string[]): Promise<CreationProgress> {
  const jobs: CreationProgress['jobs'] = [];
  for (let i = 0; i < jobIds.length; i += 500) {
    const rows = await db.job.findMany({ where: { id: { in: jobIds.slice(i, i + 500) } }, select: { id: true, target: true, status: true, step: true, error: true, state: true } });
    for (const j of rows) jobs.push({ id: j.id, host: j.target, status: j.status, step: j.step, error: j.error, errorWords: j.error ? errorWordsIn(j.state) : null });
  }
  const made = jobs.filter((j) => j.status === 'succeeded').length;
  const ended = jobs.filter((j) => FINISHED_STATUSES.includes(j.status)).length;
  return { made, failed: ended - made, inProgress: jobs.length - ended, jobs };
}
