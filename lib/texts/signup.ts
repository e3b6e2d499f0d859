/** The words of the public /create page once a site is asked for. Kept together for translation catalogues. */

/** `*.asso.example.org` -> `myclub.asso.example.org`: an address the pattern takes, to show as an example. */
const exampleOf = (pattern: string) => pattern.replace(/\*/g, 'myclub').replace(/\?/g, 'a');

export const signupText = {
  /** the code is right and usable, but not for this address: its holder may know the pattern */
  outsidePattern: (host: string, pattern: string) =>
    `This code is for addresses matching ${pattern}, and ${host} is not one of them. Choose an address such as ${exampleOf(pattern)}.`,
  ready: {
    title: (host: string) => `Your site ${host} is ready`,
    site: 'Your site',
    admin: (application: string) => `Its admin area (${application})`,
    next: 'What comes next',
    installed: (email: string) => `Sign in to its admin area with your e-mail address (${email}) and the password you chose.`,
    installer: (application: string) => `Open your site to install ${application}: its installer asks for the rest.`,
    mutu: 'In your Mutu space you see your site\u2019s disk use and health, and you download its data (exports and backups): sign in with the same e-mail and password.',
    mail: (email: string) => `A welcome mail with these links is on its way to ${email}.`,
    openSite: 'Open my site',
    openAdmin: 'Open its admin area',
    signIn: 'Sign in to Mutu',
  },
} as const;
