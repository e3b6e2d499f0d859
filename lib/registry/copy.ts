import crypto from 'node:crypto';
import { Prisma, type PrismaClient } from '@prisma/client';
import type { Config } from '../config';
import { registryPlace, registryProvider } from '../config/registry-url';
import { registryClient } from '../db/client';
import { ensureRegistry } from '../db/migrate';

/**
 * Every table of the registry, parents before children (foreign keys hold at each insert),
 * with the order its rows are read in: its primary key, so both sides read them alike.
 */
export const COPY_ORDER: { model: Prisma.ModelName; orderBy: Record<string, 'asc'>[]; serial?: true }[] = [
  { model: 'User', orderBy: [{ id: 'asc' }] },
  { model: 'PasswordToken', orderBy: [{ id: 'asc' }] },
  { model: 'Platform', orderBy: [{ id: 'asc' }] },
  { model: 'DbServer', orderBy: [{ id: 'asc' }] },
  { model: 'Site', orderBy: [{ id: 'asc' }] },
  { model: 'SiteAlias', orderBy: [{ id: 'asc' }] },
  { model: 'Certificate', orderBy: [{ id: 'asc' }] },
  { model: 'SiteDatabase', orderBy: [{ id: 'asc' }] },
  { model: 'SiteWebmaster', orderBy: [{ siteId: 'asc' }, { userId: 'asc' }] },
  { model: 'ActivationCode', orderBy: [{ id: 'asc' }] },
  { model: 'Run', orderBy: [{ id: 'asc' }] },
  { model: 'Worker', orderBy: [{ id: 'asc' }] },
  { model: 'Job', orderBy: [{ id: 'asc' }] },
  { model: 'JobLog', orderBy: [{ id: 'asc' }], serial: true },
  { model: 'Export', orderBy: [{ id: 'asc' }] },
  { model: 'ExportFile', orderBy: [{ id: 'asc' }] },
  { model: 'Snapshot', orderBy: [{ id: 'asc' }] },
  { model: 'AuditEvent', orderBy: [{ id: 'asc' }], serial: true },
  { model: 'RateLimit', orderBy: [{ key: 'asc' }] },
  { model: 'SecretKeyCheck', orderBy: [{ id: 'asc' }] },
  { model: 'Setting', orderBy: [{ key: 'asc' }] },
];

const PAGE = 500;

type Row = Record<string, unknown>;
interface Delegate {
  count(): Promise<number>;
  findMany(args: { orderBy: object[]; skip: number; take: number }): Promise<Row[]>;
  createMany(args: { data: Row[] }): Promise<{ count: number }>;
}
const delegate = (client: PrismaClient, model: string) => (client as unknown as Record<string, Delegate>)[model[0]!.toLowerCase() + model.slice(1)]!;

/** A Json column's null is written as SQL's NULL (Prisma refuses a bare null there: JsonNull or DbNull). */
function writable(model: string): (row: Row) => Row {
  const json = Prisma.dmmf.datamodel.models.find((m) => m.name === model)!.fields.filter((f) => f.type === 'Json').map((f) => f.name);
  return (row) => ({ ...row, ...Object.fromEntries(json.filter((f) => row[f] === null).map((f) => [f, Prisma.DbNull])) });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A row as the same text on both providers: dates in ISO form, big integers in decimal, the keys
 * of objects (a Json column's) sorted, as PostgreSQL's jsonb orders them its own way.
 */
const canonical = (row: Row) =>
  JSON.stringify(row, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : isPlainObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );

async function* rowsOf(client: PrismaClient, table: (typeof COPY_ORDER)[number]): AsyncGenerator<Row[]> {
  for (let skip = 0; ; skip += PAGE) {
    const page = await delegate(client, table.model).findMany({ orderBy: table.orderBy, skip, take: PAGE });
    if (page.length) yield page;
    if (page.length < PAGE) return;
  }
}

/** Rows and a sha256 of their canonical text, in primary key order. */
async function tableDigest(client: PrismaClient, table: (typeof COPY_ORDER)[number]): Promise<{ rows: number; sha256: string }> {
  const hash = crypto.createHash('sha256');
  let rows = 0;
  for await (const page of rowsOf(client, table)) {
    for (const row of page) hash.update(canonical(row)).update('\n');
    rows += page.length;
  }
  return { rows, sha256: hash.digest('hex') };
}

export interface TableCopy {
  table: string;
  rows: number;
  sha256: string;
}

export class CopyRefused extends Error {}

/**
 * Copies the registry of `cfg` into the empty registry at `targetUrl` (SQLite or PostgreSQL,
 * either way), migrated first to this code base; then reads both back, table by table, and
 * compares their row counts and checksums. Refuses a target that holds any row, and a source
 * with jobs running (its workers must be stopped: rows written meanwhile would be missed).
 */
export async function copyRegistry(cfg: Config, targetUrl: string, say: (line: string) => void = () => {}): Promise<TableCopy[]> {
  registryProvider(targetUrl);
  if (targetUrl === cfg.registryUrl) throw new CopyRefused('the target is the registry itself: give another --to');
  const target = `${registryProvider(targetUrl)} registry ${registryPlace(targetUrl)}`;
  await ensureRegistry(cfg);
  await ensureRegistry({ ...cfg, registryUrl: targetUrl });
  const from = registryClient(cfg.registryUrl);
  const to = registryClient(targetUrl);
  try {
    const running = await from.job.count({ where: { status: { in: ['running', 'undoing'] } } });
    if (running) {
      throw new CopyRefused(`${running} job(s) are running: stop the dashboard and the workers (\`mutu start\`, \`mutu worker\`) first, so no row changes during the copy`);
    }
    const filled: string[] = [];
    for (const t of COPY_ORDER) if (await delegate(to, t.model).count()) filled.push(t.model);
    if (filled.length) {
      throw new CopyRefused(`the ${target} is not empty (rows in ${filled.join(', ')}): copy only into a new, empty registry`);
    }

    for (const t of COPY_ORDER) {
      let rows = 0;
      for await (const page of rowsOf(from, t)) rows += (await delegate(to, t.model).createMany({ data: page.map(writable(t.model)) })).count;
      if (t.serial && registryProvider(targetUrl) === 'postgresql') {
        // Rows came with their ids: the next one PostgreSQL gives must follow them.
        await to.$executeRawUnsafe(
          `SELECT setval(pg_get_serial_sequence('"${t.model}"', 'id'), COALESCE((SELECT MAX("id") FROM "${t.model}"), 0) + 1, false)`,
        );
      }
      say(`copied ${t.model}: ${rows} row(s)`);
    }

    const report: TableCopy[] = [];
    const mismatches: string[] = [];
    for (const t of COPY_ORDER) {
      const [a, b] = await Promise.all([tableDigest(from, t), tableDigest(to, t)]);
      if (a.rows !== b.rows || a.sha256 !== b.sha256) {
        mismatches.push(`${t.model}: ${a.rows} row(s) ${a.sha256.slice(0, 12)} here, ${b.rows} row(s) ${b.sha256.slice(0, 12)} there`);
      }
      report.push({ table: t.model, rows: a.rows, sha256: a.sha256 });
    }
    if (mismatches.length) throw new Error(`the copy in the ${target} differs from the registry: ${mismatches.join('; ')}`);
    return report;
  } catch (err) {
    if (err instanceof CopyRefused) throw err;
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}\nThe ${target} may hold part of the copy: ` +
        `empty it (drop and create the database, or remove the file) before trying again.`,
    );
  } finally {
    await Promise.all([from.$disconnect(), to.$disconnect()]);
  }
}
