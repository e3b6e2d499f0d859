/** The answers of the webmaster and role actions (the site page's words are in messages/*.json, `site.webmasters`). */
export const webmastersText = {
  added: (email: string, host: string, newAccount: boolean) => `${email} is now a webmaster of ${host}${newAccount ? ' (new account)' : ''}; a welcome mail is on its way.`,
  addedMailFailed: (email: string, error: string) => `${email} was added, but the welcome mail failed (${error}); they can use "Forgot password?" on the login page.`,
  removed: (email: string, host: string) => `${email} is no longer a webmaster of ${host}.`,
  users: {
    sites: 'Sites',
    noSites: 'none',
    moreSites: (n: number) => `and ${n} more`,
    self: 'This is you: another admin can change your role.',
    role: 'Role',
    changeRole: 'Change role',
    changingRole: 'Changing…',
    roleHint: 'Their sessions end: they sign in again with the new role. The last admin keeps their role.',
    roleChanged: (email: string, role: string) => `${email} is now ${role}; their sessions have ended.`,
    roleSame: (email: string, role: string) => `${email} is already ${role}.`,
    roleNames: { admin: 'Admin', webmaster: 'Webmaster' } as Record<string, string>,
  },
} as const;
