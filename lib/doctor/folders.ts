import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { errorText, fail, ok, warn, type CheckResult } from './check';

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Creates the folder if needed, then proves it writable by creating and removing a file in it. */
export function probeWritable(dir: string, folderMode: number): { created: boolean } {
  const existed = fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true, mode: folderMode });
  const probe = path.join(dir, `.mutu-doctor-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  fs.writeFileSync(probe, 'probe\n', { mode: 0o600 });
  fs.rmSync(probe);
  return { created: !existed };
}

export function checkFarmRoot(cfg: Config): CheckResult {
  const name = 'farm root';
  try {
    const { created } = probeWritable(cfg.farmRoot, cfg.modes.folder);
    return ok(name, `${cfg.farmRoot} is writable${created ? ' (created now)' : ''}`);
  } catch (err) {
    return fail(name, `${cfg.farmRoot}: ${errorText(err)}; create it writable by this user, or set MUTU_ROOT`);
  }
}

/** The data folder holds the registry and the key: nobody but Mutu's user and group should read it. */
export function checkDataFolder(cfg: Config): CheckResult {
  const name = 'data folder';
  try {
    const stat = fs.statSync(cfg.dataDir);
    if (stat.mode & 0o007) {
      return warn(name, `${cfg.dataDir} is open to other users (${octal(stat.mode)}); run chmod o-rwx ${cfg.dataDir}`);
    }
    return ok(name, `${cfg.dataDir} (${octal(stat.mode)})`);
  } catch (err) {
    return fail(name, `${cfg.dataDir}: ${errorText(err)}; set MUTU_DATA_DIR to a folder this user can write`);
  }
}

export function checkSecretKey(cfg: Config): CheckResult {
  const name = 'secret key';
  if (cfg.secretKeySource === 'environment') return ok(name, 'from MUTU_SECRET_KEY (environment)');
  const file = path.join(cfg.dataDir, 'secret.key');
  try {
    const mode = fs.statSync(file).mode;
    if (mode & 0o077) return fail(name, `${file} is readable by others (${octal(mode)}); run chmod 600 ${file}`);
    return ok(name, `${file} (${octal(mode)}); back it up: stored passwords cannot be read without it`);
  } catch (err) {
    return fail(name, `${file}: ${errorText(err)}`);
  }
}
