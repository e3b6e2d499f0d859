import fs from 'node:fs';
import path from 'node:path';
import { ownershipRules, type OwnershipRule } from '../domain/site-perms';
import type { Profile } from '../domain/profiles';
import { runTool } from '../databases/run-tool';
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

const symbolic = (mode: number) => {
  const part = (bits: number) => `${bits & 4 ? 'r' : ''}${bits & 2 ? 'w' : ''}${bits & 1 ? 'X' : ''}`;
  return `u=${part((mode >> 6) & 7)},g=${part((mode >> 3) & 7)},o=${part(mode & 7)}`;
};

/**
 * Gives a site's folder its owners and modes (see ownershipRules). `deep` also walks what
 * is inside (after an import, a restore, or when the front is first set up); without it only
 * the folders themselves and the connection file are set, which is instant. Never follows
 * a symbolic link: a site's own links cannot lead it to change anything outside.
 */
export async function applyOwnership(siteDir: string, profile: Profile, owners: Owners, opts: { deep: boolean; connectionFile: string }): Promise<void> {
  const rules = ownershipRules(profile);
  for (const [i, rule] of rules.entries()) {
    const target = path.join(siteDir, rule.rel);
    const st = fs.lstatSync(target, { throwIfNoEntry: false });
    if (!st) {
      if (!rule.recursive) continue;
      fs.mkdirSync(target, { recursive: true });
    } else if (st.isSymbolicLink() || !st.isDirectory()) {
      throw new Error(`${target} is not a folder (a link or a file is there): move it away, then run mutu front sync`);
    }
    const { uid, gid } = ids(rule, owners);
    if (rule.recursive === 'always' || (rule.recursive === 'deep' && opts.deep)) {
      // Folders a later rule owns are left to it (SPIP's database folder inside config/).
      const prune = rules.slice(i + 1).filter((r) => r.rel.startsWith(`${rule.rel}/`)).flatMap((r) => ['-path', path.join(siteDir, r.rel), '-prune', '-o']);
      await runTool('find', [target, ...prune, '-exec', 'chown', '-h', `${uid}:${gid}`, '{}', '+']);
      await runTool('find', [target, ...prune, '!', '-type', 'l', '-exec', 'chmod', symbolic(rule.insideMode ?? rule.mode), '{}', '+']);
      // New files in a public folder keep nginx's group: its subfolders carry the setgid bit too.
      if (rule.mode & 0o2000) await runTool('find', [target, ...prune, '-type', 'd', '-exec', 'chmod', 'g+s', '{}', '+']);
    }
    fs.lchownSync(target, uid, gid);
    fs.chmodSync(target, rule.mode);
  }
  const file = fs.lstatSync(opts.connectionFile, { throwIfNoEntry: false });
  if (file?.isFile()) {
    fs.lchownSync(opts.connectionFile, 0, owners.site.gid);
    fs.chmodSync(opts.connectionFile, 0o640);
  }
}

export function webGroupId(webUser: string): number {
  const gid = unixGroupId(webUser);
  if (gid === undefined) throw new Error(`there is no group ${webUser} for nginx's workers: set MUTU_FRONT_WEB_USER to the user nginx runs as`);
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
        throw new Error(`${p} lets no other user through, so the sites' PHP and nginx cannot reach ${sites}: chmod o+x ${p}, or set MUTU_ROOT elsewhere (such as /srv/mutu)`);
      }
      fs.chmodSync(p, (fs.statSync(p).mode & 0o7777) | 0o001);
    }
    if (p === path.dirname(p)) break;
  }
}

/** A platform's code must be readable by every site's user. */
export function checkCodeReadable(codePath: string): void {
  for (let p = codePath; p !== path.dirname(p); p = path.dirname(p)) {
    if (!othersMayPass(p)) throw new Error(`${p} lets no other user through, so the sites cannot read the platform in ${codePath}: chmod o+x ${p} (and o+r on the code)`);
  }
  if ((fs.statSync(codePath).mode & 0o004) === 0) throw new Error(`the platform's folder ${codePath} is not readable by others: chmod -R o+rX ${codePath}`);
}
