import fs from 'node:fs';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { assertIdentifier } from '../domain/db-names';
import type { DbDriver, SiteDbSpec } from './driver';

/**
 * The embedded default: each site's database is a SQLite file in its own `db/` folder.
 * There are no users: the file's permissions are the access control.
 */
export class SqliteDriver implements DbDriver {
  readonly engine = 'sqlite' as const;

  constructor(private readonly folder: string, private readonly fileMode: number) {}

  file(database: string): string {
    return path.join(this.folder, `${assertIdentifier(database)}.sqlite`);
  }

  async ping() {
    return 'SQLite (embedded)';
  }

  async databaseExists(database: string) {
    return fs.existsSync(this.file(database));
  }

  async listDatabases() {
    if (!fs.existsSync(this.folder)) return [];
    return fs.readdirSync(this.folder).filter((f) => f.endsWith('.sqlite')).map((f) => f.slice(0, -'.sqlite'.length));
  }

  async userExists() {
    return false;
  }

  async createDatabase(database: string) {
    const file = this.file(database);
    fs.mkdirSync(this.folder, { recursive: true });
    fs.writeFileSync(file, '', { flag: 'wx', mode: this.fileMode });
    const client = createClient({ url: `file:${file}` });
    try {
      await client.execute('PRAGMA journal_mode = WAL');
    } finally {
      client.close();
    }
  }

  async dropDatabase(database: string) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(this.file(database) + suffix, { force: true });
  }

  async createUser(_spec: SiteDbSpec) {}

  async grantDatabase(_spec: SiteDbSpec) {}

  async passwordMatches(): Promise<boolean | null> {
    return null;
  }

  async setPassword(): Promise<void> {
    throw new Error('a SQLite database has no account and no password');
  }

  async accountReach() {
    return [];
  }

  async listTables(database: string, prefix?: string) {
    const client = createClient({ url: `file:${this.file(database)}` });
    try {
      const r = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
      const names = r.rows.map((row) => String(row.name));
      return prefix ? names.filter((n) => n.startsWith(`${prefix}_`)) : names;
    } finally {
      client.close();
    }
  }

  async dropUser() {}

  async dropPrefixedTables(database: string, prefix: string) {
    const client = createClient({ url: `file:${this.file(database)}` });
    try {
      const r = await client.execute({ sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ?", args: [prefix.length + 1, `${assertIdentifier(prefix)}_`] });
      for (const row of r.rows) await client.execute(`DROP TABLE IF EXISTS "${assertIdentifier(String(row.name))}"`);
      return r.rows.length;
    } finally {
      client.close();
    }
  }

  async sizeBytes(spec: Pick<SiteDbSpec, 'database'>) {
    let total = 0;
    for (const suffix of ['', '-wal']) {
      try {
        total += fs.statSync(this.file(spec.database) + suffix).size;
      } catch {}
    }
    return total;
  }

  async close() {}
}
