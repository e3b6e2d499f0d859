import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { registryFiles, sharedBits } from '../config/private-files';
import { redactedUrl, registryFile, registryProvider } from '../config/registry-url';
import { secretKeyFile } from '../config/secret-key';
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

/**
 * The data folder holds the registry, the key and the outbox: nobody but Mutu's user may
 * list or write it. Passing through it (x) is fine: the web server reaches a farm kept inside.
 */
export function checkDataFolder(cfg: Config): CheckResult {
  const name = 'data folder';
  try {
    const stat = fs.statSync(cfg.dataDir);
    if (stat.mode & 0o066) {
      return warn(name, `${cfg.dataDir} can be listed or written by other users (${octal(stat.mode)}); run chmod go-rw ${cfg.dataDir}`);
    }
    return ok(name, `${cfg.dataDir} (${octal(stat.mode)})`);
  } catch (err) {
    return fail(name, `${cfg.dataDir}: ${errorText(err)}; set MUTU_DATA_DIR to a folder this user can write`);
  }
}

/**
 * The registry and SQLite's files beside it hold password hashes and sealed secrets: mode
 * 0600, whatever folder they are in. (Whether the registry exists is the registry check's.)
 */
export function checkRegistryFiles(cfg: Config): CheckResult {
  const name = 'registry files';
  let files: string[];
  try {
    if (registryProvider(cfg.registryUrl) === 'postgresql') return ok(name, 'the registry is a PostgreSQL database: no file of it here');
    files = registryFiles(registryFile(cfg.registryUrl));
  } catch (err) {
    return fail(name, `MUTU_REGISTRY_URL ${redactedUrl(cfg.registryUrl)}: ${errorText(err)}`);
  }
  const present = files.flatMap((file) => {
    try {
      return [{ file, mode: fs.statSync(file).mode }];
    } catch {
      return []; // absent: nothing to expose
    }
  });
  const exposed = present.filter((f) => sharedBits(f.mode));
  if (exposed.length) {
    const list = exposed.map((f) => `${f.file} (${octal(f.mode)})`).join(', ');
    return fail(name, `open to other users: ${list}; run chmod 600 ${exposed.map((f) => f.file).join(' ')} (\`npx mutu start\` also does it)`);
  }
  if (!present.length) return ok(name, 'no registry yet');
  return ok(name, `${present.map((f) => path.basename(f.file)).join(', ')}: readable by their owner only (0600)`);
}

export function checkSecretKey(cfg: Config): CheckResult {
  const name = 'secret key';
  if (cfg.secretKeySource === 'environment') return ok(name, 'from MUTU_SECRET_KEY (environment)');
  const file = secretKeyFile(cfg.dataDir);
  try {
    const mode = fs.statSync(file).mode;
    if (mode & 0o077) return fail(name, `${file} is readable by others (${octal(mode)}); run chmod 600 ${file}`);
    return ok(name, `${file} (${octal(mode)}); back it up: stored passwords cannot be read without it`);
  } catch (err) {
    return fail(name, `${file}: ${errorText(err)}`);
  }
}
