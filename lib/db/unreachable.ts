import { Prisma } from '@prisma/client';

/** Prisma's own codes for a server it cannot reach or that closed the connection. */
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);
/** What the PostgreSQL driver adapter says of a connection it lost or cannot open. */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);

/** Socket errors of a server that is not there (yet): stopped, restarting, or a network away. */
const AWAY_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * A PostgreSQL code that says the server is away for now: class 08 (connection exception), 57P
 * (shutting down, starting up, sessions terminated), or a database that refuses connections for
 * a while (55000 with that message: `ALLOW_CONNECTIONS false`, as during maintenance).
 */
function awayCode(code: string, message: string): boolean {
  return code.startsWith('08') || code.startsWith('57P') || (code === '55000' && /not currently accepting connections/.test(message));
}

/** Mutu's own connection to the registry's server (its migrations) found the server away. */
export class RegistryAwayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryAwayError';
  }
}

/**
 * Whether a connection attempt of the `pg` driver failed because the server is away (as
 * opposed to a wrong password or a missing database, which waiting does not mend).
 */
export function connectionAway(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return AWAY_SOCKET_CODES.has(code) || awayCode(code, String((err as { message?: unknown }).message ?? ''));
}

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
