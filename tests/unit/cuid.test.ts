import { describe, expect, it } from 'vitest';
import { cuid } from '@/lib/db/cuid';

// Ids of rows written in raw SQL must look like those Prisma's `@default(cuid())` makes (cuid v1).
describe('cuid', () => {
  it('has the shape of a Prisma cuid: `c`, then 24 lower-case base-36 characters', () => {
    expect(cuid()).toMatch(/^c[0-9a-z]{24}$/);
  });

  it('never repeats, and sorts by the time it was made', async () => {
    const first = new Set(Array.from({ length: 5000 }, () => cuid()));
    expect(first.size).toBe(5000);
    const before = cuid();
    await new Promise((r) => setTimeout(r, 5));
    expect(cuid() > before).toBe(true);
  });
});
