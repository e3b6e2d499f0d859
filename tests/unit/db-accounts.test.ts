import { describe, expect, it } from 'vitest';
import { mysqlGrantDatabase, mysqlIdentifiedByHash, mysqlUnescapeGrant } from '@/lib/domain/db-accounts';
import { withEnvValue, parseEnvFile } from '@/lib/domain/env-file';
import { renderEnvFile, renderSpipConnect } from '@/lib/domain/profiles';
import { connectionReachesServer } from '@/lib/domain/server';
import { parseSpipConnect, withSpipConnectPassword } from '@/lib/domain/spip-connect';

describe('MySQL account statements', () => {
  it('set the password by its hash, in the form MariaDB or MySQL takes', () => {
    expect(mysqlIdentifiedByHash('10.11.19-MariaDB-0+deb12u1', 'x')).toBe("IDENTIFIED BY PASSWORD '*B69027D44F6E5EDC07F1AEAD1477967B16F28227'");
    expect(mysqlIdentifiedByHash('8.0.36', 'x')).toBe("IDENTIFIED WITH mysql_native_password AS '*B69027D44F6E5EDC07F1AEAD1477967B16F28227'");
  });

  it('grant one database by name: "_" escaped, and read back', () => {
    expect(mysqlGrantDatabase('mu_abc_2')).toBe('mu\\_abc\\_2');
    expect(mysqlUnescapeGrant('mu\\_abc\\_2')).toBe('mu_abc_2');
    expect(mysqlUnescapeGrant('mu_abc')).toBe('mu_abc');
    expect(() => mysqlGrantDatabase('mu`x')).toThrow(/refusing/);
  });
});

describe('connectionReachesServer', () => {
  const local = { engine: 'mysql', host: '127.0.0.1', port: 3306 };
  it('takes the local names for one another, and a port only when the connection gives one', () => {
    for (const host of ['localhost', '', '127.0.0.1', '::1']) expect(connectionReachesServer(local, { engine: 'mysql', host, port: null }), host).toBe(true);
    expect(connectionReachesServer(local, { engine: 'mysql', host: 'localhost', port: 3306 })).toBe(true);
    expect(connectionReachesServer(local, { engine: 'mysql', host: 'localhost', port: 3307 })).toBe(false);
    expect(connectionReachesServer(local, { engine: 'postgresql', host: 'localhost', port: null })).toBe(false);
    expect(connectionReachesServer(local, { engine: 'mysql', host: 'db.example.org', port: null })).toBe(false);
    expect(connectionReachesServer({ engine: 'mysql', host: 'db.example.org', port: 3306 }, { engine: 'mysql', host: 'db.example.org', port: null })).toBe(true);
  });
});

describe('a new password in a connection file', () => {
  const values = { engine: 'mysql' as const, host: 'localhost', port: null, user: 'mu_a', password: "o'ld\\pw", database: 'mu_a', tablePrefix: 'spip' };

  it("replaces only spip_connect_db's password, keeping the file's own lines", () => {
    const php = renderSpipConnect(values).replace('<?php\n', "<?php\ndefine('_MYSQL_SET_SQL_MODE',true); // the farm's own line\n");
    const next = withSpipConnectPassword(php, "n'ew\\pw");
    expect(parseSpipConnect(next)).toEqual({ ...parseSpipConnect(php), password: "n'ew\\pw" });
    expect(next).toContain("define('_MYSQL_SET_SQL_MODE',true); // the farm's own line");
    expect(next.replace("'n\\'ew\\\\pw'", 'X')).toBe(php.replace("'o\\'ld\\\\pw'", 'X'));
    expect(() => withSpipConnectPassword("<?php spip_connect_db('h','');", 'x')).toThrow(/no password argument/);
  });

  it('replaces DB_PASSWORD in an env file, or adds it, keeping every other line', () => {
    const env = renderEnvFile(values);
    const next = withEnvValue(env, 'DB_PASSWORD', "n'ew");
    expect(parseEnvFile(next)).toEqual({ ...parseEnvFile(env), DB_PASSWORD: "n'ew" });
    expect(next.split('\n').length).toBe(env.split('\n').length);
    expect(withEnvValue('DB_NAME=x', 'DB_PASSWORD', 'p')).toBe("DB_NAME=x\nDB_PASSWORD='p'\n");
  });
});
