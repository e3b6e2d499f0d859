import { type SiteStatus } from '@prisma/client';
import { executeRawNow } from '../db/client';
import { enumValue } from '../db/dialect';
import sql, { join, empty, type Sql } from 'sql-template-tag';

/** The columns of a site's row its jobs' steps set (status, platform, upgrade time). */
export interface SiteRowChange {
  status?: SiteStatus;
  platformId?: string;
  upgradedAt?: Date;
}

/**
 * Sets a site's row (and its `updatedAt`, as Prisma's @updatedAt would) when it is still there and,
 * with `whenStatus`, still in that state: a compare-and-set. Returns whether it was. Raw SQL handed
 * to the driver adapter (executeRawNow): every site a job makes or upgrades pays these statements,
 * and Prisma's compile of a model query and the mapping of its result cost more CPU than they do.
 * Values bound, column names fixed here.
 */
export async function setSiteRow(siteId: string, change: SiteRowChange, whenStatus?: SiteStatus): Promise<boolean> {
  return (await executeRawNow(siteRowUpdate(siteId, change, whenStatus))) > 0;
}

/** The statement `setSiteRow` runs, for a caller's transaction (a step recorded with it). */
export function siteRowUpdate(siteId: string, change: SiteRowChange, whenStatus?: SiteStatus): Sql {
  const sets = [sql`"updatedAt" = ${new Date()}`];
  if (change.status !== undefined) sets.push(sql`"status" = ${enumValue(change.status, 'SiteStatus')}`);
  if (change.platformId !== undefined) sets.push(sql`"platformId" = ${change.platformId}`);
  if (change.upgradedAt !== undefined) sets.push(sql`"upgradedAt" = ${change.upgradedAt}`);
  const where = whenStatus === undefined ? empty : sql` AND "status" = ${enumValue(whenStatus, 'SiteStatus')}`;
  return sql`UPDATE "Site" SET ${join(sets, ', ')} WHERE "id" = ${siteId}${where}`;
}
