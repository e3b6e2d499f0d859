import { db } from '../db/client';
import { normalizeHost } from '../domain/host';
import { matchesPattern } from '../domain/pattern';
import { engineRefusal } from '../domain/engines';
import { upgradeTarget } from './request';

export interface PlanInput {
  /** host pattern, `*` and `?` */
  match?: string;
  /** explicit hosts */
  hosts?: string[];
  /** the platform's name */
  to: string;
}

export interface PlannedSite {
  siteId: string;
  host: string;
  from: string;
}

export interface LeftOut {
  host: string;
  reason: string;
}

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
        leftOut.push({ host: raw, reason: `not a host: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    // Filtered here rather than with IN (...): a list of thousands of hosts exceeds SQLite's parameter limit.
    sites = (await db.site.findMany({ include: SITE_INCLUDE, orderBy: { host: 'asc' } })).filter((s) => wanted.has(s.host));
    const found = new Set(sites.map((s) => s.host));
    for (const h of wanted) if (!found.has(h)) leftOut.push({ host: h, reason: 'no such site' });
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
    const refusal = s.database ? engineRefusal(target.profile, s.database.server.engine) : null;
    if (s.platformId === target.id) reason = `already on ${target.name}`;
    else if (s.platform.profile !== target.profile) reason = `other profile (${s.platform.profile}, not ${target.profile})`;
    else if (refusal) reason = refusal.reason;
    else if (s.status === 'disabled') reason = 'disabled';
    else if (s.status !== 'active') reason = s.status;
    else if (job) reason = `busy (job ${job.id}, ${job.kind} ${job.status})`;
    if (reason) leftOut.push({ host: s.host, reason });
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
