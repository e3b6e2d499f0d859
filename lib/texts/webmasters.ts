/** The answers of the webmaster and role actions (the site page's words are in messages/*.json, `site.webmasters`). */
export const webmastersText = {
  added: (email: string, host: string, newAccount: boolean) => `${email} is now a webmaster of ${host}${newAccount ? ' (new account)' : ''}; a welcome mail is on its way.`,
  addedMailFailed: (email: string, error: string) => `${email} was added, but the welcome mail failed (${error}); they can use "Forgot password?" on the login page.`,
  removed: (email: string, host: string) => `${email} is no longer a webmaster of ${host}.`,
  users: {
    roleChanged: (email: string, role: string) => `${email} is now ${role}; their sessions have ended.`,
    roleSame: (email: string, role: string) => `${email} is already ${role}.`,
  },
} as const;
