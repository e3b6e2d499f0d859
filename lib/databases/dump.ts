import fs from 'node:fs';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { config } from '../config';
import { runTool, withSecretDir } from './run-tool';
import { mysqlOptionFile, onPath, pgEnv, siteTables, type SiteDbAccess } from './site-access';

/**
 * Dumps a site's database as SQL into `outFile` (a path, or a stream it ends), with the
 * site's own credentials: one consistent snapshot (`--single-transaction` / pg_dump's own),
 * only the site's tables in a shared database. Streams with constant memory; the caller
 * renames the file once complete, or treats the stream's content as complete only once this
 * resolves (the tool's exit status decides).
 */
export async function dumpDatabase(a: SiteDbAccess, outFile: string | Writable, opts: { signal?: AbortSignal } = {}): Promise<void> {
  const tables = await siteTables(a);
  if (tables && tables.length === 0) {
    const note = `-- Mutu: ${a.host} has no tables with the prefix ${a.tablePrefix}_\n`;
    if (typeof outFile === 'string') fs.writeFileSync(outFile, note, { mode: 0o600 });
    else await pipeline(Readable.from([Buffer.from(note)]), outFile);
    return;
  }
  if (a.server.engine === 'sqlite') {
    await runTool('sqlite3', ['-readonly', a.sqliteFile!, '.dump'], { stdoutFile: outFile, signal: opts.signal });
    return;
  }
  await withSecretDir(async (dir) => {
    if (a.server.engine === 'mysql') {
      const args = [`--defaults-extra-file=${mysqlOptionFile(dir, a)}`, '--single-transaction', '--quick', '--routines', '--triggers', '--no-tablespaces', '--default-character-set=utf8mb4', a.database, ...(tables ?? [])];
      await runTool(onPath('mariadb-dump', 'mysqldump'), args, { stdoutFile: outFile, signal: opts.signal });
    } else {
      const args = ['--no-owner', '--no-privileges', '--format=plain', '--no-password', ...(tables ?? []).flatMap((t) => ['--table', `public."${t}"`])];
      await runTool('pg_dump', args, { stdoutFile: outFile, env: pgEnv(dir, a), signal: opts.signal });
    }
  });
}

/**
 * Copies a SQLite site's database file page by page into `into` (a new file), consistent
 * even while the site writes (SQLite's backup API, through `.backup`). A snapshot kept this
 * way is put back by copying the file: it is never read as SQL text, so nothing a site
 * wrote into its own schema can ever run as a command.
 */
export async function copySqliteDatabase(a: SiteDbAccess, into: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
  if (a.server.engine !== 'sqlite' || !a.sqliteFile) throw new Error(`${a.host}'s database is not a SQLite file`);
  if (fs.existsSync(into)) throw new Error(`refusing to overwrite ${into}`);
  // Run from the target's folder so the dot-command names a plain file, with nothing to quote.
  const name = path.basename(into);
  if (!/^[\w.-]+$/.test(name)) throw new Error(`unexpected snapshot file name ${name}`);
  await runTool('sqlite3', ['-readonly', '-bail', a.sqliteFile, `.backup main ${name}`], { cwd: path.dirname(into), signal: opts.signal });
  fs.chmodSync(into, config().modes.secretFile);
}
