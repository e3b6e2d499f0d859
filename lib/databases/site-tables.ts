import fs from 'node:fs';
import { withDriver } from '.';
import { toolText } from './run-tool';
import { siteDbAccess } from './site-access';

/**
 * Whether a site's database holds none of its tables (in a shared database: none with its
 * prefix); null when that cannot be told (no database in the registry, server unreachable).
 * What tells an application never installed from one that errs. Reads only: a SQLite file
 * through `sqlite3 -readonly`, as dumps do, a missing one counting as empty.
 */
export async function siteDatabaseEmpty(siteId: string): Promise<boolean | null> {
  try {
    const a = await siteDbAccess(siteId);
    if (a.server.engine === 'sqlite') {
      if (!a.sqliteFile || !fs.existsSync(a.sqliteFile)) return true;
      const out = await toolText('sqlite3', ['-readonly', '-bail', a.sqliteFile, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"], { timeoutMs: 10_000 });
      return Number(out.trim()) === 0;
    }
    const tables = await withDriver(a.server, a.sqliteFolder, (d) => d.listTables(a.database, a.shared ? a.tablePrefix : undefined));
    return tables.length === 0;
  } catch {
    return null;
  }
}
