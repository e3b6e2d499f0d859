import { describe, expect, it } from 'vitest';
import { IDENTIFIER, NAME_LIMITS, assertHostMask, assertIdentifier, siteDbNames, type DbEngine } from '@/lib/domain/db-names';
import { normalizeHost } from '@/lib/domain/host';
import { spipPrefix } from '@/lib/domain/prefix';

const ENGINES: DbEngine[] = ['sqlite', 'mysql', 'postgresql'];
const HOSTS = [
  'example.com',
  'localhost',
  'www.example.org',
  '1password.com',
  '9.example',
  'a.b',
  'xn--bcher-kva.example',
  normalizeHost('ÉCOLE-élémentaire.fr'),
  `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
  'a-b-c-d-e-f-g-h.example',
];

describe('siteDbNames', () => {
  it('is mu_ + the SPIP prefix of the host on the first attempt', () => {
    expect(siteDbNames('example.com', 'mysql')).toEqual({ database: 'mu_examplec5172', user: 'mu_examplec5172' });
    expect(siteDbNames('localhost', 'postgresql')).toEqual({ database: 'mu_localhost', user: 'mu_localhost' });
    for (const host of HOSTS) expect(siteDbNames(host, 'sqlite').database).toBe(`mu_${spipPrefix(host)}`);
  });

  it('always gives identifiers within each engine limits, whatever the host and attempt', () => {
    for (const engine of ENGINES) {
      for (const host of HOSTS) {
        for (const attempt of [1, 2, 9, 10, 99, 1000, 123456789]) {
          const { database, user } = siteDbNames(host, engine, attempt);
          for (const name of [database, user]) expect(name, `${engine} ${host} #${attempt}`).toMatch(IDENTIFIER);
          expect(database.length).toBeLessThanOrEqual(NAME_LIMITS[engine].database);
          expect(user.length).toBeLessThanOrEqual(NAME_LIMITS[engine].user);
          // PostgreSQL counts bytes: the names are ASCII, so characters are bytes.
          expect(Buffer.byteLength(database)).toBe(database.length);
        }
      }
    }
    expect(NAME_LIMITS.mysql.user).toBe(32);
    expect(NAME_LIMITS.postgresql).toEqual({ database: 63, user: 63 });
  });

  it('adds _<attempt> after a collision, each attempt giving different names', () => {
    expect(siteDbNames('example.com', 'mysql', 2)).toEqual({ database: 'mu_examplec5172_2', user: 'mu_examplec5172_2' });
    const names = new Set<string>();
    for (let attempt = 1; attempt <= 50; attempt++) {
      const { database, user } = siteDbNames('example.com', 'mysql', attempt);
      if (attempt > 1) expect(database.endsWith(`_${attempt}`)).toBe(true);
      expect(user).toBe(database);
      names.add(database);
    }
    expect(names.size).toBe(50);
  });

  it('keeps the suffix when a name must be cut to fit', () => {
    const { user } = siteDbNames('example.com', 'mysql', 10 ** 17);
    expect(user.length).toBeLessThanOrEqual(32);
    expect(user.endsWith(`_${10 ** 17}`)).toBe(true);
  });
});

describe('assertIdentifier and assertHostMask', () => {
  it('refuse anything that could break out of a quoted name', () => {
    for (const bad of ['', '1abc', 'Abc', 'a-b', 'a b', 'a`b', 'a"b', "a'b", 'a;b', 'a.b', 'é', 'a'.repeat(64)]) {
      expect(() => assertIdentifier(bad), bad).toThrow(/refusing/);
    }
    expect(assertIdentifier('mu_a1_2')).toBe('mu_a1_2');
  });

  it('take host masks without quotes', () => {
    for (const ok of ['localhost', '127.0.0.1', '10.0.0.%', 'web1.example.org', '::1', '%']) expect(assertHostMask(ok)).toBe(ok);
    for (const bad of ['', "x'@'%", 'a b', 'a\\b', 'a"b', 'a;b', 'x'.repeat(256)]) expect(() => assertHostMask(bad), bad).toThrow(/refusing/);
  });
});
