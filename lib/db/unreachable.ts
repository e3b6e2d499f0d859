import { Prisma } from '@prisma/client';
import { awayCode, RegistryAwayError } from './server-away';

/** Prisma's own codes for a server it cannot reach or that closed the connection. */
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);
/** What the PostgreSQL driver adapter says of a connection it lost or cannot open. */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);

/**
 * Whether a registry query failed because the registry's server is away (stopped,
 * restarting, unreachable), rather than for what the query asked: such a failure says
 * nothing of the work that was being done, which is taken up again once it answers.
 * PostgreSQL's away codes (`awayCode`) count as away.
 */
export function registryUnreachable(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientInitializationError || err instanceof RegistryAwayError) return true;
  // A statement handed to the driver adapter directly (executeRawNow) fails with the adapter's own error.
  const direct = err instanceof Error && err.name === 'DriverAdapterError' ? (err as { cause?: { kind?: string; code?: string } }).cause : undefined;
  if (!direct && !(err instanceof Prisma.PrismaClientKnownRequestError) && !(err instanceof Prisma.PrismaClientUnknownRequestError)) return false;
  if (err instanceof Prisma.PrismaClientKnownRequestError && UNREACHABLE_CODES.has(err.code)) return true;
  const meta = (err as { meta?: { driverAdapterError?: { cause?: { kind?: string; code?: string } } } }).meta;
  const cause = direct ?? meta?.driverAdapterError?.cause;
  if (!cause) return false;
  if (cause.kind && UNREACHABLE_KINDS.has(cause.kind)) return true;
  return cause.kind === 'postgres' && typeof cause.code === 'string' && awayCode(cause.code, `${(cause as { message?: unknown }).message ?? ''} ${(err as Error).message}`);
}
