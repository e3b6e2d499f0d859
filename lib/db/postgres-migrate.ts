import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { redactedUrl, registryLayout } from '../config/registry-url';
import { projectRoot } from '../project-root';
import type { MigrationRow } from './migrate';
import { connectionAway, RegistryAwayError } from './server-away';

// Prisma's own `migrate deploy` cannot read a PostgreSQL catalog through the pg driver adapter
// (prisma/orm#27403: "Column type 'name' could not be deserialized"), so a PostgreSQL registry
// is migrated here, the way Prisma does it: the same _prisma_migrations table and checksums
// (`prisma migrate status` reads it), one transaction per migration, under Prisma's advisory lock.

const PRISMA_LOCK = 72707369;
const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function connectPostgres(url: string): Promise<pg.Client> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    const message = `cannot reach the PostgreSQL registry ${redactedUrl(url)}: ${err instanceof Error ? err.message : String(err)}`;
    throw connectionAway(err) ? new RegistryAwayError(message) : new Error(message);
  }
  return client;
}

/** Migration folders of the PostgreSQL registry, in order. */
export function postgresMigrations(): string[] {
  const dir = path.join(projectRoot, registryLayout('postgresql').migrations);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export async function appliedPostgresMigrations(url: string): Promise<MigrationRow[]> {
  const client = await connectPostgres(url);
  try {
    const r = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    return r.rows.map((row) => ({ name: row.migration_name, finished: row.finished_at !== null, rolledBack: row.rolled_back_at !== null }));
  } catch (err) {
    // Said as SQLite says it, so callers tell "never migrated" the same way for both.
    if ((err as { code?: string }).code === '42P01') throw new Error('no such table: _prisma_migrations');
    throw err;
  } finally {
    await client.end();
  }
}

/** Applies the pending migrations; returns what it did, as lines for people. */
export async function migratePostgres(url: string): Promise<string> {
  const client = await connectPostgres(url);
  const said: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_LOCK]);
    await client.query(BOOKKEEPING);
    const rows = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const failed = rows.rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
    if (failed.length) {
      throw new Error(`migration ${failed.join(', ')} started but did not finish on ${redactedUrl(url)}: see \`npx prisma migrate status\``);
    }
    const applied = new Set(rows.rows.filter((r) => !r.rolled_back_at).map((r) => r.migration_name));
    const dir = path.join(projectRoot, registryLayout('postgresql').migrations);
    for (const name of postgresMigrations()) {
      if (applied.has(name)) continue;
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = crypto.createHash('sha256').update(sql).digest('hex');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "applied_steps_count") VALUES ($1, $2, now(), $3, 1)',
          [crypto.randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`migration ${name} failed on ${redactedUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
      }
      said.push(`Applied migration ${name}`);
    }
    return said.length ? said.join('\n') : 'No pending migrations to apply.';
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_LOCK]).catch(() => {});
    await client.end();
  }
}
