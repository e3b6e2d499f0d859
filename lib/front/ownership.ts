import fs from 'node:fs';
import path from 'node:path';
import { translatedError } from '../i18n/errors';
import { ownershipRules, type OwnershipRule } from '../domain/site-perms';
import type { Profile } from '../domain/profiles';
import { unixGroupId, type UnixAccount } from './unix-users';

export interface Owners {
  site: UnixAccount;
  /** gid of the group nginx's workers run as */
  webGid: number;
}

function ids(rule: OwnershipRule, o: Owners): { uid: number; gid: number } {
  const uid = rule.owner === 'root' ? 0 : o.site.uid;
  const gid = rule.group === 'root' ? 0 : rule.group === 'site' ? o.site.gid : o.webGid;
  return { uid, gid };
}

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = fs.constants;

/** A file's mode under a rule: folders get the rule's, files its read and write bits, execute only if they had it. */
function modeOf(isDir: boolean, current: number, ruleMode: number): number {
  if (isDir) return ruleMode & 0o2777;
  const perms = ruleMode & 0o666;
  return current & 0o100 ? perms | (ruleMode & 0o111) : perms;
}

/**
 * Gives `fd` (an open file or folder) its owners and mode, then does the same inside a
 * folder. Each entry is opened through its folder's descriptor (/proc/self/fd/N/name) and
 * never followed if it is a link (O_NOFOLLOW; links are left as they are): what the site
 * swaps meanwhile in a folder it may write can lead nowhere outside. No program is started.
 */
function setTree(fd: number, uid: number, gid: number, ruleMode: number, skip: (rel: string) => boolean, rel: string, keepUid: number | null): void {
  const st = fs.fstatSync(fd);
  if (!st.isFile() && !st.isDirectory()) return; // FIFOs and the like: not the application's files
  if (rel !== '' && st.uid === keepUid) return; // what the site added itself (SPIP's keys) stays its own
  fs.fchownSync(fd, uid, gid);
  fs.fchmodSync(fd, modeOf(st.isDirectory(), st.mode, ruleMode));
  if (!st.isDirectory()) return;
  for (const name of fs.readdirSync(`/proc/self/fd/${fd}`)) {
    const childRel = rel ? `${rel}/${name}` : name;
    if (skip(childRel)) continue;
    let child: number;
    try {
      child = fs.openSync(`/proc/self/fd/${fd}/${name}`, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'ENOENT' || code === 'ENXIO') continue; // a link, gone meanwhile, a socket
      throw err;
    }
    try {
      setTree(child, uid, gid, ruleMode, skip, childRel, keepUid);
    } finally {
      fs.closeSync(child);
    }
  }
}

/**
 * Gives a site's folder its owners and modes (see ownershipRules). Small folders Mutu writes
 * into (config, the database folder) are set in full each time; `deep` also walks the
 * application's own folders (after an import, a restore, or when the front is first set
 * up). Never follows a symbolic link: a site's own links cannot lead it to change anything
 * outside its folder.
 */
export async function applyOwnership(siteDir: string, profile: Profile, owners: Owners, opts: { deep: boolean; connectionFile: string }): Promise<void> {
  const rules = ownershipRules(profile);
  for (const [i, rule] of rules.entries()) {
    const target = path.join(siteDir, rule.rel);
    let st = fs.lstatSync(target, { throwIfNoEntry: false });
    if (!st) {
      if (!rule.recursive) continue;
      fs.mkdirSync(target, { recursive: true });
      st = fs.lstatSync(target);
    }
    if (st.isSymbolicLink() || !st.isDirectory()) {
      throw translatedError((m) => new Error(m), 'serviceErrors.frontNotAFolder', { target });
    }
    const { uid, gid } = ids(rule, owners);
    // Opened without following a link: its parent is the site's folder (root's) or one set just before.
    const fd = fs.openSync(target, O_RDONLY | O_NOFOLLOW | O_DIRECTORY);
    try {
      if (rule.recursive === 'always' || (rule.recursive === 'deep' && opts.deep)) {
        // Folders a later rule owns are left to it (SPIP's database folder inside config/).
        const owned = rules.slice(i + 1).filter((r) => r.rel.startsWith(`${rule.rel}/`)).map((r) => r.rel.slice(rule.rel.length + 1));
        setTree(fd, uid, gid, rule.insideMode ?? rule.mode, (rel) => owned.includes(rel), '', rule.insideKeepsSiteFiles ? owners.site.uid : null);
      }
      fs.fchownSync(fd, uid, gid);
      fs.fchmodSync(fd, rule.mode);
    } finally {
      fs.closeSync(fd);
    }
  }
  // The connection file sits in config/, which the site may add to (SPIP): opened, never followed.
  let fd: number | undefined;
  try {
    fd = fs.openSync(opts.connectionFile, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch {}
  if (fd !== undefined) {
    try {
      if (fs.fstatSync(fd).isFile()) {
        fs.fchownSync(fd, 0, owners.site.gid);
        fs.fchmodSync(fd, 0o640);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

export function webGroupId(webUser: string): number {
  const gid = unixGroupId(webUser);
  if (gid === undefined) throw translatedError((m) => new Error(m), 'serviceErrors.frontNoWebGroup', { user: webUser });
  return gid;
}

const othersMayPass = (p: string) => ((fs.statSync(p).mode & 0o001) !== 0);

/**
 * The sites' users and nginx pass through the farm root to the sites' folders, and read the
 * platforms' code: each folder on the way must let others through (not list: 0711 is
 * enough). Mutu opens its own folders (the data folder, the farm root, sites/); anything
 * above them is the admin's, and is only reported.
 */
export function openFarmPath(farmRoot: string, ownFolders: string[]): void {
  const sites = path.join(farmRoot, 'sites');
  fs.mkdirSync(sites, { recursive: true, mode: 0o711 });
  for (let p = sites; ; p = path.dirname(p)) {
    if (!othersMayPass(p)) {
      if (!ownFolders.some((own) => p === own || p.startsWith(own + path.sep))) {
        throw translatedError((m) => new Error(m), 'serviceErrors.frontPathClosed', { path: p, sites });
      }
      fs.chmodSync(p, (fs.statSync(p).mode & 0o7777) | 0o001);
    }
    if (p === path.dirname(p)) break;
  }
}

/** A platform's code must be readable by every site's user. */
export function checkCodeReadable(codePath: string): void {
  for (let p = codePath; p !== path.dirname(p); p = path.dirname(p)) {
    if (!othersMayPass(p)) throw translatedError((m) => new Error(m), 'serviceErrors.frontCodeClosed', { path: p, code: codePath });
  }
  if ((fs.statSync(codePath).mode & 0o004) === 0) throw translatedError((m) => new Error(m), 'serviceErrors.frontCodeUnreadable', { code: codePath });
}
