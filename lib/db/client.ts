// Next's `server-only` in its server graph and in the browser's, nothing elsewhere (package.json "imports").
import '#db-guard';
import { createRequire } from 'node:module';
import { PrismaClient } from '@prisma/client';
import { config } from '../config';
import { registryProvider } from '../config/registry-url';
import { openedClient as globalForPrisma } from './opened-client';
import { MutuLibSQL } from './sqlite-client';

/**
 * A client for the registry at `url`. PostgreSQL has its own generated client
 * (.prisma/client-pg, from the same models: bin/prisma-schemas.js), loaded only when used;
 * its models, results and errors are those of the SQLite one, so the code sees one type.
 */
export function registryClient(url: string): PrismaClient {
  if (registryProvider(url) === 'postgresql') {
    const require = createRequire(import.meta.url);
    const { PrismaPg } = require('@prisma/adapter-pg') as typeof import('@prisma/adapter-pg');
    const { PrismaClient: PostgresClient } = require('.prisma/client-pg') as { PrismaClient: new (o: object) => PrismaClient };
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
  }
  return new PrismaClient({ adapter: new MutuLibSQL({ url }) });
}

function client(): PrismaClient {
  globalForPrisma.mutuPrisma ??= registryClient(config().registryUrl);
  return globalForPrisma.mutuPrisma;
}

/**
 * The registry. Opened on first use, so importing a module never reads the configuration
 * (Next's build imports pages without one).
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const c = client();
    const value = Reflect.get(c, prop, c);
    return typeof value === 'function' ? value.bind(c) : value;
  },
});

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.mutuPrisma?.$disconnect();
  globalForPrisma.mutuPrisma = undefined;
}
