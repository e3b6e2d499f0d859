import { describe, expect, it } from 'vitest';
import { compareVersions, defaultDirection, siteListSchema, upgradablePlatformIds } from '@/lib/domain/site-list';

describe('siteListSchema (the sites list state, as the URL holds it)', () => {
  it('gives the defaults for an empty query string', () => {
    expect(siteListSchema.parse({})).toEqual({ upgradable: false, down: false, sort: 'host', page: 1, perPage: 50 });
  });

  it.each([
    ['1', true], ['true', true], ['on', true], ['yes', true], [true, true],
    ['0', false], ['false', false], ['off', false], ['no', false], ['', false], [false, false],
  ])('reads the flag %j as %s', (value, expected) => {
    expect(siteListSchema.parse({ upgradable: value, down: value })).toMatchObject({ upgradable: expected, down: expected });
  });

  it('refuses a flag it cannot read rather than guessing', () => {
    expect(siteListSchema.safeParse({ down: 'maybe' }).success).toBe(false);
  });

  it('reads numbers from strings and bounds them', () => {
    expect(siteListSchema.parse({ page: '3', perPage: '200' })).toMatchObject({ page: 3, perPage: 200 });
    for (const bad of [{ page: '0' }, { page: '-1' }, { page: '1.5' }, { page: 'x' }, { perPage: '9' }, { perPage: '201' }]) {
      expect(siteListSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('trims and lower-cases the search, keeping * and ?', () => {
    expect(siteListSchema.parse({ q: '  *.Club.Example.ORG ' }).q).toBe('*.club.example.org');
    expect(siteListSchema.parse({ q: 'site1?.asso.*' }).q).toBe('site1?.asso.*');
  });

  it.each([
    ['a space', 'a b'],
    ['a GLOB class', 'site[1-3].example.org'],
    ['an SQL quote', "x' OR 1=1 --"],
    ['a LIKE wildcard', 'site%'],
    ['a slash', 'example.org/ecrire'],
    ['a host too long', 'a'.repeat(254)],
  ])('refuses a search with %s', (_what, q) => {
    const r = siteListSchema.safeParse({ q });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]!.path).toEqual(['q']);
  });

  it('knows the statuses, engines, sorts and directions, nothing else', () => {
    expect(siteListSchema.parse({ status: 'disabled', engine: 'postgresql', sort: 'disk', dir: 'asc' })).toMatchObject({ status: 'disabled', engine: 'postgresql', sort: 'disk', dir: 'asc' });
    for (const bad of [{ status: 'deleted' }, { engine: 'oracle' }, { sort: 'name' }, { dir: 'up' }]) {
      expect(siteListSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('lower-cases the webmaster filter (emails are stored lower case)', () => {
    expect(siteListSchema.parse({ webmaster: ' Alice@Example.ORG ' }).webmaster).toBe('alice@example.org');
  });

  it('sorts names A to Z and the rest newest or biggest first unless told', () => {
    expect(defaultDirection('host')).toBe('asc');
    for (const s of ['created', 'upgraded', 'disk'] as const) expect(defaultDirection(s)).toBe('desc');
  });
});

describe('compareVersions', () => {
  it.each([
    ['4.10', '4.9', 1],
    ['4.9', '4.10', -1],
    ['4.3.2', '4.3', 1],
    ['4.3', '4.3.2', -1],
    ['4.3', '4.3.0', 0],
    ['4.3', '4.3', 0],
    ['10.0', '9.99', 1],
    ['4.4.0-beta', '4.4.0-alpha', 1],
    ['4.4.1', '4.4.0-beta', 1],
    ['4.4.0', '4.4.0-beta', 1],
    ['4.4-rc1', '4.4', -1],
    ['4.4', '4.4.0-beta', 1],
    ['4.3', '', 1],
    ['', '', 0],
  ])('%s vs %s: %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});

describe('upgradablePlatformIds', () => {
  const p = (id: string, profile: string, version: string, status = 'active') => ({ id, profile, version, status });

  it('marks the lower releases of a profile when a higher active one exists', () => {
    const ids = upgradablePlatformIds([p('s43', 'spip', '4.3.2'), p('s49', 'spip', '4.9'), p('s410', 'spip', '4.10'), p('m45', 'moodle', '4.5')]);
    expect([...ids].sort()).toEqual(['s43', 's49']);
  });

  it('never offers a retired release, nor one of another profile', () => {
    const ids = upgradablePlatformIds([p('s43', 'spip', '4.3'), p('s50', 'spip', '5.0', 'retired'), p('g2', 'generic', '2.0'), p('m9', 'moodle', '9.0')]);
    expect([...ids]).toEqual([]);
  });

  it('does not mark equal releases, nor a platform without a version as a target', () => {
    expect([...upgradablePlatformIds([p('a', 'spip', '4.3'), p('b', 'spip', '4.3.0'), p('c', 'spip', '')])]).toEqual(['c']);
  });

  it('still marks a retired lower release: its sites have somewhere to go', () => {
    expect([...upgradablePlatformIds([p('old', 'spip', '4.1', 'retired'), p('new', 'spip', '4.3')])]).toEqual(['old']);
  });

  it('a generic platform is never upgradable, even below another generic one: they may be unrelated applications', () => {
    expect([...upgradablePlatformIds([p('g1', 'generic', '1.0'), p('g2', 'generic', '2.0'), p('s', 'spip', '4.3')])]).toEqual([]);
  });
});
