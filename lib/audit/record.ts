import { type Prisma } from '@prisma/client';
import { db, executeRawNow } from '../db/client';
import { enumValue, jsonValue } from '../db/dialect';
import type { Actor } from '../domain/actor';
import sql, { type Sql } from 'sql-template-tag';

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
  // Raw SQL: every site made or changed writes one, and Prisma's compile of a model query costs
  // more CPU than the statement (outside a transaction, handed to the driver adapter: executeRawNow).
  const insert = auditInsert(actor, entry);
  await (tx === db ? executeRawNow(insert) : tx.$executeRaw(insert));
}

/** The statement appending one event (`recordAudit`'s), for a raw transaction (`transactionNow`) to run with what it records. */
export function auditInsert(actor: Actor, entry: AuditEntry): Sql {
  // `at` is given as Prisma gives its default (its format on SQLite).
  return sql`
    INSERT INTO "AuditEvent" ("at", "actorId", "actorEmail", "source", "ip", "action", "siteId", "siteHost", "details", "ok")
    VALUES (${new Date()}, ${actor.userId ?? null}, ${actor.email ?? null}, ${enumValue(actor.source, 'AuditSource')}, ${actor.ip},
      ${entry.action}, ${entry.siteId ?? null}, ${entry.siteHost ?? null}, ${jsonValue(entry.details ?? {})}, ${entry.ok ?? true})`;
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
