import { db } from '../db/client';
import type { Actor } from '../domain/actor';

export interface AuditEntry {
  action: string;
  siteId?: string | null;
  siteHost?: string | null;
  details?: Record<string, unknown>;
  ok?: boolean;
}

/** Appends one event to the audit trail. Secrets never go in `details`. */
export async function recordAudit(actor: Actor, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: actor.userId ?? null,
      actorEmail: actor.email ?? null,
      source: actor.source,
      ip: actor.ip,
      action: entry.action,
      siteId: entry.siteId ?? null,
      siteHost: entry.siteHost ?? null,
      details: JSON.stringify(entry.details ?? {}),
      ok: entry.ok ?? true,
    },
  });
}
