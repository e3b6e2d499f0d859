import type { Profile } from './profiles';
import { translatedError } from '../i18n/errors';

/** The folder of a site every secret file lives in: Mutu's own, root's once the front serves the site. */
export const SECRETS_FOLDER = 'config';

/** `config/<name>` or deeper, plain names only: no `.` or `..` part, no absolute path, no backslash. */
export function isSecretPath(rel: string): boolean {
  const parts = rel.split('/');
  return parts[0] === SECRETS_FOLDER && parts.length >= 2 && parts.every((p) => /^[A-Za-z0-9._-]+$/.test(p) && p !== '.' && p !== '..');
}

/**
 * Whether an export carries the site's secret files when the person asking did not say:
 * yes for an admin (a copy without them is a site nobody can sign in to), no for a
 * webmaster, who must choose to take them.
 */
export function secretsByDefault(role: string): boolean {
  return role === 'admin';
}

/**
 * The secret files an import may restore, relative to `config/`: those the export lists,
 * each of which the target's profile must name. Anything else is refused before anything is made.
 */
export function secretFilesToRestore(profile: Profile, listed: string[]): string[] {
  for (const rel of listed) {
    if (!isSecretPath(rel) || !profile.secretFiles.includes(rel)) {
      throw translatedError((m) => new Error(m), 'serviceErrors.importSecretNotOfProfile', { file: rel, profile: profile.name, files: profile.secretFiles.join(', ') || 'none' });
    }
  }
  if (new Set(listed).size !== listed.length) throw translatedError((m) => new Error(m), 'serviceErrors.importSecretTwice');
  return listed.map((rel) => rel.slice(SECRETS_FOLDER.length + 1));
}
