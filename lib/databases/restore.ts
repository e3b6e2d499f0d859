import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { withDriver } from '.';
import { RestrictedPsqlInput, restrictKey } from './psql-input';
import { runTool, withSecretDir } from './run-tool';
import { mysqlOptionFile, onPath, pgEnv, type SiteDbAccess } from './site-access';
import { fileReader } from '../processes/file-streams';

/**
 * Puts a site's database back as a SQL dump describes it. A dump is data, never commands:
 * it may come from another farm, or hold text a site wrote into its own schema, so each
 * engine's client loads it with its meta-commands off and only the site's own rights:
 * - SQLite: `sqlite3 -safe -bail` into a new file, renamed over the site's once whole. Safe
 *   mode refuses `.shell`, `.system`, `.output`, `.read`, `.open`, ATTACH (so VACUUM INTO),
 *   readfile/writefile and extensions: it touches no file but the one named.
 * - MariaDB/MySQL: `--binary-mode` (no client command but DELIMITER: no `\!`, `system`,
 *   `source`, `tee`, `pager`, `connect`), `--local-infile=0`, as the site's own user, who
 *   has rights on its database only and no FILE privilege.
 * - PostgreSQL: psql under `\restrict` with a key the dump cannot know (see
 *   RestrictedPsqlInput), as the site's own role: no superuser, so no COPY to or from files
 *   or programs, in one transaction.
 * The site's tables (or its whole database) are emptied first, so tables added since the
 * dump go too.
 */
export async function restoreDatabase(a: SiteDbAccess, dumpFile: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
  if (a.server.engine === 'sqlite') {
    await replaceSqliteFile(a, async (fresh) => {
      await runTool('sqlite3', ['-safe', '-bail', fresh], { stdin: fileReader(dumpFile), signal: opts.signal });
    });
    return;
  }
  await withDriver(a.server, a.sqliteFolder, async (d) => {
    if (a.shared) {
      await d.dropPrefixedTables(a.database, a.tablePrefix);
    } else {
      await d.dropDatabase(a.database);
      await d.createDatabase(a.database);
      await d.grantDatabase({ database: a.database, user: a.user, password: a.password, tablePrefix: a.tablePrefix, shared: false });
    }
  });
  await withSecretDir(async (dir) => {
    if (a.server.engine === 'mysql') {
      const args = [`--defaults-extra-file=${mysqlOptionFile(dir, a)}`, '--binary-mode', '--local-infile=0', '--default-character-set=utf8mb4', a.database];
      await runTool(onPath('mariadb', 'mysql'), args, { stdin: fileReader(dumpFile), signal: opts.signal });
    } else {
      const input = fileReader(dumpFile).pipe(new RestrictedPsqlInput(restrictKey()));
      const args = ['--no-psqlrc', '--quiet', '--no-password', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', '-'];
      await runTool('psql', args, { stdin: input, env: pgEnv(dir, a), signal: opts.signal });
    }
  });
}

/** Puts back a SQLite site's database from a file copy (see copySqliteDatabase). */
export async function restoreSqliteFile(a: SiteDbAccess, copy: string): Promise<void> {
  await replaceSqliteFile(a, async (fresh) => {
    fs.copyFileSync(copy, fresh, fs.constants.COPYFILE_EXCL);
  });
}

/**
 * Fills a new file, then renames it over the site's database, journals gone. The new file is
 * made in a folder of Mutu's own (0700, beside the site's database folder, on the same file
 * system): the site may write its database folder, and a link it put there under the new
 * file's name would otherwise take what is written anywhere. A rename replaces an entry,
 * never follows it.
 */
async function replaceSqliteFile(a: SiteDbAccess, fill: (fresh: string) => Promise<void>): Promise<void> {
  if (a.server.engine !== 'sqlite' || !a.sqliteFile) throw new Error(`${a.host}'s database is not a SQLite file`);
  const work = fs.mkdtempSync(path.join(path.dirname(a.sqliteFolder), '.mutu-restoring-'));
  fs.chmodSync(work, 0o700);
  try {
    const fresh = path.join(work, path.basename(a.sqliteFile));
    await fill(fresh);
    fs.chmodSync(fresh, config().modes.secretFile);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(a.sqliteFile + suffix, { force: true });
    fs.renameSync(fresh, a.sqliteFile);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
