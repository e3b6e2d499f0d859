import fs from 'node:fs';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { config } from '../config';
import { runTool, toolText, ToolError, withSecretDir } from './run-tool';
import { mysqlOptionFile, onPath, pgEnv, siteTables, type SiteDbAccess } from './site-access';

/**
 * Another program that reads the dump tool's output directly (a compressor, as in
 * `mariadb-dump | zstd`), so the SQL never goes through Node: `program` gets the tool's output
 * pipe and pid as it starts; `text` gets the few bytes Mutu writes itself instead (a site
 * with no tables runs no tool).
 */
export interface DumpReader {
  program(toolOutput: Readable, toolPid: number | undefined): void;
  text(sql: string): Promise<void>;
}

/**
 * Dumps a site's database as SQL into `into` (a path, a stream it ends, or a program reading
 * the tool directly), with the site's own credentials: one consistent snapshot
 * (`--single-transaction` / pg_dump's own), only the site's tables in a shared database.
 * Streams with constant memory; the caller renames the file once complete, or treats the
 * content as complete only once this resolves (the tool's exit status decides).
 */
export async function dumpDatabase(a: SiteDbAccess, into: string | Writable | DumpReader, opts: { signal?: AbortSignal } = {}): Promise<void> {
  const tables = await siteTables(a);
  if (tables && tables.length === 0) {
    const note = `-- Mutu: ${a.host} has no tables with the prefix ${a.tablePrefix}_\n`;
    if (typeof into === 'string') fs.writeFileSync(into, note, { mode: 0o600 });
    else if ('program' in into) await into.text(note);
    else await pipeline(Readable.from([Buffer.from(note)]), into);
    return;
  }
  const output = typeof into === 'object' && 'program' in into ? { stdoutTo: into.program.bind(into) } : { stdoutFile: into };
  if (a.server.engine === 'sqlite') {
    // The check and the dump read the file side by side (the check alone is a third of the
    // dump's time); a damaged file stops the dump, and its partial output is never kept.
    const stopDump = new AbortController();
    const checked = checkSqliteFile(a.sqliteFile!, opts.signal).catch((err: unknown) => {
      stopDump.abort(err);
      throw err;
    });
    const dumped = runTool('sqlite3', ['-readonly', a.sqliteFile!, '.dump'], { ...output, signal: opts.signal ? AbortSignal.any([opts.signal, stopDump.signal]) : stopDump.signal });
    const [check, dump] = await Promise.allSettled([checked, dumped]);
    if (check.status === 'rejected') throw check.reason;
    if (dump.status === 'rejected') throw dump.reason;
    return;
  }
  await withSecretDir(async (dir) => {
    if (a.server.engine === 'mysql') {
      const args = [`--defaults-extra-file=${mysqlOptionFile(dir, a)}`, '--single-transaction', '--quick', '--routines', '--triggers', '--no-tablespaces', '--default-character-set=utf8mb4', a.database, ...(tables ?? [])];
      await runTool(onPath('mariadb-dump', 'mysqldump'), args, { ...output, signal: opts.signal });
    } else {
      const args = ['--no-owner', '--no-privileges', '--format=plain', '--no-password', ...(tables ?? []).flatMap((t) => ['--table', `public."${t}"`])];
      await runTool('pg_dump', args, { ...output, env: pgEnv(dir, a), signal: opts.signal });
    }
  });
}

/**
 * sqlite3's `.dump` of a damaged file exits 0, its error only a comment in the SQL: checked
 * (while the dump runs), so a backup or an export is never a dump of nothing.
 */
async function checkSqliteFile(file: string, signal?: AbortSignal): Promise<void> {
  const said = await toolText('sqlite3', ['-readonly', '-bail', file, 'PRAGMA quick_check'], { signal }).catch((err: unknown) => {
    if (err instanceof ToolError && /not a database|malformed|corrupt/i.test(err.stderr)) return err.stderr;
    throw err; // missing, unreadable: the tool's own words
  });
  if (said.trim() !== 'ok') {
    throw new ToolError(`the SQLite database ${file} is damaged (${said.trim().split('\n').slice(0, 2).join(' / ')}): restore it from a backup, or repair it with sqlite3's .recover`, null, said);
  }
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
