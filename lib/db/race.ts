import { Prisma } from '@prisma/client';

/**
 * An upsert that holds under concurrency on every registry: Prisma runs `upsert` as a read then
 * a write, which PostgreSQL (read committed) lets two processes both take for "missing"; the
 * second one's insert then fails on the unique key (P2002), and the row the first made is read.
 */
export async function upsertRacing<T>(upsert: () => Promise<T>, read: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return read();
    throw err;
  }
}
