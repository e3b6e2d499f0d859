import type { Profile } from './profiles';

/** Who owns a path of a site's folder once the front serves it, and its mode. */
export interface OwnershipRule {
  /** relative to the site's folder; '' for the folder itself */
  rel: string;
  owner: 'root' | 'site';
  /** 'web': the group nginx's workers run as, so they can serve the folder */
  group: 'root' | 'site' | 'web';
  mode: number;
  /**
   * Also everything inside (folders get `mode`, files `mode` without execute bits): always
   * for the small folders Mutu itself writes into (config, the database folder), only on a
   * deep pass for the application's folders (after an import, or the front's first sync).
   */
  recursive: 'always' | 'deep' | false;
  /** the mode given to what is inside, when it differs from the folder's own */
  insideMode?: number;
  /** inside, what the site's own user made (SPIP's keys) is left as it is; the rest is set */
  insideKeepsSiteFiles?: boolean;
}

/**
 * The site's folder as a hoster isolates it. Its PHP runs as the site's own user, which
 * may write only the folders its application writes (and its database folder), may read
 * its connection file but not change it, and cannot see another site's folder at all;
 * nginx (the web group) reads the public folders only. Rules apply in order: a later
 * rule wins for what it names.
 */
export function ownershipRules(profile: Profile): OwnershipRule[] {
  const rules: OwnershipRule[] = [
    // Others may pass through (nginx to the public folders), not list.
    { rel: '', owner: 'root', group: 'site', mode: 0o751, recursive: false },
  ];
  for (const folder of profile.folders) {
    // Sticky and group-writable when the application adds its own files there: it may add
    // (SPIP's cles.php), never change or remove a file that is not its own.
    if (folder === 'config') rules.push({ rel: 'config', owner: 'root', group: 'site', mode: profile.writesConfig ? 0o1770 : 0o750, recursive: 'always', insideMode: 0o750, insideKeepsSiteFiles: true });
    else if (profile.public.includes(folder)) rules.push({ rel: folder, owner: 'site', group: 'web', mode: 0o2750, recursive: 'deep' });
    else if (profile.writable.includes(folder)) rules.push({ rel: folder, owner: 'site', group: 'site', mode: 0o700, recursive: 'deep' });
    else rules.push({ rel: folder, owner: 'root', group: 'root', mode: 0o700, recursive: false });
  }
  // The database file and its journals are written by the application itself.
  rules.push({ rel: profile.sqliteFolder, owner: 'site', group: 'site', mode: 0o700, recursive: 'always' });
  return rules;
}
