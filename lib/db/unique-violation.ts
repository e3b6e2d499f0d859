import { Prisma } from '@prisma/client';

type Cause = { kind?: string; code?: string; originalCode?: string };

/**
 * Whether a write was refused by a unique key: Prisma's P2002, or the same refusal of a raw
 * statement handed to the driver adapter (`executeRawNow`, `queryRawNow`), which fails with the
 * adapter's own error, or reaches Prisma's as a raw query's failure.
 */
export function uniqueViolation(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return true;
  if (!(err instanceof Error)) return false;
  const direct = err.name === 'DriverAdapterError' ? (err as { cause?: Cause }).cause : undefined;
  const meta = (err as { meta?: { driverAdapterError?: { cause?: Cause }; code?: string } }).meta;
  const cause = direct ?? meta?.driverAdapterError?.cause;
  if (cause?.kind === 'UniqueConstraintViolation') return true;
  // PostgreSQL's unique_violation, SQLite's SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
  const code = cause?.originalCode ?? cause?.code ?? meta?.code;
  return code === '23505' || code === '2067' || code === '1555';
}
