import type { PrismaClient } from '@prisma/client';

/**
 * Where the registry's client is kept once opened (lib/db/client.ts): on globalThis, so Next's
 * hot reload does not open a connection per edit. Apart from the client's module, so a command
 * can tell whether it opened the registry without loading Prisma and the drivers to find out.
 */
export const openedClient = globalThis as unknown as { mutuPrisma?: PrismaClient };
