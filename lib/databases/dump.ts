import fs from 'node:fs';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DbServer } from '@prisma/client';
import { config } from '../config';
import { open } from '../crypto/secret-box';
import { db } from '../db/client';
import { PROFILES, type ProfileName } from '../domain/profiles';
import { siteDir } from '../farm/paths';
import { withDriver } from '.';
import { runTool, withSecretDir, writeSecretFile } from './run-tool';

/** Everything needed to reach one site's database with the site's own account. */
export interface SiteDbAccess {
  host: string;
  server: DbServer;
  database: string;
  user: string;
  password: string;
  tablePrefix: string;
  shared: boolean;
  /** SQLite: the database file */
  sqliteFile?: string;
  sqliteFolder: string;
}

export async function siteDbAccess(siteId: string): Promise<SiteDbAccess> {
  const rec = await db.siteDatabase.findUnique({ where: { siteId }, include: { server: true, site: { include: { platform: true } } } });
  if (!rec) throw new Error('this site has no database in the registry');
  const profile = PROFILES[rec.site.platform.profile as ProfileName] ?? PROFILES.generic;
  const sqliteFolder = path.join(siteDir(config().farmRoot, rec.site.host), profile.sqliteFolder);
  return {
    host: rec.site.host,
    server: rec.server,
    database: rec.name,
    user: rec.user,
    password: open(config().secretKey, rec.passwordEnc),
    tablePrefix: rec.tablePrefix,
    shared: rec.shared,
    sqliteFolder,
    sqliteFile: rec.server.engine === 'sqlite' ? path.join(sqliteFolder, `${rec.name}.sqlite`) : undefined,
  };
}

function onPath(...names: string[]): string {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
      if (dir && fs.existsSync(path.join(dir, name))) return name;
    }
  }
  return names[0]!;
}

const mysqlQuote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A MySQL option file: the password reaches the tool through it, never through argv. */
function mysqlOptionFile(dir: string, a: SiteDbAccess): string {
  const where = a.server.host.startsWith('/') ? `socket=${mysqlQuote(a.server.host)}` : `host=${mysqlQuote(a.server.host || '127.0.0.1')}\nport=${a.server.port || 3306}`;
  return writeSecretFile(dir, 'my.cnf', `[client]\nuser=${mysqlQuote(a.user)}\npassword=${mysqlQuote(a.password)}\n${where}\n`);
}

const pgpassEscape = (v: string) => v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');

/** A PostgreSQL password file (PGPASSFILE), for the same reason. */
function pgEnv(dir: string, a: SiteDbAccess): Record<string, string> {
  const host = a.server.host || '127.0.0.1';
  const port = String(a.server.port || 5432);
  const file = writeSecretFile(dir, 'pgpass', `${pgpassEscape(host)}:${port}:*:${pgpassEscape(a.user)}:${pgpassEscape(a.password)}\n`);
  return { PGPASSFILE: file, PGHOST: host, PGPORT: port, PGUSER: a.user, PGDATABASE: a.database, PGCONNECT_TIMEOUT: '10' };
}

async function siteTables(a: SiteDbAccess): Promise<string[] | undefined> {
  if (!a.shared) return undefined;
  return withDriver(a.server, a.sqliteFolder, (d) => d.listTables(a.database, a.tablePrefix));
}

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
 * Puts a site's database back as a dump describes it: the site's tables (or its whole
 * database) are emptied first, so tables added since the dump go too, then the dump is
 * loaded with the site's credentials, in one transaction where the engine allows.
 */
export async function restoreDatabase(a: SiteDbAccess, dumpFile: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
  if (a.server.engine === 'sqlite') {
    const fresh = `${a.sqliteFile!}.restoring`;
    fs.rmSync(fresh, { force: true });
    await runTool('sqlite3', [fresh], { stdinFile: dumpFile, signal: opts.signal });
    fs.chmodSync(fresh, config().modes.secretFile);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(a.sqliteFile! + suffix, { force: true });
    fs.renameSync(fresh, a.sqliteFile!);
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
      await runTool(onPath('mariadb', 'mysql'), [`--defaults-extra-file=${mysqlOptionFile(dir, a)}`, '--default-character-set=utf8mb4', a.database], { stdinFile: dumpFile, signal: opts.signal });
    } else {
      await runTool('psql', ['--no-psqlrc', '--quiet', '--no-password', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', dumpFile], { env: pgEnv(dir, a), signal: opts.signal });
    }
  });
}
