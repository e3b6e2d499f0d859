import { db } from '../db/client';
import { normalizeHost } from '../domain/host';
import { matchesPattern } from '../domain/pattern';
import { engineRefusal } from '../domain/engines';
import { PROFILES } from '../domain/profiles';
import { engineLabel } from '../domain/server';
import { upgradeTarget } from './request';

export interface PlanInput {
  /** host pattern, `*` and `?` */
  match?: string;
  /** explicit hosts */
  hosts?: string[];
  /** the platform's name */
  to: string;
}

export type PlannedSite = {
  siteId: string;
  host: string;
  from: string;
};

/**
 * Why a site is left out, as the dashboard says it in its reader's language (the catalogue's
 * `runs.why`); `reason` says the same in English for the command line, logs and mails.
 */
export type LeftOutWhy =
  | { key: 'notHost'; values: { detail: string } }
  | { key: 'noSite'; values?: undefined }
  | { key: 'already'; values: { platform: string } }
  | { key: 'otherProfile'; values: { profile: string; target: string } }
  | { key: 'engine'; values: { app: string; engine: string } }
  | { key: 'status'; values: { status: string } }
  | { key: 'busy'; values: { job: string; kind: string; status: string } };

export type LeftOut = {
  host: string;
  reason: string;
  /** absent from runs planned before it existed */
  why?: LeftOutWhy;
};

const SITE_INCLUDE = { platform: true, database: { select: { server: { select: { engine: true } } } } } as const;

/**
 * Which sites an upgrade run would take, and why each other selected site is left out:
 * already on the target, disabled or otherwise not active, busy with another job, of
 * another profile, or on a database engine the target's application cannot use. The same function serves the dry run and the run, so the preview is
 * exactly what happens (at the moment it is made).
 */
export async function planUpgrade(input: PlanInput) {
  const target = await upgradeTarget(input.to);
  const leftOut: LeftOut[] = [];
  let sites;
  if (input.hosts) {
    const wanted = new Set<string>();
    for (const raw of input.hosts.map((h) => h.trim()).filter(Boolean)) {
      try {
        wanted.add(normalizeHost(raw));
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        leftOut.push({ host: raw, reason: `not a host: ${detail}`, why: { key: 'notHost', values: { detail } } });
      }
    }
    // Filtered here rather than with IN (...): a list of thousands of hosts exceeds SQLite's parameter limit.
    sites = (await db.site.findMany({ include: SITE_INCLUDE, orderBy: { host: 'asc' } })).filter((s) => wanted.has(s.host));
    const found = new Set(sites.map((s) => s.host));
    for (const h of wanted) if (!found.has(h)) leftOut.push({ host: h, reason: 'no such site', why: { key: 'noSite' } });
  } else {
    const pattern = (input.match ?? '').trim().toLowerCase();
    if (!pattern) throw new Error('give a host pattern or a list of hosts');
    const all = await db.site.findMany({ include: SITE_INCLUDE, orderBy: { host: 'asc' } });
    sites = all.filter((s) => matchesPattern(s.host, pattern));
  }
  // Every unfinished job of any site (few at any time), rather than an IN list of thousands of sites.
  const busy = new Map(
    (
      await db.job.findMany({
        where: { siteId: { not: null }, status: { in: ['queued', 'running', 'undoing'] } },
        select: { siteId: true, id: true, kind: true, status: true },
      })
    ).map((j) => [j.siteId!, j]),
  );
  const included: PlannedSite[] = [];
  for (const s of sites) {
    const job = busy.get(s.id);
    let reason: string | null = null;
    let why: LeftOutWhy | undefined;
    const engine = s.database?.server.engine;
    const refusal = engine ? engineRefusal(target.profile, engine) : null;
    if (s.platformId === target.id) [reason, why] = [`already on ${target.name}`, { key: 'already', values: { platform: target.name } }];
    else if (s.platform.profile !== target.profile)
      [reason, why] = [`other profile (${s.platform.profile}, not ${target.profile})`, { key: 'otherProfile', values: { profile: s.platform.profile, target: target.profile } }];
    else if (refusal && engine)
      [reason, why] = [refusal.reason, { key: 'engine', values: { app: PROFILES[target.profile].label, engine: engineLabel(engine) } }];
    else if (s.status !== 'active') [reason, why] = [s.status, { key: 'status', values: { status: s.status } }];
    else if (job) [reason, why] = [`busy (job ${job.id}, ${job.kind} ${job.status})`, { key: 'busy', values: { job: job.id, kind: job.kind, status: job.status } }];
    if (reason) leftOut.push({ host: s.host, reason, why });
    else included.push({ siteId: s.id, host: s.host, from: s.platform.name });
  }
  return { target, included, leftOut };
}

/**
 * The waves of a run: one canary site, then `sharePercent` of the sites (at least one),
 * then the rest. Returns the wave number (0, 1, 2) of each target by its position.
 */
export function waveOf(index: number, total: number, sharePercent: number): number {
  if (index === 0) return 0;
  const second = Math.max(1, Math.ceil(((total - 1) * sharePercent) / 100));
  return index <= second ? 1 : 2;
}
