import fs from 'node:fs';
import { runTool } from '../databases/run-tool';
import { translatedError } from '../i18n/errors';

export interface UnixAccount {
  name: string;
  uid: number;
  gid: number;
  comment: string;
}

/** The comment Mutu gives a site's account: how it knows the account is its own. */
export const accountComment = (host: string) => `Mutu site ${host}`;

/** An account of /etc/passwd, or undefined. */
export function unixAccount(name: string): UnixAccount | undefined {
  for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [n, , uid, gid, comment] = line.split(':');
    if (n === name) return { name, uid: Number(uid), gid: Number(gid), comment: comment ?? '' };
  }
  return undefined;
}

/** The gid of a group of /etc/group, or undefined. */
export function unixGroupId(name: string): number | undefined {
  for (const line of fs.readFileSync('/etc/group', 'utf8').split('\n')) {
    const [n, , gid] = line.split(':');
    if (n === name) return Number(gid);
  }
  return undefined;
}

/**
 * A site's own account: a system user with its own group, no home, no shell, no password:
 * nothing can log in as it; its PHP-FPM pool runs as it.
 */
export async function ensureSiteAccount(name: string, host: string): Promise<UnixAccount> {
  const existing = unixAccount(name);
  if (existing) {
    if (existing.comment !== accountComment(host)) throw translatedError((m) => new Error(m), 'serviceErrors.frontUnixUserTaken', { user: name, host, comment: existing.comment });
    return existing;
  }
  await runTool('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--comment', accountComment(host), name]);
  const made = unixAccount(name);
  if (!made) throw translatedError((m) => new Error(m), 'serviceErrors.frontUseraddNoUser', { user: name });
  return made;
}

/** Removes a site's account and its group, if it is there and Mutu's. */
export async function removeSiteAccount(name: string, host: string): Promise<boolean> {
  const account = unixAccount(name);
  if (!account || account.comment !== accountComment(host)) return false;
  // PHP workers of its removed pool may linger a moment; userdel refuses while they live.
  await runTool('pkill', ['-KILL', '-u', String(account.uid)]).catch(() => {}); // exit 1: none left
  await runTool('userdel', [name]);
  return true;
}

export const isRoot = () => process.getuid?.() === 0;

/**
 * The site's own account to run a program as (its commands, its export's `tar`), when Mutu
 * runs as root and the site has one; otherwise undefined: the program runs as Mutu.
 */
export function siteAccountToRunAs(unixUser: string | null | undefined): UnixAccount | undefined {
  return unixUser && isRoot() ? unixAccount(unixUser) : undefined;
}
