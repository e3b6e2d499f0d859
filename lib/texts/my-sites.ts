/** The words of a webmaster's page, `/my`. Kept together so they move into translation catalogues as they are. */
export const mySitesText = {
  title: 'Your sites',
  intro: 'The sites you look after: their addresses, disk use and health, and your data to take away (exports and daily backups).',
  empty: 'You have no sites yet.',
  emptyHint: 'When an admin makes you the webmaster of a site, it appears here.',
  on: (platform: string) => `on ${platform}`,
  visit: 'Visit the site',
  visitLabel: (host: string) => `Visit ${host} (new tab)`,
  admin: (application: string) => `${application} admin area`,
  adminLabel: (host: string) => `Admin area of ${host} (new tab)`,
  disk: 'Disk use',
  database: 'Database',
  health: 'Health',
  lastUpgrade: 'Last upgrade',
  never: 'never',
  created: 'Created',
  backups: 'Daily database backups',
} as const;
