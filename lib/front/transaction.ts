import fs from 'node:fs';
import path from 'node:path';
import { runTool } from '../databases/run-tool';
import type { FrontLayout } from '../domain/front';
import { isLookupFile } from '../domain/front-lookup';
import { syncFolder, writeChecked, type FileChange } from './changes';
import { checkChanged, reloadChanged } from './files';
import { checkShardsAlone, checkWholeNginx, shardsAloneCheckable } from './nginx-check';
import { NginxRefusedError } from './services';

/**
 * The "reload pending" mark: the files a change wrote and has not yet seen reloaded. Written
 * before the files, removed once every reload succeeded: a change killed in between (a crash,
 * a reload that failed) leaves files that match the registry, which a retry or `mutu front
 * sync` would otherwise take as applied and reload nothing.
 */
export const pendingMarkFile = (layout: FrontLayout) => path.join(layout.nginxDir, 'reload-pending');

/** The files of changes not yet reloaded (none without a mark). */
export function pendingFiles(layout: FrontLayout): string[] {
  let text: string;
  try {
    text = fs.readFileSync(pendingMarkFile(layout), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text.split('\n').filter((l) => l.startsWith('/'));
}

/** Written beside then renamed, and flushed: the mark must be on disk before the first file it announces. */
export function markPending(layout: FrontLayout, files: string[]): void {
  const mark = pendingMarkFile(layout);
  if (!files.length) {
    fs.rmSync(mark, { force: true });
    return;
  }
  const tmp = `${mark}.${process.pid}.mutu-new`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, `# Written by Mutu: files changed but not yet reloaded; the next change of the front (or mutu front sync) reloads them.\n${files.join('\n')}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, mark);
  syncFolder(path.dirname(mark));
}

export interface Applied {
  /** files written by this change */
  changed: string[];
  /** servers reloaded: for this change's files, and for an earlier change's that never were */
  reloaded: string[];
}

const under = (dir: string) => (f: string) => f.startsWith(dir + path.sep);

/** nginx's words for a configuration it refused to load: nginx -t on the whole of it. */
async function refusal(layout: FrontLayout, err: unknown): Promise<unknown> {
  try {
    await checkWholeNginx(layout);
  } catch (why) {
    return why;
  }
  return err;
}

/**
 * Writes the files that differ, checks them, then reloads the servers whose files changed now
 * or in an earlier change that never got its reload (the mark); the mark goes once every
 * reload succeeded. nginx's files are checked as a whole, or, when only the map's shards
 * changed and nothing else nginx reads did, alone (lib/front/nginx-check). A failed check, or
 * a reload nginx refused, puts the files and the mark back as they were (and reloads again
 * what had taken the new files) and throws the tool's words; another failed reload (PHP-FPM
 * slow to open a pool) keeps the files and the mark, for a retry.
 */
export async function writeCheckReload(layout: FrontLayout, changes: FileChange[], opts: { newSockets?: Map<string, string[]>; bulk?: boolean } = {}): Promise<Applied> {
  const lookup = changes.filter((c) => isLookupFile(layout, c.file));
  const config = changes.filter((c) => !isLookupFile(layout, c.file));
  // The files lookup's files are live once renamed: written after the configuration they route
  // to is checked and reloaded (a new pool's socket, a certificate's names), so a failed check
  // leaves them as they were. A sync (`bulk`) writes them first instead, taken away last: when it
  // switches farm.conf from the map to the files lookup, every host's file is already there.
  const early = opts.bulk ? lookup.filter((c) => c.content !== null) : [];
  const written = await writeLookup(early, !opts.bulk);
  const applied = await writeConfig(layout, config, opts);
  // A reload that failed but kept its files (PHP-FPM slow to open a pool) is retried by the
  // mark: the hosts' files are written all the same, so the site answers once PHP-FPM does.
  const late = await writeLookup(
    lookup.filter((c) => !early.includes(c)),
    !opts.bulk,
  );
  if (applied.failure) throw applied.failure;
  return { changed: [...written, ...applied.changed, ...late], reloaded: applied.reloaded };
}

/**
 * Hosts' files: no check (their values were checked by the renderer), no reload; each flushed
 * before its rename, or for a sync's thousands (`durable` off), all of them at once after: one
 * flush of the file system (`sync --file-system`, syncfs) costs less than a flush per file.
 */
async function writeLookup(changes: FileChange[], durable: boolean): Promise<string[]> {
  const written = await writeChecked(
    changes.map((c) => ({ ...c, durable })),
    async () => {},
  );
  if (!durable && written.length) await runTool('sync', ['--file-system', path.dirname(written[0]!)]);
  return written;
}

async function writeConfig(layout: FrontLayout, changes: FileChange[], opts: { newSockets?: Map<string, string[]> }): Promise<Applied & { failure?: unknown }> {
  const pending = pendingFiles(layout);
  const ofNginx = under(layout.nginxDir);
  let alone = false;
  let reloaded: string[] = [];
  let toReload: string[] = [];
  let failure: unknown;
  let refused = false;
  const reload = async (files: string[]) => {
    try {
      reloaded = await reloadChanged(layout, files, opts.newSockets);
    } catch (err) {
      if (!(err instanceof NginxRefusedError)) failure = err;
      else {
        refused = true;
        throw await refusal(layout, err);
      }
    }
  };
  let changed: string[];
  try {
    changed = await writeChecked(
      changes,
      async (done) => {
        const nginxFiles = done.filter(ofNginx);
        if (nginxFiles.length) await (alone ? checkShardsAlone(layout, nginxFiles) : checkWholeNginx(layout));
        await checkChanged(layout, done.filter((f) => !ofNginx(f)));
        toReload = [...new Set([...pending, ...done])];
        await reload(toReload);
      },
      {
        beforeWrite: (files) => {
          alone = shardsAloneCheckable(layout, files.filter(ofNginx));
          markPending(layout, [...new Set([...pending, ...files])]);
        },
        afterRestore: () => markPending(layout, pending),
      },
    );
  } catch (err) {
    // What took the new files takes the old ones again (nginx, which refused them, never did).
    if (refused) await reloadChanged(layout, toReload.filter((f) => !ofNginx(f)), opts.newSockets).catch(() => {});
    throw err;
  }
  if (!changed.length && pending.length) await reload(pending);
  if (failure) return { changed, reloaded, failure };
  if (changed.length || pending.length) markPending(layout, []);
  return { changed, reloaded };
}
