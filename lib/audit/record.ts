import type { Prisma } from '@prisma/client';
import { db } from '../db/client';
import type { Actor } from '../domain/actor';

export interface AuditEntry {
  action: string;
  siteId?: string | null;
  siteHost?: string | null;
  /** stored as JSON: keys whose value is undefined are left out */
  details?: Prisma.InputJsonObject;
  ok?: boolean;
}

/**
 * Appends one event to the audit trail. Secrets never go in `details`. Within `tx` when given:
 * written with what it records, in one commit.
 */
export async function recordAudit(actor: Actor, entry: AuditEntry, tx: Prisma.TransactionClient = db): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: actor.userId ?? null,
      actorEmail: actor.email ?? null,
      source: actor.source,
      ip: actor.ip,
      action: entry.action,
      siteId: entry.siteId ?? null,
      siteHost: entry.siteHost ?? null,
      details: entry.details ?? {},
      ok: entry.ok ?? true,
    },
    select: { id: true },
  });
}

/**
 * The audit row closing a job about a site: by the job's actor, with the job's id, the
 * outcome and its error. `siteId: null` for a job whose site is gone at its end.
 */
export async function recordJobEnd(
  ctx: { params: { actor: Actor; host: string; siteId?: string }; job: { id: string } },
  outcome: { status: string; error?: string },
  action: string,
  opts: { siteId?: string | null; details?: Record<string, unknown> } = {},
): Promise<boolean> {
  const ok = outcome.status === 'succeeded';
  await recordAudit(ctx.params.actor, {
    action,
    siteId: opts.siteId === undefined ? ctx.params.siteId : opts.siteId,
    siteHost: ctx.params.host,
    ok,
    details: { jobId: ctx.job.id, ...opts.details, ...(ok ? {} : { error: outcome.error }) },
  });
  return ok;
}
