// What says a database server is away (stopped, restarting, a network away), apart from
// unreachable.ts: the registry's migrations read it on every command's start, without Prisma's client.

/** Socket errors of a server that is not there (yet): stopped, restarting, or a network away. */
const AWAY_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * A PostgreSQL code that says the server is away for now: class 08 (connection exception), 57P
 * (shutting down, starting up, sessions terminated), or a database that refuses connections for
 * a while (55000 with that message: `ALLOW_CONNECTIONS false`, as during maintenance).
 */
export function awayCode(code: string, message: string): boolean {
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
