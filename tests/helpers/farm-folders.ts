import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../lib/config';
import { farmPaths } from '../../lib/farm/paths';

/**
 * A site folder no one registered, as SPIP's installer leaves it: `config/connect.php`
 * (connect version 0.8) with these spip_connect_db(...) arguments, and the usual folders;
 * in this process's farm unless another `sites/` folder is given (a running app's).
 */
export function writeSpipFolder(name: string, args: string[], sitesDir = farmPaths(config().farmRoot).sites): string {
  const dir = path.join(sitesDir, name);
  fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
  for (const sub of ['IMG', 'local', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const php = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  fs.writeFileSync(
    path.join(dir, 'config/connect.php'),
    `<?php\nif (!defined("_ECRIRE_INC_VERSION")) return;\ndefine('_MYSQL_SET_SQL_MODE',true);\n$GLOBALS['spip_connect_version'] = 0.8;\nspip_connect_db(${args.map(php).join(',')});\n`,
  );
  return dir;
}
