import fs from 'node:fs';
import path from 'node:path';
import type { FrontLayout } from '../domain/front';
import { writeChecked, type FileChange } from './changes';
import { checkChanged, reloadChanged } from './files';

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
}

export interface Applied {
  /** files written by this change */
  changed: string[];
  /** servers reloaded: for this change's files, and for an earlier change's that never were */
  reloaded: string[];
}

/**
 * Writes the files that differ, checks them, then reloads the servers whose files changed now
 * or in an earlier change that never got its reload (the mark); the mark goes once every
 * reload succeeded. A failed check puts the files and the mark back as they were.
 */
export async function writeCheckReload(
  layout: FrontLayout,
  changes: FileChange[],
  opts: { newSockets?: Map<string, string[]>; check?: (changed: string[]) => Promise<void> } = {},
): Promise<Applied> {
  const pending = pendingFiles(layout);
  const changed = await writeChecked(changes, opts.check ?? ((c) => checkChanged(layout, c)), {
    beforeWrite: (files) => markPending(layout, [...new Set([...pending, ...files])]),
    afterRestore: () => markPending(layout, pending),
  });
  const toReload = [...new Set([...pending, ...changed])];
  if (!toReload.length) return { changed, reloaded: [] };
  const reloaded = await reloadChanged(layout, toReload, opts.newSockets);
  markPending(layout, []);
  return { changed, reloaded };
}
