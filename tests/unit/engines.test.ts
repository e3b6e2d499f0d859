import { describe, expect, it } from 'vitest';
import { engineRefusal, serverForProfile } from '@/lib/domain/engines';

describe('engineRefusal', () => {
  it('refuses SPIP on PostgreSQL and Moodle on SQLite with the reason and what to choose', () => {
    expect(engineRefusal('spip', 'postgresql')).toMatchObject({
      reason: 'SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver)',
      advice: 'choose a MariaDB/MySQL or SQLite server',
      message: 'SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver): choose a MariaDB/MySQL or SQLite server',
    });
    expect(engineRefusal('moodle', 'sqlite')?.message).toBe('Moodle cannot use SQLite (Moodle has no SQLite driver): choose a MariaDB/MySQL or PostgreSQL server');
  });

  it.each([
    ['spip', 'mysql'],
    ['spip', 'sqlite'],
    ['moodle', 'mysql'],
    ['moodle', 'postgresql'],
    ['generic', 'mysql'],
    ['generic', 'postgresql'],
    ['generic', 'sqlite'],
  ])('lets %s use %s', (profile, engine) => {
    expect(engineRefusal(profile, engine)).toBeNull();
  });

  it('an engine no application knows is refused, an unknown profile is treated as generic', () => {
    expect(engineRefusal('spip', 'oracle')?.reason).toBe('SPIP cannot use oracle');
    expect(engineRefusal('wordpress', 'postgresql')).toBeNull();
  });
});

describe('serverForProfile', () => {
  const servers = [
    { name: 'pg1', engine: 'postgresql', isDefault: true },
    { name: 'maria2', engine: 'mysql', isDefault: false },
    { name: 'maria1', engine: 'mysql', isDefault: false },
    { name: 'embedded', engine: 'sqlite', isDefault: false },
  ];

  it('the default when the application can use it', () => {
    expect(serverForProfile('generic', servers)?.name).toBe('pg1');
    expect(serverForProfile('moodle', servers)?.name).toBe('pg1');
  });

  it("else the first server of the profile's engines, in its order, by name", () => {
    expect(serverForProfile('spip', servers)?.name).toBe('maria1');
    expect(serverForProfile('spip', servers.filter((s) => s.engine !== 'mysql'))?.name).toBe('embedded');
  });

  it('without a marked default, the embedded SQLite is the default', () => {
    const unmarked = servers.map((s) => ({ ...s, isDefault: false }));
    expect(serverForProfile('spip', unmarked)?.name).toBe('embedded');
    expect(serverForProfile('moodle', unmarked)?.name).toBe('maria1');
  });

  it('none when no server suits', () => {
    expect(serverForProfile('moodle', [{ name: 'embedded', engine: 'sqlite', isDefault: true }])).toBeNull();
    expect(serverForProfile('spip', [{ name: 'pg1', engine: 'postgresql', isDefault: true }])).toBeNull();
  });
});
