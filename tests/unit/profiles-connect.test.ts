import { describe, expect, it } from 'vitest';
import { renderEnvFile, renderSpipConnect } from '@/lib/domain/profiles';
import { parseEnvFile } from '@/lib/domain/env-file';
import { parseSpipConnect } from '@/lib/domain/spip-connect';

describe("SPIP's connect.php, written then read back", () => {
  it('round-trips hostile values', () => {
    const values = {
      engine: 'mysql' as const,
      host: 'db.example.org',
      port: 3306,
      user: "o'brien",
      password: "a'b\\c\\'d?>\n$x \"q\"",
      database: 'mu_site',
      tablePrefix: 'spip',
    };
    const parsed = parseSpipConnect(renderSpipConnect(values));
    expect(parsed).toEqual({ host: 'db.example.org', port: '3306', user: "o'brien", password: values.password, database: 'mu_site', type: 'mysql', prefix: 'spip', auth: '', charset: 'utf8' });
  });

  it("reads SPIP installer's own layout", () => {
    const php = `<?php
if (!defined("_ECRIRE_INC_VERSION")) return;
defined('_MYSQL_SET_SQL_MODE') || define('_MYSQL_SET_SQL_MODE',true);
$GLOBALS['spip_connect_version'] = 0.8;
spip_connect_db('localhost','','spipuser','s3cr\\'et','spipdb','mysql', 'spip','','utf8');
`;
    expect(parseSpipConnect(php)).toMatchObject({ host: 'localhost', port: '', user: 'spipuser', password: "s3cr'et", database: 'spipdb', type: 'mysql', prefix: 'spip' });
  });

  it('says when there is no call, and refuses code it cannot read', () => {
    expect(parseSpipConnect('<?php echo 1;')).toBeNull();
    expect(() => parseSpipConnect("spip_connect_db(getenv('X'))")).toThrow(/literal/);
  });
});

describe('the .env connection file, written then read back', () => {
  it('round-trips quotes and spaces', () => {
    const v = { engine: 'postgresql' as const, host: 'h', port: 5432, user: 'u', password: "it's a \"pass\" $HOME", database: 'd', tablePrefix: '' };
    expect(parseEnvFile(renderEnvFile(v))).toMatchObject({ DB_ENGINE: 'postgresql', DB_PORT: '5432', DB_PASSWORD: v.password, DB_NAME: 'd' });
  });
});
