import { PrismaClient } from '@prisma/client';
import { config } from '../config';
import { MutuLibSQL } from './sqlite-client';

const globalForPrisma = globalThis as unknown as { mutuPrisma?: PrismaClient };

function client(): PrismaClient {
  // Kept on globalThis so Next's hot reload does not open a connection per edit.
  globalForPrisma.mutuPrisma ??= new PrismaClient({
    adapter: new MutuLibSQL({ url: config().registryUrl }),
  });
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
