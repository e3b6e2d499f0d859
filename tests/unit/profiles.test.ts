import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { phpReadSpipConnect, runProgram } from '../helpers/php';
import { services } from '../helpers/services';
import { PROFILES, PROFILE_NAMES, renderConnectionFile, renderEnvFile, renderSpipConnect, type ConnectionValues } from '@/lib/domain/profiles';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-profiles-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(content: string): string {
  const file = path.join(dir, `file-${++n}`);
  fs.writeFileSync(file, content);
  return file;
}

const HOSTILE = [
  "it's",
  'back\\slash',
  'ends with a backslash\\',
  "\\'",
  "\\\\'",
  '?> <?php echo "pwned"; ?>',
  'new\nline',
  'carriage\r\nreturn',
  '$HOME ${x} `id` $(id)',
  '"double" quotes',
  "'); system('id'); //",
  '*/ /*',
  'ünïcødé ✓',
  '',
];

const base: ConnectionValues = { engine: 'mysql', host: 'db.example.org', port: 3306, user: 'mu_site', password: 'p', database: 'mu_site', tablePrefix: 'spip' };

describe('application profiles', () => {
  it('give SPIP its folder set', () => {
    expect(PROFILES.spip.folders).toEqual(['config', 'IMG', 'local', 'tmp', 'priv', 'log', 'db']);
    expect(PROFILES.spip).toMatchObject({ configFile: 'config/connect.php', sqliteFolder: 'config/bases' });
  });

  it('keep every folder and file inside the site folder', () => {
    expect(PROFILE_NAMES).toEqual(['spip', 'moodle', 'generic']);
    for (const name of PROFILE_NAMES) {
      const p = PROFILES[name];
      expect(p.name).toBe(name);
      expect(p.folders).toContain('config');
      for (const rel of [...p.folders, p.sqliteFolder, p.configFile]) {
        expect(path.isAbsolute(rel), rel).toBe(false);
        expect(path.normalize(rel).split(path.sep), rel).not.toContain('..');
      }
      // The connection file goes in a folder the profile makes.
      expect(p.folders).toContain(path.dirname(p.configFile));
    }
    expect(PROFILES.moodle.folders).toContain('moodledata');
    expect(PROFILES.generic.folders).toEqual(['config', 'data', 'tmp', 'log', 'db']);
  });

  it('write SPIP connect.php for SPIP and a .env file for the others', () => {
    expect(renderConnectionFile('spip', base)).toBe(renderSpipConnect(base));
    expect(renderConnectionFile('moodle', base)).toBe(renderEnvFile(base));
    expect(renderConnectionFile('generic', base)).toBe(renderEnvFile(base));
  });
});

describe.skipIf(!services.php)("renderSpipConnect, read by real PHP", () => {
  it('is the file SPIP expects', () => {
    expect(renderSpipConnect({ ...base, password: 's3cret' })).toBe(
      [
        '<?php',
        'if (!defined("_ECRIRE_INC_VERSION")) return;',
        "$GLOBALS['spip_connect_version'] = 0.8;",
        "spip_connect_db('db.example.org','3306','mu_site','s3cret','mu_site','mysql','spip','','utf8');",
        '',
      ].join('\n'),
    );
  });

  it('gives PHP exactly the hostile values it was given', async () => {
    for (const value of HOSTILE) {
      const v: ConnectionValues = { ...base, engine: 'postgresql', host: value || 'h', user: value, password: value, database: value, tablePrefix: value };
      const read = await phpReadSpipConnect(write(renderSpipConnect(v)));
      expect(read, JSON.stringify(value)).toEqual({ args: [value || 'h', '3306', value, value, value, 'pg', value, '', 'utf8'], version: 0.8 });
    }
    const all = HOSTILE.join('');
    const read = await phpReadSpipConnect(write(renderSpipConnect({ ...base, password: all })));
    expect(read.args![3]).toBe(all);
  });

  it('does nothing when included outside SPIP', async () => {
    const file = write(renderSpipConnect({ ...base, password: "x'); echo 'ran" }));
    const r = await runProgram('php', ['-n', '-r', 'function spip_connect_db(...$a) { echo "called"; } include $argv[1]; echo "done";', file]);
    expect(r).toMatchObject({ code: 0, stdout: 'done' });
  });

  it('writes empty server fields for SQLite, whose database SPIP finds by name', async () => {
    const read = await phpReadSpipConnect(write(renderSpipConnect({ ...base, engine: 'sqlite', host: 'ignored', port: null, user: 'ignored', password: 'ignored', database: 'mu_site' })));
    expect(read.args).toEqual(['', '', '', '', 'mu_site', 'sqlite3', 'spip', '', 'utf8']);
  });
});

describe('renderEnvFile, read back by the shell', () => {
  it('gives sh exactly the hostile values it was given, running none of them', async () => {
    const marker = path.join(dir, 'ran');
    const values = [...HOSTILE.filter((v) => !v.includes('\r')), `$(touch ${marker})`, `\`touch ${marker}\``, "'; touch " + marker + "; '"];
    for (const value of values) {
      const file = write(renderEnvFile({ ...base, password: value, user: value }));
      const r = await runProgram('sh', ['-c', '. "$1"; printf %s "$DB_PASSWORD"; printf "\\0"; printf %s "$DB_USER"', 'sh', file]);
      expect(r.stderr, JSON.stringify(value)).toBe('');
      expect(r.stdout.split('\0'), JSON.stringify(value)).toEqual([value, value]);
    }
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('leaves server fields empty for SQLite and gives the database file', async () => {
    const text = renderEnvFile({ ...base, engine: 'sqlite', file: '/srv/farm/sites/x.org/db/mu_x.sqlite', port: null });
    const r = await runProgram('sh', ['-c', '. "$1"; printf "%s|" "$DB_ENGINE" "$DB_HOST" "$DB_PORT" "$DB_USER" "$DB_PASSWORD" "$DB_NAME" "$DB_FILE"', 'sh', write(text)]);
    expect(r.stdout).toBe('sqlite||||' + '|mu_site|/srv/farm/sites/x.org/db/mu_x.sqlite|');
    expect(text.startsWith('# Written by Mutu')).toBe(true);
  });
});
