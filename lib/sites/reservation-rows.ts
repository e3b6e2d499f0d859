import { type Site } from '@prisma/client';
import type { RawTransaction } from '../db/client';
import { cuid } from '../db/cuid';
import { enumValue } from '../db/dialect';
import { asModelRows } from '../db/model-rows';
import type { Locale } from '../domain/locale';
import sql, { join } from 'sql-template-tag';

// The rows a site request reserves (requestSite), written by raw SQL in its one transaction
// (`transactionNow`): every new site pays them, and Prisma's compile and mapping of its model
// queries cost more CPU than the statements. Each writes what the model query wrote: Prisma's
// client-side defaults (cuid ids, now(), @updatedAt) are given here, the database's own
// (`healthStatus`, `sessionVersion` …) left to it.

/**
 * Takes one use of an activation code, if it still has one (not revoked, not expired, uses left):
 * false when a concurrent signup took its last use, or it was revoked or expired since it was checked.
 */
export async function takeCodeUse(tx: RawTransaction, codeId: string): Promise<boolean> {
  const count = await tx.execute(sql`
    UPDATE "ActivationCode" SET "uses" = "uses" + 1
    WHERE "id" = ${codeId} AND "revokedAt" IS NULL AND "uses" < "maxUses" AND ("expiresAt" IS NULL OR "expiresAt" > ${new Date()})`);
  return count === 1;
}

/** The site's row, `provisioning`; the unique host refuses a second one (a unique violation: `uniqueViolation`). */
export async function insertSite(tx: RawTransaction, site: { host: string; platformId: string; node: string | null }): Promise<Site> {
  const now = new Date();
  const [row] = asModelRows(
    'Site',
    await tx.query(sql`
      INSERT INTO "Site" ("id", "host", "status", "platformId", "node", "createdAt", "updatedAt")
      VALUES (${cuid()}, ${site.host}, ${enumValue('provisioning', 'SiteStatus')}, ${site.platformId}, ${site.node}, ${now}, ${now})
      RETURNING *`),
  );
  return row!;
}

/** The first of `hosts` that is already another site's alias, if one is. */
export async function aliasTaken(tx: RawTransaction, hosts: string[]): Promise<string | undefined> {
  const [clash] = await tx.query<{ host: string }>(sql`SELECT "host" FROM "SiteAlias" WHERE "host" IN (${join(hosts)}) LIMIT 1`);
  return clash?.host;
}

/** An alias of the site answering with a permanent redirect to it (its `www.` host). */
export async function insertRedirectAlias(tx: RawTransaction, siteId: string, host: string): Promise<void> {
  await tx.execute(sql`
    INSERT INTO "SiteAlias" ("id", "host", "siteId", "redirect", "createdAt") VALUES (${cuid()}, ${host}, ${siteId}, ${true}, ${new Date()})`);
}

/** A new webmaster account; its id. The unique email refuses one made meanwhile by another request. */
export async function insertWebmaster(tx: RawTransaction, user: { email: string; passwordHash: string; locale?: Locale }): Promise<string> {
  const id = cuid();
  const now = new Date();
  await tx.execute(sql`
    INSERT INTO "User" ("id", "email", "passwordHash", "role", "locale", "createdAt", "updatedAt")
    VALUES (${id}, ${user.email}, ${user.passwordHash}, ${enumValue('webmaster', 'Role')}, ${user.locale ?? null}, ${now}, ${now})`);
  return id;
}
