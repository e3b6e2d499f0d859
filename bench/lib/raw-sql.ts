import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from '@libsql/client';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { mysqlAdmin, postgresAdmin } from './servers';

/**
 * The statements Mutu's drivers run to give a site its database, run alone through one
 * admin connection opened beforehand: the floor Mutu's provisioning is compared with.
 */
export interface RawRunner {
  /** Creates one site's database (and user); returns the wall time of the statements. */
  createSite(name: string): Promise<number>;
  close(): Promise<void>;
}

/** A site's files as an admin's script makes them: its folder, the application's folders, its connection file. */
export interface SiteFiles {
  dir: string;
  folders: string[];
  configFile: string;
}

/**
 * What an admin's own script does for a site, timed whole: `mkdir` of the site's folders, the
 * statements through the admin connection, then the connection file written (private). The
 * floor that counts the same files as Mutu's folders and config steps make.
 */
export async function createSiteWithFiles(raw: RawRunner, name: string, files: SiteFiles): Promise<number> {
  const start = performance.now();
  fs.mkdirSync(files.dir, { mode: 0o750 });
  for (const folder of files.folders) fs.mkdirSync(path.join(files.dir, folder), { recursive: true, mode: 0o750 });
  await raw.createSite(name);
  const config = path.join(files.dir, files.configFile);
  fs.mkdirSync(path.dirname(config), { recursive: true, mode: 0o750 });
  fs.writeFileSync(config, `<?php\n// ${name}: host, user, password, database\n`, { mode: 0o600 });
  return performance.now() - start;
}

/** Like Mutu's generated passwords (24 random bytes, base64url); made before the clock starts. */
const password = () => crypto.randomBytes(24).toString('base64url');

async function clock(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

class MysqlRaw implements RawRunner {
  constructor(private readonly conn: mysql.Connection, private readonly hostMask: string) {}

  createSite(name: string) {
    const secret = password();
    const account = `'${name}'@'${this.hostMask}'`;
    return clock(async () => {
      await this.conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await this.conn.query(`CREATE USER ${account} IDENTIFIED BY ?`, [secret]);
      await this.conn.query(`GRANT ALL PRIVILEGES ON \`${name}\`.* TO ${account}`);
    });
  }

  async close() {
    await this.conn.end().catch(() => this.conn.destroy());
  }
}

class PostgresRaw implements RawRunner {
  constructor(private readonly client: pg.Client) {}

  createSite(name: string) {
    const secret = password();
    return clock(async () => {
      await this.client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
      await this.client.query(`REVOKE ALL ON DATABASE "${name}" FROM PUBLIC`);
      await this.client.query(`CREATE ROLE "${name}" LOGIN PASSWORD '${secret}'`);
      await this.client.query(`ALTER DATABASE "${name}" OWNER TO "${name}"`);
    });
  }

  async close() {
    await this.client.end().catch(() => {});
  }
}

/** SQLite has no server: a site's database is a new file switched to WAL, as Mutu's driver does it. */
class SqliteRaw implements RawRunner {
  constructor(private readonly folder: string, private readonly fileMode: number) {}

  createSite(name: string) {
    const file = path.join(this.folder, `${name}.sqlite`);
    return clock(async () => {
      fs.writeFileSync(file, '', { flag: 'wx', mode: this.fileMode });
      const client = createClient({ url: `file:${file}` });
      try {
        await client.execute('PRAGMA journal_mode = WAL');
      } finally {
        client.close();
      }
    });
  }

  async close() {}
}

export async function openRawRunner(
  engine: 'sqlite' | 'mysql' | 'postgresql',
  opts: { url?: string; hostMask?: string; sqliteFolder?: string; fileMode?: number },
): Promise<RawRunner> {
  if (engine === 'mysql') return new MysqlRaw(await mysqlAdmin(opts.url!), opts.hostMask ?? 'localhost');
  if (engine === 'postgresql') return new PostgresRaw(await postgresAdmin(opts.url!));
  fs.mkdirSync(opts.sqliteFolder!, { recursive: true });
  return new SqliteRaw(opts.sqliteFolder!, opts.fileMode ?? 0o640);
}

/** The SQLite library's own version, for the report. */
export async function sqliteVersion(): Promise<string> {
  const client = createClient({ url: ':memory:' });
  try {
    const r = await client.execute('SELECT sqlite_version() AS v');
    return `SQLite ${String(r.rows[0]?.v)} (libSQL, embedded)`;
  } finally {
    client.close();
  }
}
