import { Prisma } from '@prisma/client';
import { queryRawNow } from './client';
import { type Sql } from 'sql-template-tag';

/** A model's row as Prisma's model queries give it (its scalar columns, typed). */
export type ModelRow<N extends Prisma.ModelName> = Prisma.TypeMap['model'][N]['payload']['scalars'];

type Read = (value: unknown) => unknown;

const readers: Record<string, Read> = {
  // Both drivers give DateTime as ISO 8601 text.
  DateTime: (v) => (v instanceof Date ? v : new Date(v as string | number)),
  // SQLite keeps Boolean as 0 or 1.
  Boolean: (v) => (typeof v === 'boolean' ? v : Number(v) !== 0),
  // Both drivers give Json as its text (SQLite's JSON.stringify's, PostgreSQL's jsonb's).
  Json: (v) => (typeof v === 'string' ? JSON.parse(v) : v),
  BigInt: (v) => (typeof v === 'bigint' ? v : BigInt(v as number | string)),
  Int: (v) => Number(v),
  Float: (v) => Number(v),
};

/** Each model's columns that need reading (the rest, text and enums, are taken as they come). */
const columnsOf = new Map<string, [string, Read][]>();

function readersOf(model: Prisma.ModelName): [string, Read][] {
  let known = columnsOf.get(model);
  if (!known) {
    const fields = Prisma.dmmf.datamodel.models.find((m) => m.name === model)?.fields ?? [];
    known = fields.filter((f) => f.kind === 'scalar' && readers[f.type]).map((f) => [f.dbName ?? f.name, readers[f.type]!]);
    columnsOf.set(model, known);
  }
  return known;
}

/**
 * A raw read of one model's table (`SELECT * FROM "Site" WHERE …`, or some of its columns),
 * handed to the driver adapter (`queryRawNow`), its rows typed as Prisma's model queries give
 * them, on both registries: for the reads every new site pays, where a model query's compile
 * and mapping cost more CPU than the statement.
 */
export async function modelRowsNow<N extends Prisma.ModelName, R = ModelRow<N>>(model: N, query: Sql): Promise<R[]> {
  return asModelRows<N, R>(model, await queryRawNow(query));
}

/** Raw rows of one model's table (`queryRawNow`'s, or a raw transaction's `query`), typed as `modelRowsNow`'s. */
export function asModelRows<N extends Prisma.ModelName, R = ModelRow<N>>(model: N, rows: Record<string, unknown>[]): R[] {
  const columns = readersOf(model);
  for (const row of rows) {
    for (const [column, read] of columns) {
      const value = row[column];
      if (value !== null && value !== undefined) row[column] = read(value);
    }
  }
  return rows as R[];
}
