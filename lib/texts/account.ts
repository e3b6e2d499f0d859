/**
 * The words of a person's own account: choosing a password from a mailed link, "Forgot
 * password?", changing it, the user menu. Kept together (whole sentences, values passed in)
 * so they move into translation catalogues as they are. Free of I/O: pages and client
 * components import it.
 */

export const PASSWORD_LINK_HOURS = 72;

export const accountText = {
  forgot: {
    title: 'Forgot your password?',
    intro: 'Give the e-mail address you sign in with: we mail it a link to choose a new password.',
    email: 'E-mail',
    submit: 'Mail me a link',
    pending: 'Sending…',
    /** the one answer, whether an account has this address or not */
    sent: (hours: number) =>
      `If an account has this address, a link to choose a new password is on its way. It works once, within ${hours} hours. Check your mail, and its spam folder.`,
    back: 'Back to sign in',
    loginLink: 'Forgot password?',
  },
  set: {
    title: 'Choose your password',
    titleFor: (email: string) => `Choose the password of ${email}`,
    checking: 'Checking your link…',
    password: 'New password',
    confirm: 'The same password again',
    hint: (min: number) => `At least ${min} characters.`,
    mismatch: 'The two passwords differ.',
    submit: 'Set my password',
    pending: 'Setting…',
    done: 'Your password is set. Signing you in…',
    doneSignIn: 'Your password is set. Sign in with it.',
    /** expired, used, unknown or damaged: one answer */
    deadLink: 'This link no longer works: it was already used, it expired, or it was copied incompletely. Ask for a new one.',
    askAgain: 'Mail me a new link',
    signIn: 'Sign in',
  },
  change: {
    title: 'Change my password',
    intro: 'Your other sessions end: on other computers and browsers you sign in again with the new password.',
    current: 'Current password',
    password: 'New password',
    confirm: 'The same password again',
    submit: 'Change my password',
    pending: 'Changing…',
    done: 'Your password was changed.',
    wrongCurrent: 'Your current password is not right.',
    sameAsBefore: 'The new password is the one you have now: choose another.',
  },
  menu: {
    label: 'Account',
    open: (email: string) => `Account menu of ${email}`,
    changePassword: 'Change my password',
    signOut: 'Sign out',
    signOutEverywhere: 'Sign out everywhere',
    signingOut: 'Signing out…',
    signOutEverywhereTitle: 'Ends every session of your account, on every computer and browser, this one included.',
    roles: { admin: 'admin', webmaster: 'webmaster' } as Record<string, string>,
  },
  unreachable: 'Could not reach the server. Check your connection and try again.',
} as const;
