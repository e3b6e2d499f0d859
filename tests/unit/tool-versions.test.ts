import { describe, expect, it } from 'vitest';
import { psqlProblem, sqliteProblem, tarProblem, versionNumbers } from '@/lib/doctor/tools';

describe('restore tools that are safe enough', () => {
  it('reads the version of a tool from its first line', () => {
    expect(versionNumbers('psql (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)')).toEqual([15, 20, 0]);
    expect(versionNumbers('3.40.1 2022-12-28 14:03:47 df5c253c')).toEqual([3, 40, 1]);
    expect(versionNumbers('no version here')).toEqual([]);
  });

  it('wants a psql that knows \\restrict', () => {
    for (const ok of ['psql (PostgreSQL) 15.14', 'psql (PostgreSQL) 16.10', 'psql (PostgreSQL) 17.6', 'psql (PostgreSQL) 18.1', 'psql (PostgreSQL) 13.22']) expect(psqlProblem(ok), ok).toBeNull();
    for (const old of ['psql (PostgreSQL) 15.13', 'psql (PostgreSQL) 17.5', 'psql (PostgreSQL) 12.22', 'psql']) expect(psqlProblem(old), old).toMatch(/restrict/);
  });

  it('wants a sqlite3 with its safe mode', () => {
    expect(sqliteProblem('3.40.1 2022-12-28')).toBeNull();
    expect(sqliteProblem('3.37.0 2021-11-27')).toBeNull();
    expect(sqliteProblem('3.34.1 2021-01-20')).toMatch(/-safe/);
  });

  it('wants GNU tar 1.28 or later for the uploads archive', () => {
    expect(tarProblem('tar (GNU tar) 1.34')).toBeNull();
    expect(tarProblem('tar (GNU tar) 1.28')).toBeNull();
    expect(tarProblem('tar (GNU tar) 1.27.1')).toMatch(/1\.28/);
    expect(tarProblem('bsdtar 3.6.2 - libarchive 3.6.2')).toMatch(/GNU tar/);
  });
});
