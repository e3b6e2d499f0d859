import { describe, expect, it } from 'vitest';
import { addServerSchema, defaultHostMask, parseServerUrl } from '@/lib/domain/server';

describe('parseServerUrl', () => {
  it('reads MariaDB/MySQL URLs, with default port and admin user', () => {
    expect(parseServerUrl('mysql', 'mysql://root@127.0.0.1:3306')).toEqual({ engine: 'mysql', host: '127.0.0.1', port: 3306, adminUser: 'root' });
    expect(parseServerUrl('mysql', 'mariadb://db1.example.org')).toEqual({ engine: 'mysql', host: 'db1.example.org', port: 3306, adminUser: 'root' });
    expect(parseServerUrl('mysql', 'mysql://mutu%40farm@db:3307')).toMatchObject({ adminUser: 'mutu@farm', host: 'db', port: 3307 });
  });

  it('reads PostgreSQL URLs with the admin database', () => {
    expect(parseServerUrl('postgresql', 'postgresql://postgres@127.0.0.1:5432/postgres')).toEqual({
      engine: 'postgresql',
      host: '127.0.0.1',
      port: 5432,
      adminUser: 'postgres',
      adminDatabase: 'postgres',
    });
    expect(parseServerUrl('postgresql', 'postgres://pg.example.org')).toEqual({ engine: 'postgresql', host: 'pg.example.org', port: 5432, adminUser: 'postgres' });
    expect(parseServerUrl('postgresql', 'postgresql://admin@[::1]:6432/admin%20db')).toMatchObject({ host: '::1', port: 6432, adminDatabase: 'admin db' });
  });

  it('refuses a password in the URL, another engine scheme, and text that is no URL', () => {
    expect(() => parseServerUrl('mysql', 'mysql://root:secret@127.0.0.1')).toThrow(/leave the password out of the URL/);
    expect(() => parseServerUrl('postgresql', 'postgresql://u:p@h/db')).toThrow(/standard input/);
    expect(() => parseServerUrl('mysql', 'postgresql://root@127.0.0.1')).toThrow(/starts with mysql:\/\//);
    expect(() => parseServerUrl('postgresql', 'mysql://root@127.0.0.1')).toThrow(/starts with postgresql:\/\//);
    expect(() => parseServerUrl('mysql', '127.0.0.1:3306')).toThrow();
    expect(() => parseServerUrl('mysql', 'not a url')).toThrow(/is not a URL such as mysql:\/\/user@127.0.0.1:3306/);
  });
});

describe('defaultHostMask', () => {
  it('is the local address for local servers, and nothing (the admin must say) for remote ones', () => {
    expect(defaultHostMask('localhost')).toBe('localhost');
    expect(defaultHostMask('/run/mysqld/mysqld.sock')).toBe('localhost');
    expect(defaultHostMask('127.0.0.1')).toBe('127.0.0.1');
    expect(defaultHostMask('::1')).toBe('::1');
    expect(defaultHostMask('db1.example.org')).toBeNull();
    expect(defaultHostMask('10.0.0.5')).toBeNull();
  });
});

describe('addServerSchema', () => {
  it('takes a short name, an engine and a shared database identifier', () => {
    expect(addServerSchema.parse({ name: 'maria1', engine: 'mysql', url: 'mysql://root@h' })).toMatchObject({ password: '', makeDefault: false });
    expect(addServerSchema.safeParse({ name: 'Maria 1', engine: 'mysql', url: 'x' }).success).toBe(false);
    expect(addServerSchema.safeParse({ name: 'm', engine: 'oracle', url: 'x' }).success).toBe(false);
    expect(addServerSchema.safeParse({ name: 'm', engine: 'mysql', url: 'x', sharedDatabase: 'a;drop' }).success).toBe(false);
    expect(addServerSchema.parse({ name: 'm', engine: 'mysql', url: 'x', sharedDatabase: '', hostMask: '' })).toMatchObject({ sharedDatabase: undefined, hostMask: undefined });
  });
});
