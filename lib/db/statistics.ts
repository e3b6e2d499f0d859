import { db } from './client';

/**
 * Refreshes the query planner's statistics of the registry. Without them, SQLite reads a page
 * of the sites list filtered by status through the status index and sorts the whole match,
 * instead of walking the sort's index: 6 ms against 180 ms at 100,000 sites. Cheap (half a
 * second at 100,000 sites), so maintenance runs it daily as the farm grows.
 */
export async function refreshPlannerStatistics(): Promise<void> {
  await db.$executeRawUnsafe('ANALYZE');
}
