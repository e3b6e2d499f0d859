/**
 * The words of the dashboard's frame: navigation, skip link, menus. Kept together so they move
 * into translation catalogues as they are.
 */
export const shellText = {
  skipLink: 'Skip to content',
  menu: 'Menu',
  closeMenu: 'Close menu',
  mainNav: 'Main',
  adminDashboard: 'Admin dashboard',
  sections: {
    overview: 'Overview',
    sites: 'Sites',
    servers: 'Servers',
    platforms: 'Platforms',
    runs: 'Upgrade runs',
    codes: 'Activation codes',
    jobs: 'Jobs',
    audit: 'Audit trail',
    users: 'Users',
    mySites: 'Your sites',
  },
} as const;
