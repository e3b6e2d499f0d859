import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A file the front wants: its content, or `null` for no such file. */
export interface FileChange {
  file: string;
  content: string | null;
  mode?: number;
  /** flushed to disk before it is renamed into place: after a crash the file is whole, old or new */
  durable?: boolean;
}

/** A file's text, null when there is none. */
export function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Puts one file in place whole or not at all: written beside, then renamed over (or removed). */
function put(file: string, content: string | null, mode: number, durable = false): void {
  if (content === null) {
    fs.rmSync(file, { force: true });
    return;
  }
  // A private file (a key, what names it) gets a folder only its owner enters.
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: mode & 0o077 ? 0o755 : 0o700 });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(4).toString('hex')}.mutu-new`);
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeSync(fd, content);
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** A folder's entries (the renames into it, the removals) made durable, as a file's data is by its own fsync. */
export function syncFolder(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface WriteHooks {
  /** before the first file is written, with the files about to change */
  beforeWrite?: (files: string[]) => void;
  /** once every file is back as it was, after a failed check */
  afterRestore?: () => void;
}

/**
 * Writes the files that differ, then runs `check` (nginx -t, php-fpm -t). When the check
 * fails, every file is put back as it was and the check's error is thrown: the running
 * servers never see a configuration that did not pass. Returns the files that changed.
 */
export async function writeChecked(changes: FileChange[], check: (changed: string[]) => Promise<void>, hooks: WriteHooks = {}): Promise<string[]> {
  const before = new Map<string, { content: string | null; mode: number }>();
  for (const c of changes) {
    const current = readText(c.file);
    if (current !== c.content) before.set(c.file, { content: current, mode: current === null ? 0o644 : fs.statSync(c.file).mode & 0o7777 });
  }
  if (before.size === 0) return [];
  // Put back after a refused check, a folder holds what it held: its times too, or PHP-FPM's
  // status would take the folder for changed since its master last loaded it (lib/front/fpm-groups).
  const folderTimes = new Map<string, fs.Stats>();
  for (const dir of new Set([...before.keys()].map((f) => path.dirname(f)))) {
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    if (st) folderTimes.set(dir, st);
  }
  hooks.beforeWrite?.([...before.keys()]);
  const done: string[] = [];
  try {
    for (const c of changes) {
      if (!before.has(c.file)) continue;
      put(c.file, c.content, c.mode ?? 0o644, c.durable);
      done.push(c.file);
    }
    // A durable file's rename is on disk too once its folder is flushed, not only its data.
    for (const dir of new Set(changes.filter((c) => c.durable && before.has(c.file)).map((c) => path.dirname(c.file)))) syncFolder(dir);
    await check(done);
  } catch (err) {
    // Put back with its own mode: a key stays readable by root only.
    for (const file of done.reverse()) put(file, before.get(file)!.content, before.get(file)!.mode);
    for (const [dir, st] of folderTimes) fs.utimesSync(dir, st.atimeMs / 1000, st.mtimeMs / 1000);
    hooks.afterRestore?.();
    throw err;
  }
  return [...before.keys()];
}
