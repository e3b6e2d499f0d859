import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { siteDir } from '../farm/paths';

/** `<site>/db/backups/`: a site's scheduled database dumps. */
export function backupsFolder(host: string): string {
  return path.join(siteDir(config().farmRoot, host), 'db', 'backups');
}

/** A backup's name: `20261123-140500.sql.gz`, `-2` added if two land in one second. */
export const BACKUP_NAME = /^\d{8}-\d{6}(-\d{1,3})?\.sql\.gz$/;

export interface BackupFile {
  name: string;
  sizeBytes: number;
  createdAt: Date;
}

/** A site's backups, newest first; an absent folder is no backups. Only real files with a backup's name. */
export function listBackups(host: string): BackupFile[] {
  const dir = backupsFolder(host);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupFile[] = [];
  for (const name of names) {
    if (!BACKUP_NAME.test(name)) continue;
    const s = fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false });
    if (s?.isFile()) out.push({ name, sizeBytes: s.size, createdAt: s.mtime });
  }
  return out.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name));
}

/** The path of one backup of a site, or null if the name is not a backup's (no path can be smuggled in). */
export function backupPath(host: string, name: string): string | null {
  return BACKUP_NAME.test(name) ? path.join(backupsFolder(host), name) : null;
}

/** "20261123-140500" in UTC. */
export function backupStamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}
