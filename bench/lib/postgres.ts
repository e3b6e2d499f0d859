import crypto from 'node:crypto';

/** The PostgreSQL server the benches make their throwaway registries on. */
export const benchPostgresAdmin = () => process.env.MUTU_BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function psql(adminUrl: string, sql: string) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A fresh, empty database for one measure: its URL, and how to drop it afterwards. */
export async function throwawayDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = benchPostgresAdmin();
  const name = `mu_bench_${crypto.randomBytes(4).toString('hex')}`;
  await psql(admin, `CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => psql(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
