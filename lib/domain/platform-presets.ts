import type { ProfileName } from './profiles';

/** What a profile's platform gets unless the admin says otherwise: command lines and health path. */
export interface PlatformPreset {
  upgradeCommand?: string;
  installCommand?: string;
  purgeCommand?: string;
  postImportCommand?: string;
  healthCheck?: string;
  /** a file that proves the folder holds this application (a preset applies only then) */
  marker: string;
}

/**
 * SPIP's mutualisation in Mutu's hands: its install (tables, first administrator, keys),
 * its database upgrade (maj_base), its caches and its address, all through SPIP's own
 * functions (lib/platforms/scripts/spip-cli.php), run as the site's user. Moodle's CLI
 * installer and upgrader would go here once they can be tested; generic has none.
 */
export const PRESETS: Partial<Record<ProfileName, PlatformPreset>> = {
  spip: {
    upgradeCommand: '{php} {mutu_scripts}/spip-cli.php upgrade',
    installCommand: '{php} {mutu_scripts}/spip-cli.php install',
    purgeCommand: '{php} {mutu_scripts}/spip-cli.php purge',
    postImportCommand: '{php} {mutu_scripts}/spip-cli.php set-address {url}',
    healthCheck: '/spip.php',
    marker: 'ecrire/inc_version.php',
  },
};

export const COMMAND_FIELDS = ['upgradeCommand', 'installCommand', 'purgeCommand', 'postImportCommand'] as const;
export type CommandField = (typeof COMMAND_FIELDS)[number];
