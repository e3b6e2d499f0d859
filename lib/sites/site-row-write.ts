import { Prisma, type SiteStatus } from '@prisma/client';
import { executeRawNow } from '../db/client';
import { enumValue } from '../db/dialect';

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
  const sets = [Prisma.sql`"updatedAt" = ${new Date()}`];
  if (change.status !== undefined) sets.push(Prisma.sql`"status" = ${enumValue(change.status, 'SiteStatus')}`);
  if (change.platformId !== undefined) sets.push(Prisma.sql`"platformId" = ${change.platformId}`);
  if (change.upgradedAt !== undefined) sets.push(Prisma.sql`"upgradedAt" = ${change.upgradedAt}`);
  const where = whenStatus === undefined ? Prisma.empty : Prisma.sql` AND "status" = ${enumValue(whenStatus, 'SiteStatus')}`;
  return (await executeRawNow(Prisma.sql`UPDATE "Site" SET ${Prisma.join(sets, ', ')} WHERE "id" = ${siteId}${where}`)) > 0;
}
