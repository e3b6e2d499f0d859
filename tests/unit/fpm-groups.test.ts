// A site's PHP-FPM group is a pure function of its Unix user name: nothing stored, the same
// answer in every process and after a restart, spread evenly so that each master holds a
// share of the farm's pools (bench/README.md, "front").
import { describe, expect, it } from 'vitest';
import { fnv1a, fpmGroupFileLimit, fpmGroupIndex, fpmGroupName, parseFpmGroupName, renderFpmGroupConf } from '@/lib/domain/fpm-groups';
import { loadConfig } from '@/lib/config';

const KNOWN = [18, 1, 7];

describe('PHP-FPM pool groups', () => {
  it('hash with FNV-1a (the published 32-bit test vectors)', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('put a user in the same group every time, from 1 to N, and all in group 1 when N is 1', () => {
    expect(fpmGroupIndex('mu-example', 1)).toBe(1);
    for (const n of [2, 3, 32, 999]) {
      const g = fpmGroupIndex('mu-example', n);
      expect(g).toBeGreaterThanOrEqual(1);
      expect(g).toBeLessThanOrEqual(n);
      expect(fpmGroupIndex('mu-example', n)).toBe(g);
    }
    // Known values: a change of the function would move every pool of a farm (mutu front sync).
    expect(['mu-example', 'mu-example-2', 'mu-shop'].map((u) => fpmGroupIndex(u, 32))).toEqual(KNOWN);
    expect(() => fpmGroupIndex('mu-example', 0)).toThrow(/whole number/);
  });

  it.each([32, 30, 7])('spread 10,000 sites evenly over %i groups (each within a fifth of its share), names numbered as Mutu numbers them', (n) => {
    for (const name of [(i: number) => `mu-site${i}`, (i: number) => `mu-example-${i}`, (i: number) => `mu-s${String(i).padStart(5, '0')}`]) {
      const counts = new Array<number>(n + 1).fill(0);
      for (let i = 0; i < 10_000; i++) counts[fpmGroupIndex(name(i), n)]!++;
      expect(counts[0]).toBe(0);
      for (const c of counts.slice(1)) expect(Math.abs(c - 10_000 / n)).toBeLessThan(0.2 * (10_000 / n));
    }
  });

  it('name groups g01... and read the names back', () => {
    expect(fpmGroupName(3)).toBe('g03');
    expect(fpmGroupName(120)).toBe('g120');
    expect(parseFpmGroupName('g03')).toBe(3);
    expect(parseFpmGroupName('g00')).toBeNull();
    expect(parseFpmGroupName('pool.d')).toBeNull();
  });

  it("size a group's open files for its share, in steps (the file does not change with each new site)", () => {
    expect(fpmGroupFileLimit(10_000, 32)).toBeGreaterThan(2 * 313);
    expect(fpmGroupFileLimit(10_000, 32)).toBe(fpmGroupFileLimit(10_050, 32));
    expect(fpmGroupFileLimit(0, 3)).toBe(fpmGroupFileLimit(12, 3));
    expect(fpmGroupFileLimit(100_000, 10)).toBeGreaterThan(20_000);
    const conf = renderFpmGroupConf({ version: '8.2', index: 3, groups: 32, pidFile: '/run/mutu/p.pid', errorLog: '/var/log/x.log', rlimitFiles: 2048, poolsDir: '/etc/php/8.2/fpm/mutu-groups/g03/pool.d' });
    expect(conf).toMatch(/^log_level = warning$/m);
    expect(conf).toMatch(/^rlimit_files = 2048$/m);
    expect(conf).toMatch(/^pid = \/run\/mutu\/p\.pid$/m);
    expect(conf).toMatch(/^include = \/etc\/php\/8\.2\/fpm\/mutu-groups\/g03\/pool\.d\/\*\.conf$/m);
  });

  it('are a setting: MUTU_FRONT_PHP_GROUPS, a whole number from 1, 1 by default', () => {
    const base = { MUTU_DATA_DIR: '/tmp/mutu-fpm-groups-config', MUTU_SECRET_KEY: 'a'.repeat(64) };
    expect(loadConfig(base).front.phpGroups).toBe(1);
    expect(loadConfig({ ...base, MUTU_FRONT_PHP_GROUPS: '32' }).front.phpGroups).toBe(32);
    expect(() => loadConfig({ ...base, MUTU_FRONT_PHP_GROUPS: '0' })).toThrow(/MUTU_FRONT_PHP_GROUPS/);
    expect(() => loadConfig({ ...base, MUTU_FRONT_PHP_GROUPS: '2.5' })).toThrow(/MUTU_FRONT_PHP_GROUPS/);
  });
});
